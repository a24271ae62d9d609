"""The demo's privacy: the organization's consent text for sensitive personal information
(version 1, bilingual), the HR specialist's and the sales rep's consents to it, and an open
request of the sales rep to correct their phone number with HR's task due in 15 working
days — so `/consent-texts`, `/me/consents` and `/privacy-requests` have something to show."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars import api as calendars
from hrcore.core.clock import Clock
from hrcore.core.i18n import _
from hrcore.identity.models import User
from hrcore.people import api as people
from hrcore.privacy.consent_models import Consent, ConsentText
from hrcore.privacy.requests_models import DEFAULT_DEADLINE_DAYS, PrivacyRequest
from hrcore.seed.company import Company
from hrcore.workflow import api as workflow

BODY_ZH = (
    "为发放岗位津贴和核定薪酬等级，公司将处理您的薪酬信息（敏感个人信息）。"
    "您可以随时在「我的同意」中撤回同意；撤回后公司将不再处理该信息。"
)
BODY_EN = (
    "To pay post allowances and set pay grades, the company processes your pay (sensitive "
    "personal information). You may withdraw this consent at any time under My consents; "
    "the company then stops processing it."
)


async def add_privacy(session: AsyncSession, company: Company, clock: Clock) -> None:
    now = clock.now()
    hr = await session.scalar(select(User).where(User.email == "hr@demo.example"))
    rep = await session.scalar(select(User).where(User.email == "employee@demo.example"))
    assert hr is not None, "the demo's HR account is built before"
    assert rep is not None, "the demo's employee account is built before"
    assert hr.employee_id is not None
    assert rep.employee_id is not None
    text = ConsentText(
        org_id=company.org_id,
        purpose="sensitive_data",
        text_version=1,
        title_zh="敏感个人信息（薪酬）处理同意书",
        title_en="Consent to processing sensitive personal information (pay)",
        body_zh=BODY_ZH,
        body_en=BODY_EN,
        published_at=now - timedelta(days=30),
        published_by=hr.id,
    )
    session.add(text)
    await session.flush()
    for user in (hr, rep):
        session.add(
            Consent(
                org_id=company.org_id,
                employee_id=user.employee_id,
                text_id=text.id,
                purpose=text.purpose,
                given_at=now - timedelta(days=20),
                given_by=user.id,
            )
        )
    today = await people.org_today(session, company.org_id, clock)
    calendar = await calendars.work_calendar(session, company.org_id)
    request = PrivacyRequest(
        org_id=company.org_id,
        employee_id=rep.employee_id,
        requested_by=rep.id,
        kind="correct",
        message="我的手机号码已更换为 138 0000 0000，请更正。",
        status="open",
        due_on=calendar.add_working_days(today, DEFAULT_DEADLINE_DAYS),
    )
    session.add(request)
    await session.flush()
    name = (await people.employee_refs(session, company.org_id, [rep.employee_id]))[
        rep.employee_id
    ].name
    request.task_id = await workflow.create_task(
        session,
        org_id=company.org_id,
        subject_type="privacy_request",
        subject_id=request.id,
        kind="privacy.request",
        assignee_employee_id=hr.employee_id,
        subject_employee_id=rep.employee_id,
        title=_("Correct {employee}'s personal information as requested", employee=name),
        due=request.due_on,
        confidential=True,
    )
