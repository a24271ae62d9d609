"""Ranked candidates for a vacancy, and each employee's own standing.

The active members of the pools aimed at the vacancy's position (or its job family), and
the applicants to its internal competition, are scored by `ranking` and ranked best first,
one entry per employee (an applicant outside the pools has no readiness, 9-box, time in a
pool nor pool program: those factors explain that they found nothing). Department heads see the
candidates in their reach with the ranks they hold among all; an employee reads only their
own factors (`/me/vacancy-rankings`, the right to an explanation).

Program completion is a fact programs owns. Talent does not import programs (programs
depends on talent's pools): programs declares `ProgramCompletionProvider(its query)` among
its registry's providers, installed when the API, the worker or the CLI is built. The
competency match is competencies' (below talent): one batched `match_for_candidates`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.pagination import OFFSET, PageParams, decode_cursor, encode_cursor, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.reviews import api as reviews
from hrcore.talent import access, ranking, repository
from hrcore.talent.models import Readiness, TalentPoolMember, Vacancy
from hrcore.talent.schemas import CandidateOut, FactorOut, MyRankingOut


class StageCompletion(Protocol):
    """How far an employee got in their latest started program of a pool."""

    @property
    def run_name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def stages(self) -> int: ...
    @property
    def completed_stages(self) -> int: ...


ProgramCompletionSource = Callable[
    [AsyncSession, uuid.UUID, Sequence[tuple[uuid.UUID, uuid.UUID]]],
    Awaitable[Mapping[tuple[uuid.UUID, uuid.UUID], StageCompletion]],
]
"""For (employee, pool) pairs, their latest started participation in a run of that pool, in
one query; pairs without one are absent."""
_PROGRAM_COMPLETION: list[ProgramCompletionSource] = []


def provide_program_completion(source: ProgramCompletionSource) -> None:
    """Let programs answer the `program_completion` factor (the latest call wins)."""
    _PROGRAM_COMPLETION[:] = [source]


@dataclass(frozen=True)
class ProgramCompletionProvider:
    """Programs' declaration (a `core.registry.Hook`): it answers `program_completion`."""

    source: ProgramCompletionSource

    def install(self) -> None:
        provide_program_completion(self.source)


async def _program_completion(
    session: AsyncSession, org_id: uuid.UUID, pairs: Sequence[tuple[uuid.UUID, uuid.UUID]]
) -> Mapping[tuple[uuid.UUID, uuid.UUID], StageCompletion]:
    if not _PROGRAM_COMPLETION:
        raise RuntimeError("No program completion source: install hrcore.domains.DOMAINS")
    return await _PROGRAM_COMPLETION[0](session, org_id, pairs)


class Candidacy(Protocol):
    """What the ranking reads of a candidacy: a pool membership, or an application."""

    @property
    def employee_id(self) -> uuid.UUID: ...
    @property
    def pool_id(self) -> uuid.UUID | None: ...
    @property
    def readiness(self) -> str | None: ...
    @property
    def activated_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class Applicant:
    """An applicant to a competition who is in no pool for the position."""

    employee_id: uuid.UUID
    pool_id: uuid.UUID | None = None
    readiness: str | None = None
    activated_at: datetime | None = None


@dataclass(frozen=True)
class Standing:
    """One candidacy scored for a position: an active membership, or an application."""

    member: TalentPoolMember | None
    position_id: uuid.UUID
    pool: Ref | None
    employee: people.EmployeeSummary
    facts: ranking.CandidateFacts
    factors: list[ranking.FactorResult]
    score: float
    application_id: uuid.UUID | None = None

    @property
    def readiness(self) -> str | None:
        return self.member.readiness if self.member is not None else None

    @property
    def eligible(self) -> bool:
        """Ready now, or an applicant who met the competition's rules."""
        return self.readiness == Readiness.READY_NOW.value or self.application_id is not None

    def sort_key(self) -> tuple[Any, ...]:
        """Best first: score, readiness, longer in the pool, then name for a stable order."""
        return (
            -self.score,
            ranking.readiness_rank(self.readiness),
            -self.facts.days_in_pool,
            self.employee.ref.name,
            self.employee.ref.id,
        )


