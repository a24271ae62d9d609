"""Revisioned templates: forms and plans HR edits while processes run on them.

A template row holds its current content, a `name` unique in the organization and a
`revision` that grows with every change (`version`, the optimistic lock, grows with it).
A process that runs on a template (a review cycle, a program run) takes a `copy` when it
begins and keeps it with the revision, so later edits never reach a running process.
Review forms and program templates use this; competency models, performance schemes,
mentee templates and point rules are meant to.

The order of checks is part of the contract every domain shares: the version (412/409),
then the name (409), then the domain's own rules (`validate`, usually 422).
"""

from __future__ import annotations

import copy as copying
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Index, Integer, Select, String, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.core.models import Entity, OrgScopedMixin


class RevisionedTemplate(Entity, OrgScopedMixin):
    """The columns and constraints every template table has.

    The unique `(org_id, name)` backs the name check against concurrent creates; the
    `(org_id, id)` index serves lookups and keyset pages under row-level security.
    """

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    if TYPE_CHECKING:  # the mapped subclass's constructor, as `DeclarativeBase` gives it

        def __init__(self, **kwargs: Any) -> None: ...

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:  # noqa: N805
        table = cls.__tablename__  # type: ignore[attr-defined]
        return (UniqueConstraint("org_id", "name"), Index(f"ix_{table}_org_id_id", "org_id", "id"))


T = TypeVar("T", bound=RevisionedTemplate)
Validate = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class TemplateCopy:
    """What a process keeps of its template: the revision and the content it runs on."""

    revision: int
    content: dict[str, Any]


def copy(template: RevisionedTemplate, fields: Iterable[str]) -> TemplateCopy:
    """The content a process keeps: a deep copy, so nothing it holds aliases the template."""
    content = {name: copying.deepcopy(getattr(template, name)) for name in fields}
    return TemplateCopy(revision=template.revision, content=content)


@dataclass(frozen=True)
class TemplateKind(Generic[T]):
    """One kind of template: its model, its audit object type and how messages name it."""

    model: type[T]
    object_type: str
    label: str

    def current(self, org_id: uuid.UUID) -> Select[Any]:
        """The organization's templates at their current revision (for `paginate`)."""
        return select(self.model).where(self.model.org_id == org_id)

    async def by_id(
        self, session: AsyncSession, org_id: uuid.UUID, template_id: uuid.UUID
    ) -> T | None:
        return await session.scalar(
            select(self.model).where(self.model.org_id == org_id, self.model.id == template_id)
        )

    async def require_name_free(
        self,
        session: AsyncSession,
        org_id: uuid.UUID,
        name: str,
        template_id: uuid.UUID | None = None,
    ) -> None:
        """409 when another template of this kind has the name (`template_id` may keep it)."""
        taken = await session.scalar(
            select(self.model.id).where(self.model.org_id == org_id, self.model.name == name)
        )
        if taken is not None and taken != template_id:
            raise Conflict(_("A {label} named '{name}' exists", label=self.label, name=name))

    async def create(
        self,
        session: AsyncSession,
        principal: Principal,
        content: dict[str, Any],
        *,
        validate: Validate | None = None,
    ) -> T:
        """Revision 1 of a new template (`content` holds `name` and the domain's columns)."""
        await self.require_name_free(session, principal.org_id, content["name"])
        if validate is not None:
            await validate()
        template = self.model(org_id=principal.org_id, revision=1, **content)
        session.add(template)
        await session.flush()
        audit.record(
            session,
            principal,
            f"{self.object_type}.created",
            self.object_type,
            template.id,
            org_id=principal.org_id,
            after=content,
        )
        return template

    async def revise(
        self,
        session: AsyncSession,
        principal: Principal,
        template: T,
        content: dict[str, Any],
        *,
        if_match: str | None,
        body_version: int | None,
        validate: Validate | None = None,
    ) -> T:
        """Replace the content as the next revision; processes keep the copy they took."""
        check_version(template.version, if_match=if_match, body_version=body_version)
        await self.require_name_free(session, template.org_id, content["name"], template.id)
        if validate is not None:
            await validate()
        before = {name: getattr(template, name) for name in content}
        for name, value in content.items():
            setattr(template, name, value)
        template.revision += 1
        await session.flush()
        await session.refresh(template)
        old, new = audit.changes(before, content)
        audit.record(
            session,
            principal,
            f"{self.object_type}.updated",
            self.object_type,
            template.id,
            org_id=template.org_id,
            before=old,
            after=new | {"revision": template.revision},
        )
        return template
