"""Succession: vacancies, ranked candidates, appointments and the pool measures.

Who may do what: HR admins open vacancies, appoint and read the measures; department heads
read the vacancies of their department subtree and the candidates in their reach; everyone
else sees no vacancy (404) but reads their own standing at `/me/vacancy-rankings` (the
right to an explanation): their own factors, never another candidate's.

A vacancy opens by hand or by itself when the holder of a management position
(`is_management`) exits or is promoted away; one vacancy per position is open at a time.
Appointing records a promotion through people (so contracts drafts the amendment), fills
the vacancy, marks the membership `appointed` and keeps the explanation shown at the time.

Program completion comes from `programs.api`, imported at module level: programs
imports `talent.service` (never this module), and `talent.service` does not import
succession, so the module graph has no cycle — only the packages depend on each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.pagination import (
    OFFSET,
    PageParams,
    decode_cursor,
    encode_cursor,
    paginate,
)
from hrcore.core.schemas import Ref, window_error
from hrcore.identity import service as identity
from hrcore.org import api as org
from hrcore.people import service as people
from hrcore.people.schemas import EmploymentEventCreate
from hrcore.programs import api as programs
from hrcore.reviews import service as reviews
from hrcore.talent import ranking, repository
from hrcore.talent.models import (
    MemberStatus,
    Readiness,
    TalentPoolMember,
    Vacancy,
    VacancyAppointment,
    VacancyReason,
    VacancyStatus,
)
from hrcore.talent.schemas import (
    AppointmentIn,
    AppointmentOut,
    CandidateOut,
    FactorOut,
    MyRankingOut,
    PoolMeasuresOut,
    VacancyCancelIn,
    VacancyIn,
    VacancyOut,
)

OPEN_VACANCY_JOB = "talent.open_vacancy_for_vacated_post"
events.subscribe(people.EMPLOYMENT_EVENT_RECORDED, OPEN_VACANCY_JOB)
AUTOMATIC_REASONS = {"exit": VacancyReason.HOLDER_LEFT, "promotion": VacancyReason.HOLDER_PROMOTED}
"""Employment events that open a vacancy on the post they vacate, and the reason recorded."""


# --- access -------------------------------------------------------------------------------


def _require_vacancy_reader(principal: Principal) -> None:
    if not (principal.is_hr_admin or principal.is_dept_head):
        raise Forbidden("Only HR admins and department heads see vacancies")


async def _department_scope(session: AsyncSession, principal: Principal) -> Select[Any] | None:
    """The departments whose vacancies the caller sees: HR all (None), heads their subtree."""
    if principal.is_hr_admin:
        return None
    if principal.is_dept_head and principal.department_scope is not None:
        return await org.subtree_ids(session, principal.org_id, principal.department_scope)
    raise NotFound("No such vacancy")


async def _vacancy(
    session: AsyncSession, principal: Principal, vacancy_id: uuid.UUID, *, for_update: bool = False
) -> Vacancy:
    """The vacancy in the caller's reach, or 404; integration keys read no vacancies (403)."""
    principal.require_key_scope(None)
    scope = await _department_scope(session, principal)
    vacancy = await repository.vacancy_by_id(
        session, principal.org_id, vacancy_id, for_update=for_update
    )
    if vacancy is None:
        raise NotFound("No such vacancy")
    if scope is not None and not await repository.ids_within(
        session, scope, [vacancy.department_id]
    ):
        raise NotFound("No such vacancy")
    return vacancy


# --- vacancies ----------------------------------------------------------------------------


async def list_vacancies(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    status: VacancyStatus | None,
    position_id: uuid.UUID | None,
) -> tuple[list[Vacancy], str | None]:
    _require_vacancy_reader(principal)
    statement = repository.vacancies_query(
        principal.org_id,
        status=status.value if status else None,
        position_id=position_id,
        department_ids=await _department_scope(session, principal),
    )
    return await paginate(session, statement, [Vacancy.id], page, descending=True)


async def get_vacancy(
    session: AsyncSession, principal: Principal, vacancy_id: uuid.UUID
) -> Vacancy:
    return await _vacancy(session, principal, vacancy_id)


