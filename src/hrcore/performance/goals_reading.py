"""Reads of goals: one goal, its key results with their check-in history, and the alignment
tree of a period.

Goal rows come with their key results in one statement (`goals_repository`); the values of
linked key results are then read in a fixed number of statements whatever the tree's size:
the live scores' figures of every person goal's employee at once, and for department goals
the schemes measuring their indicators, the departments' paths and the department
observations of the periods — each only when some key result needs it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.performance import goals_access, goals_repository
from hrcore.performance.figures import Observation, period_value
from hrcore.performance.goals_progress import (
    Figure,
    bounds,
    goal_progress,
    goal_value,
    key_result_progress,
    months_of,
    score_periods,
)
from hrcore.performance.goals_schemas import (
    KeyResultHistoryOut,
    PerformanceGoalOut,
    PerformanceGoalTreeOut,
)
from hrcore.performance.periods import start_moment

Measured = dict[tuple[uuid.UUID, str], tuple[float, str, list[Figure]]]
"""(goal id, indicator) → (value, aggregation, the figures behind it)."""


async def _person_values(
    session: AsyncSession, org_id: uuid.UUID, goals: Sequence[Mapping[str, Any]]
) -> Measured:
    """Linked key results of person goals: their employees' live-score figures, one statement."""
    wanted = {
        (g["id"], k["indicator"]): g
        for g in goals
        if g["employee_id"] is not None
        for k in g["key_results"]
        if k["indicator"]
    }
    if not wanted:
        return {}
    rows = await goals_repository.score_figures(
        session,
        org_id,
        list({g["employee_id"] for g in wanted.values()}),
        list({p for g in wanted.values() for p in score_periods(g["period"])}),
        list({indicator for _, indicator in wanted}),
    )
    figures: dict[tuple[uuid.UUID, str], list[tuple[str, Figure]]] = defaultdict(list)
    for row in rows:
        figure = Figure(row["period"], row["value"], row["observations"])
        figures[row["employee_id"], row["indicator"]].append((row["aggregation"], figure))
    measured: Measured = {}
    for (goal_id, indicator), goal in wanted.items():
        found = [
            (aggregation, f)
            for aggregation, f in figures[goal["employee_id"], indicator]
            if f.period in score_periods(goal["period"])
        ]
        used = sorted((f for _, f in found), key=lambda f: f.period)
        value = goal_value(goal["period"], found[0][0], used) if found else None
        if value is not None:
            own = [f for f in used if f.period == goal["period"]]
            measured[goal_id, indicator] = (value, found[0][0], own or used)
    return measured


def _aggregation(
    indicator: str, path: str, schemes: Sequence[Any], paths: Mapping[uuid.UUID, str]
) -> str:
    """The indicator's aggregation in the scheme of the nearest department at or above
    `path`, else in the first scheme (by name) measuring it."""
    best: tuple[int, str | None] = (-1, None)
    for scheme in schemes:
        if scheme["key"] != indicator:
            continue
        for department in scheme["department_ids"]:
            prefix = paths.get(uuid.UUID(department), "")
            if prefix and path.startswith(prefix) and len(prefix) > best[0]:
                best = (len(prefix), scheme["aggregation"])
    fallback = next(s["aggregation"] for s in schemes if s["key"] == indicator)
    return best[1] or fallback


async def _department_values(
    session: AsyncSession, org_id: uuid.UUID, goals: Sequence[Mapping[str, Any]]
) -> Measured:
    """Linked key results of department goals: the department observations of their periods,
    aggregated as the department's scheme says."""
    wanted = {
        (g["id"], k["indicator"]): g
        for g in goals
        if g["department_id"] is not None
        for k in g["key_results"]
        if k["indicator"]
    }
    if not wanted:
        return {}
    indicators = list({indicator for _, indicator in wanted})
    schemes = await goals_repository.scheme_indicators(session, org_id, indicators)
    departments = {g["department_id"] for g in wanted.values()} | {
        uuid.UUID(d) for s in schemes for d in s["department_ids"]
    }
    paths = await org.department_paths(session, org_id, list(departments))
    zone = ZoneInfo(await identity.org_timezone(session, org_id))
    spans = {g["period"]: bounds(g["period"]) for g in wanted.values()}
    window = (
        start_moment(min(s for s, _ in spans.values()), zone),
        start_moment(max(e for _, e in spans.values()), zone),
    )
    observed: dict[tuple[uuid.UUID, str], list[Observation]] = defaultdict(list)
    for row in await goals_repository.department_observations(
        session, org_id, list({g["department_id"] for g in wanted.values()}), indicators, window
    ):
        if row["department_id"] is not None:
            observation = Observation(
                str(row["id"]), row["indicator"], row["value"], row["observed_at"]
            )
            observed[row["department_id"], row["indicator"]].append(observation)
    measured: Measured = {}
    for (goal_id, indicator), goal in wanted.items():
        starts, ends = spans[goal["period"]]
        seen = sorted(
            (
                o
                for o in observed[goal["department_id"], indicator]
                if starts <= o.observed_at.astimezone(zone).date() < ends
            ),
            key=lambda o: (o.observed_at, o.id),
        )
        if not seen or not any(s["key"] == indicator for s in schemes):
            continue
        path = paths.get(goal["department_id"], "")
        aggregation = _aggregation(indicator, path, schemes, paths)
        value = period_value(aggregation, seen)
        measured[goal_id, indicator] = (
            value,
            aggregation,
            [Figure(goal["period"], value, len(seen))],
        )
    return measured


