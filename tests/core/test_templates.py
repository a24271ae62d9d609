"""The revisioned-template mechanism and its routes factory on a kind of its own (not reviews' or
programs').

The fixture table lives in the `fixtures` schema with its own metadata, so it never shows
up in migrations; review forms and program templates are covered over HTTP in their domains.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import Column, MetaData, Table, UniqueConstraint, select
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from hrcore.core import template_routes, templates
from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Principal
from hrcore.core.errors import Conflict, NotFound, PreconditionFailed, Unprocessable
from hrcore.core.runtime import Runtime
from tests.factories import make_org


class ChecklistBase(DeclarativeBase):
    metadata = MetaData()


# The organizations table is the real one; declared here only so the foreign key resolves.
Table("organizations", ChecklistBase.metadata, Column("id", UUID(as_uuid=True), primary_key=True))


class Checklist(templates.RevisionedTemplate, ChecklistBase):
    __tablename__ = "checklists"
    __table_args__ = (UniqueConstraint("org_id", "name"), {"schema": "fixtures"})

    items: Mapped[list[str]] = mapped_column(JSONB, nullable=False)


pytestmark = pytest.mark.commits  # its fixture table is created and dropped for real

CHECKLISTS = templates.TemplateKind(Checklist, "checklist", "checklist")


@pytest.fixture
async def session(runtime: Runtime, owner_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with owner_engine.begin() as connection:
        await connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS fixtures")
        await connection.run_sync(ChecklistBase.metadata.create_all)
    async with async_sessionmaker(owner_engine, expire_on_commit=False)() as db:
        yield db
    async with owner_engine.begin() as connection:
        await connection.exec_driver_sql("DROP TABLE fixtures.checklists")


@pytest.fixture
async def hr(runtime: Runtime) -> Principal:
    account = await make_org(runtime)
    return Principal(kind="user", id=account.user_id, org_id=account.org_id)


async def _audit(session: AsyncSession, object_id: uuid.UUID) -> list[tuple[str, Any, Any]]:
    rows = await session.scalars(
        select(AuditEvent).where(AuditEvent.object_id == object_id).order_by(AuditEvent.id)
    )
    return [(row.action, row.before, row.after) for row in rows]


async def test_create_is_revision_one_audited_and_names_are_unique(
    session: AsyncSession, hr: Principal
) -> None:
    first = await CHECKLISTS.create(session, hr, {"name": "Onboarding", "items": ["laptop"]})
    await session.commit()
    assert (first.revision, first.version, first.items) == (1, 1, ["laptop"])
    assert await _audit(session, first.id) == [
        ("checklist.created", None, {"name": "Onboarding", "items": ["laptop"]})
    ]
    validated: list[bool] = []

    async def validate() -> None:
        validated.append(True)

    with pytest.raises(Conflict, match="A checklist named 'Onboarding' exists"):
        await CHECKLISTS.create(session, hr, {"name": "Onboarding", "items": []}, validate=validate)
    assert validated == []  # the name is checked before the domain's rules
    await CHECKLISTS.create(session, hr, {"name": "Offboarding", "items": []}, validate=validate)
    assert validated == [True]


async def test_revise_checks_version_then_name_then_rules_and_audits_the_change(
    session: AsyncSession, hr: Principal
) -> None:
    sheet = await CHECKLISTS.create(session, hr, {"name": "Onboarding", "items": ["laptop"]})
    await CHECKLISTS.create(session, hr, {"name": "Taken", "items": []})
    await session.commit()
    content = {"name": "Onboarding", "items": ["laptop", "badge"]}
    with pytest.raises(PreconditionFailed):
        await CHECKLISTS.revise(session, hr, sheet, content, if_match='"7"', body_version=None)
    with pytest.raises(Conflict, match="version 1, not 7"):
        await CHECKLISTS.revise(session, hr, sheet, content, if_match=None, body_version=7)
    with pytest.raises(Conflict, match="named 'Taken'"):
        await CHECKLISTS.revise(
            session, hr, sheet, content | {"name": "Taken"}, if_match='"1"', body_version=None
        )

    async def refuse() -> None:
        raise Unprocessable("no")

    with pytest.raises(Unprocessable):
        await CHECKLISTS.revise(
            session, hr, sheet, content, if_match=None, body_version=1, validate=refuse
        )
    assert (sheet.revision, sheet.items) == (1, ["laptop"])  # refused edits change nothing

    revised = await CHECKLISTS.revise(session, hr, sheet, content, if_match='"1"', body_version=1)
    await session.commit()
    assert (revised.revision, revised.version, revised.items) == (2, 2, ["laptop", "badge"])
    assert (await _audit(session, sheet.id))[-1] == (
        "checklist.updated",
        {"items": ["laptop"]},
        {"items": ["laptop", "badge"], "revision": 2},
    )


async def test_a_copy_keeps_its_revision_and_content_through_later_edits(
    session: AsyncSession, hr: Principal
) -> None:
    sheet = await CHECKLISTS.create(session, hr, {"name": "Onboarding", "items": ["laptop"]})
    kept = templates.copy(sheet, ("items",))
    kept.content["items"].append("changed in the process")
    assert sheet.items == ["laptop"]  # a deep copy: the process cannot reach the template
    await CHECKLISTS.revise(
        session, hr, sheet, {"name": "Onboarding", "items": ["desk"]}, if_match=None, body_version=1
    )
    assert kept.revision == 1
    assert kept.content == {"items": ["laptop", "changed in the process"]}
    assert templates.copy(sheet, ("items",)) == templates.TemplateCopy(2, {"items": ["desk"]})


async def test_current_and_by_id_stay_inside_the_organization(
    session: AsyncSession, hr: Principal, runtime: Runtime
) -> None:
    other_account = await make_org(runtime)
    other = Principal(kind="user", id=other_account.user_id, org_id=other_account.org_id)
    mine = await CHECKLISTS.create(session, hr, {"name": "Same name", "items": []})
    theirs = await CHECKLISTS.create(session, other, {"name": "Same name", "items": []})
    await session.commit()
    listed = (await session.scalars(CHECKLISTS.current(hr.org_id))).all()
    assert [row.id for row in listed] == [mine.id]
    assert await CHECKLISTS.by_id(session, hr.org_id, theirs.id) is None
    assert await CHECKLISTS.by_id(session, other.org_id, theirs.id) is theirs


async def test_every_revision_is_stored_and_a_copy_resolves_to_its_own(
    session: AsyncSession, hr: Principal, runtime: Runtime
) -> None:
    sheet = await CHECKLISTS.create(session, hr, {"name": "Onboarding", "items": ["laptop"]})
    kept = templates.copy(sheet, ("items",))
    await CHECKLISTS.revise(
        session,
        hr,
        sheet,
        {"name": "Onboarding", "items": ["laptop", "badge"]},
        if_match=None,
        body_version=1,
    )

    async def refuse() -> None:
        raise Unprocessable("no")

    with pytest.raises(Unprocessable):
        await CHECKLISTS.revise(
            session,
            hr,
            sheet,
            {"name": "X", "items": []},
            if_match=None,
            body_version=2,
            validate=refuse,
        )
    await CHECKLISTS.revise(
        session, hr, sheet, {"name": "Joining", "items": []}, if_match='"2"', body_version=None
    )
    await session.commit()
    rows = await session.scalars(
        CHECKLISTS.revisions(hr.org_id, sheet.id).order_by(templates.TemplateRevision.revision)
    )
    assert [(row.kind, row.revision, row.content) for row in rows] == [
        ("checklist", 1, {"name": "Onboarding", "items": ["laptop"]}),
        ("checklist", 2, {"name": "Onboarding", "items": ["laptop", "badge"]}),
        ("checklist", 3, {"name": "Joining", "items": []}),
    ]
    resolved = await CHECKLISTS.revision(session, hr.org_id, sheet.id, kept.revision)
    assert resolved is not None
    assert resolved.content == {"name": "Onboarding"} | kept.content
    assert await CHECKLISTS.revision(session, hr.org_id, sheet.id, 4) is None
    other_account = await make_org(runtime)
    assert await CHECKLISTS.revision(session, other_account.org_id, sheet.id, 1) is None
    other_kind = templates.TemplateKind(Checklist, "packing_list", "packing list")
    assert await other_kind.revision(session, hr.org_id, sheet.id, 1) is None


async def test_an_edit_racing_another_is_stale_and_stores_no_revision(
    session: AsyncSession, hr: Principal, owner_engine: AsyncEngine
) -> None:
    sheet = await CHECKLISTS.create(session, hr, {"name": "Onboarding", "items": []})
    await session.commit()
    async with async_sessionmaker(owner_engine, expire_on_commit=False)() as other:
        same = await CHECKLISTS.by_id(other, hr.org_id, sheet.id)
        assert same is not None
        await CHECKLISTS.revise(
            session,
            hr,
            sheet,
            {"name": "Onboarding", "items": ["a"]},
            if_match=None,
            body_version=1,
        )
        await session.commit()
        with pytest.raises(StaleDataError):  # the version check, before the revision's insert
            await CHECKLISTS.revise(
                other,
                hr,
                same,
                {"name": "Onboarding", "items": ["b"]},
                if_match=None,
                body_version=1,
            )
    rows = await session.scalars(CHECKLISTS.revisions(hr.org_id, sheet.id))
    assert sorted((row.revision, row.content["items"]) for row in rows) == [(1, []), (2, ["a"])]


class ChecklistIn(BaseModel):
    name: str
    items: list[str]


class ChecklistPatch(ChecklistIn):
    version: int | None = None


class ChecklistOut(ChecklistIn):
    id: uuid.UUID
    revision: int
    version: int


class ChecklistRevision(ChecklistIn):
    template_id: uuid.UUID
    revision: int


async def _caller() -> Principal:
    return Principal(kind="user", id=uuid.uuid4(), org_id=uuid.uuid4())


async def _readable(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> Checklist:
    found = await CHECKLISTS.by_id(session, principal.org_id, template_id)
    if found is None:
        raise NotFound("No such checklist")
    return found


async def _no_rules(session: AsyncSession, principal: Principal, body: ChecklistIn) -> None:
    return None


def test_a_new_kind_gets_its_six_routes_by_one_call() -> None:
    rules = templates.TemplateRules(
        kind=CHECKLISTS,
        require_reader=lambda principal: None,
        readable=_readable,
        content=lambda body: body.model_dump(),
        validate=_no_rules,
    )
    router = APIRouter()
    template_routes.add_template_routes(
        router,
        template_routes.TemplateRoutes(
            path="/checklists",
            noun="checklist",
            rules=rules,
            body=ChecklistIn,
            patch=ChecklistPatch,
            output=ChecklistOut,
            revision=ChecklistRevision,
            principal=Annotated[Principal, Depends(_caller)],
            summaries=template_routes.Summaries(*(f"Summary {n}" for n in range(6))),
        ),
    )
    app = FastAPI()
    app.include_router(router)
    paths = app.openapi()["paths"]
    bodies = {
        (path, method): operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        for path, methods in paths.items()
        for method, operation in methods.items()
        if "requestBody" in operation
    }
    assert bodies == {
        ("/checklists", "post"): "#/components/schemas/ChecklistIn",
        ("/checklists/{template_id}", "patch"): "#/components/schemas/ChecklistPatch",
    }
    operations = [
        (path, method, operation["operationId"], sorted(operation["responses"]))
        for path, methods in paths.items()
        for method, operation in methods.items()
    ]
    assert operations == [
        ("/checklists", "get", "list_checklists", ["200", "422"]),
        ("/checklists", "post", "create_checklist", ["201", "403", "409", "422"]),
        ("/checklists/{template_id}", "get", "get_checklist", ["200", "404", "422"]),
        (
            "/checklists/{template_id}",
            "patch",
            "update_checklist",
            ["200", "403", "404", "409", "412", "422"],
        ),
        (
            "/checklists/{template_id}/revisions",
            "get",
            "list_checklist_revisions",
            ["200", "404", "422"],
        ),
        (
            "/checklists/{template_id}/revisions/{revision}",
            "get",
            "get_checklist_revision",
            ["200", "404", "422"],
        ),
    ]
