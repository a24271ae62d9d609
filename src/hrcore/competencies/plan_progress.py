"""A development plan's progress, read from the actions' outcomes and the profile: per goal
the profile's current score against the target (level r of N is r / N × 10, as gaps count
it), per action its status (a program's from the employee's participation in the run, a
stretch assignment's from their part in it, with the outcome once recorded), and
one percent over both — each goal the share of its target reached, each action 1 when done;
dropped actions are left out."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import plan_sources, repository
from hrcore.competencies.levels import on_scale
from hrcore.core.scoring import weighted_mean


def _goal(
    goal: Mapping[str, Any], names: Mapping[uuid.UUID, tuple[str, int]], scores: dict[str, float]
) -> dict[str, Any]:
    competency_id = uuid.UUID(goal["competency_id"])
    name, levels = names.get(competency_id, ("", 0))
    required = on_scale(goal["target_level"], levels) if levels else 0.0
    current = scores.get(goal["competency_id"])
    return {
        "competency": {"id": competency_id, "name": name},
        "target_level": goal["target_level"],
        "levels": levels,
        "required": required,
        "current": current,
        "met": current is not None and current >= required,
    }


def _named(action: Mapping[str, Any], kind: str) -> uuid.UUID | None:
    """What an action of this kind names (None for another kind or none named)."""
    if action["kind"] != kind or not action["reference_id"]:
        return None
    return uuid.UUID(action["reference_id"])


def _action(
    action: Mapping[str, Any],
    runs: Mapping[uuid.UUID, plan_sources.ProgramAction],
    assignments: Mapping[uuid.UUID, plan_sources.StretchAction],
) -> dict[str, Any]:
    """The action's status from what it names when the employee takes part in it, else as
    its editors set it."""
    line = {
        "id": action["id"],
        "title": action["title"],
        "kind": action["kind"],
        "status": action["status"],
        "source": "plan",
        "outcome": None,
    }
    run_id, assignment_id = _named(action, "program"), _named(action, "stretch_assignment")
    run = runs.get(run_id) if run_id else None
    if run is not None and run.participation is not None:
        status = plan_sources.PARTICIPATION_STATUS[run.participation]
        return line | {"status": status, "source": "program"}
    assignment = assignments.get(assignment_id) if assignment_id else None
    if assignment is not None and assignment.assignee_status is not None:
        status = plan_sources.ASSIGNEE_STATUS[assignment.assignee_status]
        return line | {
            "status": status,
            "source": "stretch_assignment",
            "outcome": assignment.outcome,
        }
    return line


async def progress(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    goals: list[dict[str, Any]],
    actions: list[dict[str, Any]],
    names: Mapping[uuid.UUID, tuple[str, int]],
) -> dict[str, Any]:
    """The progress of this content; `names` are the goals' competencies (name, levels)."""
    snapshot = await repository.snapshots(session, org_id, employee_id, 1)
    figures = snapshot[0]["figures"] if snapshot else []
    scores = {figure["competency_id"]: figure["score"] for figure in figures}
    runs = await plan_sources.program_actions(
        session, org_id, employee_id, [i for a in actions if (i := _named(a, "program"))]
    )
    assignments = await plan_sources.stretch_actions(
        session,
        org_id,
        employee_id,
        [i for a in actions if (i := _named(a, "stretch_assignment"))],
    )
    goal_lines = [_goal(goal, names, scores) for goal in goals]
    action_lines = [_action(action, runs, assignments) for action in actions]
    shares = {
        f"goal {index}": min((line["current"] or 0.0) / line["required"], 1.0)
        if line["required"]
        else 1.0
        for index, line in enumerate(goal_lines)
    } | {
        f"action {line['id']}": 1.0 if line["status"] == "done" else 0.0
        for line in action_lines
        if line["status"] != "dropped"
    }
    percent = weighted_mean(shares, dict.fromkeys(shares, 1.0))
    return {
        "percent": round((percent or 0.0) * 100, 1),
        "profile_computed_at": snapshot[0]["computed_at"] if snapshot else None,
        "goals": goal_lines,
        "actions": action_lines,
    }
