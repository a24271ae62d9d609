"""The demo's goals and continuous feedback 「目标与反馈」: the quarter's cascade from the
organization to the sales department, the East Sales Section and its representatives — key
results linked to the scheme's indicators (progress from the demo's observations) or checked
in by hand — plus the demo employee's goal of the month, their 1:1s with their section chief
and praise and suggestions between colleagues, so `/me/dashboard`, `/goals/tree`,
`/check-ins` and `/feedback` have something to show."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.identity import api as identity
from hrcore.identity.models import User
from hrcore.people import api as people
from hrcore.people.models import Employee
from hrcore.performance.check_in_models import CheckIn, CheckInPrivateNote, Feedback
from hrcore.performance.goals_models import Goal, GoalKeyResult, KeyResultCheckIn
from hrcore.seed.company import Company

KeyResultRow = tuple[str, str, float, float, float, str | None]
"""title, unit, start, target, weight, indicator (None: checked in by hand)."""


async def _accounts(
    session: AsyncSession, company: Company
) -> dict[str, tuple[uuid.UUID, uuid.UUID]]:
    """The demo logins (`hr`, `manager`, …): each one's user and employee ids."""
    rows = await session.execute(
        select(User.email, User.id, User.employee_id).where(User.org_id == company.org_id)
    )
    return {
        email.split("@")[0]: (user_id, employee_id)
        for email, user_id, employee_id in rows
        if employee_id is not None
    }


def _goal(
    session: AsyncSession,
    company: Company,
    by: uuid.UUID,
    title: str,
    period: str,
    key_results: list[KeyResultRow],
    **owner: uuid.UUID,
) -> tuple[Goal, list[GoalKeyResult]]:
    level = (
        "person"
        if owner.get("employee_id")
        else "department"
        if owner.get("department_id")
        else "organization"
    )
    goal = Goal(
        org_id=company.org_id,
        level=level,
        title=title,
        period=period,
        status="active",
        created_by=by,
        **owner,
    )
    session.add(goal)
    rows = [
        GoalKeyResult(
            org_id=company.org_id,
            goal_id=goal.id,
            position=number,
            title=kr_title,
            unit=unit,
            start=start,
            target=target,
            weight=weight,
            indicator=indicator,
        )
        for number, (kr_title, unit, start, target, weight, indicator) in enumerate(
            key_results, start=1
        )
    ]
    session.add_all(rows)
    return goal, rows


async def add_goals_and_feedback(session: AsyncSession, company: Company, clock: Clock) -> None:
    """The cascade of the current quarter (and the demo employee's month), with check-ins,
    1:1s and feedback, dated around today where the organization is."""
    today = await people.org_today(session, company.org_id, clock)
    zone = ZoneInfo(await identity.org_timezone(session, company.org_id))
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    month = f"{today.year}-{today.month:02d}"
    accounts = await _accounts(session, company)
    hr = accounts["hr"][0]
    chief_user, chief = accounts["manager"]
    me_user, me = accounts["employee"]
    head_user = accounts["sales.head"][0]
    sales, east = company.departments["SALES"], company.departments["SALES-E"]

    grow, _ = _goal(
        session,
        company,
        hr,
        "季度营收增长 Grow the quarter's revenue",
        quarter,
        [("新签客户 New customers", "customers", 0, 40, 1, None)],
    )
    department, _ = _goal(
        session,
        company,
        head_user,
        "销售部提升客户体验 Sales: a better customer experience",
        quarter,
        [("重点客户回访 Key accounts revisited", "accounts", 0, 25, 1, None)],
        department_id=sales.id,
        parent_id=grow.id,
    )
    section, _ = _goal(
        session,
        company,
        head_user,
        "华东科质量达标 East Sales: quality on target",
        quarter,
        [("质量 Quality", "%", 90, 97, 1, "quality")],
        department_id=east.id,
        parent_id=department.id,
    )
    reps = [e for e in company.employees if e.manager_id == chief]  # the chief's team
    checked: list[tuple[GoalKeyResult, float, str, uuid.UUID, int]] = []
    for rep in reps:
        _, (_, visits) = _goal(
            session,
            company,
            chief_user,
            "本季度业绩 My quarter's results",
            quarter,
            [
                ("产出 Output", "orders", 0, 60, 2, "output"),
                ("客户拜访 Customer visits", "visits", 0, 30, 1, None),
            ],
            employee_id=rep.id,
            parent_id=section.id,
        )
        checked.append((visits, 12, "两周拜访 12 家 Twelve visits in two weeks", chief_user, 14))
        if rep.id == me:
            checked.append((visits, 17, "新区域开拓 New district opened", me_user, 7))
    _goal(
        session,
        company,
        me_user,
        "本月客户响应提速 Faster customer response this month",
        month,
        [("客户响应 Customer response", "h", 3, 1, 1, "customer_feedback")],
        employee_id=me,
    )
    await session.flush()
    moment = datetime.combine(today, time(10), tzinfo=zone)
    for key_result, value, note, by, days_ago in checked:
        session.add(
            KeyResultCheckIn(
                org_id=company.org_id,
                key_result_id=key_result.id,
                value=value,
                note=note,
                recorded_by=by,
                recorded_at=(moment - timedelta(days=days_ago)).astimezone(UTC),
            )
        )
    _check_ins(session, company, chief, me, chief_user, moment)
    _feedback(session, company, chief, me, reps, moment)


