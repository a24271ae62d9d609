"""The demo's past year of succession, so the funnel and the vacancy fill have something to
show after the worker's first refresh: a reserve of senior engineers 「后备高级工程师」 whose
member (R&D platform) was appointed to a senior engineer's seat four months ago from the
pool, and a seat in R&D applications filled six weeks ago by the team's choice, outside any
pool (an override)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.people.models import Employee, EmploymentEvent
from hrcore.seed.company import Company
from hrcore.talent.models import (
    TalentPool,
    TalentPoolMember,
    Vacancy,
    VacancyAppointment,
    VacancyReason,
    VacancyStatus,
)


async def add_succession_history(session: AsyncSession, company: Company, clock: Clock) -> None:
    now = clock.now()
    pool = TalentPool(
        org_id=company.org_id,
        name="后备高级工程师 Reserve senior engineers",
        description="Engineers preparing for a senior engineer's seat",
        target_position_id=company.positions["SENIOR-ENG"].id,
        rules=[{"kind": "tenure", "min_years": 3}],
        active=True,
    )
    session.add(pool)
    await session.flush()
    platform, applications = (_senior(company, section) for section in ("RD-P", "RD-A"))
    member = TalentPoolMember(
        org_id=company.org_id,
        pool_id=pool.id,
        employee_id=platform.id,
        status="appointed",
        readiness="ready_now",
        source="hr",
        reason="Owns the build pipeline",
        nominated_at=now - timedelta(days=310),
        activated_at=now - timedelta(days=300),
        ended_at=now - timedelta(days=120),
        ended_reason="Appointed senior engineer",
    )
    session.add(member)
    await session.flush()
    await _filled(session, company, platform, now, (160, 120), member.id, None)
    await _filled(
        session,
        company,
        applications,
        now,
        (70, 42),
        None,
        "No pool member ready; the team's choice",
    )


def _senior(company: Company, section: str) -> Employee:
    """The section's second senior engineer (the first leads the team for a while)."""
    seniors = [
        e
        for e in company.employees
        if e.department_id == company.departments[section].id
        and e.position_id == company.positions["SENIOR-ENG"].id
    ]
    return seniors[-1]


async def _filled(
    session: AsyncSession,
    company: Company,
    appointee: Employee,
    now: datetime,
    days_ago: tuple[int, int],
    member_id: uuid.UUID | None,
    override_reason: str | None,
) -> None:
    """A senior engineer's seat in the appointee's section opened and filled `days_ago`
    (opened, filled), the promotion recorded as the appointment records it."""
    opened, filled = (now - timedelta(days=days) for days in days_ago)
    position = company.positions["SENIOR-ENG"]
    vacancy = Vacancy(
        org_id=company.org_id,
        position_id=position.id,
        department_id=appointee.department_id,
        status=VacancyStatus.FILLED.value,
        reason=VacancyReason.MANUAL.value,
        note="The team grows",
        opened_at=opened,
        closed_at=filled,
    )
    event = EmploymentEvent(
        org_id=company.org_id,
        employee_id=appointee.id,
        kind="promotion",
        effective_date=filled.date(),
        department_id=appointee.department_id,
        position_id=position.id,
        applied_at=filled,
    )
    session.add_all([vacancy, event])
    await session.flush()
    session.add(
        VacancyAppointment(
            org_id=company.org_id,
            vacancy_id=vacancy.id,
            employee_id=appointee.id,
            member_id=member_id,
            employment_event_id=event.id,
            effective_date=filled.date(),
            reason="Senior engineer seat",
            override_reason=override_reason,
            appointed_at=filled,
        )
    )
