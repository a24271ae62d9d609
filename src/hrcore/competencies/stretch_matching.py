"""Matching stretch assignments and people, both ways, explained.

For an assignment: the active people of its department (and those under it) the caller
may see, ranked. For a person: the open assignments of their department and those above it.
Each pair scores four factors, each 0–1, weighted by `stretch_match_weights`:

- `gap_fit`: how far the person falls short of what their position's model requires in
  the competencies the assignment develops (the mean of gap / required; a competency the
  model does not name adds 0);
- `readiness`: how close they are to the start level of each (the mean of current / start,
  capped at 1);
- `load`: room for one more (1 − open assignments / the most one person takes at once);
- `pool`: 1 for an active member of a talent pool. Talent owns pools and sits above
  competencies: it answers through `PoolMembershipProvider`, declared in its registry.

Every read is set-based: a fixed number of statements however many people or assignments."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository, stretch_access, stretch_repository
from hrcore.competencies.levels import on_scale
from hrcore.competencies.models import StretchAssignment
from hrcore.competencies.stretch_schemas import AssignmentMatchesOut, CandidateMatchesOut
from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.settings import Settings

PoolMemberships = Callable[
    [AsyncSession, uuid.UUID, Sequence[uuid.UUID]], Awaitable[Mapping[uuid.UUID, list[Ref]]]
]
_POOLS: list[PoolMemberships] = []


@dataclass(frozen=True)
class PoolMembershipProvider:
    """Talent's declaration (a `core.registry` hook): the active pools of each employee, in
    one statement."""

    source: PoolMemberships

    def install(self) -> None:
        _POOLS[:] = [self.source]


async def _pools(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> Mapping[uuid.UUID, list[Ref]]:
    if not _POOLS:
        raise RuntimeError("No pool membership source: install hrcore.domains.DOMAINS")
    if not employee_ids:
        return {}
    return await _POOLS[0](session, org_id, employee_ids)


@dataclass(frozen=True)
class Standing:
    """What matching knows of one person."""

    scores: Mapping[str, float]
    model: Mapping[str, int]
    """Required level per competency id in their position's model (variant first)."""
    load: int
    pools: list[Ref]


def _required_levels(model: Any) -> dict[str, int]:
    """A model's required level by competency id (none without a model)."""
    entries = model["entries"] if model is not None else []
    return {entry["competency_id"]: entry["required_level"] for entry in entries}


def _competency_fit(
    entries: list[dict[str, Any]],
    levels: Mapping[uuid.UUID, tuple[str, int]],
    standing: Standing,
) -> list[dict[str, Any]]:
    lines = []
    for entry in entries:
        competency_id = uuid.UUID(entry["competency_id"])
        name, count = levels.get(competency_id, ("", 0))
        if count == 0:
            continue
        start = on_scale(entry["start_level"], count)
        current = standing.scores.get(entry["competency_id"])
        required_level = standing.model.get(entry["competency_id"])
        required = on_scale(required_level, count) if required_level else None
        gap = round(max(required - (current or 0.0), 0.0), 2) if required else 0.0
        lines.append(
            {
                "competency_id": competency_id,
                "competency": {"id": competency_id, "name": name},
                "start": start,
                "required": required,
                "current": current,
                "gap": gap,
                "ready": (current or 0.0) >= start,
            }
        )
    return lines


def _best_first(item: dict[str, Any]) -> float:
    return -float(item["score"])


def score(
    lines: list[dict[str, Any]], standing: Standing, weights: Mapping[str, float], most: int
) -> tuple[float, list[dict[str, Any]]]:
    """The score (0–100) and its parts: each factor's value, weight and points."""
    count = len(lines) or 1
    values = {
        "gap_fit": sum(line["gap"] / line["required"] for line in lines if line["required"])
        / count,
        "readiness": sum(min((line["current"] or 0.0) / line["start"], 1.0) for line in lines)
        / count,
        "load": max(0.0, 1 - standing.load / most),
        "pool": 1.0 if standing.pools else 0.0,
    }
    total = sum(weights.values())
    factors = [
        {
            "factor": factor,
            "value": round(value, 4),
            "weight": weights.get(factor, 0.0),
            "points": round(value * weights.get(factor, 0.0) / total * 100, 2) if total else 0.0,
        }
        for factor, value in values.items()
    ]
    return round(sum(factor["points"] for factor in factors), 2), factors


async def _standings(
    session: AsyncSession,
    org_id: uuid.UUID,
    posts: Sequence[people.EmployeePost],
) -> tuple[dict[uuid.UUID, Standing], dict[uuid.UUID, set[uuid.UUID]]]:
    """Each person's standing and the assignments they are on: four statements in all."""
    ids = [post.ref.id for post in posts]
    profiles = await repository.latest_scores(session, org_id, ids)
    scores = {
        employee_id: {figure["competency_id"]: figure["score"] for figure in row["figures"]}
        for employee_id, row in profiles.items()
    }
    targets = {
        post.ref.id: (post.position.id, post.department.id)
        for post in posts
        if post.position is not None
    }
    models = await repository.models_for(session, org_id, list(set(targets.values())))
    loads = await stretch_repository.loads(session, org_id, ids)
    pools = await _pools(session, org_id, ids)
    standings = {
        post.ref.id: Standing(
            scores=scores.get(post.ref.id, {}),
            model=_required_levels(
                models.get(targets[post.ref.id]) if post.ref.id in targets else None
            ),
            load=loads.get(post.ref.id, (0, set()))[0],
            pools=list(pools.get(post.ref.id, [])),
        )
        for post in posts
    }
    return standings, {post.ref.id: loads.get(post.ref.id, (0, set()))[1] for post in posts}


