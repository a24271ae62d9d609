"""Stretch assignments 「部门内任务」: in-department projects or roles that develop named
competencies, for when rotation across departments is impossible. HR admins create and edit
them anywhere, department heads in their subtree, managers in their own department; the
people of a department and those under it read them. Every write is audited.

`status` is `open` while a slot is free, `assigned` when every slot is taken (set by
assigning and by changing `slots`), `closed` when an editor ends it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository, stretch_access, stretch_closing, stretch_repository
from hrcore.competencies.levels import on_scale
from hrcore.competencies.models import StretchAssignment
from hrcore.competencies.stretch_schemas import (
    DevelopedCompetencyIn,
    StretchAssignmentIn,
    StretchAssignmentOut,
    StretchAssignmentPatch,
)
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import window_error
from hrcore.org import api as org

OPEN, ASSIGNED, CLOSED = "open", "assigned", "closed"


async def check_competencies(
    session: AsyncSession, org_id: uuid.UUID, entries: Sequence[DevelopedCompetencyIn]
) -> None:
    """404 for a competency the organization does not have; 422 naming the field for one
    named twice or a start level the competency does not have."""
    ids = [entry.competency_id for entry in entries]
    known = await repository.competency_levels(session, org_id, ids)
    if any(competency_id not in known for competency_id in ids):
        raise NotFound(_("No such competency"))
    errors: list[FieldError] = []
    seen: set[uuid.UUID] = set()
    for index, entry in enumerate(entries):
        if entry.competency_id in seen:
            message = _("the competency is already named")
            errors.append(FieldError(field=f"competencies.{index}.competency_id", message=message))
        seen.add(entry.competency_id)
        levels = known[entry.competency_id][1]
        if entry.start_level > levels:
            message = _("the competency has levels 1 to {levels}", levels=levels)
            errors.append(FieldError(field=f"competencies.{index}.start_level", message=message))
    if errors:
        raise Unprocessable(_("The stretch assignment is not valid"), errors=errors)


def _check_window(starts_on: Any, ends_on: Any) -> None:
    problem = window_error(starts_on, ends_on)
    if problem is not None:
        raise Unprocessable(
            _("The stretch assignment is not valid"),
            errors=[FieldError(field="ends_on", message=problem)],
        )


def _check_post(post_title: str | None, allowance: Decimal | None) -> None:
    """Only a post carries an allowance (422 on `allowance`)."""
    if allowance is not None and post_title is None:
        raise Unprocessable(
            _("The stretch assignment is not valid"),
            errors=[FieldError(field="allowance", message=_("only a post carries an allowance"))],
        )


def _entries(entries: Sequence[DevelopedCompetencyIn]) -> list[dict[str, Any]]:
    return [
        {"competency_id": str(entry.competency_id), "start_level": entry.start_level}
        for entry in entries
    ]


def _post_terms(state: dict[str, Any]) -> tuple[Any, ...] | None:
    """What assigning a post recorded on the assignee's employment record (None: no post)."""
    if state["post_title"] is None:
        return None
    return state["post_title"], state["allowance"], state["starts_on"], state["ends_on"]


def settled_status(assignment: StretchAssignment, taken: int) -> str:
    """Open while a slot is free, assigned when every one is taken; closed stays closed."""
    if assignment.status == CLOSED:
        return CLOSED
    return ASSIGNED if taken >= assignment.slots else OPEN


def _state(assignment: StretchAssignment) -> dict[str, Any]:
    """What the audit trail keeps of an assignment."""
    return {
        "title": assignment.title,
        "description": assignment.description,
        "department_id": str(assignment.department_id),
        "team_size": assignment.team_size,
        "starts_on": assignment.starts_on.isoformat(),
        "ends_on": assignment.ends_on.isoformat(),
        "slots": assignment.slots,
        "competencies": assignment.competencies,
        "status": assignment.status,
        "post_title": assignment.post_title,
        "allowance": f"{assignment.allowance:.2f}" if assignment.allowance is not None else None,
    }


async def views(
    session: AsyncSession, org_id: uuid.UUID, assignments: Sequence[StretchAssignment]
) -> list[dict[str, Any]]:
    """The response of many assignments: one statement per kind of name and one for the
    counts, whatever their number."""
    departments = await org.department_refs(
        session, org_id, list({row.department_id for row in assignments})
    )
    competency_ids = {
        uuid.UUID(entry["competency_id"]) for row in assignments for entry in row.competencies
    }
    names = await repository.competency_levels(session, org_id, list(competency_ids))
    counts = await stretch_repository.taken(session, org_id, [row.id for row in assignments])
    return [_view(row, departments, names, counts.get(row.id, 0)) for row in assignments]