async def create_vacancy(
    session: AsyncSession, principal: Principal, body: VacancyIn, clock: Clock
) -> Vacancy:
    """Open a vacancy by hand; 409 when the position has an open one."""
    require_hr_admin(principal)
    position = await org.require_position(session, principal.org_id, body.position_id)
    department_id = body.department_id or position.department_id
    if body.department_id is not None:
        await org.require_department(session, principal.org_id, body.department_id)
    vacancy = await repository.insert_open_vacancy(
        session,
        _open_values(principal.org_id, position.id, department_id, VacancyReason.MANUAL, clock)
        | {"note": body.note, "opened_by": principal.id},
    )
    if vacancy is None:
        raise Conflict("This position has an open vacancy")
    _audit_opened(session, principal, vacancy)
    return vacancy


async def cancel_vacancy(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    body: VacancyCancelIn,
    clock: Clock,
    *,
    if_match: str | None,
) -> Vacancy:
    """Close an open vacancy without an appointment (HR admin); 409 once filled or cancelled.
    The position may then get a new vacancy."""
    require_hr_admin(principal)
    vacancy = await _vacancy(session, principal, vacancy_id, for_update=True)
    check_version(vacancy.version, if_match=if_match, body_version=body.version)
    if vacancy.status != VacancyStatus.OPEN.value:
        raise Conflict(f"This vacancy is {vacancy.status}")
    vacancy.status, vacancy.closed_at = VacancyStatus.CANCELLED.value, clock.now()
    vacancy.cancel_reason = body.reason
    await session.flush()
    audit.record(
        session,
        principal,
        "vacancy.cancelled",
        "vacancy",
        vacancy.id,
        org_id=vacancy.org_id,
        before={"status": VacancyStatus.OPEN.value},
        after={"status": vacancy.status, "reason": body.reason},
    )
    return vacancy


def _open_values(
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    department_id: uuid.UUID,
    reason: VacancyReason,
    clock: Clock,
) -> dict[str, Any]:
    return {
        "org_id": org_id,
        "position_id": position_id,
        "department_id": department_id,
        "status": VacancyStatus.OPEN.value,
        "reason": reason.value,
        "opened_at": clock.now(),
    }


def _audit_opened(session: AsyncSession, principal: Principal | None, vacancy: Vacancy) -> None:
    audit.record(
        session,
        principal,
        "vacancy.opened",
        "vacancy",
        vacancy.id,
        org_id=vacancy.org_id,
        after={
            "position_id": str(vacancy.position_id),
            "department_id": str(vacancy.department_id),
            "reason": vacancy.reason,
            "vacated_by": str(vacancy.vacated_by) if vacancy.vacated_by else None,
        },
    )


async def open_vacancy_for_vacated_post(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID, clock: Clock
) -> Vacancy | None:
    """The worker's reaction to an employment event: an exit or promotion off a management
    post opens its vacancy. Idempotent: once per event, and never a second open one."""
    post = await people.vacated_post(session, org_id, event_id)
    if post is None or post.kind not in AUTOMATIC_REASONS:
        return None
    position = await org.require_position(session, org_id, post.position_id)
    if not position.is_management:
        return None
    reason = AUTOMATIC_REASONS[post.kind]
    values = _open_values(
        org_id, position.id, post.department_id or position.department_id, reason, clock
    )
    vacancy = await repository.insert_open_vacancy(
        session, values | {"vacated_by": post.employee_id, "source_event_id": event_id}
    )
    if vacancy is not None:
        _audit_opened(session, None, vacancy)
    return vacancy


async def vacancy_views(
    session: AsyncSession, org_id: uuid.UUID, vacancies: Sequence[Vacancy]
) -> list[VacancyOut]:
    """Views of many vacancies in three queries (positions, appointments, appointees)."""
    positions = await org.position_refs(session, org_id, [v.position_id for v in vacancies])
    appointments = await repository.appointments_of(session, org_id, [v.id for v in vacancies])
    appointees = await people.employee_summaries(
        session, org_id, [a.employee_id for a in appointments.values()]
    )
    return [
        _vacancy_view(
            vacancy,
            positions[vacancy.position_id],
            _appointment_view(appointments.get(vacancy.id), appointees),
        )
        for vacancy in vacancies
    ]


