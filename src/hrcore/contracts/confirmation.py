"""The employee confirms the amendment document they read.

When the current version's document is ready the employee gets a confirmation task (with
workflow's reminders and escalation) and an inbox message. Confirming names the version and
the SHA-256 of its document; it records who, when and what, applies the changed terms to the
contract and completes the task, which closes no other way: a revision cancels it (the new
version's ready document asks again), and so does confirming another amendment of the same
contract, which leaves this one to be revised.

The terms apply on the version's effective date in the organization's time zone: at once
when it has come, else by the hourly job (`apply_due`) on that date. Until then the
amendment is confirmed but not applied, and no other amendment of the contract is confirmed.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import access, amendments, repository
from hrcore.contracts.models import Amendment, AmendmentVersion, Contract
from hrcore.contracts.schemas import AmendmentConfirm
from hrcore.contracts.terms import AMENDMENT_SUBJECT, CONTRACT_SUBJECT, drafted_against, snapshot
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow

if TYPE_CHECKING:  # the shapes of workflow's validator hook, for type checking only
    from hrcore.workflow.api import Submission, TaskInfo

CONFIRM_TASK_KIND = "contract_amendment_confirmation"
CONFIRM_DAYS = 7
"""The employee is asked to confirm within 7 days of the document being ready: working days
when the organization counts its tasks' days so (`workflow.due_after`)."""


async def ask_to_confirm(session: AsyncSession, amendment: Amendment, clock: Clock) -> None:
    """One open confirmation task per amendment, for its current version (reminders and
    escalation from workflow); a new version's document is announced in the inbox."""
    org_id = amendment.org_id
    if amendment.confirm_task_id is None:
        today = await people.org_today(session, org_id, clock)
        amendment.confirm_task_id = await workflow.create_task(
            session,
            org_id=org_id,
            subject_type=AMENDMENT_SUBJECT,
            subject_id=amendment.id,
            kind=CONFIRM_TASK_KIND,
            assignee_employee_id=amendment.employee_id,
            subject_employee_id=amendment.employee_id,
            title=_("Confirm your contract amendment"),
            due=await workflow.due_after(session, org_id, today, CONFIRM_DAYS),
        )
    users = await identity.user_ids_for_employees(session, org_id, [amendment.employee_id])
    await notifications.notify(
        session,
        org_id=org_id,
        user_ids=users.get(amendment.employee_id, []),
        kind="contract.amendment_ready",
        title=_("A contract amendment awaits your confirmation"),
        body=_(
            "Version {version} of your contract amendment is ready to read.",
            version=amendment.current_version,
        ),
        subject_type=AMENDMENT_SUBJECT,
        subject_id=amendment.id,
        dedupe_key=f"amendment:{amendment.id}:v{amendment.current_version}:ready",
    )


async def withdraw_request(
    session: AsyncSession, amendment: Amendment, clock: Clock, actor: Principal | None
) -> None:
    """A new version supersedes the one the employee was asked to confirm: that task is
    cancelled (it could never be completed), and the new version's ready document asks
    again with a task of its own."""
    if amendment.confirm_task_id is None:
        return
    await workflow.cancel_open_tasks(  # leaves a task closed meanwhile as it is, never a 409
        session,
        org_id=amendment.org_id,
        task_ids=[amendment.confirm_task_id],
        clock=clock,
        actor=actor,
    )
    amendment.confirm_task_id = None


async def _withdraw_overtaken(
    session: AsyncSession, principal: Principal | None, contract: Contract, clock: Clock
) -> None:
    """Other drafts of the contract were drafted against the terms just replaced: they cannot
    be confirmed until HR revises them, so their tasks are cancelled (the revision asks
    again) instead of reminding the employee of what they cannot do."""
    drafts = await repository.drafts_awaiting_confirmation(session, contract.org_id, contract.id)
    versions = await repository.current_versions(session, contract.org_id, drafts)
    for draft in drafts:
        if not drafted_against(contract, versions[draft.id].base_terms):
            await withdraw_request(session, draft, clock, principal)


async def confirmed_only(
    session: AsyncSession, task: TaskInfo, submission: Submission | None
) -> None:
    """The confirmation task closes through `/amendments/{id}/confirm` only, which records
    the document confirmed; completing it at `/tasks/{id}/complete` would skip that."""
    amendment = await repository.amendment_by_id(session, task.org_id, task.subject_id)
    if amendment is not None and amendment.status != "confirmed":
        raise Unprocessable(
            _("Confirm the amendment itself: POST /amendments/{id}/confirm", id=amendment.id),
            errors=[FieldError(field="task", message=_("completed by the confirmation"))],
        )


