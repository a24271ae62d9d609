"""Revisioned templates: forms and plans HR edits while processes run on them.

A template row holds its current content, a `name` unique in the organization and a
`revision` that grows with every change (`version`, the optimistic lock, grows with it).
Every revision of every kind is also kept in one table, `template_revisions` (the
template's own columns as JSONB, keyed by organization, kind, template and revision), in the
transaction that makes it: a new kind gets its history without a table or a migration of
its own.
A process that runs on a template (a review cycle, a program run) takes a `copy` when it
begins and keeps it with the revision, so later edits never reach a running process; the
revision it keeps resolves to the stored one (`TemplateKind.revision`).
Review forms and program templates use this; competency models, performance schemes,
mentee templates and point rules are meant to. `TemplateRules` adds what a domain decides
(who reads, how a request becomes content, its own checks) and `core.template_routes`
builds the HTTP routes from it.

The order of checks is part of the contract every domain shares: the version (412/409),
then the name (409), then the domain's own rules (`validate`, usually 422).
"""

from __future__ import annotations

import copy as copying
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import (
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Select,
    String,
    UniqueConstraint,
    func,
    inspect,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, NotFound
from hrcore.core.i18n import _
from hrcore.core.models import Base, Entity, OrgScopedMixin
from hrcore.core.pagination import POSITIVE, PageParams, paginate


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


class TemplateRevision(OrgScopedMixin, Base):
    """One revision of one template of any kind: its own columns then (never changed).

    `kind` is the kind's `object_type`; no foreign key to the template, since one table
    serves every kind. The key leads with `org_id` for row-level security.
    """

    __tablename__ = "template_revisions"
    __table_args__ = (PrimaryKeyConstraint("org_id", "kind", "template_id", "revision"),)

    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    template_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, info={"cursor": POSITIVE})
    content: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


T = TypeVar("T", bound=RevisionedTemplate)
Body = TypeVar("Body", bound=BaseModel)
Validate = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class TemplateCopy:
    """What a process keeps of its template: the revision and the content it runs on."""

    revision: int
    content: dict[str, Any]


BOOKKEEPING = frozenset({"id", "org_id", "revision", "version", "created_at", "updated_at"})


def content_of(template: RevisionedTemplate) -> dict[str, Any]:
    """What a revision stores: the template's own columns (`name` and the domain's), deep
    copied, without the bookkeeping every template has."""
    columns = inspect(type(template)).column_attrs
    return {
        column.key: copying.deepcopy(getattr(template, column.key))
        for column in columns
        if column.key not in BOOKKEEPING
    }


def copy(template: RevisionedTemplate, fields: Iterable[str]) -> TemplateCopy:
    """The content a process keeps: a deep copy, so nothing it holds aliases the template."""
    content = {name: copying.deepcopy(getattr(template, name)) for name in fields}
    return TemplateCopy(revision=template.revision, content=content)


