"""Amendments following their temporary post after it was recorded: withdrawn before it
began, or ended early.

People announces both (`EMPLOYMENT_EVENT_WITHDRAWN`, `EMPLOYMENT_EVENT_ENDED_EARLY`) and
the worker runs these reactions, which re-read the event and are idempotent (a repeated job
finds the amendments already following it):

- **Withdrawn.** A draft the employee has not confirmed is withdrawn with its post (its
  confirmation task cancelled). A confirmed one is what both parties signed: it stays, is
  marked, is never applied (the post it describes never starts), and HR gets a task to
  settle it with the employee in writing.
- **Ended early.** A draft gets a new version with the real end, superseding the one the
  employee was asked to confirm. A confirmed one is restated by a new `early_end` amendment
  — the same post and terms until the real end — which the employee confirms in turn.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import access, amendments, confirmation, drafting, repository
from hrcore.contracts.models import Amendment, AmendmentVersion
from hrcore.contracts.schemas import AmendmentTermsIn
from hrcore.contracts.terms import AMENDMENT_SUBJECT
from hrcore.core import audit
from hrcore.core.clock import Clock
from hrcore.core.i18n import _
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.workflow import api as workflow

WITHDRAW_JOB = "contracts.withdraw_amendments"
EARLY_END_JOB = "contracts.redraft_for_early_end"
WITHDRAWAL_TASK_KIND = "contract_amendment_withdrawal"
WITHDRAWAL_DAYS = 7
"""HR settles a confirmed amendment whose post was withdrawn within 7 days (working days
when the organization counts its tasks' days so)."""
EARLY_END = "early_end"


async def withdraw_for_event(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID, clock: Clock
) -> int:
    """The amendments of a withdrawn temporary post: drafts withdrawn, confirmed ones marked
    and handed to HR. Returns how many changed (none when run again)."""
    event = await people.employment_event(session, org_id, event_id)
    if event is None or not event.withdrawn:
        return 0
    changed = 0
    for amendment in await repository.amendments_of_event(session, org_id, event_id):
        if amendment.withdrawn_at is not None or amendment.status == "withdrawn":
            continue
        amendment.withdrawn_at = clock.now()
        amendment.withdrawal_reason = event.withdrawal_reason
        if amendment.status == "draft":
            amendment.status = "withdrawn"
            await confirmation.withdraw_request(session, amendment, clock, None)
            action = "contract_amendment.withdrawn"
        else:
            amendment.withdrawal_task_id = await _ask_hr_to_settle(session, amendment, clock)
            action = "contract_amendment.post_withdrawn"
        await session.flush()
        audit.record(
            session,
            None,
            action,
            AMENDMENT_SUBJECT,
            amendment.id,
            org_id=org_id,
            before={"status": "draft" if amendment.status == "withdrawn" else amendment.status},
            after={
                "status": amendment.status,
                "event_id": str(event_id),
                "reason": event.withdrawal_reason,
            },
        )
        changed += 1
    return changed


async def _ask_hr_to_settle(
    session: AsyncSession, amendment: Amendment, clock: Clock
) -> uuid.UUID | None:
    """A task for the HR admin who gets HR's work (as the expiry watch picks); without one
    linked to an employee record, every HR admin hears of it in the inbox."""
    org_id = amendment.org_id
    names = await people.employee_summaries(session, org_id, [amendment.employee_id])
    name = names.get(amendment.employee_id)
    title = _(
        "The temporary post of {employee}'s confirmed contract amendment was withdrawn: "
        "settle the amendment with them",
        employee=name.ref.name if name else _("an employee"),
    )
    hr_employees, hr_users = await access.hr_recipients(session, org_id)
    if hr_employees:
        today = await people.org_today(session, org_id, clock)
        return await workflow.create_task(
            session,
            org_id=org_id,
            subject_type=AMENDMENT_SUBJECT,
            subject_id=amendment.id,
            kind=WITHDRAWAL_TASK_KIND,
            assignee_employee_id=hr_employees[0],
            subject_employee_id=amendment.employee_id,
            title=title,
            due=await workflow.due_after(session, org_id, today, WITHDRAWAL_DAYS),
        )
    await notifications.notify(
        session,
        org_id=org_id,
        user_ids=hr_users,
        kind="contract.amendment_post_withdrawn",
        title=title,
        body=_("The signed amendment stays on file and is not applied."),
        subject_type=AMENDMENT_SUBJECT,
        subject_id=amendment.id,
        dedupe_key=f"amendment:{amendment.id}:post-withdrawn",
    )
    return None


def _restated(version: AmendmentVersion, end_date: date) -> AmendmentTermsIn:
    """The version's terms and dates with the temporary post's real end."""
    terms = version.terms
    return AmendmentTermsIn(
        effective_date=version.effective_date,
        end_date=max(end_date, version.effective_date),
        department_id=terms["department_id"],
        position_id=terms["position_id"],
        grade=terms["grade"],
        allowance=terms["allowance"],
        pay_terms_ref=terms.get("pay_terms_ref"),
        post_title=terms.get("post_title"),
        note=version.note,
    )


async def redraft_for_early_end(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID, clock: Clock
) -> Amendment | None:
    """The newest amendment of a temporary post that ended early, made to say the real end:
    a draft revised (a new version), a confirmed one restated by an `early_end` amendment.
    None when nothing was drafted yet (the drafting job reads the new end itself), when the
    newest already says it, or when its contract is no longer active."""
    event = await people.employment_event(session, org_id, event_id)
    if event is None or event.kind != "temporary_post" or event.withdrawn:
        return None
    chain = [
        amendment
        for amendment in await repository.amendments_of_event(session, org_id, event_id)
        if amendment.status != "withdrawn"
    ]
    if not chain or event.end_date is None:
        return None
    latest = chain[-1]
    version = await amendments.current_version(session, latest)
    contract = await repository.contract_by_id(session, org_id, latest.contract_id, for_update=True)
    if version.end_date == event.end_date or contract is None or contract.status != "active":
        return None
    body = _restated(version, event.end_date)
    if latest.status == "confirmed":
        drafted = await drafting.draft(
            session, contract, body, event_id=event.id, actor=None, clock=clock, source=EARLY_END
        )
        return drafted[0] if drafted else None
    number = latest.current_version + 1
    added = await drafting.add_version(
        session, latest, contract, body, number=number, actor=None, clock=clock
    )
    if added is None:
        return None
    latest.current_version = number
    await confirmation.withdraw_request(session, latest, clock, None)
    await session.flush()
    audit.record(
        session,
        None,
        "contract_amendment.revised",
        AMENDMENT_SUBJECT,
        latest.id,
        org_id=org_id,
        before={"end_date": version.end_date.isoformat() if version.end_date else None},
        after={"version": number, "end_date": event.end_date.isoformat(), "ended_early": True},
    )
    return latest
