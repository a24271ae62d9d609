"""Drafting amendments: from employment events, by hand, by the system, and revising drafts.

An employment event that moves the post, department, grade or allowance (transfer,
promotion, temporary post) drafts an amendment of the employee's active contract: people
emits `EMPLOYMENT_EVENT_RECORDED` through the outbox and `draft_from_event` runs in the
worker, once per event (unique key). HR can draft one by hand and revise it; each revision
is a new version, computed against the contract's terms of the day, and supersedes the
previous one. Each version records its changes with names people read and queues its
document (`generation`).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import access, confirmation, generation, repository
from hrcore.contracts.models import Amendment, AmendmentVersion, Contract
from hrcore.contracts.schemas import AmendmentTermsIn, Change
from hrcore.contracts.terms import AMENDMENT_SUBJECT, amendable
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.org import api as org
from hrcore.people import api as people

logger = logging.getLogger("hrcore.contracts")

DRAFT_JOB = "contracts.draft_amendment"
DRAFTING_KINDS = ("transfer", "promotion", "temporary_post")


LABELS = {
    "department_id": "部门 / Department",
    "position_id": "岗位 / Position",
    "grade": "职级 / Grade",
    "allowance": "津贴 / Allowance",
    "pay_terms_ref": "薪酬标准 / Pay band",
    "post_title": "临时岗位 / Temporary post",
}


async def _display(session: AsyncSession, org_id: uuid.UUID, field: str, value: Any) -> str | None:
    """A term as people read it: names for ids."""
    if value is None:
        return None
    if field == "department_id":
        ref = await org.department_ref(session, org_id, uuid.UUID(value))
        return ref.name if ref else None
    if field == "position_id":
        return (await org.require_position(session, org_id, uuid.UUID(value))).title
    return str(value)


async def _changes(
    session: AsyncSession, org_id: uuid.UUID, before: dict[str, Any], after: dict[str, Any]
) -> list[dict[str, Any]]:
    return [
        Change(
            field=field.removesuffix("_id"),
            label=label,
            before=await _display(session, org_id, field, before.get(field)),
            after=await _display(session, org_id, field, after.get(field)),
        ).model_dump()
        for field, label in LABELS.items()
        if before.get(field) != after.get(field)
    ]


async def _terms_after(
    session: AsyncSession, org_id: uuid.UUID, contract: Contract, body: AmendmentTermsIn
) -> dict[str, Any]:
    """The contract's terms with `body`'s changes; a new position brings its grade."""
    terms = amendable(contract)
    if body.department_id is not None:
        await org.require_department(session, org_id, body.department_id)
        terms["department_id"] = str(body.department_id)
    if body.position_id is not None:
        position = await org.require_position(session, org_id, body.position_id)
        terms["position_id"], terms["grade"] = str(position.id), position.grade
    if body.grade is not None:
        terms["grade"] = body.grade
    if body.allowance is not None:
        terms["allowance"] = str(body.allowance)
    if body.pay_terms_ref is not None:
        terms["pay_terms_ref"] = body.pay_terms_ref
    terms["post_title"] = body.post_title
    return terms


async def add_version(
    session: AsyncSession,
    amendment: Amendment,
    contract: Contract,
    body: AmendmentTermsIn,
    *,
    number: int,
    actor: Principal | None,
    clock: Clock,
) -> AmendmentVersion | None:
    """A version with its changes, queued for its document; None when nothing changes."""
    base = amendable(contract)
    terms = await _terms_after(session, amendment.org_id, contract, body)
    changes = await _changes(session, amendment.org_id, base, terms)
    if not changes:
        return None
    version = AmendmentVersion(
        org_id=amendment.org_id,
        amendment_id=amendment.id,
        number=number,
        effective_date=body.effective_date,
        end_date=body.end_date,
        changes=changes,
        terms=terms,
        base_terms=base,
        note=body.note,
        created_by=actor.user_id if actor else None,
        created_at=clock.now(),
        document_status="pending",
    )
    session.add(version)
    generation.queue_document(session, version)
    return version


async def draft(
    session: AsyncSession,
    contract: Contract,
    body: AmendmentTermsIn,
    *,
    event_id: uuid.UUID | None,
    actor: Principal | None,
    clock: Clock,
    source: str | None = None,
) -> tuple[Amendment, AmendmentVersion] | None:
    """A new amendment with its first version (`source`: `event` with an event, else
    `manual`, unless named); None when nothing changes."""
    amendment = Amendment(
        org_id=contract.org_id,
        contract_id=contract.id,
        employee_id=contract.employee_id,
        source=source or ("event" if event_id else "manual"),
        event_id=event_id,
        status="draft",
        current_version=1,
    )
    version = await add_version(
        session, amendment, contract, body, number=1, actor=actor, clock=clock
    )
    if version is None:
        return None
    session.add(amendment)
    await session.flush()
    audit.record(
        session,
        actor,
        "contract_amendment.drafted",
        AMENDMENT_SUBJECT,
        amendment.id,
        org_id=contract.org_id,
        after={"contract_id": str(contract.id), "changes": version.changes},
    )
    return amendment, version


async def draft_from_event(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID, clock: Clock
) -> Amendment | None:
    """The worker's reaction to an employment event; once per event, nothing when the event
    changes no term of an active contract or was withdrawn before the job ran."""
    if await repository.amendment_by_event(session, org_id, event_id) is not None:
        return None
    event = await people.employment_event(session, org_id, event_id)
    if event is None or event.kind not in DRAFTING_KINDS or event.withdrawn:
        return None
    contract = await repository.active_contract_on(
        session, org_id, event.employee_id, event.effective_date
    )
    if contract is None:
        logger.info("employment event %s: no active contract to amend", event_id)
        return None
    body = AmendmentTermsIn(
        effective_date=event.effective_date,
        end_date=event.end_date,
        department_id=event.department_id,
        position_id=event.position_id,
        allowance=event.allowance,
        pay_terms_ref=event.pay_terms_ref,
        post_title=event.title if event.kind == "temporary_post" else None,
        note=event.note,
    )
    drafted = await draft(session, contract, body, event_id=event.id, actor=None, clock=clock)
    return drafted[0] if drafted else None


async def draft_for_contract(
    session: AsyncSession,
    org_id: uuid.UUID,
    contract_id: uuid.UUID,
    body: AmendmentTermsIn,
    clock: Clock,
) -> uuid.UUID | None:
    """The id of an amendment drafted by the system (demo data, later succession's
    appointments): no actor and no permission check; None when nothing changes."""
    contract = await get_or_404(session, Contract, org_id, contract_id, what=N_("contract"))
    drafted = await draft(session, contract, body, event_id=None, actor=None, clock=clock)
    return drafted[0].id if drafted else None


def _nothing_changes() -> Unprocessable:
    return Unprocessable(
        _("The amendment changes nothing"),
        errors=[FieldError(field="body", message=_("no term differs from the contract"))],
    )


async def create_amendment(
    session: AsyncSession,
    principal: Principal,
    contract_id: uuid.UUID,
    body: AmendmentTermsIn,
    clock: Clock,
) -> tuple[Amendment, AmendmentVersion]:
    """An amendment drafted by hand (HR admin)."""
    contract = await access.active_contract_for_hr(session, principal, contract_id)
    drafted = await draft(session, contract, body, event_id=None, actor=principal, clock=clock)
    if drafted is None:
        raise _nothing_changes()
    return drafted


async def revise_amendment(
    session: AsyncSession,
    principal: Principal,
    amendment_id: uuid.UUID,
    body: AmendmentTermsIn,
    clock: Clock,
) -> tuple[Amendment, AmendmentVersion]:
    """A new version (HR admin); the previous one is superseded and can no longer be
    confirmed, so its confirmation task is cancelled."""
    require_hr_admin(principal)
    amendment = await access.amendment_in_reach(session, principal, amendment_id, for_update=True)
    if amendment.status == "withdrawn":
        raise Conflict(_("The amendment was withdrawn with its temporary post"))
    if amendment.status != "draft":
        raise Conflict(_("A confirmed amendment is not revised; draft a new one"))
    contract = await access.contract_in_reach(session, principal, amendment.contract_id)
    number = amendment.current_version + 1
    version = await add_version(
        session, amendment, contract, body, number=number, actor=principal, clock=clock
    )
    if version is None:
        raise _nothing_changes()
    amendment.current_version = number
    await confirmation.withdraw_request(session, amendment, clock, principal)
    await session.flush()
    audit.record(
        session,
        principal,
        "contract_amendment.revised",
        AMENDMENT_SUBJECT,
        amendment.id,
        org_id=principal.org_id,
        after={"version": number, "changes": version.changes},
    )
    return amendment, version
