"""Queries of talent pools, members, 9-box placements, vacancies and appointments.
Tenant tables are also under RLS."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Uuid,
    and_,
    extract,
    func,
    null,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.talent.models import (
    MemberChange,
    NineBoxPlacement,
    TalentPool,
    TalentPoolMember,
    Vacancy,
    VacancyApplication,
    VacancyAppointment,
)

OPEN_STATUSES = ("nominated", "active")


def pools_query(org_id: uuid.UUID, *, active: bool | None) -> Select[Any]:
    statement = select(TalentPool).where(TalentPool.org_id == org_id)
    if active is not None:
        statement = statement.where(TalentPool.active.is_(active))
    return statement


async def pool_by_id(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID
) -> TalentPool | None:
    return await session.scalar(
        select(TalentPool).where(TalentPool.org_id == org_id, TalentPool.id == pool_id)
    )


async def pool_by_name(session: AsyncSession, org_id: uuid.UUID, name: str) -> TalentPool | None:
    return await session.scalar(
        select(TalentPool).where(TalentPool.org_id == org_id, TalentPool.name == name)
    )


def members_query(
    org_id: uuid.UUID,
    pool_id: uuid.UUID,
    *,
    status: str | None,
    employee_ids: Collection[uuid.UUID] | None,
    readiness: str | None = None,
    open_only: bool = False,
) -> Select[Any]:
    """`open_only`: nominated and active members only (what a ranking ranks)."""
    statement = select(TalentPoolMember).where(
        TalentPoolMember.org_id == org_id, TalentPoolMember.pool_id == pool_id
    )
    if open_only:
        statement = statement.where(TalentPoolMember.status.in_(OPEN_STATUSES))
    if status is not None:
        statement = statement.where(TalentPoolMember.status == status)
    if readiness is not None:
        statement = statement.where(TalentPoolMember.readiness == readiness)
    if employee_ids is not None:
        statement = statement.where(among(TalentPoolMember.employee_id, employee_ids))
    return statement


async def member_by_id(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID, member_id: uuid.UUID
) -> TalentPoolMember | None:
    return await session.scalar(
        select(TalentPoolMember).where(
            TalentPoolMember.org_id == org_id,
            TalentPoolMember.pool_id == pool_id,
            TalentPoolMember.id == member_id,
        )
    )


async def member_by_key(
    session: AsyncSession, org_id: uuid.UUID, member_id: uuid.UUID
) -> TalentPoolMember | None:
    return await session.scalar(
        select(TalentPoolMember).where(
            TalentPoolMember.org_id == org_id, TalentPoolMember.id == member_id
        )
    )


def changes_query(org_id: uuid.UUID, member_id: uuid.UUID) -> Select[Any]:
    return select(MemberChange).where(
        MemberChange.org_id == org_id, MemberChange.member_id == member_id
    )


async def member_of(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID, employee_id: uuid.UUID
) -> TalentPoolMember | None:
    return await session.scalar(
        select(TalentPoolMember)
        .where(
            TalentPoolMember.org_id == org_id,
            TalentPoolMember.pool_id == pool_id,
            TalentPoolMember.employee_id == employee_id,
        )
        .with_for_update()
    )


async def open_members_of_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[TalentPoolMember]:
    rows = await session.scalars(
        select(TalentPoolMember)
        .where(
            TalentPoolMember.org_id == org_id,
            TalentPoolMember.employee_id == employee_id,
            TalentPoolMember.status.in_(OPEN_STATUSES),
        )
        .with_for_update()
    )
    return list(rows)


async def latest_placements(
    session: AsyncSession, org_id: uuid.UUID, member_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, NineBoxPlacement]:
    """Each member's current 9-box placement (the latest), in one query."""
    if not member_ids:
        return {}
    rows = await session.scalars(
        select(NineBoxPlacement)
        .where(
            NineBoxPlacement.org_id == org_id,
            NineBoxPlacement.member_id.in_(list(member_ids)),
        )
        .ext(distinct_on(NineBoxPlacement.member_id))
        .order_by(
            NineBoxPlacement.member_id,
            NineBoxPlacement.placed_at.desc(),
            NineBoxPlacement.id.desc(),
        )
    )
    return {row.member_id: row for row in rows}


