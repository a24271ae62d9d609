"""Dashboards fit for a phone 「绩效看板」: one's own and a department's, cheap to poll.

`/me/dashboard` is the newest period by indicator and the last 12 periods' trend;
`/departments/{id}/dashboard` the team's distribution, per-indicator means and their trend,
the best and worst members and the department's own observations; each with its owner's
goals of the current month and quarter and their progress, measured as `/goals` measures
it. Both answer with a strong `ETag` made of their marks (`dashboard_queries`: count, newest
`computed_at` and row version of the scores, goals, key results and check-ins shown) plus
the current periods, the caller, the locale and the options, checked before the body is
built: a poll that matches costs the marks' one statement after authentication (the
department's also its reach: the subtree and its active members).

Reads follow the fast-read pattern: SQL written once, rows straight into the response.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import i18n
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.conditional import fingerprint, not_modified
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.core.responses import validated_json
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance import dashboard_queries as queries
from hrcore.performance import goals_reading, goals_repository
from hrcore.performance.dashboard_schemas import DepartmentDashboardOut, MyDashboardOut
from hrcore.performance.periods import period_of

PERIODS_SHOWN = 12
"""The trend's length: a year of months, three years of quarters."""
BAND_BOUNDS = (60.0, 80.0, 100.0)
"""The distribution's bands: below 60, 60–80, 80–100, 100 and above."""


@dataclass(frozen=True)
class Team:
    """A department's dashboard reach: the department and its active members (subtree), as
    parallel lists of ids and their departments' — no name or link per member: the ~9,500
    of a division cost more as objects than all of the read's statements together."""

    department_id: uuid.UUID
    members: list[uuid.UUID]
    departments: list[uuid.UUID]


def _tagged(tag: str, body: MyDashboardOut | DepartmentDashboardOut) -> Response:
    response = validated_json(body)
    response.headers["ETag"] = tag
    return response