def _vacancy_view(
    vacancy: Vacancy, position: Ref, appointment: AppointmentOut | None
) -> VacancyOut:
    return VacancyOut(
        id=vacancy.id,
        position=position,
        department_id=vacancy.department_id,
        status=VacancyStatus(vacancy.status),
        reason=VacancyReason(vacancy.reason),
        note=vacancy.note,
        vacated_by=vacancy.vacated_by,
        opened_at=vacancy.opened_at,
        closed_at=vacancy.closed_at,
        cancel_reason=vacancy.cancel_reason,
        appointment=appointment,
        version=vacancy.version,
    )


def _appointment_view(
    appointment: VacancyAppointment | None, appointees: dict[uuid.UUID, people.EmployeeSummary]
) -> AppointmentOut | None:
    if appointment is None:
        return None
    return AppointmentOut(
        employee=appointees[appointment.employee_id].ref,
        member_id=appointment.member_id,
        employment_event_id=appointment.employment_event_id,
        effective_date=appointment.effective_date,
        reason=appointment.reason,
        override_reason=appointment.override_reason,
        ranking=CandidateOut.model_validate(appointment.ranking) if appointment.ranking else None,
        appointed_at=appointment.appointed_at,
    )


# --- ranking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Standing:
    """One active membership scored for a position."""

    member: TalentPoolMember
    position_id: uuid.UUID
    pool: Ref
    employee: people.EmployeeSummary
    facts: ranking.CandidateFacts
    factors: list[ranking.FactorResult]
    score: float

    @property
    def eligible(self) -> bool:
        return self.member.readiness == Readiness.READY_NOW.value

    def sort_key(self) -> tuple[Any, ...]:
        """Best first: score, readiness, longer in the pool, then name for a stable order."""
        return (
            -self.score,
            ranking.readiness_rank(self.member.readiness),
            -self.facts.days_in_pool,
            self.employee.ref.name,
            self.employee.ref.id,
        )


async def _standings(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_ids: Sequence[uuid.UUID],
    clock: Clock,
    *,
    employee_id: uuid.UUID | None = None,
) -> list[_Standing]:
    """Score every active member of the pools targeting these positions or their job
    families, once per position a pool matches: one query for the positions' families, one
    for the members and their 9-box, one for the employees, one for their published reviews,
    one for their programs."""
    families = await org.position_families(session, org_id, position_ids)
    wanted = {family for family in families.values() if family is not None}
    rows = await repository.candidate_rows(
        session, org_id, position_ids, wanted, employee_id=employee_id
    )
    employee_ids = [row[0].employee_id for row in rows]
    employees = await people.employee_summaries(session, org_id, employee_ids)
    results = await reviews.latest_published_recommendations(session, org_id, employee_ids)
    programs_done = await programs.latest_completion_in_pools(
        session, org_id, [(row[0].employee_id, row[0].pool_id) for row in rows]
    )
    now = clock.now()
    standings: list[_Standing] = []
    for member, target_position, target_family, pool_name, performance, potential in rows:
        employee = employees[member.employee_id]
        if employee.status == "exited":
            continue
        recommendation, score, _ = results.get(member.employee_id, (None, None, None))
        facts = ranking.CandidateFacts(
            readiness=member.readiness,
            review_score=score,
            recommendation=recommendation,
            performance=performance,
            potential=potential,
            days_in_pool=(now - (member.activated_at or now)).days,
            program=_progress(programs_done.get((member.employee_id, member.pool_id))),
        )
        factors = ranking.explain(facts)
        standings.extend(
            _Standing(
                member=member,
                position_id=position_id,
                pool=Ref(id=member.pool_id, name=pool_name),
                employee=employee,
                facts=facts,
                factors=factors,
                score=ranking.total(factors),
            )
            for position_id in position_ids
            if position_id == target_position
            or (target_family is not None and families.get(position_id) == target_family)
        )
    return standings


def _progress(completion: programs.StageCompletion | None) -> ranking.ProgramProgress | None:
    if completion is None:
        return None
    return ranking.ProgramProgress(
        run_name=completion.run_name,
        completed=completion.status == "completed",
        stages=completion.stages,
        completed_stages=completion.completed_stages,
    )