async def end_memberships(
    session: AsyncSession,
    member_ids: Sequence[uuid.UUID],
    *,
    status: str,
    at: datetime,
    reason: str | None = None,
) -> None:
    """End these memberships (`reason`: why, when the system ended them)."""
    await session.execute(
        update(TalentPoolMember)
        .where(TalentPoolMember.id.in_(list(member_ids)))
        .values(
            status=status,
            ended_at=at,
            ended_reason=reason,
            version=TalentPoolMember.version + 1,
        )
        .execution_options(synchronize_session=False)
    )


# --- vacancies ------------------------------------------------------------------------------


def vacancies_query(
    org_id: uuid.UUID,
    *,
    status: str | None,
    position_id: uuid.UUID | None,
    department_ids: Sequence[uuid.UUID] | None,
) -> Select[Any]:
    statement = select(Vacancy).where(Vacancy.org_id == org_id)
    if status is not None:
        statement = statement.where(Vacancy.status == status)
    if position_id is not None:
        statement = statement.where(Vacancy.position_id == position_id)
    if department_ids is not None:
        statement = statement.where(among(Vacancy.department_id, department_ids))
    return statement


async def vacancy_by_id(
    session: AsyncSession, org_id: uuid.UUID, vacancy_id: uuid.UUID, *, for_update: bool = False
) -> Vacancy | None:
    statement = select(Vacancy).where(Vacancy.org_id == org_id, Vacancy.id == vacancy_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def insert_open_vacancy(session: AsyncSession, values: dict[str, Any]) -> Vacancy | None:
    """The new open vacancy, or None when its position has one open already (or its source
    event opened one before): the unique indexes decide, so concurrent callers cannot both win."""
    vacancy_id = await session.scalar(
        insert(Vacancy).values(**values).on_conflict_do_nothing().returning(Vacancy.id)
    )
    if vacancy_id is None:
        return None
    return await vacancy_by_id(session, values["org_id"], vacancy_id)


async def appointment_by_event(
    session: AsyncSession, org_id: uuid.UUID, employment_event_id: uuid.UUID
) -> VacancyAppointment | None:
    return await session.scalar(
        select(VacancyAppointment).where(
            VacancyAppointment.org_id == org_id,
            VacancyAppointment.employment_event_id == employment_event_id,
        )
    )


async def appointments_of(
    session: AsyncSession, org_id: uuid.UUID, vacancy_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, VacancyAppointment]:
    if not vacancy_ids:
        return {}
    rows = await session.scalars(
        select(VacancyAppointment).where(
            VacancyAppointment.org_id == org_id,
            VacancyAppointment.vacancy_id.in_(list(vacancy_ids)),
        )
    )
    return {row.vacancy_id: row for row in rows}


async def candidate_rows(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_ids: Sequence[uuid.UUID],
    families: Collection[str],
    *,
    vacancy_ids: Sequence[uuid.UUID] = (),
    employee_id: uuid.UUID | None = None,
) -> list[tuple[Any, ...]]:
    """Everyone ranked for these positions, in one statement: the active members of the
    pools targeting them or these job families, and the open applications to these
    vacancies' internal competitions. Rows `(member or None for an application, employee id,
    target position, target family, pool name, performance, potential, application id)`,
    with the member's current 9-box placement."""
    members = (
        select(
            TalentPoolMember.id.label("member_id"),
            TalentPoolMember.employee_id.label("employee_id"),
            TalentPool.target_position_id.label("position_id"),
            TalentPool.target_family.label("family"),
            TalentPool.name.label("pool_name"),
            null().cast(Uuid).label("application_id"),
        )
        .join(TalentPool, TalentPool.id == TalentPoolMember.pool_id)
        .where(
            TalentPoolMember.org_id == org_id,
            TalentPool.org_id == org_id,
            TalentPoolMember.status == "active",
            or_(
                TalentPool.target_position_id.in_(list(position_ids)),
                TalentPool.target_family.in_(list(families)),
            ),
        )
    )
    applicants = (
        select(
            null().cast(Uuid),
            VacancyApplication.employee_id,
            Vacancy.position_id,
            null().cast(String),
            null().cast(String),
            VacancyApplication.id,
        )
        .join(Vacancy, Vacancy.id == VacancyApplication.vacancy_id)
        .where(
            VacancyApplication.org_id == org_id,
            Vacancy.org_id == org_id,
            VacancyApplication.status == "applied",
            among(VacancyApplication.vacancy_id, vacancy_ids),
        )
    )
    if employee_id is not None:
        members = members.where(TalentPoolMember.employee_id == employee_id)
        applicants = applicants.where(VacancyApplication.employee_id == employee_id)
    seats = union_all(members, applicants).subquery("seats")
    placement = (
        select(NineBoxPlacement.performance, NineBoxPlacement.potential)
        .where(
            NineBoxPlacement.org_id == org_id,
            NineBoxPlacement.member_id == seats.c.member_id,
        )
        .order_by(NineBoxPlacement.placed_at.desc(), NineBoxPlacement.id.desc())
        .limit(1)
        .lateral()
    )
    statement = (
        select(
            TalentPoolMember,
            seats.c.employee_id,
            seats.c.position_id,
            seats.c.family,
            seats.c.pool_name,
            placement.c.performance,
            placement.c.potential,
            seats.c.application_id,
        )
        .select_from(seats)
        .outerjoin(
            TalentPoolMember,
            and_(TalentPoolMember.id == seats.c.member_id, TalentPoolMember.org_id == org_id),
        )
        .outerjoin(placement, true())
        .order_by(seats.c.member_id.nulls_last(), seats.c.application_id)
    )
    return [tuple(row) for row in await session.execute(statement)]


def _member_pools(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[Any]:
    statement: Select[Any] = (
        select(TalentPool.target_position_id, TalentPool.target_family)  # type: ignore[assignment]
        .join(TalentPoolMember, TalentPoolMember.pool_id == TalentPool.id)
        .where(
            TalentPool.org_id == org_id,
            TalentPoolMember.org_id == org_id,
            TalentPoolMember.employee_id == employee_id,
            TalentPoolMember.status == "active",
        )
    )
    return statement


def member_target_positions(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[Any]:
    """The positions targeted by pools the employee is an active member of, to embed."""
    memberships = _member_pools(org_id, employee_id).subquery()
    return select(memberships.c.target_position_id).where(
        memberships.c.target_position_id.is_not(None)
    )


async def member_target_families(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[str]:
    """The job families targeted by pools the employee is an active member of."""
    memberships = _member_pools(org_id, employee_id).subquery()
    found = await session.scalars(
        select(memberships.c.target_family)
        .where(memberships.c.target_family.is_not(None))
        .distinct()
    )
    return list(found)


def applied_positions(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[Any]:
    """The positions of the vacancies the employee has an open application to, to embed."""
    return (
        select(Vacancy.position_id)
        .join(VacancyApplication, VacancyApplication.vacancy_id == Vacancy.id)
        .where(
            Vacancy.org_id == org_id,
            VacancyApplication.org_id == org_id,
            VacancyApplication.employee_id == employee_id,
            VacancyApplication.status == "applied",
        )
    )


def open_vacancies_of(
    org_id: uuid.UUID, *position_ids: Select[Any] | Sequence[uuid.UUID]
) -> Select[Any]:
    """Open vacancies of the positions any of `position_ids` (selects or ids) yields."""
    return select(Vacancy).where(
        Vacancy.org_id == org_id,
        Vacancy.status == "open",
        or_(*(Vacancy.position_id.in_(ids) for ids in position_ids)),
    )


# --- measures -------------------------------------------------------------------------------


async def membership_measures(
    session: AsyncSession,
    org_id: uuid.UUID,
    start: datetime,
    end: datetime,
    pool_id: uuid.UUID | None,
) -> tuple[int, int, int]:
    """Memberships active at some time in [start, end), and how many of them were appointed
    or left within it."""
    member = TalentPoolMember
    ended_within = and_(member.ended_at >= start, member.ended_at < end)
    statement = select(
        func.count(),
        func.count().filter(member.status == "appointed", ended_within),
        func.count().filter(member.status == "left", ended_within),
    ).where(
        member.org_id == org_id,
        member.activated_at.is_not(None),
        member.activated_at < end,
        or_(member.ended_at.is_(None), member.ended_at >= start),
    )
    if pool_id is not None:
        statement = statement.where(member.pool_id == pool_id)
    members, appointed, left = (await session.execute(statement)).one()
    return int(members), int(appointed), int(left)


async def vacancy_measures(
    session: AsyncSession,
    org_id: uuid.UUID,
    start: datetime,
    end: datetime,
    pool_id: uuid.UUID | None,
) -> tuple[int, int, float | None]:
    """Vacancies filled in [start, end), how many by a pool member (of `pool_id` when given,
    among its target position's vacancies), and the median days from opening to filling."""
    appointment, member = VacancyAppointment, TalentPoolMember
    from_pool: ColumnElement[bool] = appointment.member_id.is_not(None)
    if pool_id is not None:
        from_pool = member.pool_id == pool_id
    days = extract("epoch", Vacancy.closed_at - Vacancy.opened_at) / 86400
    statement = (
        select(
            func.count(),
            func.count().filter(from_pool),
            func.percentile_cont(0.5).within_group(days),
        )
        .select_from(Vacancy)
        .outerjoin(appointment, appointment.vacancy_id == Vacancy.id)
        .outerjoin(member, member.id == appointment.member_id)
        .where(
            Vacancy.org_id == org_id,
            Vacancy.status == "filled",
            Vacancy.closed_at >= start,
            Vacancy.closed_at < end,
        )
    )
    if pool_id is not None:
        target = select(TalentPool.target_position_id).where(
            TalentPool.org_id == org_id, TalentPool.id == pool_id
        )
        statement = statement.where(Vacancy.position_id.in_(target))
    filled, from_pools, median = (await session.execute(statement)).one()
    return int(filled), int(from_pools), float(median) if median is not None else None


async def members_of_any_pool(session: AsyncSession, org_id: uuid.UUID) -> list[uuid.UUID]:
    """Every employee with an active membership of a pool, in one statement."""
    rows = await session.scalars(
        select(TalentPoolMember.employee_id)
        .where(TalentPoolMember.org_id == org_id, TalentPoolMember.status == "active")
        .distinct()
    )
    return list(rows)


async def active_pools_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> Sequence[tuple[uuid.UUID, uuid.UUID, str]]:
    """(employee, pool, pool name) of every active membership of these employees."""
    rows = await session.execute(
        select(TalentPoolMember.employee_id, TalentPool.id, TalentPool.name)
        .join(
            TalentPool,
            (TalentPool.id == TalentPoolMember.pool_id)
            & (TalentPool.org_id == TalentPoolMember.org_id),
        )
        .where(
            TalentPoolMember.org_id == org_id,
            TalentPoolMember.status == "active",
            among(TalentPoolMember.employee_id, employee_ids),
        )
        .order_by(TalentPool.name, TalentPool.id)
    )
    return [(employee_id, pool_id, name) for employee_id, pool_id, name in rows.all()]