async def measured_goals(
    session: AsyncSession, org_id: uuid.UUID, rows: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Goal rows as responses: each key result's value and progress, explained, and the
    goal's progress."""
    goals = [dict(row) for row in rows]
    measured = await _person_values(session, org_id, goals) | await _department_values(
        session, org_id, goals
    )
    for goal in goals:
        for key_result in goal["key_results"]:
            linked = measured.get((goal["id"], key_result["indicator"]))
            check_in = key_result["latest_check_in"]
            current = (
                (linked[0] if linked else None)
                if key_result["indicator"]
                else (check_in["value"] if check_in else None)
            )
            key_result |= {
                "current": current,
                "progress": key_result_progress(key_result["start"], key_result["target"], current),
                "aggregation": linked[1] if linked else None,
                "inputs": [f._asdict() for f in linked[2]] if linked else [],
            }
        goal |= {
            "progress": goal_progress(goal["key_results"]),
            "department": {"id": goal["department_id"], "name": goal["department_name"]}
            if goal["department_id"]
            else None,
            "employee": {"id": goal["employee_id"], "name": goal["employee_name"]}
            if goal["employee_id"]
            else None,
        }
    return goals


async def goal(
    session: AsyncSession, principal: Principal, goal_id: uuid.UUID
) -> PerformanceGoalOut:
    """One goal with its key results' progress, explained (404 outside the caller's reach)."""
    row = await goals_access.readable_goal(session, principal, goal_id)
    (shown,) = await measured_goals(session, principal.org_id, [row])
    return PerformanceGoalOut.model_validate(shown)


def owners(rows: Sequence[Mapping[str, Any]]) -> list[uuid.UUID]:
    """The people whose own goals are among `rows` (the read log's subjects)."""
    return [row["employee_id"] for row in rows if row["employee_id"] is not None]


async def key_results(
    session: AsyncSession, principal: Principal, goal_id: uuid.UUID
) -> list[KeyResultHistoryOut]:
    """The goal's key results with their progress and every check-in, newest first."""
    row = await goals_access.readable_goal(session, principal, goal_id)
    note_reads(principal, owners([row]), DataClass.EVALUATION, "performance_goal")
    (shown,) = await measured_goals(session, principal.org_id, [row])
    history: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for check_in in await goals_repository.check_ins(session, principal.org_id, goal_id):
        history[check_in["key_result_id"]].append(dict(check_in))
    return [
        KeyResultHistoryOut.model_validate(k | {"check_ins": history[uuid.UUID(k["id"])]})
        for k in shown["key_results"]
    ]


async def tree(session: AsyncSession, principal: Principal, period: str) -> PerformanceGoalTreeOut:
    """The period's goals the caller reads and the chain above them, as a tree."""
    caller = await goals_access.reach(session, principal)
    periods = [period, *months_of(period)] if period[5] == "Q" else [period]
    rows = await goals_repository.tree(
        session,
        principal.org_id,
        periods,
        caller.everything,
        caller.department_ids,
        caller.employee_ids,
    )
    note_reads(principal, owners(rows), DataClass.EVALUATION, "performance_goal")
    goals = await measured_goals(session, principal.org_id, rows)
    children: dict[uuid.UUID | None, list[dict[str, Any]]] = defaultdict(list)
    for shown in goals:
        children[shown["parent_id"]].append(shown)
    for shown in goals:
        shown["children"] = children[shown["id"]]
    return PerformanceGoalTreeOut.model_validate({"period": period, "goals": children[None]})
