"""Live scores 「实时绩效」: recomputed in the worker after ingestion, only for the employees and
periods batches marked stale (`score_queue`).

An employee's scheme is the one naming their position, else the one naming the nearest
department above them (its subtree); the department override of the nearest overridden
department applies. A period keeps the scheme revision its first score was computed on
(frozen per period: an edit reaches the next period); an employee who moved to another
scheme's position is scored on that scheme's current revision. Each stored score carries its
explanation (`figures`). Statements per job: a fixed number whatever the batch — posts,
schemes, paths, kept revisions, the time zone, observations, one delete of emptied periods
and one write, and the department aggregates' three around them (`team_periods`).
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.models import new_id
from hrcore.core.templates import TemplateRevision
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance import closing_freeze, repository, team_periods
from hrcore.performance.figures import Observation, score_period
from hrcore.performance.models import PERFORMANCE_SCHEMES
from hrcore.performance.periods import period_of, start_moment

RECOMPUTE_JOB = "performance.recompute_scores"


def _nearest(path: str | None, candidates: Mapping[str, Any], paths: Mapping[str, str]) -> Any:
    """The candidate (by department id) whose department is the nearest at or above `path`."""
    best: tuple[int, Any] = (-1, None)
    for department_id, candidate in candidates.items():
        prefix = paths.get(department_id)
        if path and prefix and path.startswith(prefix) and len(prefix) > best[0]:
            best = (len(prefix), candidate)
    return best[1]


async def _schemes(session: AsyncSession, org_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = (await session.scalars(PERFORMANCE_SCHEMES.current(org_id))).all()
    return [{"id": row.id, "revision": row.revision} | _content(row) for row in rows]


def _content(row: Any) -> dict[str, Any]:
    fields = ("name", "period", "position_ids", "department_ids", "indicators")
    return {name: getattr(row, name) for name in fields} | {
        "department_overrides": row.department_overrides
    }


async def _kept_revisions(
    session: AsyncSession, org_id: uuid.UUID, wanted: set[tuple[uuid.UUID, int]]
) -> dict[tuple[uuid.UUID, int], dict[str, Any]]:
    """The stored content of the (scheme, revision) pairs periods keep, in one statement."""
    if not wanted:
        return {}
    rows = await session.scalars(
        select(TemplateRevision).where(
            TemplateRevision.org_id == org_id,
            TemplateRevision.kind == PERFORMANCE_SCHEMES.object_type,
            TemplateRevision.template_id.in_({scheme for scheme, _ in wanted}),
        )
    )
    return {
        (row.template_id, row.revision): {"id": row.template_id, "revision": row.revision}
        | row.content
        for row in rows
        if (row.template_id, row.revision) in wanted
    }


async def recompute(
    session: AsyncSession, org_id: uuid.UUID, months: Mapping[str, list[str]], now: datetime
) -> int:
    """Recompute the touched (employee, month) pairs' periods; how many scores were stored.
    A period left without observations (corrections moved them away) loses its score."""
    employee_ids = [uuid.UUID(e) for e in months]
    summaries = await people.employee_summaries(session, org_id, employee_ids)
    posts = {
        post.ref.id: post
        for post in await people.active_posts_in(
            session, org_id, list({s.department_id for s in summaries.values()}), employee_ids
        )
    }
    schemes = await _schemes(session, org_id)
    if not posts or not schemes:
        return 0
    departments = {d for s in schemes for d in s["department_ids"]} | {
        o["department_id"] for s in schemes for o in s["department_overrides"]
    }
    paths = {
        str(k): v
        for k, v in (
            await org.department_paths(
                session,
                org_id,
                [uuid.UUID(d) for d in departments] + [p.department.id for p in posts.values()],
            )
        ).items()
    }
    by_position = {p: s for s in schemes for p in s["position_ids"]}
    by_department = {d: s for s in schemes for d in s["department_ids"]}
    wanted: dict[tuple[uuid.UUID, str], tuple[dict[str, Any], date, date]] = {}
    for employee_id, post in posts.items():
        path = paths.get(str(post.department.id))
        scheme = by_position.get(str(post.position.id)) if post.position else None
        scheme = scheme or _nearest(path, by_department, paths)
        if scheme is None:
            continue
        for month in months[str(employee_id)]:
            name, starts, ends = period_of(month, scheme["period"])
            wanted[employee_id, name] = (scheme, starts, ends)
    if not wanted:
        return 0
    kept = {
        (row["employee_id"], row["period"]): (row["scheme_id"], row["scheme_revision"])
        for row in await repository.kept_scores(
            session, org_id, list(posts), list({period for _, period in wanted})
        )
    }
    frozen = await _kept_revisions(
        session,
        org_id,
        {
            kept[key]
            for key, (scheme, _, _) in wanted.items()
            if key in kept and kept[key][0] == scheme["id"]
        },
    )
    zone = ZoneInfo(await identity.org_timezone(session, org_id))
    window = (
        start_moment(min(starts for _, starts, _ in wanted.values()), zone),
        start_moment(max(ends for _, _, ends in wanted.values()), zone),
    )
    observed: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in await repository.current_observations(session, org_id, list(posts), window):
        observed[row["employee_id"]].append(row)
    rows, emptied = [], []
    for (employee_id, period), (current, starts, ends) in wanted.items():
        started = kept.get((employee_id, period))
        scheme = frozen.get(started, current) if started else current
        path = paths.get(str(posts[employee_id].department.id))
        override = (
            _nearest(path, {o["department_id"]: o for o in scheme["department_overrides"]}, paths)
            or {}
        )
        within = [
            Observation(str(r["id"]), r["indicator"], r["value"], r["observed_at"], r["source"])
            for r in observed[employee_id]
            if starts <= r["observed_at"].astimezone(zone).date() < ends
        ]
        result = score_period(scheme, override, within)
        if result is None and started:
            emptied.append((employee_id, period))
        if result is not None:
            overall, figures = result
            rows.append(
                (
                    new_id(),
                    employee_id,
                    period,
                    starts,
                    scheme["id"],
                    scheme["revision"],
                    overall,
                    json.dumps(figures),
                )
            )
    rows, emptied = await closing_freeze.before_save(session, org_id, rows, emptied, now)
    keys = [(row[1], row[2]) for row in rows] + list(emptied)
    homes = {employee: paths[str(posts[employee].department.id)] for employee, _ in keys}
    await team_periods.retract(session, org_id, homes, keys)
    await repository.drop_scores(session, org_id, emptied)
    await repository.save_scores(session, org_id, now, rows)
    await team_periods.count_in(session, org_id, homes, keys)
    return len(rows)
