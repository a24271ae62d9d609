"""Demo data for `make dev`: a believable company, created once (idempotent by slug).

Sales, production and R&D with sub-units, about 60 people with managers, positions including
section chiefs, three years of ratings, a few growth profiles, one login per role and the
sales rep's draft development plan.
Rows are written directly (with the tenant set, so row-level security applies) because the
seed must not depend on request-level permissions; the invariants the services keep
(department paths, hire events) are kept here too.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.competencies.models import (
    COMPETENCIES,
    Competency,
    CompetencyEvidence,
    CompetencyModel,
    DevelopmentPlan,
    DevelopmentPlanComment,
    DevelopmentPlanVersion,
    StretchAssignee,
    StretchAssignment,
    StretchOutcome,
)
from hrcore.contracts import api as contracts
from hrcore.contracts.models import Contract
from hrcore.contracts.schemas import AmendmentTermsIn
from hrcore.core import security
from hrcore.core.authz import Role
from hrcore.core.clock import Clock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity.models import Organization, User
from hrcore.org.models import Department, Position, PromotionPath
from hrcore.people.models import Employee, EmploymentEvent, GrowthProfile, PerformanceRating
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
from hrcore.settings import Settings
from hrcore.talent.models import (
    NineBoxPlacement,
    TalentPool,
    TalentPoolMember,
    Vacancy,
    VacancyReason,
    VacancyStatus,
)
from hrcore.workflow import api as workflow

DEMO_SLUG = "demo"
DEMO_PASSWORD = "hrcore-demo-2026"  # noqa: S105 - printed on purpose: it is demo data
RATING_YEARS = ("2023", "2024", "2025")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "华",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
]


@dataclass
class SeedReport:
    """What `make dev` prints: the demo organization and its logins, by role."""

    org_slug: str = DEMO_SLUG
    logins: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class _Company:
    org_id: uuid.UUID
    departments: dict[str, Department] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    employees: list[Employee] = field(default_factory=list)


DEPARTMENTS = [  # code, name, parent code
    ("HQ", "总部 Headquarters", None),
    ("SALES", "销售部 Sales", "HQ"),
    ("SALES-E", "华东销售科 East Sales Section", "SALES"),
    ("SALES-N", "华北销售科 North Sales Section", "SALES"),
    ("PROD", "生产部 Production", "HQ"),
    ("PROD-A", "装配车间 Assembly Workshop", "PROD"),
    ("PROD-Q", "质检科 Quality Section", "PROD"),
    ("RD", "研发部 R&D", "HQ"),
    ("RD-P", "平台组 Platform Team", "RD"),
    ("RD-A", "应用组 Application Team", "RD"),
    ("HR", "人力资源部 Human Resources", "HQ"),
]

POSITIONS = [  # code, title, department code, grade, management, next
    ("GM", "总经理 General Manager", "HQ", "M5", True, []),
    ("DIR", "部门总监 Department Director", "HQ", "M4", True, ["GM"]),
    ("SALES-CHIEF", "销售科长 Sales Section Chief", "SALES", "M2", True, ["DIR"]),
    ("SALES-REP", "销售代表 Sales Representative", "SALES", "P3", False, ["SALES-CHIEF"]),
    ("PROD-CHIEF", "生产科长 Production Section Chief", "PROD", "M2", True, ["DIR"]),
    ("PROD-OP", "生产技术员 Production Technician", "PROD", "P2", False, ["PROD-CHIEF"]),
    ("RD-CHIEF", "研发组长 R&D Team Lead", "RD", "M2", True, ["DIR"]),
    ("ENG", "工程师 Engineer", "RD", "P3", False, ["SENIOR-ENG"]),
    ("SENIOR-ENG", "高级工程师 Senior Engineer", "RD", "P4", False, ["RD-CHIEF"]),
    ("HR-SPEC", "人事专员 HR Specialist", "HR", "P3", False, []),
]

DESCRIPTIONS = {
    "SALES-CHIEF": {
        "summary": "Leads a regional sales section and grows its customer base.",
        "responsibilities": ["Set and track section targets", "Coach sales representatives"],
        "core_competencies": [
            {
                "name": "Customer resource integration",
                "required_level": 7,
                "category": "professional",
            },
            {"name": "Team management", "required_level": 7, "category": "management"},
        ],
    },
    "PROD-CHIEF": {
        "summary": "Runs a production section: output, quality and line improvement.",
        "responsibilities": ["Plan shifts", "Drive line optimization", "Own safety"],
        "core_competencies": [
            {"name": "Line optimization", "required_level": 7, "category": "professional"},
            {"name": "Team management", "required_level": 7, "category": "management"},
        ],
    },
}


async def seed_demo(runtime: Runtime) -> SeedReport:
    """Create the demo organization unless it exists; always report the logins."""
    async with unit_of_work(runtime.sessionmaker) as session:
        existing = await session.scalar(select(Organization).where(Organization.slug == DEMO_SLUG))
        created = existing is None
        if created:
            company = await _create(
                session, runtime.clock, runtime.settings.review_anonymity_threshold
            )
            await _add_competencies(session, runtime.settings, runtime.clock)
            await _add_stretch_assignments(session, company, runtime.clock)
    if created:
        await workflow.sweep(runtime.sessionmaker, runtime.clock)  # fill the inbox right away
        await contracts.watch_expiry(runtime.sessionmaker, runtime.clock, runtime.settings)
    return SeedReport(
        logins=[
            (role, f"{login}@demo.example", DEMO_PASSWORD)
            for role, login in (
                ("HR admin", "hr"),
                ("dept head", "sales.head"),
                ("manager", "manager"),
                ("employee", "employee"),
            )
        ]
    )


async def _create(session: AsyncSession, clock: Clock, anonymity_threshold: int) -> _Company:
    today = clock.now().date()
    org = Organization(slug=DEMO_SLUG, name="演示制造有限公司 Demo Manufacturing Co.")
    session.add(org)
    await session.flush()
    await set_tenant(session, org.id)
    company = _Company(org.id)
    _add_departments(session, company)
    _add_positions(session, company)
    await session.flush()
    _add_people(session, company, random.Random(2026))  # noqa: S311 - demo data, not security
    await session.flush()
    _add_users(session, company)
    await session.flush()
    await _add_tasks(session, company, today)
    await _add_contracts(session, company, clock)
    review_template = await _add_reviews(session, company, clock, anonymity_threshold)
    pool = await _add_talent_pool(session, company, clock)
    await _add_program(session, company, review_template, pool, clock)
    await _add_development_plan(session, company, today)
    return company


async def _add_development_plan(session: AsyncSession, company: _Company, today: date) -> None:
    """The sales rep's draft development plan for this year, with a comment of their
    manager's, so the plan screens are not empty."""
    rows = await session.execute(select(User.email, User.id).where(User.org_id == company.org_id))
    users = {row.email: row.id for row in rows}
    rep = await session.scalar(
        select(User.employee_id).where(User.id == users["employee@demo.example"])
    )
    assert rep is not None
    content: dict[str, Any] = {
        "title": "Towards section chief 成为科长",
        "goals": [],
        "actions": [
            {
                "id": str(uuid.uuid4()),
                "kind": "mentoring",
                "reference_id": None,
                "title": "Monthly one-to-one with the section chief",
                "due_on": date(today.year, 12, 31).isoformat(),
                "status": "in_progress",
            }
        ],
    }
    plan = DevelopmentPlan(
        org_id=company.org_id,
        employee_id=rep,
        period=str(today.year),
        status="draft",
        version=1,
        **content,
    )
    session.add(plan)
    await session.flush()
    session.add(
        DevelopmentPlanVersion(
            org_id=company.org_id,
            plan_id=plan.id,
            version=1,
            edited_by=users["employee@demo.example"],
            **content,
        )
    )
    session.add(
        DevelopmentPlanComment(
            org_id=company.org_id,
            plan_id=plan.id,
            author_id=users["manager@demo.example"],
            body="Add a customer-visit goal once the competency model is in place.",
        )
    )


