"""The demo's internal competition 「岗位竞聘」: the production section chief's seat open for
competition for two weeks, with two production technicians' applications — so
`/vacancies/{id}/applications`, the competition's ranked candidates and the technicians'
`/me/open-vacancies` have something to show.

Its rule is tenure (every demo employee was hired by 2023): the demo writes no training
points, and an application is stored with the rules as they were found for its applicant."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.seed.company import Company
from hrcore.talent.models import Vacancy, VacancyApplication, VacancyReason, VacancyStatus

RULES = [{"kind": "tenure", "min_years": 2.0}]
STATEMENTS = (
    "I have run the night shift's line changeovers for two years.",
    "I led the quality circle that cut assembly rework by a third.",
)


async def add_competition(session: AsyncSession, company: Company, clock: Clock) -> None:
    now = clock.now()
    today = now.date()
    target = company.positions["PROD-CHIEF"]
    vacancy = Vacancy(
        org_id=company.org_id,
        position_id=target.id,
        department_id=target.department_id,
        status=VacancyStatus.OPEN.value,
        reason=VacancyReason.MANUAL.value,
        note="A second assembly line opens; its section chief is chosen by internal competition",
        opened_at=now - timedelta(days=2),
        competition_rules=RULES,
        competition_closes_at=now + timedelta(days=14),
        competition_opened_at=now - timedelta(days=2),
    )
    session.add(vacancy)
    await session.flush()
    technicians = [
        e for e in company.employees if e.position_id == company.positions["PROD-OP"].id
    ][:2]
    for days_ago, (technician, statement) in enumerate(zip(technicians, STATEMENTS, strict=True)):
        years = round((today - technician.hire_date).days / 365.25, 1)
        session.add(
            VacancyApplication(
                org_id=company.org_id,
                vacancy_id=vacancy.id,
                employee_id=technician.id,
                status="applied",
                statement=statement,
                criteria=[{"kind": "tenure", "value": years, "passed": years >= 2}],
                applied_at=now - timedelta(days=days_ago),
            )
        )
