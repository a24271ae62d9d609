"""The demo's privacy records, so every privacy list of `make dev` has something in it: two
retention rules, a legal hold on a production worker in a dispute, the read-access log of the
sales rep's data (HR and the section chief opened their profile; HR their contracts, with a
purpose) written as the worker's drain would, and the sales rep's objection to one of their
automated evaluations, open, with HR's review task."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars import api as calendars
from hrcore.core.authz import Principal, Role
from hrcore.core.clock import Clock
from hrcore.core.i18n import _
from hrcore.identity.models import User
from hrcore.people import api as people
from hrcore.privacy.automated_evaluations import evaluations_of
from hrcore.privacy.automated_models import AutomatedEvaluationObjection, ObjectionStatus
from hrcore.privacy.automated_objections import REVIEW_TASK_KIND, REVIEW_WORKING_DAYS, SUBJECT
from hrcore.privacy.holds_models import LegalHold
from hrcore.privacy.read_log_models import ReadAccessEvent
from hrcore.privacy.retention_models import RetentionRule
from hrcore.seed.company import Company
from hrcore.settings import Settings
from hrcore.workflow import api as workflow

RULES = (
    ("departed_employee_identity", 3, "years", "anonymise"),
    ("review_raw_answers", 2, "years", "delete"),
)
READS = (
    # who, days ago, class, what, operation, purpose
    ("hr", 12, "evaluation", "profile", "get_employee_profile", "年度人才盘点"),
    ("hr", 12, "sensitive", "profile.contracts", "get_employee_profile", "年度人才盘点"),
    ("manager", 5, "evaluation", "profile", "get_employee_profile", None),
    ("manager", 2, "evaluation", "performance_ratings", "list_performance_ratings", None),
)


async def _user(session: AsyncSession, login: str) -> User:
    user = await session.scalar(select(User).where(User.email == f"{login}@demo.example"))
    assert user is not None, f"the demo's {login} account is built before"
    return user


async def add_privacy_records(
    session: AsyncSession, company: Company, clock: Clock, settings: Settings
) -> None:
    now = clock.now()
    hr, manager, rep = [await _user(session, login) for login in ("hr", "manager", "employee")]
    assert rep.employee_id is not None
    assert hr.employee_id is not None
    for kind, amount, unit, action in RULES:
        session.add(
            RetentionRule(
                org_id=company.org_id,
                subject_kind=kind,
                period_amount=amount,
                period_unit=unit,
                action=action,
                enabled=True,
            )
        )
    technician = company.positions["PROD-OP"].id
    held = next(e for e in company.employees if e.position_id == technician)
    session.add(
        LegalHold(
            org_id=company.org_id,
            employee_id=held.id,
            reason="劳动争议仲裁进行中，相关人事记录须保全。",
            case_reference="京劳仲字〔2026〕第118号",
            placed_by=hr.id,
        )
    )
    readers = {"hr": hr, "manager": manager}
    session.add_all(
        ReadAccessEvent(
            org_id=company.org_id,
            occurred_at=now - timedelta(days=days_ago),
            actor_kind="user",
            actor_id=readers[who].id,
            subject_employee_id=rep.employee_id,
            data_class=data_class,
            what=what,
            operation=operation,
            purpose=purpose,
            masked=False,
            request_id=f"demo-{uuid.uuid4().hex}",
        )
        for who, days_ago, data_class, what, operation, purpose in READS
    )
    await _objection(session, company, clock, settings, rep, hr.employee_id)


async def _objection(
    session: AsyncSession,
    company: Company,
    clock: Clock,
    settings: Settings,
    rep: User,
    reviewer: uuid.UUID,
) -> None:
    """The sales rep objects to their first competency score (or, lacking one, their first
    evaluation) as privacy computes it for them, so the snapshot is what they would see."""
    assert rep.employee_id is not None
    principal = Principal(
        kind="user",
        id=rep.id,
        org_id=company.org_id,
        employee_id=rep.employee_id,
        roles=frozenset({Role.EMPLOYEE}),
    )
    await session.flush()
    shown = await evaluations_of(session, principal, clock, settings)
    assert shown, "the demo employee has automated evaluations"
    evaluation = next((e for e in shown if e.kind == "competency_score"), shown[0])
    objection = AutomatedEvaluationObjection(
        org_id=company.org_id,
        employee_id=rep.employee_id,
        evaluation_id=evaluation.id,
        kind=evaluation.kind.value,
        snapshot=evaluation.model_copy(update={"objection": None}).model_dump(mode="json"),
        message="这项评分没有计入我上季度完成的大客户谈判培训，请人工复核。",
        status=ObjectionStatus.OPEN.value,
    )
    session.add(objection)
    await session.flush()
    today = await people.org_today(session, company.org_id, clock)
    calendar = await calendars.work_calendar(session, company.org_id)
    name = (await people.employee_refs(session, company.org_id, [rep.employee_id]))[
        rep.employee_id
    ].name
    objection.task_id = await workflow.create_task(
        session,
        org_id=company.org_id,
        subject_type=SUBJECT,
        subject_id=objection.id,
        kind=REVIEW_TASK_KIND,
        assignee_employee_id=reviewer,
        subject_employee_id=rep.employee_id,
        due=calendar.add_working_days(today, REVIEW_WORKING_DAYS),
        title=_(
            "Review {employee}'s objection to an automated evaluation: {what}",
            employee=name,
            what=evaluation.subject.name,
        ),
    )
