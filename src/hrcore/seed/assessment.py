"""The demo's develop → assess → use loop: contracts, a closed review cycle with its
results, a talent pool and a running development program."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import api as contracts
from hrcore.contracts.models import Contract
from hrcore.contracts.schemas import AmendmentTermsIn
from hrcore.core.calendar import add_months
from hrcore.core.clock import Clock
from hrcore.people.models import Employee
from hrcore.programs.models import (
    PROGRAM_TEMPLATES,
    ProgramParticipant,
    ProgramRun,
    ProgramTemplate,
)
from hrcore.programs.schemas import DepartmentVariant, StageIn, StageInsert, SubmissionRule
from hrcore.programs.start import start as start_run
from hrcore.reviews import api as reviews
from hrcore.reviews.models import (
    REVIEW_TEMPLATES,
    ReviewAssignment,
    ReviewResult,
    ReviewTemplate,
)
from hrcore.seed.company import Company
from hrcore.talent.models import (
    NineBoxPlacement,
    TalentPool,
    TalentPoolMember,
    Vacancy,
    VacancyReason,
    VacancyStatus,
)
from hrcore.workflow import api as workflow


def _contract(company: Company, employee: Employee, today: date) -> Contract:
    """Managers hold open-ended contracts; staff three-year fixed terms renewed so far."""
    position = next(p for p in company.positions.values() if p.id == employee.position_id)
    end = None
    if not position.is_management:
        end = add_months(employee.hire_date, 36)
        while end < today + timedelta(days=180):
            end = add_months(end, 36)
    return Contract(
        org_id=company.org_id,
        employee_id=employee.id,
        kind="open_ended" if end is None else "fixed_term",
        status="active",
        start_date=employee.hire_date,
        end_date=end,
        department_id=employee.department_id,
        position_id=position.id,
        grade=position.grade,
        work_location="上海 Shanghai",
        pay_terms_ref=f"BAND-{position.grade}",
    )


async def add_contracts(session: AsyncSession, company: Company, clock: Clock) -> None:
    """A contract per employee, one ending within the notice window, and a pending
    amendment for the demo employee: a temporary project-lead post with an allowance (the
    worker generates its document and asks the employee to confirm)."""
    today = clock.now().date()
    chief = next(
        e for e in company.employees if e.position_id == company.positions["SALES-CHIEF"].id
    )
    rep, expiring = [e for e in company.employees if e.manager_id == chief.id][:2]
    rows = {employee.id: _contract(company, employee, today) for employee in company.employees}
    rows[expiring.id].end_date = today + timedelta(days=45)
    session.add_all(rows.values())
    await session.flush()
    await contracts.draft_for_contract(
        session,
        company.org_id,
        rows[rep.id].id,
        AmendmentTermsIn(
            effective_date=today + timedelta(days=14),
            end_date=today + timedelta(days=14 + 182),
            post_title="项目负责人 Project lead: new-customer program",
            allowance=Decimal("1200.00"),
        ),
        clock,
    )


DEMO_FORM = [
    {
        "key": "results",
        "name": "业绩 Results against target",
        "section": "Results",
        "kind": "quantitative",
        "weight": 100,
        "target": 100,
        "formula": {"kind": "ratio"},
    },
    {
        "key": "teamwork",
        "name": "协作 Teamwork",
        "section": "Behaviour",
        "kind": "qualitative",
        "weight": 50,
        "scale": {"min": 1, "max": 5, "labels": {}},
    },
    {
        "key": "leadership",
        "name": "领导力 Leadership",
        "section": "Behaviour",
        "kind": "qualitative",
        "weight": 50,
        "scale": {"min": 1, "max": 5, "labels": {}},
    },
]


def _chiefs(company: Company) -> list[Employee]:
    codes = ("SALES-CHIEF", "PROD-CHIEF", "RD-CHIEF")
    ids = {company.positions[code].id for code in codes}
    return [e for e in company.employees if e.position_id in ids]


async def add_reviews(
    session: AsyncSession, company: Company, clock: Clock, anonymity_threshold: int
) -> ReviewTemplate:
    """Last year-end review of the section chiefs, answered, aggregated and published; and an
    open 360 of the demo employee, so raters have review tasks."""
    today = clock.now().date()
    template = ReviewTemplate(
        org_id=company.org_id,
        name="年度考核 Annual review",
        indicators=DEMO_FORM,
        kind_weights={"quantitative": 60, "qualitative": 40},
        department_overrides=[
            {
                "department_id": str(company.departments["SALES"].id),
                "kind_weights": {"quantitative": 70, "qualitative": 30},
            }
        ],
        revision=1,
    )
    session.add(template)
    await session.flush()
    REVIEW_TEMPLATES.keep_revision(session, template)
    past = await reviews.start_cycle(
        session,
        org_id=company.org_id,
        template_id=template.id,
        name="2025 年终考核 Year-end 2025",
        kind="year_end",
        starts_on=today - timedelta(days=60),
        due_on=today - timedelta(days=30),
        employee_ids=[e.id for e in _chiefs(company)],
        clock=clock,
    )
    await _answer_all(session, company, past, clock, random.Random(7))  # noqa: S311
    await reviews.close_by_id(session, company.org_id, past, clock)
    await reviews.aggregate_cycle(session, company.org_id, past, threshold=anonymity_threshold)
    results = await session.scalars(select(ReviewResult).where(ReviewResult.cycle_id == past))
    for result in results:
        result.status, result.published_at = "published", clock.now() - timedelta(days=20)
    chief = _chiefs(company)[0]
    rep = next(e for e in company.employees if e.manager_id == chief.id)
    await reviews.start_cycle(
        session,
        org_id=company.org_id,
        template_id=template.id,
        name="2026 年中 360 Mid-year 360",
        kind="campaign_360",
        starts_on=today,
        due_on=today + timedelta(days=10),
        employee_ids=[rep.id],
        clock=clock,
    )
    return template


async def _answer_all(
    session: AsyncSession,
    company: Company,
    cycle_id: uuid.UUID,
    clock: Clock,
    rng: random.Random,
) -> None:
    assignments = await session.scalars(
        select(ReviewAssignment).where(ReviewAssignment.cycle_id == cycle_id)
    )
    for assignment in assignments:
        assignment.answers = {
            "results": {"actual": rng.randint(70, 120)},
            "teamwork": {"score": rng.randint(3, 5)},
            "leadership": {"score": rng.randint(2, 5)},
        }
        assignment.status, assignment.submitted_at = "submitted", clock.now() - timedelta(days=32)
        assert assignment.task_id is not None
        await workflow.complete_task(
            session, org_id=company.org_id, task_id=assignment.task_id, clock=clock
        )


async def add_talent_pool(session: AsyncSession, company: Company, clock: Clock) -> TalentPool:
    """A reserve of section chiefs with rules, an approved member on the 9-box and a nominee,
    and an open vacancy on the pool's target post, so its candidates can be ranked."""
    now = clock.now()
    pool = TalentPool(
        org_id=company.org_id,
        name="后备科长 Reserve section chiefs",
        description="Candidates for section chief posts 「后备干部」",
        target_position_id=company.positions["SALES-CHIEF"].id,
        target_family="section chiefs",
        rules=[
            {
                "kind": "performance_percentile",
                "scope": "organization",
                "periods": 2,
                "top_percent": 15,
            },
            {"kind": "consecutive_top_ratings", "letter": "A", "count": 2},
            {"kind": "tenure", "min_years": 2},
        ],
        active=True,
    )
    session.add(pool)
    await session.flush()
    chief = _chiefs(company)[0]
    active, nominee = [e for e in company.employees if e.manager_id == chief.id][:2]
    member = TalentPoolMember(
        org_id=company.org_id,
        pool_id=pool.id,
        employee_id=active.id,
        status="active",
        readiness="one_to_two_years",
        source="dept_head",
        reason="Led the east-region launch",
        nominated_at=now - timedelta(days=40),
        activated_at=now - timedelta(days=30),
    )
    session.add_all(
        [
            member,
            TalentPoolMember(
                org_id=company.org_id,
                pool_id=pool.id,
                employee_id=nominee.id,
                status="nominated",
                source="self",
                reason="I want to lead a section",
                nominated_at=now - timedelta(days=3),
            ),
        ]
    )
    await session.flush()
    session.add(
        NineBoxPlacement(
            org_id=company.org_id,
            member_id=member.id,
            performance="high",
            potential="medium",
            reason="Calibration meeting",
            placed_at=now - timedelta(days=30),
        )
    )
    target = company.positions["SALES-CHIEF"]
    session.add(
        Vacancy(
            org_id=company.org_id,
            position_id=target.id,
            department_id=target.department_id,
            status=VacancyStatus.OPEN.value,
            reason=VacancyReason.MANUAL.value,
            note="A third sales region opens next quarter",
            opened_at=now - timedelta(days=5),
        )
    )
    return pool