async def candidates(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    settings: Settings,
    limit: int,
) -> CandidateMatchesOut:
    """For an editor of the assignment (404 outside what they read, 403 when they only
    read it): the people of its department they may see, best first; not those already on
    it, nor the caller (nobody assigns themself)."""
    assignment = await stretch_access.writable_assignment(
        session, principal, assignment_id, for_update=False
    )
    subtree = await org.subtree_ids(session, principal.org_id, assignment.department_id)
    reach = await people.visible_employee_ids(session, principal)
    posts = await people.active_posts_in(session, principal.org_id, subtree, reach)
    standings, on = await _standings(session, principal.org_id, posts)
    levels = await repository.competency_levels(
        session, principal.org_id, [uuid.UUID(e["competency_id"]) for e in assignment.competencies]
    )
    weights = {str(key): value for key, value in settings.stretch_match_weights.items()}
    most = settings.stretch_max_concurrent_assignments
    ranked: list[dict[str, Any]] = []
    for post in posts:
        if assignment.id in on[post.ref.id] or post.ref.id == principal.employee_id:
            continue
        standing = standings[post.ref.id]
        lines = _competency_fit(assignment.competencies, levels, standing)
        total, factors = score(lines, standing, weights, most)
        ranked.append(
            {
                "employee_id": post.ref.id,
                "employee": {"id": post.ref.id, "name": post.ref.name},
                "score": total,
                "factors": factors,
                "competencies": lines,
                "open_assignments": standing.load,
                "at_capacity": standing.load >= most,
                "pools": standing.pools,
            }
        )
    ranked.sort(key=_best_first)
    items = [item | {"rank": index} for index, item in enumerate(ranked[:limit], start=1)]
    return CandidateMatchesOut.model_validate(
        {
            "assignment_id": assignment.id,
            "assignment": {"id": assignment.id, "name": assignment.title},
            "candidates": len(ranked),
            "items": items,
        }
    )


async def my_matches(
    session: AsyncSession, principal: Principal, settings: Settings, limit: int
) -> AssignmentMatchesOut:
    """The open assignments of the caller's department and those above it, best first for
    their gaps; not those they are on already. 404 for an account without an employee."""
    employee = await people.require_employee(session, principal.org_id, own_employee_id(principal))
    return await _matches_of(session, principal.org_id, employee, settings, limit)


async def matches_of(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    settings: Settings,
    limit: int,
) -> AssignmentMatchesOut:
    """Someone's matches as they read them themself, for whoever may see them (HR, their
    managers, their department head, themself; 404 otherwise): what the person could take
    on, whoever asks."""
    employee = await people.ensure_can_view(session, principal, employee_id)
    return await _matches_of(session, principal.org_id, employee, settings, limit)


async def _matches_of(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee: people.EmployeeInfo,
    settings: Settings,
    limit: int,
) -> AssignmentMatchesOut:
    """The open assignments of the person's department and those above it that they are not
    on, best first for their gaps, with their load and pools."""
    paths = await org.department_paths(session, org_id, [employee.department_id])
    departments = [
        uuid.UUID(part) for part in paths.get(employee.department_id, "").split("/") if part
    ]
    assignments = await stretch_repository.open_assignments_in(session, org_id, departments)
    post = people.EmployeePost(
        Ref(id=employee.id, name=employee.full_name),
        Ref(id=employee.department_id, name=""),
        Ref(id=employee.position_id, name="") if employee.position_id else None,
    )
    standings, on = await _standings(session, org_id, [post])
    standing = standings[employee.id]
    open_ones = [row for row in assignments if row.id not in on[employee.id]]
    ranked = await _ranked_assignments(session, org_id, open_ones, standing, settings)
    most = settings.stretch_max_concurrent_assignments
    return AssignmentMatchesOut.model_validate(
        {
            "employee_id": employee.id,
            "employee": {"id": employee.id, "name": employee.full_name},
            "open_assignments": standing.load,
            "at_capacity": standing.load >= most,
            "pools": standing.pools,
            "items": [item | {"rank": index} for index, item in enumerate(ranked[:limit], start=1)],
        }
    )


async def _ranked_assignments(
    session: AsyncSession,
    org_id: uuid.UUID,
    assignments: Sequence[StretchAssignment],
    standing: Standing,
    settings: Settings,
) -> list[dict[str, Any]]:
    competency_ids = {
        uuid.UUID(entry["competency_id"]) for row in assignments for entry in row.competencies
    }
    levels = await repository.competency_levels(session, org_id, list(competency_ids))
    departments = await org.department_refs(
        session, org_id, list({row.department_id for row in assignments})
    )
    weights = {str(key): value for key, value in settings.stretch_match_weights.items()}
    most = settings.stretch_max_concurrent_assignments
    ranked: list[dict[str, Any]] = []
    for row in assignments:
        lines = _competency_fit(row.competencies, levels, standing)
        total, factors = score(lines, standing, weights, most)
        ranked.append(
            {
                "assignment_id": row.id,
                "assignment": {"id": row.id, "name": row.title},
                "department_id": row.department_id,
                "department": departments[row.department_id],
                "starts_on": row.starts_on,
                "ends_on": row.ends_on,
                "score": total,
                "factors": factors,
                "competencies": lines,
            }
        )
    ranked.sort(key=_best_first)
    return ranked