def _add_departments(session: AsyncSession, company: _Company) -> None:
    for code, name, parent_code in DEPARTMENTS:
        parent = company.departments.get(parent_code) if parent_code else None
        department = Department(
            org_id=company.org_id, code=code, name=name, parent_id=parent.id if parent else None
        )
        department.path = f"{parent.path if parent else '/'}{department.id}/"
        company.departments[code] = department
        session.add(department)


def _add_positions(session: AsyncSession, company: _Company) -> None:
    for code, title, department, grade, management, _ in POSITIONS:
        position = Position(
            org_id=company.org_id,
            code=code,
            title=title,
            department_id=company.departments[department].id,
            grade=grade,
            is_management=management,
            description=DESCRIPTIONS.get(code, {"summary": title, "responsibilities": []}),
            description_revision=1,
        )
        company.positions[code] = position
        session.add(position)
    for code, *_, next_codes in POSITIONS:
        for target in next_codes:
            session.add(
                PromotionPath(
                    org_id=company.org_id,
                    from_position_id=company.positions[code].id,
                    to_position_id=company.positions[target].id,
                )
            )


# section code → (chief position, staff position, staff count)
SECTIONS = {
    "SALES-E": ("SALES-CHIEF", "SALES-REP", 8),
    "SALES-N": ("SALES-CHIEF", "SALES-REP", 7),
    "PROD-A": ("PROD-CHIEF", "PROD-OP", 9),
    "PROD-Q": ("PROD-CHIEF", "PROD-OP", 5),
    "RD-P": ("RD-CHIEF", "ENG", 7),
    "RD-A": ("RD-CHIEF", "ENG", 6),
}


