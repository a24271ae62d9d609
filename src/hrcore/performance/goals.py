"""Goals and key results 「目标与关键结果」: setting them, aligning them in the cascade and
checking in key results measured by hand.

The cascade: an organization goal aligns to another organization goal; a department goal to
an organization goal or a goal of its own department or one above it; a person's goal to an
organization goal or a goal of their department or one above it — always of the same period
or the quarter containing its month. A parent in another organization is 404 (as any goal
id); a person's goal as parent, a department outside the chain above, another period or a
cycle (a goal aligned under itself) are 422 naming `parent_id`. Every write is audited; a
check-in publishes `goal.progress_updated` with the goal's progress after it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.db import get_or_404
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, Text, _
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance import (
    goals_access,
    goals_lifecycle,
    goals_reading,
    goals_repository,
    repository,
)
from hrcore.performance.goals_access import GOAL
from hrcore.performance.goals_models import Goal, GoalKeyResult, KeyResultCheckIn
from hrcore.performance.goals_progress import within
from hrcore.performance.goals_schemas import (
    MAX_KEY_RESULTS,
    KeyResultCheckInIn,
    KeyResultIn,
    KeyResultPatch,
    PerformanceGoalIn,
    PerformanceGoalOut,
    PerformanceGoalPatch,
)
from hrcore.webhooks import api as webhooks

KEY_RESULT = N_("key result")


def _misaligned(message: Text) -> Unprocessable:
    return Unprocessable(
        _("The goal cannot be aligned this way"),
        errors=[FieldError(field="parent_id", message=message)],
    )


def _invalid(message: Text, field: str) -> Unprocessable:
    return Unprocessable(
        _("The key result is not valid"), errors=[FieldError(field=field, message=message)]
    )


async def _owner_department(session: AsyncSession, goal: Goal) -> uuid.UUID | None:
    """The department whose chain a goal aligns along (a person's: their department)."""
    if goal.employee_id is None:
        return goal.department_id
    found = await people.employee_summaries(session, goal.org_id, [goal.employee_id])
    return found[goal.employee_id].department_id if goal.employee_id in found else None


async def _check_parent(
    session: AsyncSession,
    goal: Goal,
    parent_id: uuid.UUID,
    department_id: uuid.UUID | None,
    *,
    stored: bool,
) -> None:
    """The cascade's rules (see the module's docstring); `department_id` is the department
    whose chain the goal aligns along; a `stored` goal may have goals under it (a cycle)."""
    parent = await get_or_404(session, Goal, goal.org_id, parent_id, what=GOAL)
    if parent.level == "person":
        raise _misaligned(_("a person's goal has no goals aligned to it"))
    if parent.level == "department":
        if goal.level == "organization":
            raise _misaligned(_("an organization goal aligns only to another organization goal"))
        assert parent.department_id is not None
        assert department_id is not None
        paths = await org.department_paths(
            session, goal.org_id, [department_id, parent.department_id]
        )
        if not paths.get(department_id, "").startswith(paths[parent.department_id]):
            raise _misaligned(
                _("the parent's department is neither this goal's department nor one above it")
            )
    if not within(goal.period, parent.period):
        raise _misaligned(
            _(
                "a goal of {period} cannot align to one of {parent_period}",
                period=goal.period,
                parent_period=parent.period,
            )
        )
    if stored and await goals_repository.is_above(session, goal.org_id, parent.id, goal.id):
        raise _misaligned(_("the parent is this goal or aligned under it: that would be a cycle"))


def _snapshot(goal: Goal) -> dict[str, Any]:
    return {
        "level": goal.level,
        "title": goal.title,
        "description": goal.description,
        "period": goal.period,
        "status": goal.status,
        "department_id": str(goal.department_id) if goal.department_id else None,
        "employee_id": str(goal.employee_id) if goal.employee_id else None,
        "parent_id": str(goal.parent_id) if goal.parent_id else None,
    }


async def create(session: AsyncSession, principal: Principal, body: PerformanceGoalIn) -> uuid.UUID:
    """A goal for the organization, a department or an employee; the caller must be allowed
    to set the owner's goals (see `goals_access`)."""
    principal.require_key_scope(None)
    department_id = body.department_id
    if body.employee_id is not None:
        employee = await goals_access.require_person_editor(session, principal, body.employee_id)
        department_id = employee.department_id
        level = "person"
    elif body.department_id is not None:
        await org.require_department(session, principal.org_id, body.department_id)
        await goals_access.require_department_editor(session, principal, body.department_id)
        level = "department"
    else:
        require_hr_admin(principal)
        level = "organization"
    goal = Goal(
        org_id=principal.org_id,
        level=level,
        department_id=body.department_id,
        employee_id=body.employee_id,
        title=body.title,
        description=body.description,
        period=body.period,
        status=body.status,
        created_by=principal.id,
    )
    if body.parent_id is not None:
        await _check_parent(session, goal, body.parent_id, department_id, stored=False)
        goal.parent_id = body.parent_id
    session.add(goal)
    await session.flush()
    audit.record(
        session,
        principal,
        "goal.created",
        "goal",
        goal.id,
        org_id=principal.org_id,
        after=_snapshot(goal),
    )
    return goal.id


async def _editable(session: AsyncSession, principal: Principal, goal_id: uuid.UUID) -> Goal:
    goal = await get_or_404(session, Goal, principal.org_id, goal_id, what=GOAL, for_update=True)
    await goals_access.require_editor(session, principal, goal)
    return goal


async def update(
    session: AsyncSession,
    principal: Principal,
    goal_id: uuid.UUID,
    body: PerformanceGoalPatch,
    *,
    if_match: str | None,
) -> None:
    """Title, description, status (by `goals_lifecycle`'s rules) and alignment; owner and
    period stay."""
    goal = await _editable(session, principal, goal_id)
    check_version(goal.version, if_match=if_match, body_version=body.version)
    before = _snapshot(goal)
    fields = body.model_fields_set
    goals_lifecycle.check_status_change(goal.status, body.status or goal.status, body.reason)
    if "parent_id" in fields and body.parent_id is not None:
        await _check_parent(
            session, goal, body.parent_id, await _owner_department(session, goal), stored=True
        )
    if "parent_id" in fields:
        goal.parent_id = body.parent_id
    for name in ("title", "description", "status"):
        if name in fields and getattr(body, name) is not None:
            setattr(goal, name, getattr(body, name))
    old, new = audit.changes(before, _snapshot(goal))
    if new:
        await session.flush()
        audit.record(
            session,
            principal,
            "goal.updated",
            "goal",
            goal.id,
            org_id=goal.org_id,
            before=old,
            after=new | ({"reason": body.reason} if body.reason else {}),
        )


async def add_key_result(
    session: AsyncSession, principal: Principal, goal_id: uuid.UUID, body: KeyResultIn
) -> None:
    """A key result at the end of the goal's; an indicator must be measured by a scheme of
    the organization, and an organization goal has nobody to measure it on (422)."""
    goal = await _editable(session, principal, goal_id)
    goals_lifecycle.require_open_key_results(goal)
    if body.indicator is not None:
        if goal.level == "organization":
            raise _invalid(
                _("an organization goal's key results are checked in by hand"), "indicator"
            )
        if body.indicator not in await repository.indicator_keys(session, goal.org_id):
            raise _invalid(
                _("no performance scheme measures {indicator}", indicator=body.indicator),
                "indicator",
            )
    count = await session.scalar(
        select(func.count()).where(
            GoalKeyResult.org_id == goal.org_id, GoalKeyResult.goal_id == goal.id
        )
    )
    if (count or 0) >= MAX_KEY_RESULTS:
        raise _invalid(_("a goal has at most {limit} key results", limit=MAX_KEY_RESULTS), "title")
    key_result = GoalKeyResult(
        org_id=goal.org_id, goal_id=goal.id, position=(count or 0) + 1, **body.model_dump()
    )
    session.add(key_result)
    await session.flush()
    audit.record(
        session,
        principal,
        "goal_key_result.created",
        "goal_key_result",
        key_result.id,
        org_id=goal.org_id,
        after={"goal_id": str(goal.id)} | body.model_dump(),
    )


async def _key_result_of(
    session: AsyncSession, goal: Goal, key_result_id: uuid.UUID
) -> GoalKeyResult:
    """The goal's key result, else 404."""
    key_result = await session.get(GoalKeyResult, key_result_id, with_for_update=True)
    if key_result is None or key_result.org_id != goal.org_id or key_result.goal_id != goal.id:
        raise NotFound(_("No such {what}", what=Text(KEY_RESULT)))
    return key_result


async def update_key_result(
    session: AsyncSession,
    principal: Principal,
    goal_id: uuid.UUID,
    key_result_id: uuid.UUID,
    body: KeyResultPatch,
) -> None:
    """Title, unit, start, target and weight; the target still differs from the start."""
    goal = await _editable(session, principal, goal_id)
    key_result = await _key_result_of(session, goal, key_result_id)
    goals_lifecycle.require_open_key_results(goal)
    fields = ("title", "unit", "start", "target", "weight")
    before = {name: getattr(key_result, name) for name in fields}
    after = before | {
        name: getattr(body, name)
        for name in fields
        if name in body.model_fields_set and getattr(body, name) is not None
    }
    if after["start"] == after["target"]:
        raise _invalid(_("the target must differ from the start"), "target")
    old, new = audit.changes(before, after)
    if not new:
        return
    for name, value in new.items():
        setattr(key_result, name, value)
    await session.flush()
    audit.record(
        session,
        principal,
        "goal_key_result.updated",
        "goal_key_result",
        key_result.id,
        org_id=goal.org_id,
        before=old,
        after=new,
    )


async def check_in(
    session: AsyncSession,
    principal: Principal,
    goal_id: uuid.UUID,
    key_result_id: uuid.UUID,
    body: KeyResultCheckInIn,
) -> PerformanceGoalOut:
    """A hand-measured key result's value now, with a note (kept as history); the goal with
    its progress after it, also published as `goal.progress_updated`."""
    goal = await _editable(session, principal, goal_id)
    key_result = await _key_result_of(session, goal, key_result_id)
    goals_lifecycle.require_open_key_results(goal)
    if key_result.indicator is not None:
        raise _invalid(
            _("this key result is measured by the indicator {key}", key=key_result.indicator),
            "value",
        )
    entry = KeyResultCheckIn(
        org_id=goal.org_id,
        key_result_id=key_result.id,
        value=body.value,
        note=body.note,
        recorded_by=principal.id,
    )
    session.add(entry)
    await session.flush()
    audit.record(
        session,
        principal,
        "goal_key_result.checked_in",
        "goal_key_result",
        key_result.id,
        org_id=goal.org_id,
        after={"check_in_id": str(entry.id), "value": body.value, "note": body.note},
    )
    shown = await goals_reading.goal(session, principal, goal.id)
    moved = next(k for k in shown.key_results if k.id == key_result.id)
    await webhooks.publish(
        session,
        org_id=goal.org_id,
        event_type=webhooks.EventType.GOAL_PROGRESS_UPDATED,
        payload={
            "goal_id": str(goal.id),
            "period": goal.period,
            "progress": shown.progress,
            "key_result_id": str(key_result.id),
            "key_result_progress": moved.progress,
        },
        event_id=entry.id,
    )
    return shown
