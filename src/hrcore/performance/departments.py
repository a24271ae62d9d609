"""Department performance 「部门绩效」: a department's own observations (ingested for the
department, scoring nobody) scored per period against the scheme of that department — the
one naming the nearest department at or above it, with the nearest department override —
beside the team's aggregate: the mean of its members' live scores, overall and per indicator.

Computed when read, on the scheme's current revision (department scores are not stored), in
a fixed number of statements; the diagnosis sweep (`diagnoses`) scores every department the
same way (`score_departments`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope
from hrcore.core.clock import Clock
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance import departments_repository as repository
from hrcore.performance.departments_schemas import DepartmentPerformanceOut
from hrcore.performance.figures import Observation, score_period
from hrcore.performance.live_scores import _nearest, _schemes
from hrcore.performance.periods import month_of, period_of, start_moment

PERIODS_SHOWN = 12
MONTHS_READ = 36
"""How far back observations are read: twelve quarters."""


@dataclass(frozen=True)
class DepartmentPeriod:
    period: str
    starts_on: date
    overall: float
    indicators: list[dict[str, Any]]
    """`figures.score_period`'s explained figures, one per indicator of the scheme."""


@dataclass(frozen=True)
class DepartmentScores:
    scheme: dict[str, Any]
    periods: list[DepartmentPeriod]
    """Newest first."""


def months_back(today: date, months: int) -> date:
    """The first day of the month `months` before today's."""
    total = today.year * 12 + today.month - 1 - months
    return date(total // 12, total % 12 + 1, 1)


async def score_departments(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_ids: list[uuid.UUID] | None,
    today: date,
) -> dict[uuid.UUID, DepartmentScores]:
    """The scored periods of these departments (None: every department with observations),
    in four statements: schemes, time zone, observations, paths. A department without a
    scheme above it, or without observations, is absent."""
    schemes = await _schemes(session, org_id)
    zone = ZoneInfo(await identity.org_timezone(session, org_id))
    since = start_moment(months_back(today, MONTHS_READ), zone)
    rows = await repository.department_observations(session, org_id, department_ids, since)
    observed: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        observed[row["department_id"]].append(row)
    named = {d for s in schemes for d in s["department_ids"]} | {
        o["department_id"] for s in schemes for o in s["department_overrides"]
    }
    found = await org.department_paths(session, org_id, [*observed, *(uuid.UUID(d) for d in named)])
    paths = {str(k): v for k, v in found.items()}
    by_department = {d: s for s in schemes for d in s["department_ids"]}
    scored: dict[uuid.UUID, DepartmentScores] = {}
    for department_id, mine in observed.items():
        path = paths.get(str(department_id))
        scheme = _nearest(path, by_department, paths)
        if scheme is None:
            continue
        overrides = {o["department_id"]: o for o in scheme["department_overrides"]}
        override = _nearest(path, overrides, paths) or {}
        by_period: dict[tuple[str, date], list[Observation]] = defaultdict(list)
        for row in mine:
            name, starts, _ = period_of(month_of(row["observed_at"], zone), scheme["period"])
            by_period[name, starts].append(
                Observation(
                    str(row["id"]),
                    row["indicator"],
                    row["value"],
                    row["observed_at"],
                    row["source"],
                )
            )
        periods = []
        for (name, starts), within in sorted(by_period.items(), key=lambda p: p[0][1]):
            result = score_period(scheme, override, within)
            if result is not None:
                periods.append(DepartmentPeriod(name, starts, *result))
        if periods:
            scored[department_id] = DepartmentScores(scheme, periods[::-1])
    return scored


def require_department_reader(principal: Principal) -> None:
    """HR admins, department heads and keys with `ratings:read` (others 403)."""
    if principal.kind == "api_key":
        principal.require_key_scope(Scope.RATINGS_READ)
    elif not (principal.is_hr_admin or principal.is_dept_head):
        raise Forbidden(_("Only HR admins and department heads read department performance"))


async def readable_department(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> str:
    """The department's path when the caller may read its performance: HR admins and keys
    with `ratings:read` any, a department head the departments at or below theirs (404
    otherwise, as for an unknown department); other users 403."""
    require_department_reader(principal)
    scope = principal.department_scope
    wanted = [department_id, scope] if scope and not principal.is_hr_admin else [department_id]
    paths = await org.department_paths(session, principal.org_id, wanted)
    path = paths.get(department_id)
    within = (
        principal.kind == "api_key"
        or principal.is_hr_admin
        or (path is not None and scope is not None and path.startswith(paths.get(scope, "-")))
    )
    if path is None or not within:
        raise NotFound(_("No such department"))
    return path


async def department_performance(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID, clock: Clock
) -> DepartmentPerformanceOut:
    """The department's own scored periods beside its team's aggregate, newest first."""
    await readable_department(session, principal, department_id)
    org_id = principal.org_id
    today = await people.org_today(session, org_id, clock)
    department = (await org.department_refs(session, org_id, [department_id]))[department_id]
    own = (await score_departments(session, org_id, [department_id], today)).get(department_id)
    members = await people.active_employees_in_subtree(session, org_id, department_id)
    team = {
        row["period"]: row
        for row in await repository.team_scores(
            session, org_id, members, months_back(today, MONTHS_READ)
        )
    }
    periods: dict[str, dict[str, Any]] = {}
    for scored in own.periods if own else []:
        periods[scored.period] = {
            "period": scored.period,
            "starts_on": scored.starts_on,
            "department": {"overall": scored.overall, "indicators": scored.indicators},
            "team": None,
        }
    for name, row in team.items():
        entry = periods.setdefault(
            name, {"period": name, "starts_on": row["starts_on"], "department": None}
        )
        entry["team"] = {
            "members": row["members"],
            "overall": round(row["overall"], 2),
            "indicators": row["indicators"],
        }
    shown = sorted(periods.values(), key=lambda p: p["starts_on"], reverse=True)[:PERIODS_SHOWN]
    scheme = own.scheme if own else None
    return DepartmentPerformanceOut.model_validate(
        {
            "department_id": department_id,
            "department": department,
            "scheme": {"id": scheme["id"], "name": scheme["name"]} if scheme else None,
            "scheme_revision": scheme["revision"] if scheme else None,
            "periods": shown,
        }
    )