@dataclass(frozen=True)
class TemplateKind(Generic[T]):
    """One kind of template: its model, its audit object type (also its `kind` among the
    stored revisions) and how messages name it."""

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

    async def require(self, session: AsyncSession, org_id: uuid.UUID, template_id: uuid.UUID) -> T:
        """The template, else 404 "No such <label>" (the domain checks the reader's role)."""
        template = await self.by_id(session, org_id, template_id)
        if template is None:
            raise NotFound(_("No such {label}", label=_(self.label)))
        return template

    def revisions(self, org_id: uuid.UUID, template_id: uuid.UUID) -> Select[Any]:
        """A template's stored revisions (for `paginate` by `TemplateRevision.revision`)."""
        return select(TemplateRevision).where(
            TemplateRevision.org_id == org_id,
            TemplateRevision.kind == self.object_type,
            TemplateRevision.template_id == template_id,
        )

    async def revision(
        self, session: AsyncSession, org_id: uuid.UUID, template_id: uuid.UUID, revision: int
    ) -> TemplateRevision | None:
        """One stored revision: what a process that keeps `revision` runs on."""
        found: TemplateRevision | None = await session.scalar(
            self.revisions(org_id, template_id).where(TemplateRevision.revision == revision)
        )
        return found

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
            raise Conflict(_("A {label} named '{name}' exists", label=_(self.label), name=name))

    def keep_revision(self, session: AsyncSession, template: T) -> None:
        """Store the template's current revision (`create` and `revise` do; a seed that adds
        template rows itself calls it once they are flushed)."""
        session.add(
            TemplateRevision(
                org_id=template.org_id,
                kind=self.object_type,
                template_id=template.id,
                revision=template.revision,
                content=content_of(template),
            )
        )

    async def create(
        self,
        session: AsyncSession,
        principal: Principal,
        content: dict[str, Any],
        *,
        validate: Validate | None = None,
    ) -> T:
        """Revision 1 of a new template (`content` holds `name` and the domain's columns,
        JSON-ready, as the stored revision will)."""
        await self.require_name_free(session, principal.org_id, content["name"])
        if validate is not None:
            await validate()
        template = self.model(org_id=principal.org_id, revision=1, **content)
        session.add(template)
        await session.flush()
        self.keep_revision(session, template)
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
        await session.flush()  # the version check first: a concurrent edit is stale, not a clash
        self.keep_revision(session, template)
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


@dataclass(frozen=True)
class TemplateRules(Generic[T, Body]):
    """A kind's use cases with what its domain decides: who reads (`readable` answers 404
    for an unknown template and 403/404 as the domain's access rules say, `require_reader`
    the same for a list), how a request body becomes content, and the domain's own checks.
    HR admins write every kind."""

    kind: TemplateKind[T]
    require_reader: Callable[[Principal], None]
    readable: Callable[[AsyncSession, Principal, uuid.UUID], Awaitable[T]]
    content: Callable[[Body], dict[str, Any]]
    validate: Callable[[AsyncSession, Principal, Body], Awaitable[None]]

    async def list_templates(
        self, session: AsyncSession, principal: Principal, page: PageParams
    ) -> tuple[list[T], str | None]:
        self.require_reader(principal)
        return await paginate(
            session, self.kind.current(principal.org_id), [self.kind.model.id], page
        )

    async def create_template(self, session: AsyncSession, principal: Principal, body: Body) -> T:
        require_hr_admin(principal)
        return await self.kind.create(
            session,
            principal,
            self.content(body),
            validate=lambda: self.validate(session, principal, body),
        )

    async def update_template(
        self,
        session: AsyncSession,
        principal: Principal,
        template_id: uuid.UUID,
        body: Body,
        *,
        if_match: str | None,
        body_version: int | None,
    ) -> T:
        require_hr_admin(principal)
        template = await self.readable(session, principal, template_id)
        return await self.kind.revise(
            session,
            principal,
            template,
            self.content(body),
            if_match=if_match,
            body_version=body_version,
            validate=lambda: self.validate(session, principal, body),
        )

    async def list_revisions(
        self, session: AsyncSession, principal: Principal, template_id: uuid.UUID, page: PageParams
    ) -> tuple[list[TemplateRevision], str | None]:
        """Oldest first; whoever may read the template reads its revisions."""
        await self.readable(session, principal, template_id)
        rows = self.kind.revisions(principal.org_id, template_id)
        return await paginate(session, rows, [TemplateRevision.revision], page)

    async def get_revision(
        self, session: AsyncSession, principal: Principal, template_id: uuid.UUID, revision: int
    ) -> TemplateRevision:
        await self.readable(session, principal, template_id)
        found = await self.kind.revision(session, principal.org_id, template_id, revision)
        if found is None:
            raise NotFound(
                _(
                    "No revision {revision} of this {label}",
                    revision=revision,
                    label=_(self.kind.label),
                )
            )
        return found
