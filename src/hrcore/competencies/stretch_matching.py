"""Matching stretch assignments and people, both ways, explained.

For an assignment: the active people of its department (and those under it) the caller
may see, ranked. For a person: the open assignments of their department and those above it.
Each pair scores four factors (`match_scoring`: gap fit, readiness, load, pool); talent owns
pools and sits above competencies: it answers through `PoolMembershipProvider`, declared in
its registry.

A ranking scores every pair as bare numbers and explains only the page it answers: the
explanation is built from the same numbers, so a shown score is the one its rank came from.
Every read is set-based: a fixed number of statements however many people or assignments."""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository, roster, stretch_access, stretch_repository
from hrcore.competencies.levels import on_scale
from hrcore.competencies.match_scoring import (
    Developed,
    Fit,
    Weights,
    developed,
    explained_factors,
    explained_lines,
    fit,
    fits,
    total,
    values,
)
from hrcore.competencies.stretch_schemas import AssignmentMatchesOut, CandidateMatchesOut
from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.db import plan_for_these_values
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read, note_reads
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.settings import Settings

PoolMemberships = Callable[
    [AsyncSession, uuid.UUID, Sequence[uuid.UUID]], Awaitable[Mapping[uuid.UUID, list[Ref]]]
]
PoolMembers = Callable[[AsyncSession, uuid.UUID], Awaitable[list[uuid.UUID]]]
_POOLS: list[tuple[PoolMemberships, PoolMembers]] = []


@dataclass(frozen=True)
class PoolMembershipProvider:
    """Talent's declaration (a `core.registry` hook): the active pools of each employee, and
    every employee with an active membership (for a ranking over a whole organization,
    which scores the pool factor in its own statement), each in one statement."""

    source: PoolMemberships
    members: PoolMembers

    def install(self) -> None:
        _POOLS[:] = [(self.source, self.members)]


def _talent() -> tuple[PoolMemberships, PoolMembers]:
    if not _POOLS:
        raise RuntimeError("No pool membership source: install hrcore.domains.DOMAINS")
    return _POOLS[0]


