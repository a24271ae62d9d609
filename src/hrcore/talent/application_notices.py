"""The end of a competition's open applications, when its vacancy is filled or cancelled:
the appointee's application is `appointed`, everyone else's `closed` with the reason, each
closed one audited and its applicant told in the inbox (and DingTalk), in the transaction
that filled or cancelled the vacancy."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.org import api as org
from hrcore.talent import competition_repository
from hrcore.talent.models import Vacancy, VacancyApplicationStatus

APPLICATION_SUBJECT = "vacancy_application"
"""An applicant's notices are about their application."""


async def end_applications(
    session: AsyncSession,
    principal: Principal,
    vacancy: Vacancy,
    *,
    appointee_id: uuid.UUID | None,
    reason: str,
    now: datetime,
) -> int:
    """Close the vacancy's open applications (the appointee's as appointed); how many were
    closed without an appointment."""
    if vacancy.competition_rules is None:
        return 0
    appointed, closed = await competition_repository.close_applications(
        session, vacancy.org_id, vacancy.id, appointee_id=appointee_id, at=now, reason=reason
    )
    if appointed is not None:
        audit.record(
            session,
            principal,
            "vacancy_application.appointed",
            "vacancy_application",
            appointed,
            org_id=vacancy.org_id,
            before={"status": VacancyApplicationStatus.APPLIED.value},
            after={"status": VacancyApplicationStatus.APPOINTED.value},
        )
    if not closed:
        return 0
    await audit.record_many(
        session,
        principal,
        "vacancy_application.closed",
        "vacancy_application",
        [(application_id, {"status": "closed", "reason": reason}) for application_id, _ in closed],
        org_id=vacancy.org_id,
        before={"status": VacancyApplicationStatus.APPLIED.value},
    )
    await _tell_applicants(session, vacancy, closed, filled=appointee_id is not None)
    return len(closed)


async def _tell_applicants(
    session: AsyncSession,
    vacancy: Vacancy,
    closed: list[tuple[uuid.UUID, uuid.UUID]],
    *,
    filled: bool,
) -> None:
    position = await org.require_position(session, vacancy.org_id, vacancy.position_id)
    users = await identity.user_ids_for_employees(
        session, vacancy.org_id, [employee_id for _, employee_id in closed]
    )
    title = _("Your application for {position} is closed", position=position.title)
    if filled:
        body = _(
            "The post was filled by another candidate. Thank you for applying: your points and "
            "development count towards the next competition."
        )
    else:
        body = _("The vacancy was cancelled, so the competition for it ended.")
    await notifications.notify_many(
        session,
        org_id=vacancy.org_id,
        messages=[
            notifications.Message(
                users.get(employee_id, []),
                "talent.application_closed",
                title,
                body,
                APPLICATION_SUBJECT,
                application_id,
                f"vacancy_application:{application_id}:closed",
            )
            for application_id, employee_id in closed
        ],
    )
