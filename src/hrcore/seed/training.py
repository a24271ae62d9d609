"""The demo's training 「培训」: a negotiation class for the sales force (tagged with the
customer-resource and communication competencies, taught by the sales director, 500 元 a
class), a lean-production class, and an online Excel course with three modules; one session
of each class in the current quarter, and sales representatives (the demo employee among
them) enrolled in the negotiation class — so `/courses`, `/course-sessions`, their
enrolments, `/me/enrolments` and the calendar feed have something to show; and, before
them, the class held 40 days ago with its check-ins, plans and points (`training_history`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.models import Competency
from hrcore.core.clock import Clock
from hrcore.identity.models import User
from hrcore.seed.company import Company
from hrcore.seed.training_history import add_training_history
from hrcore.training.models import Course, CourseSession, Enrolment

NEGOTIATION_COMPETENCIES = ("客户资源整合 Customer resource integration", "沟通协调 Communication")
ALLOWANCE = Decimal("500.00")
ENROLLED_REPS = 5


def _class_day(today: date) -> date:
    """A week from today, kept inside the current quarter (its last day at the latest)."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    if first_month == 10:
        next_quarter = date(today.year + 1, 1, 1)
    else:
        next_quarter = date(today.year, first_month + 3, 1)
    return max(today, min(today + timedelta(days=7), next_quarter - timedelta(days=1)))


async def add_training(session: AsyncSession, company: Company, clock: Clock) -> None:
    today = clock.now().date()
    org_id = company.org_id
    competencies = list(
        await session.scalars(
            select(Competency.id).where(
                Competency.org_id == org_id, Competency.name.in_(NEGOTIATION_COMPETENCIES)
            )
        )
    )
    negotiation = Course(
        org_id=org_id,
        name="商务谈判实战 Negotiation in practice",
        description="Preparing, anchoring and closing with key accounts.",
        mode="offline",
        category="销售 Sales",
        hours=Decimal("6.0"),
        fee=Decimal("3000.00"),
        competency_ids=competencies,
        modules=[],
        completion_threshold=100,
    )
    lean = Course(
        org_id=org_id,
        name="精益生产入门 Lean production basics",
        mode="offline",
        category="生产 Production",
        hours=Decimal("4.0"),
        competency_ids=[],
        modules=[],
        completion_threshold=100,
    )
    excel = Course(
        org_id=org_id,
        name="Excel 数据分析 Excel for analysis",
        mode="online",
        category="通用 General",
        hours=Decimal("2.0"),
        competency_ids=[],
        modules=[
            {"key": "tables", "title": "数据表 Tables"},
            {"key": "pivots", "title": "数据透视 Pivot tables"},
            {"key": "charts", "title": "图表 Charts"},
        ],
        completion_threshold=80,
        pass_mark=60,
    )
    session.add_all([negotiation, lean, excel])
    await session.flush()
    director = next(
        e
        for e in company.employees
        if e.position_id == company.positions["DIR"].id
        and e.department_id == company.departments["SALES"].id
    )
    day = _class_day(today)
    negotiation_class = CourseSession(
        org_id=org_id,
        course_id=negotiation.id,
        starts_at=datetime.combine(day, time(1, 30), UTC),
        ends_at=datetime.combine(day, time(8, 0), UTC),
        place="总部 3 楼培训室 HQ training room, 3F",
        capacity=20,
        instructor_id=director.id,
        instructor_allowance=ALLOWANCE,
        late_grace_minutes=10,
        status="scheduled",
    )
    lean_class = CourseSession(
        org_id=org_id,
        course_id=lean.id,
        starts_at=datetime.combine(day, time(6, 0), UTC),
        ends_at=datetime.combine(day, time(9, 30), UTC),
        place="装配车间会议室 Assembly workshop meeting room",
        capacity=15,
        late_grace_minutes=10,
        status="scheduled",
    )
    session.add_all([negotiation_class, lean_class])
    await session.flush()
    demo_employee = await session.scalar(
        select(User.employee_id).where(User.org_id == org_id, User.email == "employee@demo.example")
    )
    reps = [e.id for e in company.employees if e.position_id == company.positions["SALES-REP"].id]
    enrolled = list(dict.fromkeys([demo_employee, *reps]))[:ENROLLED_REPS]
    session.add_all(
        Enrolment(
            org_id=org_id,
            course_id=negotiation.id,
            session_id=negotiation_class.id,
            employee_id=employee_id,
            status="enrolled",
            source="needs",
            completed_modules=[],
        )
        for employee_id in enrolled
        if employee_id is not None
    )
    await session.flush()
    await add_training_history(session, company, negotiation_class, excel, clock)
