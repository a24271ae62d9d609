"""Positions: list, read, create and HR's direct edits, with their promotion paths.

A position's description is versioned by `description_revision`: any change to its content,
whether HR's direct edit or an approved draft (`descriptions`), counts one revision.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.org import repository
from hrcore.org.access import find_position, require_reader, require_writer
from hrcore.org.models import Position
from hrcore.org.references import department_ref, department_refs, require_department
from hrcore.org.schemas import (
    PositionCreate,
    PositionDescription,
    PositionOut,
    PositionPatch,
    PositionSort,
)

POSITION_SORT_KEYS = {"title": Position.title, "code": Position.code}
POSITION_FIELDS = ("code", "title", "department_id", "grade", "is_management", "family")


@dataclass(frozen=True)
class PositionFilters:
    department_id: uuid.UUID | None = None
    is_management: bool | None = None
    q: str | None = None
    sort: PositionSort = "title"


def _position_out(
    position: Position, next_ids: Sequence[uuid.UUID], department: Ref
) -> PositionOut:
    return PositionOut(
        id=position.id,
        code=position.code,
        title=position.title,
        department_id=position.department_id,
        department=department,
        grade=position.grade,
        is_management=position.is_management,
        family=position.family,
        description=PositionDescription.model_validate(position.description),
        description_revision=position.description_revision,
        next_position_ids=list(next_ids),
        created_at=position.created_at,
        version=position.version,
    )


def _position_snapshot(position: Position, next_ids: Sequence[uuid.UUID]) -> dict[str, Any]:
    return {
        "code": position.code,
        "title": position.title,
        "department_id": str(position.department_id),
        "grade": position.grade,
        "is_management": position.is_management,
        "family": position.family,
        "description": position.description,
        "description_revision": position.description_revision,
        "next_position_ids": sorted(str(next_id) for next_id in next_ids),
    }


def set_description(position: Position, description: dict[str, Any]) -> None:
    """Replace the description; every content change is a new revision."""
    position.description = description
    position.description_revision += 1


async def list_positions(
    session: AsyncSession, principal: Principal, page: PageParams, filters: PositionFilters
) -> tuple[list[PositionOut], str | None]:
    """One page in three queries: the positions, all their promotion paths, their
    departments' names."""
    require_reader(principal)
    statement = repository.positions_query(
        principal.org_id,
        department_id=filters.department_id,
        is_management=filters.is_management,
        q=filters.q,
    )
    keys = [POSITION_SORT_KEYS[filters.sort], Position.id]
    rows, cursor = await paginate(session, statement, keys, page)
    paths = await repository.next_position_ids(session, principal.org_id, [p.id for p in rows])
    departments = await department_refs(session, principal.org_id, [p.department_id for p in rows])
    items = [
        _position_out(row, paths.get(row.id, []), departments[row.department_id]) for row in rows
    ]
    return items, cursor


async def _department(session: AsyncSession, position: Position) -> Ref:
    found = await department_ref(session, position.org_id, position.department_id)
    assert found is not None, "a position's department is in its organization (foreign key)"
    return found


async def _next_ids(session: AsyncSession, position: Position) -> list[uuid.UUID]:
    paths = await repository.next_position_ids(session, position.org_id, [position.id])
    return paths.get(position.id, [])


async def get_position(
    session: AsyncSession, principal: Principal, position_id: uuid.UUID
) -> PositionOut:
    require_reader(principal)
    position = await find_position(session, principal, position_id)
    next_ids = await _next_ids(session, position)
    return _position_out(position, next_ids, await _department(session, position))


async def _ensure_code_free(session: AsyncSession, principal: Principal, code: str) -> None:
    if await repository.position_code_taken(session, principal.org_id, code):
        raise Conflict(_("A position with code '{code}' exists", code=code))


async def _checked_next_ids(
    session: AsyncSession, principal: Principal, position_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """The promotion path as a sorted set: positions of this org, never the position itself."""
    wanted = sorted(set(ids))
    field = "next_position_ids"
    if position_id in wanted:
        raise Unprocessable(
            _("A position cannot lead to itself"),
            errors=[FieldError(field=field, message=_("contains the position itself"))],
        )
    found = await repository.existing_position_ids(session, principal.org_id, wanted)
    missing = [position for position in wanted if position not in found]
    if missing:
        raise Unprocessable(
            _("Unknown positions in the promotion path"),
            errors=[
                FieldError(field=field, message=_("no such position: {position}", position=m))
                for m in missing
            ],
        )
    return wanted


async def create_position(
    session: AsyncSession, principal: Principal, body: PositionCreate
) -> PositionOut:
    require_writer(principal)
    department = await require_department(session, principal.org_id, body.department_id)
    await _ensure_code_free(session, principal, body.code)
    position = Position(
        org_id=principal.org_id,
        code=body.code,
        title=body.title,
        department_id=body.department_id,
        grade=body.grade,
        is_management=body.is_management,
        family=body.family,
        description=body.description.model_dump(),
        description_revision=0,
    )
    next_ids = await _checked_next_ids(session, principal, position.id, body.next_position_ids)
    session.add(position)
    await session.flush()
    await repository.replace_promotion_paths(session, principal.org_id, position.id, next_ids)
    audit.record(
        session,
        principal,
        "position.created",
        "position",
        position.id,
        org_id=principal.org_id,
        after=_position_snapshot(position, next_ids),
    )
    return _position_out(position, next_ids, department)


async def update_position(
    session: AsyncSession,
    principal: Principal,
    position_id: uuid.UUID,
    body: PositionPatch,
    *,
    if_match: str | None,
) -> PositionOut:
    """HR's direct edit; a changed description counts as a new description revision."""
    require_writer(principal)
    position = await find_position(session, principal, position_id)
    check_version(position.version, if_match=if_match, body_version=body.version)
    next_ids = await _next_ids(session, position)
    before = _position_snapshot(position, next_ids)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    if "department_id" in fields:
        await require_department(session, principal.org_id, fields["department_id"])
    if fields.get("code", position.code) != position.code:
        await _ensure_code_free(session, principal, fields["code"])
    for name in POSITION_FIELDS:
        if name in fields:
            setattr(position, name, fields[name])
    if "description" in fields and fields["description"] != position.description:
        set_description(position, fields["description"])
    if "next_position_ids" in fields:
        wanted = await _checked_next_ids(
            session, principal, position.id, fields["next_position_ids"]
        )
        if wanted != next_ids:
            await repository.replace_promotion_paths(session, principal.org_id, position.id, wanted)
            repository.touch(position)
            next_ids = wanted
    await session.flush()
    _audit_change(session, principal, position, before, _position_snapshot(position, next_ids))
    return _position_out(position, next_ids, await _department(session, position))


def _audit_change(
    session: AsyncSession,
    principal: Principal,
    position: Position,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    changed_before, changed_after = audit.changes(before, after)
    if changed_after:
        audit.record(
            session,
            principal,
            "position.updated",
            "position",
            position.id,
            org_id=principal.org_id,
            before=changed_before,
            after=changed_after,
        )
