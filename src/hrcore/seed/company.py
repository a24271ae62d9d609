"""The demo company: departments, positions with descriptions and promotion paths, about 60
people with three years of ratings and growth profiles, one login per role, open tasks."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import security
from hrcore.core.authz import Role
from hrcore.identity.models import User
from hrcore.org.models import Department, Position, PromotionPath
from hrcore.people.models import Employee, EmploymentEvent, GrowthProfile, PerformanceRating
from hrcore.people.schemas import id_number_check_digit
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
class Company:
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


def add_departments(session: AsyncSession, company: Company) -> None:
    for code, name, parent_code in DEPARTMENTS:
        parent = company.departments.get(parent_code) if parent_code else None
        department = Department(
            org_id=company.org_id, code=code, name=name, parent_id=parent.id if parent else None
        )
        department.path = f"{parent.path if parent else '/'}{department.id}/"
        company.departments[code] = department
        session.add(department)


def add_positions(session: AsyncSession, company: Company) -> None:
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


def add_people(session: AsyncSession, company: Company, rng: random.Random) -> None:
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


def _demo_id_number(number: int, birth_year: int) -> str:
    """A Beijing resident ID number with a valid check digit, the same on every seed run
    (no draw from the seed's random sequence): the demo shows masking on real-looking data."""
    first_17 = f"110105{birth_year}0101{number % 1000:03d}"
    return first_17 + id_number_check_digit(first_17)


def _hire(
    session: AsyncSession,
    company: Company,
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
        personal_phone=f"139{len(company.employees) + 1:08d}",
        id_number=_demo_id_number(len(company.employees) + 1, hired.year - 24),
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
    session: AsyncSession, company: Company, employee: Employee, department: str, position: str
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
    session: AsyncSession, company: Company, employee: Employee, department: str
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
    session: AsyncSession, company: Company, rng: random.Random, employee: Employee
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


def _growth_profile(session: AsyncSession, company: Company, employee: Employee) -> None:
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


def add_users(session: AsyncSession, company: Company) -> None:
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


async def add_tasks(session: AsyncSession, company: Company, today: date) -> None:
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