def _view(
    row: StretchAssignment,
    departments: dict[uuid.UUID, Any],
    names: dict[uuid.UUID, tuple[str, int]],
    taken: int,
) -> dict[str, Any]:
    developed = []
    for entry in row.competencies:
        competency_id = uuid.UUID(entry["competency_id"])
        name, levels = names.get(competency_id, ("", 0))
        if levels == 0:
            continue
        developed.append(
            {
                "competency_id": competency_id,
                "competency": {"id": competency_id, "name": name},
                "start_level": entry["start_level"],
                "levels": levels,
                "start": on_scale(entry["start_level"], levels),
            }
        )
    return {
        "id": row.id,
        "title": row.title,
        "description": row.description,
        "department_id": row.department_id,
        "department": departments[row.department_id],
        "team_size": row.team_size,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "duration_days": (row.ends_on - row.starts_on).days + 1,
        "slots": row.slots,
        "taken": taken,
        "status": row.status,
        "competencies": developed,
        "post_title": row.post_title,
        "allowance": row.allowance,
        "version": row.version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


async def one_view(session: AsyncSession, assignment: StretchAssignment) -> StretchAssignmentOut:
    [view] = await views(session, assignment.org_id, [assignment])
    return StretchAssignmentOut.model_validate(view)


async def create(
    session: AsyncSession, principal: Principal, body: StretchAssignmentIn
) -> StretchAssignmentOut:
    """HR anywhere, department heads in their subtree, managers in their own department
    (404 for a department outside that). Audited."""
    await stretch_access.require_writable_department(session, principal, body.department_id)
    await check_competencies(session, principal.org_id, body.competencies)
    _check_window(body.starts_on, body.ends_on)
    _check_post(body.post_title, body.allowance)
    assignment = StretchAssignment(
        org_id=principal.org_id,
        title=body.title,
        description=body.description,
        department_id=body.department_id,
        team_size=body.team_size,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        slots=body.slots,
        competencies=_entries(body.competencies),
        status=OPEN,
        post_title=body.post_title,
        allowance=body.allowance,
        created_by=principal.id,
    )
    session.add(assignment)
    await session.flush()
    audit.record(
        session,
        principal,
        "stretch_assignment.created",
        "stretch_assignment",
        assignment.id,
        org_id=principal.org_id,
        after=_state(assignment),
    )
    await session.refresh(assignment)
    return await one_view(session, assignment)


async def update(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    body: StretchAssignmentPatch,
    *,
    if_match: str | None,
    clock: Clock,
) -> StretchAssignmentOut:
    """Change what is given; the version must be current (412/409). Fewer slots than
    people on it is 409. Closing a post ends its holders' temporary posts today, or withdraws
    them before it begins (`stretch_closing`). Audited with what changed."""
    assignment = await stretch_access.writable_assignment(session, principal, assignment_id)
    check_version(assignment.version, if_match=if_match, body_version=body.version)
    before = _state(assignment)
    given = body.model_dump(
        exclude_unset=True, exclude={"version", "competencies", "status", "reason"}
    )
    for field in ("title", "team_size", "starts_on", "ends_on", "slots"):
        if given.get(field, None) is None:
            given.pop(field, None)
    if body.competencies is not None:
        await check_competencies(session, principal.org_id, body.competencies)
        assignment.competencies = _entries(body.competencies)
    if "post_title" in given and given["post_title"] is None:
        given.setdefault("allowance", None)  # no post, no allowance
    for field, value in given.items():
        setattr(assignment, field, value)
    _check_window(assignment.starts_on, assignment.ends_on)
    taken = (await stretch_repository.taken(session, principal.org_id, [assignment.id])).get(
        assignment.id, 0
    )
    if assignment.slots < taken:
        raise Conflict(
            _("{taken} people are on this assignment: it needs at least as many slots", taken=taken)
        )
    _check_post(assignment.post_title, assignment.allowance)
    if taken and _post_terms(before) != _post_terms(_state(assignment)):
        raise Conflict(
            _(
                "People are on this assignment: whether it is a post, its title, allowance "
                "and window stay as their temporary posts were recorded"
            )
        )
    if body.status == CLOSED and assignment.status != CLOSED and assignment.post_title:
        await stretch_closing.close_post(session, principal, assignment, body.reason, clock)
    if body.status == OPEN and assignment.status == CLOSED and assignment.post_title:
        await stretch_closing.require_posts_held(session, principal.org_id, assignment)
    if body.status is not None:
        assignment.status = body.status
    assignment.status = settled_status(assignment, taken)
    after = _state(assignment)
    changed_before, changed_after = audit.changes(before, after)
    if changed_after:
        await session.flush()
        audit.record(
            session,
            principal,
            "stretch_assignment.updated",
            "stretch_assignment",
            assignment.id,
            org_id=principal.org_id,
            before=changed_before,
            after=changed_after,
        )
        await session.refresh(assignment)
    return await one_view(session, assignment)


async def list_assignments(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    department_id: uuid.UUID | None,
    status: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """The assignments of the departments the caller reads, newest first, filtered."""
    departments = await stretch_access.readable_departments(session, principal)
    statement = stretch_repository.assignments_query(
        principal.org_id,
        department_ids=sorted(departments) if departments is not None else None,
        department_id=department_id,
        status=status,
    )
    rows, cursor = await paginate(session, statement, [StretchAssignment.id], page, descending=True)
    return await views(session, principal.org_id, rows), cursor