async def _pools(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> Mapping[uuid.UUID, list[Ref]]:
    source, _members = _talent()
    if not employee_ids:
        return {}
    return await source(session, org_id, employee_ids)


@dataclass(frozen=True)
class Standings:
    """What matching knows of many people: each one's scores, the required levels of the
    model of each post, their open assignments, every assignment they are on, and pools."""

    scores: Mapping[uuid.UUID, Mapping[str, float]]
    models: Mapping[repository.Target, Mapping[str, int]]
    """Required level per competency id, by (position, department): the variant first."""
    loads: Mapping[uuid.UUID, tuple[int, set[uuid.UUID]]]
    pools: Mapping[uuid.UUID, list[Ref]]

    def model_of(
        self, position_id: uuid.UUID | None, department_id: uuid.UUID
    ) -> Mapping[str, int]:
        return self.models.get((position_id, department_id), {}) if position_id else {}

    def load_of(self, employee_id: uuid.UUID) -> int:
        return self.loads.get(employee_id, (0, set()))[0]


_NONE: Mapping[str, float] = {}


async def _standings(
    session: AsyncSession,
    org_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
    targets: set[tuple[uuid.UUID, uuid.UUID]],
) -> Standings:
    """Four statements in all, however many people."""
    profiles = await repository.latest_scores(session, org_id, ids)
    models = await repository.models_for(session, org_id, list(targets))
    return Standings(
        scores={
            employee_id: {figure["competency_id"]: figure["score"] for figure in row["figures"]}
            for employee_id, row in profiles.items()
        },
        models={
            target: {entry["competency_id"]: entry["required_level"] for entry in row["entries"]}
            for target, row in models.items()
        },
        loads=await stretch_repository.loads(session, org_id, ids),
        pools=await _pools(session, org_id, ids),
    )


async def candidates(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    settings: Settings,
    limit: int,
) -> CandidateMatchesOut:
    """For an editor of the assignment (404 outside what they read, 403 when they only
    read it): the people of its department they may see, best first; not those already on
    it, nor the caller (nobody assigns themself).

    The database reads the candidates from competencies' roster (`roster`; anyone it has
    not seen is read from people first), scores every one and answers the band that may
    hold the page (`stretch_repository.rank_people`); the band is scored exactly here, by
    the rule that explains the page, so the page is the head of the exact ranking: a
    candidate left out trails at least `limit` others whatever the rounding."""
    assignment = await stretch_access.writable_assignment(
        session, principal, assignment_id, for_update=False
    )
    await plan_for_these_values(session, stretch_repository.RANKING_MEMORY)
    subtree = await org.subtree_ids(session, principal.org_id, assignment.department_id)
    reach = await people.visible_employee_ids(session, principal)
    await roster.fill_in(session, principal.org_id)
    levels = await repository.competency_levels(
        session, principal.org_id, [uuid.UUID(e["competency_id"]) for e in assignment.competencies]
    )
    competencies = developed(assignment.competencies, levels)
    weights = Weights.of(settings)
    _source, members = _talent()
    band = await stretch_repository.rank_people(
        session,
        len(competencies),
        principal.org_id,
        subtree,
        reach,
        [item.competency_id for item in competencies],
        [item.levels for item in competencies],
        _scales(competencies),
        [item.start for item in competencies],
        assignment.id,
        principal.employee_id,
        await members(session, principal.org_id),
        list(weights.shares),
        weights.total,
        weights.most,
        limit,
        _margin(competencies, weights),
    )
    ranked = []
    for index, row in enumerate(band):
        lines = [
            fit(item.start, required, current)
            for item, required, current in zip(
                competencies, row["required"], row["currents"], strict=True
            )
        ]
        factor_values = values(lines, row["load"], row["pooled"], weights.most)
        ranked.append((-total(factor_values, weights), index, lines, row["load"]))
    page = heapq.nsmallest(limit, ranked)
    named = [band[index]["employee_id"] for _score, index, *_ in page]
    note_reads(principal, named, DataClass.EVALUATION, "stretch_assignment_match")
    names = await people.employee_refs(session, principal.org_id, named)
    pools = await _pools(session, principal.org_id, named)
    items = []
    for rank, (_score, index, lines, load) in enumerate(page, start=1):
        employee_id = band[index]["employee_id"]
        factor_values = values(lines, load, band[index]["pooled"], weights.most)
        items.append(
            {
                "rank": rank,
                "employee_id": employee_id,
                "employee": names[employee_id],
                "score": total(factor_values, weights),
                "factors": explained_factors(factor_values, weights),
                "competencies": explained_lines(competencies, lines),
                "open_assignments": load,
                "at_capacity": load >= weights.most,
                "pools": list(pools.get(employee_id, [])),
            }
        )
    return CandidateMatchesOut.model_validate(
        {
            "assignment_id": assignment.id,
            "assignment": {"id": assignment.id, "name": assignment.title},
            "candidates": band[0]["candidates"] if band else 0,
            "items": items,
        }
    )


def _scales(competencies: Sequence[Developed]) -> list[list[float]]:
    """Each competency's levels on the 0–10 scale (a row per competency, as long as the
    longest; a row's tail repeats its top level), so the database reads the very figures the
    explanation shows."""
    longest = max((item.levels for item in competencies), default=0)
    return [
        [on_scale(level, item.levels) for level in range(1, longest + 1)] for item in competencies
    ]


def _margin(competencies: Sequence[Developed], weights: Weights) -> float:
    """Twice the most the database's score can stray from the exact one: a gap rounded to
    hundredths moves gap fit by at most 0.005 / the smallest requirement, each of the four
    points and their sum move by at most 0.005."""
    if not weights.total:
        return 0.0
    smallest = min((on_scale(1, item.levels) for item in competencies), default=0.0)
    gap_fit = 0.005 / smallest * weights.shares[0] / weights.total * 100 if smallest else 0.0
    return 2 * (gap_fit + 5 * 0.005) + 1e-6


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
    note_read(principal, employee.id, DataClass.EVALUATION, "stretch_assignment_match")
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
    targets = {(employee.position_id, employee.department_id)} if employee.position_id else set()
    standings = await _standings(session, org_id, [employee.id], targets)
    load, on = standings.loads.get(employee.id, (0, set()))
    pools = list(standings.pools.get(employee.id, []))
    weights = Weights.of(settings)
    scores = standings.scores.get(employee.id, _NONE)
    model = standings.model_of(employee.position_id, employee.department_id)
    levels = await repository.library_levels(session, org_id)
    band = await stretch_repository.rank_assignments(
        session,
        org_id,
        departments,
        list(on),
        *_terms(levels, scores, model),
        list(weights.shares[:2]),
        weights.total,
        limit,
        2 * (5 * 0.005) + 1e-6,
    )
    best = await _best_assignments(
        session,
        org_id,
        band,
        scores,
        model,
        levels,
        values_of=lambda lines: values(lines, load, bool(pools), weights.most),
        weights=weights,
        limit=limit,
    )
    return AssignmentMatchesOut.model_validate(
        {
            "employee_id": employee.id,
            "employee": {"id": employee.id, "name": employee.full_name},
            "open_assignments": load,
            "at_capacity": load >= weights.most,
            "pools": pools,
            "items": best,
        }
    )


def _terms(
    levels: Mapping[uuid.UUID, tuple[str, int]],
    scores: Mapping[str, float],
    model: Mapping[str, int],
) -> tuple[list[uuid.UUID], list[int], list[int], list[float], list[float]]:
    """One person's fit of every (competency, start level) of the library as the database
    sums it per assignment (`stretch_repository.RANK_ASSIGNMENTS`): the competency, the start
    level, its number of levels, the gap term and the readiness term — what `values` adds up
    for each line, from the very lines the explanation shows."""
    terms: tuple[list[uuid.UUID], list[int], list[int], list[float], list[float]] = (
        [],
        [],
        [],
        [],
        [],
    )
    for competency_id, (_name, count) in levels.items():
        for start_level in range(1, count + 1):
            resolved = developed(
                [{"competency_id": str(competency_id), "start_level": start_level}], levels
            )
            ((start, required, current, gap),) = fits(resolved, scores, model)
            terms[0].append(competency_id)
            terms[1].append(start_level)
            terms[2].append(count)
            terms[3].append(gap / required if required else 0.0)
            terms[4].append(min((current or 0.0) / start, 1.0))
    return terms


async def _best_assignments(
    session: AsyncSession,
    org_id: uuid.UUID,
    assignments: Sequence[Any],
    scores: Mapping[str, float],
    model: Mapping[str, int],
    levels: Mapping[uuid.UUID, tuple[str, int]],
    *,
    values_of: Callable[[list[Fit]], tuple[float, float, float, float]],
    weights: Weights,
    limit: int,
) -> list[dict[str, Any]]:
    """The best `limit` of the assignments (the database's band) for one person, scored
    exactly and explained. One person's fit of a competency depends only on its start level,
    so each (competency, start level) pair is fitted once however many assignments name
    it."""
    fitted: dict[tuple[str, int], tuple[Developed, Fit] | None] = {}
    ranked: list[tuple[float, int, list[Developed], list[Fit]]] = []
    for index, row in enumerate(assignments):
        competencies: list[Developed] = []
        lines: list[Fit] = []
        for entry in row["competencies"]:
            key = (entry["competency_id"], entry["start_level"])
            if key not in fitted:
                resolved = developed([entry], levels)
                fitted[key] = (resolved[0], fits(resolved, scores, model)[0]) if resolved else None
            pair = fitted[key]
            if pair is not None:
                competencies.append(pair[0])
                lines.append(pair[1])
        ranked.append((-total(values_of(lines), weights), index, competencies, lines))
    best = heapq.nsmallest(limit, ranked, key=lambda item: (item[0], item[1]))
    departments = await org.department_refs(
        session, org_id, list({assignments[index]["department_id"] for _s, index, *_ in best})
    )
    items = []
    for rank, (_score, index, competencies, lines) in enumerate(best, start=1):
        row = assignments[index]
        factor_values = values_of(lines)
        items.append(
            {
                "rank": rank,
                "assignment_id": row["id"],
                "assignment": {"id": row["id"], "name": row["title"]},
                "department_id": row["department_id"],
                "department": departments[row["department_id"]],
                "starts_on": row["starts_on"],
                "ends_on": row["ends_on"],
                "score": total(factor_values, weights),
                "factors": explained_factors(factor_values, weights),
                "competencies": explained_lines(competencies, lines),
            }
        )
    return items