def _program_stages(review_template: ReviewTemplate) -> list[dict[str, Any]]:
    """The seed default: a half-year cycle 「培养流程」."""
    stages = [
        StageIn(key="training", name="培训 Training", kind="training", duration_days=30),
        StageIn(
            key="reflection",
            name="心得 Reflection report",
            kind="submission",
            duration_days=7,
            submission=SubmissionRule(min_text_length=200),
        ),
        StageIn(
            key="review",
            name="360 测评 360 review",
            kind="review",
            duration_days=14,
            review_template_id=review_template.id,
        ),
        StageIn(
            key="evaluation",
            name="上级评价 Supervisor evaluation",
            kind="evaluation",
            duration_days=7,
        ),
        StageIn(key="decision", name="结果应用 Decision", kind="decision", duration_days=14),
    ]
    return [stage.model_dump(mode="json") for stage in stages]


def _sales_variant(company: Company) -> dict[str, Any]:
    """Sales adds a customer-visit report after the reflection 「个性化流程」."""
    visit = StageIn(
        key="customer_visit",
        name="客户拜访报告 Customer-visit report",
        kind="submission",
        duration_days=7,
    )
    return DepartmentVariant(
        department_id=company.departments["SALES"].id,
        insert=[StageInsert(after="reflection", stage=visit)],
    ).model_dump(mode="json")


