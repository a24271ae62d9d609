"""The demo's last weeks of training, so the points, the leaderboard, action plans and the
reports have something to show: a negotiation class held 40 days ago, every seat checked in
by QR (one late), the sales director's teaching, an action plan per participant — two scored
by HR and the manager, one of them adopted, one submitted, the rest open — and the Excel
course two thirds done by the demo employee. Points go through `training.ledger`, the one
writer of points, so the balances are what the app would have written."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.core.models import new_id
from hrcore.identity.models import User
from hrcore.seed.company import Company
from hrcore.training import ledger
from hrcore.training.models import ActionPlan, Course, CourseSession, Enrolment

HELD_DAYS_AGO = 40
SCORES = ((86, 80), (74, 70))
"""(HR, manager) scores of the first two participants' plans; the first is adopted."""

PLANS = (
    "拜访前列出客户三项核心诉求，每周复盘一次报价锚点。"
    " List each key account's three needs before a visit; review the price anchor weekly.",
    "谈判前与主管演练让步顺序，记录每次让步换来的条件。"
    " Rehearse the order of concessions with my chief; note what each one bought.",
    "整理华东区近一年成交案例，做成内部分享材料。"
    " Turn a year of East-region closed deals into an internal case deck.",
)


async def add_training_history(
    session: AsyncSession,
    company: Company,
    upcoming: CourseSession,
    excel: Course,
    clock: Clock,
) -> None:
    """Hold `upcoming`'s class 40 days ago for the same people, and start the Excel course."""
    org_id = company.org_id
    now = clock.now()
    held_on = (now - timedelta(days=HELD_DAYS_AGO)).date()
    held = CourseSession(
        org_id=org_id,
        course_id=upcoming.course_id,
        starts_at=datetime.combine(held_on, upcoming.starts_at.timetz()),
        ends_at=datetime.combine(held_on, upcoming.ends_at.timetz()),
        place=upcoming.place,
        capacity=upcoming.capacity,
        instructor_id=upcoming.instructor_id,
        instructor_allowance=upcoming.instructor_allowance,
        late_grace_minutes=upcoming.late_grace_minutes,
        status="completed",
    )
    session.add(held)
    await session.flush()
    participants = list(
        await session.scalars(
            select(Enrolment.employee_id)
            .where(Enrolment.org_id == org_id, Enrolment.session_id == upcoming.id)
            .order_by(Enrolment.employee_id)
        )
    )
    scorers = await _scorers(session, org_id)
    awards: list[ledger.Award] = []
    if held.instructor_id is not None:
        awards.append(
            ledger.Award(held.instructor_id, "teaching", "session", held.id, held.ends_at)
        )
    for index, employee_id in enumerate(participants):
        late = index == len(participants) - 1
        arrived = held.starts_at + timedelta(minutes=25 if late else -5)
        enrolment = Enrolment(
            org_id=org_id,
            course_id=upcoming.course_id,
            session_id=held.id,
            employee_id=employee_id,
            status="completed",
            source="needs",
            checked_in_at=arrived,
            late=late,
            check_in_method="qr",
            completed_modules=[],
            progress_percent=100,
            completed_at=arrived,
        )
        session.add(enrolment)
        await session.flush()
        awards.append(ledger.Award(employee_id, "attendance", "enrolment", enrolment.id, arrived))
        if late:
            awards.append(ledger.Award(employee_id, "late", "enrolment", enrolment.id, arrived))
        awards.extend(_plan(session, enrolment, index, scorers, held.ends_at))
    await session.flush()
    demo_employee = await session.scalar(
        select(User.employee_id).where(User.org_id == org_id, User.email == "employee@demo.example")
    )
    if demo_employee is not None:
        session.add(
            Enrolment(
                org_id=org_id,
                course_id=excel.id,
                employee_id=demo_employee,
                status="enrolled",
                source="self",
                completed_modules=["tables", "pivots"],
                progress_percent=66,
            )
        )
    await session.flush()
    await ledger.award_many(session, org_id, awards)


async def _scorers(session: AsyncSession, org_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The HR admin's and the section chief's accounts, who score the plans."""
    rows = await session.execute(
        select(User.email, User.id).where(
            User.org_id == org_id,
            User.email.in_(["hr@demo.example", "manager@demo.example"]),
        )
    )
    ids = {row.email: row.id for row in rows}
    return ids["hr@demo.example"], ids["manager@demo.example"]


def _plan(
    session: AsyncSession,
    enrolment: Enrolment,
    index: int,
    scorers: tuple[uuid.UUID, uuid.UUID],
    held_until: datetime,
) -> list[ledger.Award]:
    """The participant's action plan: scored (the first adopted), submitted, or open."""
    submitted_at = held_until + timedelta(days=12 + index)
    plan = ActionPlan(
        id=new_id(),
        org_id=enrolment.org_id,
        enrolment_id=enrolment.id,
        course_id=enrolment.course_id,
        employee_id=enrolment.employee_id,
        status="open",
    )
    session.add(plan)
    if index >= len(PLANS):
        return []
    plan.content = PLANS[index]
    plan.submitted_at = submitted_at
    plan.status = "submitted"
    if index >= len(SCORES):
        return []
    hr_score, manager_score = SCORES[index]
    scored_at = datetime.combine(submitted_at.date() + timedelta(days=3), time(2, 0), UTC)
    plan.status = "scored"
    plan.hr_score, plan.hr_scored_by = hr_score, scorers[0]
    plan.manager_score, plan.manager_scored_by = manager_score, scorers[1]
    plan.score = Decimal(hr_score + manager_score) / 2
    plan.scored_at = scored_at
    awards = [ledger.Award(enrolment.employee_id, "action_plan", "action_plan", plan.id, scored_at)]
    if index == 0:
        plan.adopted_at = scored_at + timedelta(days=2)
        plan.adopted_by = scorers[0]
        plan.adoption_note = "纳入销售部谈判手册。 Added to the sales negotiation handbook."
        awards.append(
            ledger.Award(enrolment.employee_id, "adopted", "action_plan", plan.id, plan.adopted_at)
        )
    return awards