def _ranked(standings: Sequence[_Standing], vacancy: Vacancy) -> list[_Standing]:
    """Best first, one entry per employee (their best membership), the leaver excluded."""
    best: dict[uuid.UUID, _Standing] = {}
    for standing in sorted(standings, key=_Standing.sort_key):
        if standing.employee.ref.id != vacancy.vacated_by:
            best.setdefault(standing.employee.ref.id, standing)
    return list(best.values())


def _factor_views(factors: Sequence[ranking.FactorResult]) -> list[FactorOut]:
    return [FactorOut.model_validate(factor, from_attributes=True) for factor in factors]


def _candidate_view(rank: int, standing: _Standing) -> CandidateOut:
    return CandidateOut(
        rank=rank,
        employee=standing.employee.ref,
        department_id=standing.employee.department_id,
        member_id=standing.member.id,
        pool=standing.pool,
        readiness=Readiness(standing.member.readiness) if standing.member.readiness else None,
        eligible=standing.eligible,
        score=standing.score,
        factors=_factor_views(standing.factors),
    )


async def _ranking(
    session: AsyncSession, org_id: uuid.UUID, vacancy: Vacancy, clock: Clock
) -> list[tuple[int, _Standing]]:
    """Every candidate with their rank; views are built only for those shown."""
    standings = await _standings(session, org_id, [vacancy.position_id], clock)
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
    vacancy = await _vacancy(session, principal, vacancy_id)
    candidates = await _ranking(session, principal.org_id, vacancy, clock)
    scope = await people.visible_employee_ids(session, principal)
    if scope is not None:
        ids = [standing.employee.ref.id for _, standing in candidates]
        visible = await repository.ids_within(session, scope, ids)
        candidates = [c for c in candidates if c[1].employee.ref.id in visible]
    start = _offset(page)
    end = start + page.limit
    views = [_candidate_view(rank, standing) for rank, standing in candidates[start:end]]
    return views, encode_cursor([end]) if end < len(candidates) else None