async def confirm_amendment(
    session: AsyncSession,
    principal: Principal,
    amendment_id: uuid.UUID,
    body: AmendmentConfirm,
    clock: Clock,
) -> tuple[Amendment, AmendmentVersion]:
    """The employee confirms the document they read: only the current version, by its hash.

    Records who, when and which document; applies the terms to the contract when the
    version's effective date has come (else the daily job does on that date); completes the
    confirmation task. HR may see the amendment but not confirm it (403); anyone else: 404.
    """
    amendment = await access.amendment_in_reach(session, principal, amendment_id, for_update=True)
    version = await _confirmable(session, principal, amendment, body)
    contract = await access.contract_in_reach(
        session, principal, amendment.contract_id, for_update=True
    )
    if not drafted_against(contract, version.base_terms):
        raise Conflict(_("The contract changed since this version was drafted; HR revises it"))
    waiting = await repository.confirmed_not_applied(session, contract.org_id, contract.id)
    if waiting is not None:
        raise Conflict(
            _(
                "Another confirmed amendment of this contract takes effect first; "
                "HR revises this one after it"
            )
        )
    amendment.status, amendment.confirmed_at = "confirmed", clock.now()
    amendment.confirmed_by = principal.user_id
    amendment.confirmed_version, amendment.confirmed_sha256 = version.number, body.document_sha256
    if version.effective_date <= await people.org_today(session, contract.org_id, clock):
        await _take_effect(session, principal, amendment, contract, version, clock)
    if amendment.confirm_task_id is not None:
        await workflow.complete_task(
            session,
            org_id=principal.org_id,
            task_id=amendment.confirm_task_id,
            clock=clock,
            actor=principal,
        )
    await session.flush()
    await _announce_confirmation(session, principal, amendment)
    return amendment, version


async def _confirmable(
    session: AsyncSession, principal: Principal, amendment: Amendment, body: AmendmentConfirm
) -> AmendmentVersion:
    """The version `body` names, when it is the current one and its document is the one read."""
    access.require_confirmer(principal, amendment)
    if amendment.status == "confirmed":
        raise Conflict(_("The amendment is already confirmed"))
    if amendment.status == "withdrawn":
        raise Conflict(_("The amendment was withdrawn with its temporary post"))
    if body.version != amendment.current_version:
        raise Conflict(
            _(
                "Version {version} is superseded; read and confirm version {current}",
                version=body.version,
                current=amendment.current_version,
            )
        )
    version = await amendments.current_version(session, amendment)
    if version.document_status != "ready":
        raise Conflict(_("The document of this version is not ready"))
    if body.document_sha256 != version.document_sha256:
        raise Conflict(_("This is not the document of the current version"))
    return version


async def _announce_confirmation(
    session: AsyncSession, principal: Principal, amendment: Amendment
) -> None:
    after = {"version": amendment.confirmed_version, "document_sha256": amendment.confirmed_sha256}
    audit.record(
        session,
        principal,
        "contract_amendment.confirmed",
        AMENDMENT_SUBJECT,
        amendment.id,
        org_id=principal.org_id,
        after=after,
    )
    await webhooks.publish(
        session,
        org_id=principal.org_id,
        event_type=webhooks.EventType.CONTRACT_AMENDMENT_CONFIRMED,
        payload={"amendment_id": str(amendment.id), "contract_id": str(amendment.contract_id)}
        | after,
        event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"hrcore:amendment:{amendment.id}:confirmed"),
    )


async def apply_due(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> int:
    """The hourly job: confirmed amendments whose effective date has come reach their
    contracts, once (locked, then marked applied). Returns how many."""
    today = await people.org_today(session, org_id, clock)
    due = await repository.confirmed_due(session, org_id, today)
    for amendment, version in due:
        contract = await repository.contract_by_id(
            session, org_id, amendment.contract_id, for_update=True
        )
        if contract is not None:
            await _take_effect(session, None, amendment, contract, version, clock)
    return len(due)


async def _take_effect(
    session: AsyncSession,
    actor: Principal | None,
    amendment: Amendment,
    contract: Contract,
    version: AmendmentVersion,
    clock: Clock,
) -> None:
    """The confirmed terms become the contract's (a temporary post's title is on the
    amendment only); drafts computed against the old terms stop asking the employee."""
    before = snapshot(contract)
    terms = version.terms
    contract.department_id = uuid.UUID(terms["department_id"])
    contract.position_id = uuid.UUID(terms["position_id"]) if terms["position_id"] else None
    contract.grade = terms["grade"]
    contract.allowance = Decimal(terms["allowance"]) if terms["allowance"] else None
    contract.pay_terms_ref = terms.get("pay_terms_ref") or contract.pay_terms_ref
    amendment.applied_at = clock.now()
    await session.flush()
    old, new = audit.changes(before, snapshot(contract))
    audit.record(
        session,
        actor,
        "contract.amended",
        CONTRACT_SUBJECT,
        contract.id,
        org_id=contract.org_id,
        before=old,
        after=new | {"amendment_id": str(amendment.id)},
    )
    await _withdraw_overtaken(session, actor, contract, clock)