async def add_program(
    session: AsyncSession,
    company: Company,
    review_template: ReviewTemplate,
    pool: TalentPool,
    clock: Clock,
) -> None:
    """The default template and a running cohort of the demo pool's active members."""
    template = ProgramTemplate(
        org_id=company.org_id,
        name="Reserve section chief",
        description="Half-year development cycle for reserve section chiefs",
        stages=_program_stages(review_template),
        department_variants=[_sales_variant(company)],
        revision=1,
    )
    session.add(template)
    await session.flush()
    PROGRAM_TEMPLATES.keep_revision(session, template)
    run = ProgramRun(
        org_id=company.org_id,
        name="2027 H1 后备科长 Reserve section chiefs",
        template_id=template.id,
        pool_id=pool.id,
        starts_on=clock.now().date() - timedelta(days=10),
        status="draft",
    )
    session.add(run)
    await session.flush()
    members = await session.scalars(
        select(TalentPoolMember).where(
            TalentPoolMember.pool_id == pool.id, TalentPoolMember.status == "active"
        )
    )
    departments = {e.id: e.department_id for e in company.employees}
    session.add_all(
        [
            ProgramParticipant(
                org_id=company.org_id,
                run_id=run.id,
                employee_id=member.employee_id,
                department_id=departments[member.employee_id],
                status="enrolled",
            )
            for member in members
        ]
    )
    await session.flush()
    await start_run(session, run, clock)