def _add_people(session: AsyncSession, company: _Company, rng: random.Random) -> None:
    names = _names(rng)
    gm = _hire(session, company, rng, next(names), "HQ", "GM", None, 2008)
    directors = {
        code: _hire(session, company, rng, next(names), code, "DIR", gm, 2012)
        for code in ("SALES", "PROD", "RD", "HR")
    }
    for _ in range(2):
        _hire(session, company, rng, next(names), "HR", "HR-SPEC", directors["HR"], 2019)
    for section, (chief_code, staff_code, count) in SECTIONS.items():
        director = directors[section.split("-")[0]]
        chief = _hire(session, company, rng, next(names), section, chief_code, director, 2015)
        _promotion(session, company, chief, section, chief_code)
        for index in range(count):
            position = "SENIOR-ENG" if staff_code == "ENG" and index < 2 else staff_code
            staff = _hire(session, company, rng, next(names), section, position, chief, 2017)
            if index == 0:
                _temporary_lead(session, company, staff, section)
    for employee in company.employees:
        _ratings(session, company, rng, employee)
    for employee in company.employees[7:12]:
        _growth_profile(session, company, employee)


def _names(rng: random.Random) -> Iterator[str]:
    seen: set[str] = set()
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            yield name


def _hire(
    session: AsyncSession,
    company: _Company,
    rng: random.Random,
    name: str,
    department: str,
    position: str,
    manager: Employee | None,
    earliest_year: int,
) -> Employee:
    number = f"D{len(company.employees) + 1:04d}"
    hired = date(rng.randint(earliest_year, 2023), rng.randint(1, 12), rng.randint(1, 28))
    employee = Employee(
        org_id=company.org_id,
        employee_number=number,
        full_name=name,
        email=f"{number.lower()}@demo.example",
        phone=f"+86 138 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        department_id=company.departments[department].id,
        position_id=company.positions[position].id,
        manager_id=manager.id if manager else None,
        manager_path=manager.reports_prefix if manager else "/",
        hire_date=hired,
        status="active",
    )
    session.add(employee)
    session.add(
        EmploymentEvent(
            org_id=company.org_id,
            employee_id=employee.id,
            kind="hire",
            effective_date=hired,
            department_id=employee.department_id,
            position_id=employee.position_id,
        )
    )
    company.employees.append(employee)
    return employee


def _promotion(
    session: AsyncSession, company: _Company, employee: Employee, department: str, position: str
) -> None:
    session.add(
        EmploymentEvent(
            org_id=company.org_id,
            employee_id=employee.id,
            kind="promotion",
            effective_date=date(2021, 7, 1),
            department_id=company.departments[department].id,
            position_id=company.positions[position].id,
            leads_team=True,
        )
    )


def _temporary_lead(
    session: AsyncSession, company: _Company, employee: Employee, department: str
) -> None:
    session.add(
        EmploymentEvent(
            org_id=company.org_id,
            employee_id=employee.id,
            kind="temporary_post",
            effective_date=date(2025, 3, 1),
            end_date=date(2025, 8, 31),
            department_id=company.departments[department].id,
            title="项目负责人 Project lead: new-customer program",
            leads_team=True,
            allowance=800,
        )
    )


def _ratings(
    session: AsyncSession, company: _Company, rng: random.Random, employee: Employee
) -> None:
    talent = rng.random()
    for year in RATING_YEARS:
        if int(year) < employee.hire_date.year:
            continue
        roll = min(max(talent + rng.uniform(-0.25, 0.25), 0), 0.999)
        letter = "D" if roll < 0.08 else "C" if roll < 0.35 else "B" if roll < 0.8 else "A"
        session.add(
            PerformanceRating(
                org_id=company.org_id, employee_id=employee.id, period=year, letter=letter
            )
        )


