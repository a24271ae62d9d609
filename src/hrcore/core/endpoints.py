"""The HR-admin side every outbound endpoint shares: webhook subscriptions and DingTalk
channels are listed, read, deleted with their delivery log, and their log is read newest
first, the same way. They hold secrets, so only HR admins signed in as users reach them
(never an integration key). What differs — creating, changing, re-enabling — stays with the
owning domain; the delivery itself is `core.delivery`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin_user
from hrcore.core.db import get_or_404
from hrcore.core.delivery import DeliveryLogMixin
from hrcore.core.models import Base
from hrcore.core.pagination import PageParams, paginate

EndpointT = TypeVar("EndpointT", bound=Base)
LogT = TypeVar("LogT", bound=DeliveryLogMixin)


@dataclass(frozen=True)
class Endpoints(Generic[EndpointT, LogT]):
    """One kind of endpoint: its table, its delivery log and the words for it."""

    model: type[EndpointT]
    log: type[LogT]
    log_owner: InstrumentedAttribute[uuid.UUID]
    """The log's column naming the endpoint (`WebhookDelivery.subscription_id`)."""
    what: str
    """In 404s: `No such <what>`."""
    subject: str
    """The audit subject type; deleting is audited as `<subject>.deleted`."""
    snapshot: Callable[[EndpointT], dict[str, Any]]
    """What the audit keeps of an endpoint (never its secret)."""

    def _column(self, name: str) -> InstrumentedAttribute[Any]:
        """`id` and `org_id` of the endpoint table (every tenant table has both)."""
        column: InstrumentedAttribute[Any] = inspect(self.model).attrs[name].class_attribute
        return column

    async def page(
        self, session: AsyncSession, principal: Principal, page: PageParams
    ) -> tuple[list[EndpointT], str | None]:
        require_hr_admin_user(principal)
        statement = select(self.model).where(self._column("org_id") == principal.org_id)
        return await paginate(session, statement, [self._column("id")], page)

    async def get(
        self, session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID
    ) -> EndpointT:
        require_hr_admin_user(principal)
        return await get_or_404(session, self.model, principal.org_id, endpoint_id, what=self.what)

    async def delete(
        self, session: AsyncSession, principal: Principal, endpoint_id: uuid.UUID
    ) -> None:
        """Deletes the endpoint and its delivery log (ON DELETE CASCADE): queued deliveries
        are dropped with it."""
        endpoint = await self.get(session, principal, endpoint_id)
        audit.record(
            session,
            principal,
            f"{self.subject}.deleted",
            self.subject,
            endpoint_id,
            org_id=principal.org_id,
            before=self.snapshot(endpoint),
        )
        await session.execute(
            delete(self.model).where(
                self._column("org_id") == principal.org_id, self._column("id") == endpoint_id
            )
        )

    async def deliveries(
        self,
        session: AsyncSession,
        principal: Principal,
        endpoint_id: uuid.UUID,
        page: PageParams,
        *,
        status: str | None,
    ) -> tuple[list[LogT], str | None]:
        """The endpoint's delivery log, newest first."""
        await self.get(session, principal, endpoint_id)
        statement = select(self.log).where(
            self.log.org_id == principal.org_id, self.log_owner == endpoint_id
        )
        if status is not None:
            statement = statement.where(self.log.status == status)
        return await paginate(session, statement, [self.log.id], page, descending=True)