async def _standings(
    session: AsyncSession,
    org_id: uuid.UUID,
    posts: Mapping[uuid.UUID, uuid.UUID | None],
    clock: Clock,
    *,
    vacancy_ids: Sequence[uuid.UUID] = (),
    employee_id: uuid.UUID | None = None,
) -> list[Standing]:
    """Score every active member of the pools targeting these positions (each with the
    department of its seat, whose variant of the competency model applies) or their job
    families, once per position a pool matches, and every open application to these
    vacancies' competitions: one query for the positions' families, one for the members
    with their 9-box and the applicants, one for the employees, one for their published
    reviews, one for their programs, and competencies' batched match."""
    position_ids = list(posts)
    families = await org.position_families(session, org_id, position_ids)
    wanted = {family for family in families.values() if family is not None}
    rows = await repository.candidate_rows(
        session, org_id, position_ids, wanted, vacancy_ids=vacancy_ids, employee_id=employee_id
    )
    employees = await people.employee_summaries(session, org_id, [row[1] for row in rows])
    seats: list[Candidacy] = [row[0] or Applicant(employee_id=row[1]) for row in rows]
    all_facts = await facts_of(
        session,
        org_id,
        [(seat, row[5], row[6]) for seat, row in zip(seats, rows, strict=True)],
        clock,
    )
    applied = {(row[1], row[2]): row[7] for row in rows if row[7] is not None}
    matched = [
        (row, facts, position_id)
        for row, facts in zip(rows, all_facts, strict=True)
        if employees[row[1]].status != "exited"
        for position_id in position_ids
        if position_id == row[2] or (row[3] is not None and families.get(position_id) == row[3])
    ]
    scored = await with_competency(
        session, org_id, [(facts, row[1], (post, posts[post])) for row, facts, post in matched]
    )
    standings: list[Standing] = []
    for (row, _facts, position_id), facts in zip(matched, scored, strict=True):
        member, pool_name = row[0], row[4]
        factors = ranking.explain(facts)
        standings.append(
            Standing(
                member=member,
                position_id=position_id,
                pool=Ref(id=member.pool_id, name=pool_name) if member is not None else None,
                employee=employees[row[1]],
                facts=facts,
                factors=factors,
                score=ranking.total(factors),
                application_id=applied.get((row[1], position_id)),
            )
        )
    return standings


CompetencyTarget = tuple[uuid.UUID, uuid.UUID | None] | None
"""The position a candidate is measured for and the department whose variant of its model
applies; None when there is no position (a pool for a job family)."""


async def with_competency(
    session: AsyncSession,
    org_id: uuid.UUID,
    candidates: Sequence[tuple[ranking.CandidateFacts, uuid.UUID, CompetencyTarget]],
) -> list[ranking.CandidateFacts]:
    """Each candidate's facts with their competency match against the target's model, in
    competencies' one batched call (at most three statements whatever the candidates)."""
    wanted = [
        (employee_id, *target) for _facts, employee_id, target in candidates if target is not None
    ]
    fits = await competencies.match_for_candidates(session, org_id, wanted)
    return [
        replace(facts, competency=fits.get((employee_id, *target)) if target else None)
        for facts, employee_id, target in candidates
    ]


async def facts_of(
    session: AsyncSession,
    org_id: uuid.UUID,
    members: Sequence[tuple[Candidacy, str | None, str | None]],
    clock: Clock,
) -> list[ranking.CandidateFacts]:
    """What the ranking looks at for each candidacy (with its current 9-box performance and
    potential): one query for the published reviews, one for the programs."""
    employee_ids = [member.employee_id for member, _performance, _potential in members]
    results = await reviews.latest_published_recommendations(session, org_id, employee_ids)
    programs_done = await _program_completion(
        session,
        org_id,
        [
            (member.employee_id, member.pool_id)
            for member, *_levels in members
            if member.pool_id is not None
        ],
    )
    now = clock.now()
    facts = []
    for member, performance, potential in members:
        recommendation, score, _reason = results.get(member.employee_id, (None, None, None))
        facts.append(
            ranking.CandidateFacts(
                readiness=member.readiness,
                review_score=score,
                recommendation=recommendation,
                performance=performance,
                potential=potential,
                days_in_pool=(now - (member.activated_at or now)).days,
                program=_progress(programs_done.get((member.employee_id, member.pool_id)))
                if member.pool_id is not None
                else None,
            )
        )
    return facts


def _progress(completion: StageCompletion | None) -> ranking.ProgramProgress | None:
    if completion is None:
        return None
    return ranking.ProgramProgress(
        run_name=completion.run_name,
        completed=completion.status == "completed",
        stages=completion.stages,
        completed_stages=completion.completed_stages,
    )