def _check_ins(
    session: AsyncSession,
    company: Company,
    chief: uuid.UUID,
    me: uuid.UUID,
    chief_user: uuid.UUID,
    moment: datetime,
) -> None:
    """A 1:1 held a week ago (with the chief's private note) and the next one in a week."""
    held = CheckIn(
        org_id=company.org_id,
        manager_id=chief,
        report_id=me,
        scheduled_at=moment - timedelta(days=7),
        status="held",
        agenda=["季度目标进展 The quarter's goals", "客户响应时间 Customer response time"],
        shared_notes="响应时间变长：先处理积压工单。Response time grew: clear the backlog first.",
        closed_at=moment - timedelta(days=7, hours=-1),
        created_by=chief_user,
    )
    session.add(held)
    session.add(
        CheckInPrivateNote(
            org_id=company.org_id,
            check_in_id=held.id,
            author_id=chief,
            text="考虑安排客户服务培训 Consider customer-service training.",
        )
    )
    session.add(
        CheckIn(
            org_id=company.org_id,
            manager_id=chief,
            report_id=me,
            scheduled_at=moment + timedelta(days=7),
            status="scheduled",
            agenda=["积压工单清理情况 Backlog cleared?"],
            created_by=chief_user,
        )
    )


def _feedback(
    session: AsyncSession,
    company: Company,
    chief: uuid.UUID,
    me: uuid.UUID,
    reps: list[Employee],
    moment: datetime,
) -> None:
    """Praise from the chief (public), a colleague's suggestion (private), the demo
    employee's own praise of a colleague (their manager sees it)."""
    colleague = next(rep.id for rep in reps if rep.id != me)
    for giver, receiver, kind, text, visibility, indicator, days in (
        (
            chief,
            me,
            "praise",
            "新区域开拓得很好！Great work opening the new district!",
            "public",
            "output",
            3,
        ),
        (
            colleague,
            me,
            "suggestion",
            "客户邮件可以更早回复。Answer customer mail sooner.",
            "private",
            "customer_feedback",
            2,
        ),
        (
            me,
            colleague,
            "praise",
            "谢谢你帮我准备方案。Thanks for helping with the proposal.",
            "manager",
            None,
            1,
        ),
    ):
        session.add(
            Feedback(
                org_id=company.org_id,
                giver_id=giver,
                receiver_id=receiver,
                kind=kind,
                text=text,
                indicator=indicator,
                visibility=visibility,
                created_at=(moment - timedelta(days=days)).astimezone(UTC),
            )
        )