def _growth_profile(session: AsyncSession, company: _Company, employee: Employee) -> None:
    session.add(
        GrowthProfile(
            org_id=company.org_id,
            employee_id=employee.id,
            skills=[
                {"name": "Negotiation", "level": 3, "evidence": "Closed two key accounts"},
                {"name": "Team management", "level": 2, "evidence": "Led a 4-person project"},
            ],
            certifications=[{"name": "PMP", "issuer": "PMI", "obtained_on": "2024-05-10"}],
            external_trainings=[
                {"title": "Lean production basics", "provider": "External", "hours": 16}
            ],
            career_plan={"aspiration": "management", "horizon_years": 2, "note": "Section chief"},
            submitted_at=datetime(2025, 12, 1, tzinfo=UTC),
        )
    )


def _add_users(session: AsyncSession, company: _Company) -> None:
    password = security.hash_password(DEMO_PASSWORD)
    by_position = {
        code: [e for e in company.employees if e.position_id == position.id]
        for code, position in company.positions.items()
    }
    hr_specialist = by_position["HR-SPEC"][0]
    sales_director = next(
        e for e in by_position["DIR"] if e.department_id == company.departments["SALES"].id
    )
    manager = by_position["SALES-CHIEF"][0]
    employee = next(e for e in company.employees if e.manager_id == manager.id)
    accounts = [
        ("hr", "HR Admin", [Role.HR_ADMIN, Role.EMPLOYEE], hr_specialist, None),
        ("sales.head", "Sales Head", [Role.DEPT_HEAD, Role.EMPLOYEE], sales_director, "SALES"),
        ("manager", "Section Chief", [Role.EMPLOYEE], manager, None),
        ("employee", "Sales Rep", [Role.EMPLOYEE], employee, None),
    ]
    for login, display, roles, person, scope in accounts:
        session.add(
            User(
                org_id=company.org_id,
                email=f"{login}@demo.example",
                display_name=f"{display} ({person.full_name})",
                password_hash=password,
                roles=[role.value for role in roles],
                employee_id=person.id,
                department_scope_id=company.departments[scope].id if scope else None,
            )
        )


async def _add_tasks(session: AsyncSession, company: _Company, today: date) -> None:
    """Open, due-soon and overdue work, so the demo inbox and task lists are not empty."""
    chief = next(
        e for e in company.employees if e.position_id == company.positions["SALES-CHIEF"].id
    )
    rep = next(e for e in company.employees if e.manager_id == chief.id)
    plan = [  # assignee, kind, title, days from today
        (rep, "workflow.report", "Submit your reflection report 「心得」", 2),
        (rep, "workflow.report", "Customer-visit report: new-customer program", -5),
        (chief, "workflow.report", f"Supervisor evaluation of {rep.full_name}", 6),
        (chief, "workflow.todo", "360 review: rate your peer section chief", -1),
    ]
    for assignee, kind, title, days in plan:
        await workflow.create_task(
            session,
            org_id=company.org_id,
            subject_type="employee",
            subject_id=assignee.id,
            kind=kind,
            assignee_employee_id=assignee.id,
            title=title,
            due=today + timedelta(days=days),
        )


def _contract(company: _Company, employee: Employee, today: date) -> Contract:
    """Managers hold open-ended contracts; staff three-year fixed terms renewed so far."""
    position = next(p for p in company.positions.values() if p.id == employee.position_id)
    end = None
    if not position.is_management:
        end = contracts.add_months(employee.hire_date, 36)
        while end < today + timedelta(days=180):
            end = contracts.add_months(end, 36)
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


async def _add_contracts(session: AsyncSession, company: _Company, clock: Clock) -> None:
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


def _chiefs(company: _Company) -> list[Employee]:
    codes = ("SALES-CHIEF", "PROD-CHIEF", "RD-CHIEF")
    ids = {company.positions[code].id for code in codes}
    return [e for e in company.employees if e.position_id in ids]