def _ranked(standings: Sequence[Standing], vacancy: Vacancy) -> list[Standing]:
    """Best first, one entry per employee (their best membership), the leaver excluded."""
    best: dict[uuid.UUID, Standing] = {}
    for standing in sorted(standings, key=Standing.sort_key):
        if standing.employee.ref.id != vacancy.vacated_by:
            best.setdefault(standing.employee.ref.id, standing)
    return list(best.values())


def _factor_views(factors: Sequence[ranking.FactorResult]) -> list[FactorOut]:
    return [FactorOut.model_validate(factor, from_attributes=True) for factor in factors]


def candidate_view(rank: int, standing: Standing) -> CandidateOut:
    return CandidateOut(
        rank=rank,
        employee=standing.employee.ref,
        department_id=standing.employee.department_id,
        department=standing.employee.department,
        member_id=standing.member.id if standing.member is not None else None,
        pool=standing.pool,
        application_id=standing.application_id,
        readiness=Readiness(standing.readiness) if standing.readiness else None,
        eligible=standing.eligible,
        score=standing.score,
        factors=_factor_views(standing.factors),
    )


async def ranking_of(
    session: AsyncSession, org_id: uuid.UUID, vacancy: Vacancy, clock: Clock
) -> list[tuple[int, Standing]]:
    """Every candidate with their rank; views are built only for those shown."""
    standings = await _standings(
        session,
        org_id,
        {vacancy.position_id: vacancy.department_id},
        clock,
        vacancy_ids=[vacancy.id],
    )
    return list(enumerate(_ranked(standings, vacancy), start=1))


def _offset(page: PageParams) -> int:
    if page.cursor is None:
        return 0
    [offset] = decode_cursor(page.cursor, [OFFSET])
    return int(offset)


async def list_candidates(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    page: PageParams,
    clock: Clock,
) -> tuple[list[CandidateOut], str | None]:
    """The ranking (ranks over every candidate); department heads see those in their reach."""
    vacancy = await access.vacancy_in_reach(session, principal, vacancy_id)
    candidates = await ranking_of(session, principal.org_id, vacancy, clock)
    scope = await people.visible_employee_ids(session, principal)
    if scope is not None:
        visible = set(scope)
        candidates = [c for c in candidates if c[1].employee.ref.id in visible]
    start = _offset(page)
    end = start + page.limit
    views = [candidate_view(rank, standing) for rank, standing in candidates[start:end]]
    note_reads(principal, [v.employee.id for v in views], DataClass.EVALUATION, "vacancy_ranking")
    return views, encode_cursor([end]) if end < len(candidates) else None


async def my_rankings(
    session: AsyncSession, principal: Principal, page: PageParams, clock: Clock
) -> tuple[list[MyRankingOut], str | None]:
    """The caller's own factors for each open vacancy they are a candidate for."""
    if principal.employee_id is None:
        return [], None
    families = await repository.member_target_families(
        session, principal.org_id, principal.employee_id
    )
    statement = repository.open_vacancies_of(
        principal.org_id,
        repository.member_target_positions(principal.org_id, principal.employee_id),
        repository.applied_positions(principal.org_id, principal.employee_id),
        await org.positions_in_families(session, principal.org_id, families),
    )
    vacancies, cursor = await paginate(session, statement, [Vacancy.id], page, descending=True)
    standings = await _standings(
        session,
        principal.org_id,
        {v.position_id: v.department_id for v in vacancies},
        clock,
        vacancy_ids=[v.id for v in vacancies],
        employee_id=principal.employee_id,
    )
    positions = await org.position_refs(
        session, principal.org_id, [v.position_id for v in vacancies]
    )
    views: list[MyRankingOut] = []
    for vacancy in vacancies:
        mine = _ranked([s for s in standings if s.position_id == vacancy.position_id], vacancy)
        views.extend(_my_view(vacancy, positions[vacancy.position_id], s) for s in mine)
    return views, cursor


def _my_view(vacancy: Vacancy, position: Ref, standing: Standing) -> MyRankingOut:
    return MyRankingOut(
        vacancy_id=vacancy.id,
        position=position,
        pool=standing.pool,
        application_id=standing.application_id,
        readiness=Readiness(standing.readiness) if standing.readiness else None,
        eligible=standing.eligible,
        score=standing.score,
        factors=_factor_views(standing.factors),
    )