async def my_rankings(
    session: AsyncSession, principal: Principal, page: PageParams, clock: Clock
) -> tuple[list[MyRankingOut], str | None]:
    """The caller's own factors for each open vacancy they are a candidate for."""
    if principal.employee_id is None:
        return [], None
    targeted, families = repository.member_targets(principal.org_id, principal.employee_id)
    statement = repository.open_vacancies_of(
        principal.org_id, targeted, org.positions_in_families(principal.org_id, families)
    )
    vacancies, cursor = await paginate(session, statement, [Vacancy.id], page, descending=True)
    standings = await _standings(
        session,
        principal.org_id,
        [v.position_id for v in vacancies],
        clock,
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


def _my_view(vacancy: Vacancy, position: Ref, standing: _Standing) -> MyRankingOut:
    return MyRankingOut(
        vacancy_id=vacancy.id,
        position=position,
        pool=standing.pool,
        readiness=Readiness(standing.member.readiness) if standing.member.readiness else None,
        eligible=standing.eligible,
        score=standing.score,
        factors=_factor_views(standing.factors),
    )


# --- appointment --------------------------------------------------------------------------


async def appoint(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    body: AppointmentIn,
    clock: Clock,
) -> Vacancy:
    """Fill the vacancy: the promotion event (contracts drafts the amendment from it), the
    membership appointed, the explanation kept. Ineligible appointees need an override."""
    require_hr_admin(principal)
    vacancy = await _vacancy(session, principal, vacancy_id, for_update=True)
    employee = await people.ensure_can_view(session, principal, body.employee_id)
    if vacancy.status != VacancyStatus.OPEN.value:
        raise Conflict(f"This vacancy is {vacancy.status}")
    if employee.status == "exited":
        raise Unprocessable(
            "Only current employees can be appointed",
            errors=[FieldError(field="employee_id", message="the employee has left")],
        )
    candidates = await _ranking(session, principal.org_id, vacancy, clock)
    candidate = next(
        (_candidate_view(*c) for c in candidates if c[1].employee.ref.id == employee.id), None
    )
    _require_eligible_or_override(candidate, body)
    event = await people.add_event(
        session,
        principal,
        employee.id,
        EmploymentEventCreate(
            kind="promotion",
            effective_date=body.effective_date,
            position_id=vacancy.position_id,
            department_id=vacancy.department_id,
            note=body.reason,
        ),
    )
    now = clock.now()
    vacancy.status, vacancy.closed_at = VacancyStatus.FILLED.value, now
    if candidate is not None:
        await _mark_appointed(session, principal, candidate.member_id, now)
    session.add(
        VacancyAppointment(
            org_id=principal.org_id,
            vacancy_id=vacancy.id,
            employee_id=employee.id,
            member_id=candidate.member_id if candidate else None,
            employment_event_id=event.id,
            effective_date=body.effective_date,
            reason=body.reason,
            override_reason=body.override_reason,
            ranking=candidate.model_dump(mode="json") if candidate else None,
            appointed_by=principal.id,
            appointed_at=now,
        )
    )
    await session.flush()
    _audit_filled(session, principal, vacancy, body, event.id, candidate)
    return vacancy


def _require_eligible_or_override(candidate: CandidateOut | None, body: AppointmentIn) -> None:
    if body.override_reason is not None:
        return
    if candidate is None:
        why = "not an active member of a talent pool for this position"
    elif not candidate.eligible:
        readiness = candidate.readiness.value if candidate.readiness else "not assessed"
        why = f"readiness is {readiness}, not ready_now"
    else:
        return
    raise Unprocessable(
        f"The employee is not eligible: {why}; appointing needs an override_reason",
        errors=[FieldError(field="override_reason", message=f"required: {why}")],
    )


async def _mark_appointed(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, now: datetime
) -> None:
    await repository.end_memberships(
        session, [member_id], status=MemberStatus.APPOINTED.value, at=now
    )
    audit.record(
        session,
        principal,
        "talent_member.appointed",
        "talent_member",
        member_id,
        org_id=principal.org_id,
        before={"status": MemberStatus.ACTIVE.value},
        after={"status": MemberStatus.APPOINTED.value},
    )


def _audit_filled(
    session: AsyncSession,
    principal: Principal,
    vacancy: Vacancy,
    body: AppointmentIn,
    event_id: uuid.UUID,
    candidate: CandidateOut | None,
) -> None:
    audit.record(
        session,
        principal,
        "vacancy.filled",
        "vacancy",
        vacancy.id,
        org_id=vacancy.org_id,
        before={"status": VacancyStatus.OPEN.value},
        after={
            "status": vacancy.status,
            "employee_id": str(body.employee_id),
            "employment_event_id": str(event_id),
            "reason": body.reason,
            "override_reason": body.override_reason,
            "rank": candidate.rank if candidate else None,
            "score": candidate.score if candidate else None,
        },
    )


# --- measures -----------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def measures(
    session: AsyncSession,
    principal: Principal,
    clock: Clock,
    *,
    pool_id: uuid.UUID | None,
    period_from: date | None,
    period_to: date | None,
) -> PoolMeasuresOut:
    """Promotion rate, attrition, share filled from pools and median time to fill over a
    period (default: the last 365 days up to today), computed in SQL (HR admins)."""
    require_hr_admin(principal)
    if (
        pool_id is not None
        and await repository.pool_by_id(session, principal.org_id, pool_id) is None
    ):
        raise NotFound("No such talent pool")
    to = period_to or await people.org_today(session, principal.org_id, clock)
    since = period_from or to - timedelta(days=365)
    problem = window_error(since, to)
    if problem:
        raise Unprocessable(
            "The period is not one measures are computed over",
            errors=[FieldError(field="query.to", message=f"{problem} (`from`)")],
        )
    zone = ZoneInfo(await identity.org_timezone(session, principal.org_id))
    start = datetime.combine(since, time(), zone)
    end = datetime.combine(to + timedelta(days=1), time(), zone)
    members, appointed, left = await repository.membership_measures(
        session, principal.org_id, start, end, pool_id
    )
    filled, from_pools, median = await repository.vacancy_measures(
        session, principal.org_id, start, end, pool_id
    )
    return PoolMeasuresOut(
        pool_id=pool_id,
        period_from=since,
        period_to=to,
        members=members,
        appointed=appointed,
        left=left,
        promotion_rate=_ratio(appointed, members),
        attrition_rate=_ratio(left, members),
        vacancies_filled=filled,
        filled_from_pools=from_pools,
        filled_from_pools_share=_ratio(from_pools, filled),
        median_days_to_fill=round(median, 2) if median is not None else None,
    )