async def current_periods(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> list[str]:
    """The month and the quarter containing today where the organization is: the periods
    whose goals a dashboard shows (no statement in a request: the caller row has the zone)."""
    today = await people.org_today(session, org_id, clock)
    month = f"{today.year:04d}-{today.month:02d}"
    return [month, period_of(month, "quarter")[0]]


async def _goals(
    session: AsyncSession,
    org_id: uuid.UUID,
    periods: Sequence[str],
    employee_id: uuid.UUID | None,
    department_id: uuid.UUID | None,
) -> list[dict[str, Any]]:
    """The owner's goals of the periods with their progress, measured as `/goals` measures
    them (`goals_reading.measured_goals`: one statement, plus the figures of linked key
    results)."""
    rows = await goals_repository.owned(session, org_id, periods, employee_id, department_id)
    return await goals_reading.measured_goals(session, org_id, rows)


async def my_dashboard(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    clock: Clock,
) -> Response:
    """The employee's own dashboard, or 304 when `If-None-Match` names its current tag."""
    periods = await current_periods(session, principal.org_id, clock)
    marks = await queries.my_marks(session, principal.org_id, employee_id, periods)
    locale = i18n.current_locale()
    tag = fingerprint("me", principal.id, employee_id, locale, periods, *marks.values())
    if (unchanged := not_modified(request, tag)) is not None:
        return unchanged
    rows = await queries.my_periods(session, principal.org_id, employee_id, PERIODS_SHOWN)
    goals = await _goals(session, principal.org_id, periods, employee_id, None)
    return _tagged(tag, _mine(rows, goals))


def _mine(rows: Sequence[Any], goals: list[dict[str, Any]]) -> MyDashboardOut:
    oldest_first = list(reversed(rows))
    trends: dict[str, dict[str, Any]] = {}
    for row in rows:  # newest first: the current period's indicators lead, in scheme order
        for figure in row["indicators"]:
            trends.setdefault(
                figure["key"],
                {k: figure[k] for k in ("key", "name", "unit", "direction")} | {"points": []},
            )
    for row in oldest_first:
        for figure in row["indicators"]:
            trends[figure["key"]]["points"].append(
                {
                    "period": row["period"],
                    "starts_on": row["starts_on"],
                    "value": figure["value"],
                    "score": figure["score"],
                }
            )
    return MyDashboardOut.model_validate(
        {
            "current": dict(rows[0]) if rows else None,
            "trend": [
                {"period": r["period"], "starts_on": r["starts_on"], "overall": r["overall"]}
                for r in oldest_first
            ],
            "indicator_trends": list(trends.values()),
            "goals": goals,
        }
    )


async def team_in_reach(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> Team:
    """HR admins read any department's dashboard, a department head one at or under their
    department; anyone else 404, as if it did not exist (keys 403: a screen, not an export)."""
    principal.require_key_scope(None)
    if not principal.is_hr_admin:
        scope = principal.department_scope if principal.is_dept_head else None
        paths = (
            await org.department_paths(session, principal.org_id, [department_id])
            if scope is not None
            else {}
        )
        if f"/{scope}/" not in paths.get(department_id, ""):
            raise NotFound(_("No such department"))
    subtree = await org.subtree_ids(session, principal.org_id, department_id)
    if not subtree:
        raise NotFound(_("No such department"))
    active = await people.active_people_in(session, principal.org_id, subtree, None)
    return Team(department_id, active.ids, active.department_ids)


async def department_dashboard(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    team: Team,
    shown: int,
    clock: Clock,
) -> Response:
    """The department's dashboard, or 304 when `If-None-Match` names its current tag."""
    org_id, members = principal.org_id, team.members
    periods = await current_periods(session, org_id, clock)
    marks = await queries.team_marks(
        session, org_id, members, team.department_id, periods, team.departments
    )
    locale = i18n.current_locale()
    tag = fingerprint(
        "team",
        principal.id,
        team.department_id,
        locale,
        shown,
        periods,
        members,
        team.departments,
        *marks.values(),
    )
    if (unchanged := not_modified(request, tag)) is not None:
        return unchanged
    trend = await queries.team_trend(session, org_id, members, team.department_id, PERIODS_SHOWN)
    period = trend[-1]["period"] if trend else None
    current = (
        await queries.team_current(
            session, org_id, members, team.departments, period, BAND_BOUNDS, shown
        )
        if period is not None
        else []
    )
    named = [row["employee_id"] for row in current if row["employee_id"] is not None]
    note_reads(principal, named, DataClass.EVALUATION, "performance_score")
    observations = await queries.department_observations(session, org_id, team.department_id)
    goals = await _goals(session, org_id, periods, None, team.department_id)
    department = {"id": team.department_id, "name": marks["department_name"]}
    return _tagged(tag, _team(team, department, trend, period, current, observations, goals))


def _team(
    team: Team,
    department: dict[str, Any],
    trend: Sequence[Any],
    period: str | None,
    current: Sequence[Any],
    observations: Sequence[Any],
    goals: list[dict[str, Any]],
) -> DepartmentDashboardOut:
    points: list[dict[str, Any]] = []
    indicators: dict[str, dict[str, Any]] = {}
    for row in trend:
        if row["key"] is None:
            points.append({k: row[k] for k in ("period", "starts_on", "members")})
            points[-1]["mean"] = row["mean_score"]
            continue
        indicator = indicators.setdefault(
            row["key"],
            {"key": row["key"], "name": row["name"], "unit": row["unit"]}
            | {"direction": row["direction"], "points": []},
        )
        indicator["points"].append(
            {k: row[k] for k in ("period", "starts_on", "members", "mean_score", "mean_value")}
        )
    bands = {row["band"]: row["members"] for row in current if row["part"] == "band"}
    bounds: list[float | None] = [None, *BAND_BOUNDS, None]
    now = points[-1] if points and points[-1]["period"] == period else None
    return DepartmentDashboardOut.model_validate(
        {
            "department": department,
            "members": len(team.members),
            "period": period,
            "scored": now["members"] if now else 0,
            "mean": now["mean"] if now else None,
            "distribution": [
                {"at_least": bounds[i], "below": bounds[i + 1], "members": bands.get(i, 0)}
                for i in range(len(BAND_BOUNDS) + 1)
            ],
            "trend": points,
            "indicator_trends": list(indicators.values()),
            "best": _members(current, "best"),
            "worst": _members(current, "worst"),
            "observations": [dict(row) for row in observations],
            "goals": goals,
        }
    )


def _members(current: Sequence[Any], part: str) -> list[dict[str, Any]]:
    return [
        {
            "employee_id": row["employee_id"],
            "employee": {"id": row["employee_id"], "name": row["employee_name"]},
            "department_id": row["department_id"],
            "department": {"id": row["department_id"], "name": row["department_name"]},
            "overall": row["overall"],
        }
        for row in current
        if row["part"] == part
    ]
