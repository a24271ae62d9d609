"""A development plan's content as it is stored: goals checked against the organization's
library (a competency once, a target level it has), actions checked against what they name
(a program run of the organization), goals drawn from the employee's gaps. Every refusal is
a 422 naming the field."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import gaps, plan_sources, repository
from hrcore.competencies.plan_schemas import ActionIn, GoalIn
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.models import new_id
from hrcore.people import api as people

REFERENCED_KINDS = frozenset({"program", "stretch_assignment"})
"""Kinds whose action names what it is (`reference_id` required)."""


async def goals_content(
    session: AsyncSession, org_id: uuid.UUID, goals: list[GoalIn]
) -> list[dict[str, Any]]:
    """The goals as stored, or 422 naming each goal's refused field."""
    found = await repository.competency_levels(
        session, org_id, list({goal.competency_id for goal in goals})
    )
    errors: list[FieldError] = []
    seen: set[uuid.UUID] = set()
    for index, goal in enumerate(goals):
        field = f"goals.{index}"
        levels = found.get(goal.competency_id)
        if levels is None:
            errors.append(
                FieldError(
                    field=f"{field}.competency_id",
                    message=_("not a competency of the organization's library"),
                )
            )
        elif goal.competency_id in seen:
            errors.append(
                FieldError(
                    field=f"{field}.competency_id", message=_("the plan has a goal for it already")
                )
            )
        elif goal.target_level > levels[1]:
            errors.append(
                FieldError(
                    field=f"{field}.target_level",
                    message=_("the competency has {levels} levels", levels=levels[1]),
                )
            )
        seen.add(goal.competency_id)
    if errors:
        raise Unprocessable(_("Some goals of the plan are not valid"), errors=errors)
    return [
        {
            "competency_id": str(goal.competency_id),
            "target_level": goal.target_level,
            "note": goal.note,
        }
        for goal in goals
    ]


async def goals_from_gaps(
    session: AsyncSession, org_id: uuid.UUID, employee: people.EmployeeInfo, goals: list[GoalIn]
) -> tuple[list[GoalIn], gaps.Unmet]:
    """The goals given, then one for each requirement of the employee's position model they
    do not meet yet (not already a goal), and the model they were drawn from; 422 on
    `goals_from_gaps` without such a model."""
    unmet = await gaps.unmet_requirements(session, org_id, employee)
    if unmet is None:
        raise Unprocessable(
            _("The employee's position has no competency model to draw goals from"),
            errors=[
                FieldError(
                    field="goals_from_gaps", message=_("no competency model for the position")
                )
            ],
        )
    named = {goal.competency_id for goal in goals}
    drawn = [
        GoalIn(competency_id=competency_id, target_level=level)
        for competency_id, level in unmet.requirements
        if competency_id not in named
    ]
    return goals + drawn, unmet


async def actions_content(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee: people.EmployeeInfo,
    actions: list[ActionIn],
    before: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The actions as stored: an action keeps its id (one the plan does not have is 422); a
    program or a stretch assignment names what it is — a program a run of the organization,
    a stretch assignment one the employee is on or may read."""
    known = {action["id"] for action in before}
    runs = await plan_sources.program_actions(
        session,
        org_id,
        employee.id,
        [a.reference_id for a in actions if a.kind == "program" and a.reference_id is not None],
    )
    assignments = await plan_sources.reachable_assignments(
        session,
        org_id,
        employee,
        [
            a.reference_id
            for a in actions
            if a.kind == "stretch_assignment" and a.reference_id is not None
        ],
    )
    errors: list[FieldError] = []
    ids: set[str] = set()
    for index, action in enumerate(actions):
        field = f"actions.{index}"
        if action.id is not None and (str(action.id) not in known or str(action.id) in ids):
            errors.append(FieldError(field=f"{field}.id", message=_("not an action of this plan")))
        if action.id is not None:
            ids.add(str(action.id))
        if action.kind in REFERENCED_KINDS and action.reference_id is None:
            errors.append(
                FieldError(
                    field=f"{field}.reference_id", message=_("required for this kind of action")
                )
            )
        elif action.kind == "program" and action.reference_id not in runs:
            errors.append(
                FieldError(
                    field=f"{field}.reference_id",
                    message=_("not a program run of the organization"),
                )
            )
        elif action.kind == "stretch_assignment" and action.reference_id not in assignments:
            errors.append(
                FieldError(
                    field=f"{field}.reference_id",
                    message=_("not a stretch assignment the employee is on or may take on"),
                )
            )
    if errors:
        raise Unprocessable(_("Some actions of the plan are not valid"), errors=errors)
    return [
        {
            "id": str(action.id or new_id()),
            "kind": action.kind,
            "reference_id": str(action.reference_id) if action.reference_id else None,
            "title": action.title,
            "due_on": action.due_on.isoformat() if action.due_on else None,
            "status": action.status,
        }
        for action in actions
    ]


def only_statuses_changed(before: dict[str, Any], after: dict[str, Any]) -> None:
    """An active plan's content changes only in its actions' statuses (409 otherwise): what
    was approved stays what was approved."""

    def fixed(plan: dict[str, Any]) -> dict[str, Any]:
        return {**plan, "actions": [{**action, "status": None} for action in plan["actions"]]}

    if fixed(after) != fixed(before):
        raise Conflict(
            _(
                "An approved plan changes only its actions' statuses; "
                "start the next period's plan for other changes"
            )
        )
