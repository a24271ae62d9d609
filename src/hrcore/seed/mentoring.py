"""The demo's mentoring 「导师辅导」: an organization-wide program for new hires with a
tenure rule, two approved mentors (the longest-serving section chiefs and engineers), the new
graduate template, a pairing running since two months with its plan approved, a 1:1 and a
skill test logged and surveyed, and a pairing completed last year (its mentee's rating went
from B to A) — so `/mentoring-programs`, `/mentors`, `/mentorships`, their sessions and
surveys, `/me/mentorships` and a mentor's effectiveness have something to show.

The approved plan and the completed pairing are announced as mentoring's domain events, so
the worker plans the running pairing's schedule as tasks and computes effectiveness."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import events as domain_events
from hrcore.core.clock import Clock
from hrcore.identity.models import User
from hrcore.mentoring import events
from hrcore.mentoring.mentorship_models import (
    MENTEE_TEMPLATES,
    MenteeTemplate,
    MentoringSession,
    MentoringSurvey,
    Mentorship,
    MentorshipPlan,
)
from hrcore.mentoring.models import Mentor, MentorApplication, MentoringProgram
from hrcore.people import api as people
from hrcore.people.models import Employee
from hrcore.seed.company import Company

TENURE_MONTHS = 24
CHECKLIST = [
    {"key": "safety", "title": "安全与质量规范 Safety and quality rules"},
    {"key": "product", "title": "产品与工艺 Products and processes"},
    {"key": "customers", "title": "重点客户与流程 Key customers and workflows"},
]
SCHEDULE = [
    {"kind": "one_on_one", "every_months": 1},
    {"kind": "skill_test", "every_months": 3},
    {"kind": "progress_report", "every_months": 6},
]
GOALS = [
    {
        "key": "skill",
        "title": "岗位技能测试达到 80 分 Skill test at 80",
        "kind": "skill_test_score",
        "target": 80,
    },
    {
        "key": "rating",
        "title": "年度绩效达到 4 分 Rating of 4 this year",
        "kind": "performance_score",
        "target": 4,
    },
]


def _months_of_service(hired: date, today: date) -> int:
    return (today.year - hired.year) * 12 + today.month - hired.month - (today.day < hired.day)


async def _login_employee(session: AsyncSession, company: Company, login: str) -> uuid.UUID:
    employee_id = await session.scalar(
        select(User.employee_id).where(
            User.org_id == company.org_id, User.email == f"{login}@demo.example"
        )
    )
    assert employee_id is not None, login
    return employee_id


def _checks(employee_hired: date, today: date) -> list[dict[str, Any]]:
    """The program's one rule as found today (the demo's mentors all pass it)."""
    years = _months_of_service(employee_hired, today) / 12
    return [{"kind": "tenure", "value": round(years, 2), "passed": True}]


async def _add_mentor(
    session: AsyncSession,
    program: MentoringProgram,
    employee: Employee,
    today: date,
    approved_at: datetime,
) -> Mentor:
    checks = _checks(employee.hire_date, today)
    application = MentorApplication(
        org_id=program.org_id,
        program_id=program.id,
        employee_id=employee.id,
        source="self",
        status="approved",
        eligible=True,
        checks=checks,
        motivation="愿意把经验传给新同事 Glad to pass on what I know",
        decided_at=approved_at,
    )
    session.add(application)
    await session.flush()  # no relationship orders the two inserts
    mentor = Mentor(
        org_id=program.org_id,
        program_id=program.id,
        employee_id=employee.id,
        application_id=application.id,
        approved_at=approved_at,
    )
    session.add(mentor)
    return mentor


async def _pairing(
    session: AsyncSession,
    template: MenteeTemplate,
    mentor: Mentor,
    checks: list[dict[str, Any]],
    mentee_id: uuid.UUID,
    starts_on: date,
    approved_at: datetime,
    **ended: Any,
) -> Mentorship:
    mentorship = Mentorship(
        org_id=template.org_id,
        program_id=mentor.program_id,
        mentor_id=mentor.id,
        mentor_employee_id=mentor.employee_id,
        mentee_employee_id=mentee_id,
        template_id=template.id,
        status=ended.get("status", "active"),
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=365),
        checks=checks,
        end_reason=ended.get("end_reason"),
        ended_at=ended.get("ended_at"),
    )
    session.add(mentorship)
    await session.flush()  # no relationship orders the two inserts
    session.add(
        MentorshipPlan(
            org_id=template.org_id,
            mentorship_id=mentorship.id,
            template_revision=template.revision,
            status="approved",
            goals=template.goals,
            checklist=template.checklist,
            schedule=template.schedule,
            submitted_at=approved_at,
            approved_at=approved_at,
        )
    )
    return mentorship


async def add_mentoring(session: AsyncSession, company: Company, clock: Clock) -> None:
    today = await people.org_today(session, company.org_id, clock)
    moment = clock.now().astimezone(UTC)
    program = MentoringProgram(
        org_id=company.org_id,
        name="新员工导师计划 New-hire mentoring",
        description="每位新员工配一名资深导师，为期一年 A senior mentor for every new hire",
        capacity=3,
        rules=[{"kind": "tenure", "min_months": TENURE_MONTHS}],
    )
    template = MenteeTemplate(
        org_id=company.org_id,
        name="应届毕业生 New graduate",
        role="new_graduate",
        duration_months=12,
        goals=GOALS,
        checklist=CHECKLIST,
        schedule=SCHEDULE,
        revision=1,
    )
    session.add_all([program, template])
    await session.flush()
    MENTEE_TEMPLATES.keep_revision(session, template)

    mentee_id = await _login_employee(session, company, "employee")
    seniors = sorted(
        (
            e
            for e in company.employees
            if e.id != mentee_id
            and _months_of_service(e.hire_date, today) >= TENURE_MONTHS
            and e.manager_id is not None
        ),
        key=lambda e: (e.hire_date, e.id),
    )
    approved_at = moment - timedelta(days=400)
    mentor, second = [
        await _add_mentor(session, program, employee, today, approved_at)
        for employee in seniors[:2]
    ]
    await session.flush()

    checks = _checks(seniors[0].hire_date, today)
    running = await _pairing(
        session,
        template,
        mentor,
        checks,
        mentee_id,
        today - timedelta(days=60),
        moment - timedelta(days=58),
    )
    former_mentee = next(
        e
        for e in reversed(company.employees)
        if e.id not in {mentee_id, mentor.employee_id, second.employee_id}
    )
    completed = await _pairing(
        session,
        template,
        mentor,
        checks,
        former_mentee.id,
        today - timedelta(days=430),
        moment - timedelta(days=428),
        status="completed",
        ended_at=moment - timedelta(days=60),
    )
    await session.flush()

    one_on_one = MentoringSession(
        org_id=company.org_id,
        mentorship_id=running.id,
        kind="one_on_one",
        held_on=today - timedelta(days=30),
        notes="熟悉车间安全规范，约定下月拜访两家重点客户 Safety rules walked through",
        checklist_covered=["safety"],
    )
    skill_test = MentoringSession(
        org_id=company.org_id,
        mentorship_id=running.id,
        kind="skill_test",
        held_on=today - timedelta(days=7),
        notes="产品知识测试 Product knowledge test",
        checklist_covered=["product"],
        score=Decimal("72"),
    )
    session.add_all([one_on_one, skill_test])
    await session.flush()
    session.add(
        MentoringSurvey(
            org_id=company.org_id,
            mentorship_id=running.id,
            session_id=one_on_one.id,
            on_time=5,
            relevant=4,
            solved=4,
            comment="导师讲得很具体 Very concrete advice",
        )
    )
    await session.flush()
    domain_events.emit(
        session, events.PLAN_APPROVED, {"mentorship_id": str(running.id)}, org_id=company.org_id
    )
    domain_events.emit(
        session,
        events.MENTORSHIP_ENDED,
        {"mentorship_id": str(completed.id)},
        org_id=company.org_id,
    )