async def _add_reviews(
    session: AsyncSession, company: _Company, clock: Clock, anonymity_threshold: int
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
    company: _Company,
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


async def _add_talent_pool(session: AsyncSession, company: _Company, clock: Clock) -> TalentPool:
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


def _sales_variant(company: _Company) -> dict[str, Any]:
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


async def _add_program(
    session: AsyncSession,
    company: _Company,
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


LEVEL_NAMES = ("入门 Starter", "基础 Basic", "熟练 Practised", "精通 Advanced", "专家 Expert")
# name, category, description
LIBRARY = [
    ("团队管理 Team management", "management", "Builds, leads and grows a team to results."),
    (
        "客户资源整合 Customer resource integration",
        "professional",
        "Wins, keeps and connects key accounts.",
    ),
    ("产线优化 Line optimization", "professional", "Raises a line's output, quality and safety."),
    ("质量管控 Quality control", "professional", "Finds defects early and removes their causes."),
    ("技术架构 Technical architecture", "professional", "Designs systems that last and scale."),
    ("沟通协调 Communication", "general", "Gets people across units to agree and act."),
    ("问题解决 Problem solving", "general", "Breaks a problem down and fixes its root cause."),
    ("学习敏捷 Learning agility", "general", "Learns new fields fast and applies them."),
]
# position code → (competency index in LIBRARY, required level of 5, weight)
MODELS = {
    "SALES-CHIEF": [(0, 4, 40), (1, 4, 40), (5, 3, 20)],
    "SALES-REP": [(1, 3, 60), (5, 3, 40)],
    "PROD-CHIEF": [(0, 4, 40), (2, 4, 40), (3, 3, 20)],
    "PROD-OP": [(2, 3, 50), (3, 3, 50)],
    "RD-CHIEF": [(0, 4, 40), (4, 4, 40), (6, 3, 20)],
    "ENG": [(4, 3, 50), (6, 3, 50)],
    "SENIOR-ENG": [(4, 4, 60), (6, 4, 40)],
}
EARLIER_DAYS, LATER_DAYS = 180, 14
MANAGER_TEAM_MANAGEMENT = (6.2, 9.48)
"""The demo manager's two assessments: the profile reads 6.2, then 8.1 (recency-weighted)."""


async def _add_competencies(session: AsyncSession, settings: Settings, clock: Clock) -> None:
    """A small library, models for the demo positions and two rounds of assessments of
    everyone who holds one, each followed by a recompute, so profiles have history."""
    org_id = await session.scalar(select(Organization.id).where(Organization.slug == DEMO_SLUG))
    assert org_id is not None
    library = [
        Competency(
            org_id=org_id,
            revision=1,
            name=name,
            category=category,
            description=description,
            levels=[
                {
                    "level": n,
                    "name": level,
                    "indicators": [f"{level.split()[1]} level of {name.split(' ', 1)[1].lower()}"],
                }
                for n, level in enumerate(LEVEL_NAMES, start=1)
            ],
        )
        for name, category, description in LIBRARY
    ]
    session.add_all(library)
    await session.flush()
    for competency in library:
        COMPETENCIES.keep_revision(session, competency)
    positions = {p.code: p.id for p in await session.scalars(select(Position))}
    for code, entries in MODELS.items():
        session.add(
            CompetencyModel(
                org_id=org_id,
                position_id=positions[code],
                department_id=None,
                version=1,
                entries=[
                    {"competency_id": str(library[i].id), "required_level": level, "weight": weight}
                    for i, level, weight in entries
                ],
            )
        )
    await _assess_everyone(session, settings, clock, org_id, library, positions)


async def _assess_everyone(
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    org_id: uuid.UUID,
    library: list[Competency],
    positions: dict[str, uuid.UUID],
) -> None:
    rng = random.Random(21)  # noqa: S311 - demo data, not security
    code_of = {position_id: code for code, position_id in positions.items()}
    manager = await session.scalar(
        select(User.employee_id).where(User.email == "manager@demo.example")
    )
    now = clock.now()
    people = [
        (e, code_of[e.position_id])
        for e in await session.scalars(select(Employee).order_by(Employee.employee_number))
        if e.position_id is not None and code_of.get(e.position_id) in MODELS
    ]
    for round_index, days in enumerate((EARLIER_DAYS, LATER_DAYS)):
        observed = now - timedelta(days=days)
        for person, code in people:
            for index, _level, _weight in MODELS[code]:
                value = round(rng.uniform(4.0, 7.5) + round_index * rng.uniform(0.0, 2.0), 1)
                if person.id == manager and index == 0:
                    value = MANAGER_TEAM_MANAGEMENT[round_index]
                session.add(
                    CompetencyEvidence(
                        org_id=org_id,
                        employee_id=person.id,
                        competency_id=library[index].id,
                        value=value,
                        source_kind="manual",
                        source_id=uuid.uuid4(),
                        observed_at=observed,
                        source_weight=1.0,
                        note=f"演示评估 Demo assessment, {observed.date().isoformat()}",
                    )
                )
        await session.flush()
        for person, _code in people:
            await competencies.recompute_profile(session, org_id, person.id, settings, observed)


STRETCH_COMPETENCIES = ("客户资源整合 Customer resource integration", "团队管理 Team management")
"""The library's competencies (`LIBRARY`) the demo's stretch assignments develop."""


async def _stretch_competencies(session: AsyncSession, company: _Company) -> list[Competency]:
    by_name = {
        row.name: row
        for row in await session.scalars(
            select(Competency).where(
                Competency.org_id == company.org_id, Competency.name.in_(STRETCH_COMPETENCIES)
            )
        )
    }
    return [by_name[name] for name in STRETCH_COMPETENCIES]


async def _add_stretch_assignments(session: AsyncSession, company: _Company, clock: Clock) -> None:
    """Two stretch assignments 「部门内任务」 in the first sales section: one under way for the
    demo employee (their kick-off on the task list), one finished by a colleague whose outcome
    is evidence in their competency profile."""
    today = clock.now().date()
    customers, team = await _stretch_competencies(session, company)
    developed = [
        {"competency_id": str(customers.id), "start_level": 2},
        {"competency_id": str(team.id), "start_level": 2},
    ]
    chief = next(
        e for e in company.employees if e.position_id == company.positions["SALES-CHIEF"].id
    )
    rep, colleague = [e for e in company.employees if e.manager_id == chief.id][:2]
    plans = [  # title, starts, ends, assignee
        ("新客户开发项目 Lead the new-customer project", -14, 60, rep),
        ("华东大客户攻坚 Key-account push", -120, -10, colleague),
    ]
    assignees = []
    for title, starts, ends, person in plans:
        assignment = StretchAssignment(
            org_id=company.org_id,
            title=title,
            description="带领3–5人小组 Lead a team of 3 to 5",
            department_id=chief.department_id,
            team_size=4,
            starts_on=today + timedelta(days=starts),
            ends_on=today + timedelta(days=ends),
            slots=1,
            competencies=developed,
            status="assigned",
        )
        session.add(assignment)
        await session.flush()
        assignee = StretchAssignee(
            org_id=company.org_id,
            assignment_id=assignment.id,
            employee_id=person.id,
            supervisor_id=chief.id,
            status="active",
            task_ids=[],
        )
        session.add(assignee)
        await session.flush()
        await competencies.open_stretch_tasks(session, company.org_id, assignee.id, clock)
        assignees.append(assignee)
    await _stretch_outcome(session, company, assignees[-1], (customers, team), clock)


async def _stretch_outcome(
    session: AsyncSession,
    company: _Company,
    assignee: StretchAssignee,
    rated: tuple[Competency, Competency],
    clock: Clock,
) -> None:
    """The finished assignment's outcome: figures, the chief's ratings as evidence, its tasks
    done."""
    values = {rated[0].id: 8.1, rated[1].id: 7.4}
    session.add(
        StretchOutcome(
            org_id=company.org_id,
            assignee_id=assignee.id,
            figures=[
                {"name": "回款 Revenue delivered", "value": 1_200_000, "unit": "CNY"},
                {"name": "新客户 Customers won", "value": 3, "unit": None},
            ],
            competencies=[
                {
                    "competency_id": str(competency_id),
                    "supervisor_rating": value,
                    "peer_mean": None,
                    "peer_count": None,
                    "evidence": value,
                }
                for competency_id, value in values.items()
            ],
            note="三家新客户签约 Three new accounts signed",
            recorded_times=1,
        )
    )
    assignee.status = "completed"
    await session.flush()
    for competency_id, value in values.items():
        await competencies.record_evidence(
            session,
            company.org_id,
            employee_id=assignee.employee_id,
            competency_id=competency_id,
            value=value,
            source_kind="stretch_assignment",
            source_id=assignee.id,
            observed_at=clock.now(),
            note="华东大客户攻坚 Key-account push",
        )
    for task_id in assignee.task_ids:
        await workflow.complete_task(session, org_id=company.org_id, task_id=task_id, clock=clock)
