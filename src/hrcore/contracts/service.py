"""Labor contracts: the rules.

- Contracts are HR data: HR admins see and write all of them, an employee sees only their
  own, everyone else gets 404. An employee has at most one active contract on any day
  (overlap → 409); writes per employee are serialized with an advisory lock so the check
  holds under concurrency.
- An employment event that moves the post, department, grade or allowance (transfer,
  promotion, temporary post) drafts an amendment of the employee's active contract: people
  emits `EMPLOYMENT_EVENT_RECORDED` through the outbox and `draft_from_event` runs in the
  worker, once per event (unique key). HR can draft one by hand and revise it; each revision
  is a new version and supersedes the previous one.
- Every version gets one document, generated in the worker from the organization's template
  and stored with its SHA-256. A template that fails on the data marks the version failed
  with the reason; saving a fixed template regenerates the failed ones.
- The employee confirms the current version by its hash; that records who, when and what,
  applies the changed terms to the contract and completes the confirmation task.
- Once a day the expiry watch asks HR (a task) to renew or extend each contract ending
  within `contract_expiry_notice_months`, once per contract and end date.
- A development program that runs past the last day an employee's active contracts cover is
  a conflict: the expiring list flags it and HR gets one task per participation
  (`check_program_conflicts`). Contracts asks programs (`programs.api`), never the other
  way round: programs announces a started run (`RUN_STARTED`) and contracts' job checks it,
  so the check lives in one place, also run when a contract is created, extended or renewed
  and by the daily watch.
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import documents, repository
from hrcore.contracts.models import Amendment, AmendmentTemplate, AmendmentVersion, Contract
from hrcore.contracts.schemas import (
    AmendmentConfirm,
    AmendmentOut,
    AmendmentTemplateIn,
    AmendmentTemplateOut,
    AmendmentTermsIn,
    AmendmentVersionOut,
    Change,
    ConfirmationOut,
    ContractCreate,
    ContractExtend,
    ContractOut,
    ContractRenew,
    DocumentOut,
)
from hrcore.core import audit, events, outbox, pdf
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.db import SessionMaker
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.storage import StoredObjectMissing, storage_for
from hrcore.identity import service as identity
from hrcore.notifications import service as notifications
from hrcore.org import service as org
from hrcore.people import service as people
from hrcore.programs import api as programs
from hrcore.settings import Settings
from hrcore.webhooks import service as webhooks
from hrcore.workflow import service as workflow

if TYPE_CHECKING:  # the shapes of workflow's validator hook, for type checking only
    from hrcore.workflow.schemas import Submission
    from hrcore.workflow.service import Task

logger = logging.getLogger("hrcore.contracts")

DRAFT_JOB = "contracts.draft_amendment"
GENERATE_JOB = "contracts.generate_document"
AMENDMENT_SUBJECT = "contract_amendment"
CONTRACT_SUBJECT = "contract"
CONFIRM_TASK_KIND = "contract_amendment_confirmation"
EXPIRY_TASK_KIND = "contract_expiry"
CONFLICT_TASK_KIND = "contract_program_conflict"
CONFLICT_JOB = "contracts.check_program_conflicts"
CONFLICT_DROP_JOB = "contracts.drop_program_conflicts"
PARTICIPANT_SUBJECT = "program_participant"
CONFLICT_DUE = timedelta(days=14)
"""HR has two weeks to settle a conflict, or until the contract ends if that is sooner."""
CONFIRM_DAYS = 7
"""The employee is asked to confirm within a week of the document being ready."""
EXPIRY_DUE_BEFORE_END = timedelta(days=30)
"""HR's renew-or-extend task is due a month before the contract ends."""
DRAFTING_KINDS = ("transfer", "promotion", "temporary_post")
PDF = "application/pdf"

events.subscribe(people.EMPLOYMENT_EVENT_RECORDED, DRAFT_JOB)
events.subscribe(programs.RUN_STARTED, CONFLICT_JOB)
events.subscribe(programs.PARTICIPANT_WITHDRAWN, CONFLICT_DROP_JOB)

LABELS = {
    "department_id": "部门 / Department",
    "position_id": "岗位 / Position",
    "grade": "职级 / Grade",
    "allowance": "津贴 / Allowance",
    "post_title": "临时岗位 / Temporary post",
}
CONTRACT_FIELDS = (
    "employee_id",
    "kind",
    "status",
    "start_date",
    "end_date",
    "department_id",
    "position_id",
    "grade",
    "allowance",
    "work_location",
    "pay_terms_ref",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID | date | Decimal):
        return str(value)
    return value


def _snapshot(contract: Contract) -> dict[str, Any]:
    return {name: _jsonable(getattr(contract, name)) for name in CONTRACT_FIELDS}


# --- reach ---------------------------------------------------------------------------------


def _may_see(principal: Principal, employee_id: uuid.UUID) -> bool:
    """HR data: HR admins, and the employee it belongs to."""
    return principal.is_hr_admin or principal.employee_id == employee_id


async def get_contract(
    session: AsyncSession, principal: Principal, contract_id: uuid.UUID, *, for_update: bool = False
) -> Contract:
    contract = await repository.contract_by_id(
        session, principal.org_id, contract_id, for_update=for_update
    )
    if contract is None or not _may_see(principal, contract.employee_id):
        raise NotFound("No such contract")
    return contract


async def list_contracts(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    employee_id: uuid.UUID | None,
    status: str | None,
) -> tuple[list[Contract], str | None]:
    """HR: every contract (filterable); others: their own. Newest start first."""
    if not principal.is_hr_admin:
        if principal.employee_id is None or employee_id not in (None, principal.employee_id):
            return [], None
        employee_id = principal.employee_id
    statement = repository.contracts_query(principal.org_id, employee_id=employee_id, status=status)
    return await paginate(
        session, statement, [Contract.start_date, Contract.id], page, descending=True
    )


# --- contracts -----------------------------------------------------------------------------


async def _require_free(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    start: date,
    end: date | None,
    *,
    exclude_id: uuid.UUID | None = None,
) -> None:
    await repository.lock_employee(session, org_id, employee_id)
    clash = await repository.overlapping(
        session, org_id, employee_id, start, end, exclude_id=exclude_id
    )
    if clash is not None:
        raise Conflict(
            f"The employee has an active contract from {clash.start_date} "
            f"to {clash.end_date or 'open end'} that overlaps these dates"
        )


async def create_contract(
    session: AsyncSession, principal: Principal, body: ContractCreate, clock: Clock
) -> Contract:
    """A new contract (HR admin) on the employee's current post unless given."""
    require_hr_admin(principal)
    org_id = principal.org_id
    employee = await people.require_employee(session, org_id, body.employee_id)
    if employee.status == "exited":
        raise Conflict("The employee has exited")
    department_id = body.department_id or employee.department_id
    await org.require_department(session, org_id, department_id)
    position_id = body.position_id or employee.position_id
    grade = None
    if position_id is not None:
        grade = (await org.require_position(session, org_id, position_id)).grade
    await _require_free(session, org_id, employee.id, body.start_date, body.end_date)
    contract = Contract(
        org_id=org_id,
        employee_id=employee.id,
        kind=body.kind,
        status="active",
        start_date=body.start_date,
        end_date=body.end_date,
        department_id=department_id,
        position_id=position_id,
        grade=grade,
        allowance=body.allowance,
        work_location=body.work_location,
        pay_terms_ref=body.pay_terms_ref,
    )
    session.add(contract)
    await session.flush()
    audit.record(
        session,
        principal,
        "contract.created",
        CONTRACT_SUBJECT,
        contract.id,
        org_id=org_id,
        after=_snapshot(contract),
    )
    await check_program_conflicts(session, org_id, [contract.employee_id], clock)
    return contract


async def _close_expiry_task(
    session: AsyncSession, principal: Principal, contract: Contract, clock: Clock
) -> None:
    """The renew-or-extend task of the contract's current end date is done."""
    alert = (await repository.alerts_for(session, principal.org_id, [contract])).get(contract.id)
    if alert is None or alert.task_id is None:
        return
    try:
        await workflow.complete_task(
            session, org_id=principal.org_id, task_id=alert.task_id, clock=clock, actor=principal
        )
    except (Conflict, NotFound):
        logger.info("expiry task %s was already closed", alert.task_id)


async def _active_for_hr(
    session: AsyncSession, principal: Principal, contract_id: uuid.UUID
) -> Contract:
    require_hr_admin(principal)
    contract = await get_contract(session, principal, contract_id, for_update=True)
    if contract.status != "active":
        raise Conflict("The contract is not active")
    return contract


async def extend_contract(
    session: AsyncSession,
    principal: Principal,
    contract_id: uuid.UUID,
    body: ContractExtend,
    clock: Clock,
) -> Contract:
    """Move the end date later (HR admin); closes the expiry task of the old end date."""
    contract = await _active_for_hr(session, principal, contract_id)
    if contract.end_date is None:
        raise Conflict("The contract has no end date")
    if body.end_date <= contract.end_date:
        raise Unprocessable(
            "An extension ends later",
            errors=[FieldError(field="end_date", message=f"after {contract.end_date}")],
        )
    await _require_free(
        session,
        principal.org_id,
        contract.employee_id,
        contract.start_date,
        body.end_date,
        exclude_id=contract.id,
    )
    await _close_expiry_task(session, principal, contract, clock)
    before = _snapshot(contract)
    contract.end_date = body.end_date
    await session.flush()
    old, new = audit.changes(before, _snapshot(contract))
    audit.record(
        session,
        principal,
        "contract.extended",
        CONTRACT_SUBJECT,
        contract.id,
        org_id=principal.org_id,
        before=old,
        after=new,
    )
    await check_program_conflicts(session, principal.org_id, [contract.employee_id], clock)
    return contract


async def renew_contract(
    session: AsyncSession,
    principal: Principal,
    contract_id: uuid.UUID,
    body: ContractRenew,
    clock: Clock,
) -> Contract:
    """A follow-up contract from the day after this one ends, on the same terms (HR admin)."""
    contract = await _active_for_hr(session, principal, contract_id)
    if contract.end_date is None or contract.end_date == date.max:
        raise Conflict("An open-ended contract is not renewed")
    start = contract.end_date + timedelta(days=1)
    if body.end_date is not None and body.end_date < start:
        raise Unprocessable(
            "The renewal ends before it starts",
            errors=[FieldError(field="end_date", message=f"on or after {start}")],
        )
    await _require_free(session, principal.org_id, contract.employee_id, start, body.end_date)
    await _close_expiry_task(session, principal, contract, clock)
    renewal = Contract(
        org_id=principal.org_id,
        employee_id=contract.employee_id,
        kind=body.kind,
        status="active",
        start_date=start,
        end_date=body.end_date,
        department_id=contract.department_id,
        position_id=contract.position_id,
        grade=contract.grade,
        allowance=contract.allowance,
        work_location=body.work_location or contract.work_location,
        pay_terms_ref=body.pay_terms_ref or contract.pay_terms_ref,
        renewed_from_id=contract.id,
    )
    session.add(renewal)
    await session.flush()
    audit.record(
        session,
        principal,
        "contract.renewed",
        CONTRACT_SUBJECT,
        renewal.id,
        org_id=principal.org_id,
        after=_snapshot(renewal) | {"renewed_from_id": str(contract.id)},
    )
    await check_program_conflicts(session, principal.org_id, [contract.employee_id], clock)
    return renewal


# --- amendments: drafting --------------------------------------------------------------------


def _terms(contract: Contract) -> dict[str, Any]:
    return {
        "department_id": _jsonable(contract.department_id),
        "position_id": _jsonable(contract.position_id),
        "grade": contract.grade,
        "allowance": _jsonable(contract.allowance),
        "post_title": None,
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
    terms = _terms(contract)
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
    terms["post_title"] = body.post_title
    return terms


async def _add_version(
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
    base = _terms(contract)
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
    _queue_document(session, version)
    return version


def _queue_document(session: AsyncSession, version: AmendmentVersion) -> None:
    """Have the worker render and store the version's PDF (`generate_document`)."""
    outbox.enqueue(
        session,
        GENERATE_JOB,
        {"amendment_id": str(version.amendment_id), "number": version.number},
        org_id=version.org_id,
    )


async def _draft(
    session: AsyncSession,
    contract: Contract,
    body: AmendmentTermsIn,
    *,
    event_id: uuid.UUID | None,
    actor: Principal | None,
    clock: Clock,
) -> tuple[Amendment, AmendmentVersion] | None:
    amendment = Amendment(
        org_id=contract.org_id,
        contract_id=contract.id,
        employee_id=contract.employee_id,
        source="event" if event_id else "manual",
        event_id=event_id,
        status="draft",
        current_version=1,
    )
    version = await _add_version(
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
    changes no term of an active contract."""
    if await repository.amendment_by_event(session, org_id, event_id) is not None:
        return None
    event = await people.employment_event(session, org_id, event_id)
    if event is None or event.kind not in DRAFTING_KINDS:
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
        post_title=event.title if event.kind == "temporary_post" else None,
        note=event.note,
    )
    drafted = await _draft(session, contract, body, event_id=event.id, actor=None, clock=clock)
    return drafted[0] if drafted else None


async def draft_for_contract(
    session: AsyncSession,
    org_id: uuid.UUID,
    contract_id: uuid.UUID,
    body: AmendmentTermsIn,
    clock: Clock,
) -> Amendment | None:
    """An amendment drafted by the system (demo data, later succession's appointments): no
    actor and no permission check; None when nothing changes."""
    contract = await repository.contract_by_id(session, org_id, contract_id)
    if contract is None:
        raise NotFound("No such contract")
    drafted = await _draft(session, contract, body, event_id=None, actor=None, clock=clock)
    return drafted[0] if drafted else None


def _nothing_changes() -> Unprocessable:
    return Unprocessable(
        "The amendment changes nothing",
        errors=[FieldError(field="body", message="no term differs from the contract")],
    )


async def create_amendment(
    session: AsyncSession,
    principal: Principal,
    contract_id: uuid.UUID,
    body: AmendmentTermsIn,
    clock: Clock,
) -> tuple[Amendment, AmendmentVersion]:
    """An amendment drafted by hand (HR admin)."""
    contract = await _active_for_hr(session, principal, contract_id)
    drafted = await _draft(session, contract, body, event_id=None, actor=principal, clock=clock)
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
    confirmed."""
    require_hr_admin(principal)
    amendment = await _amendment(session, principal, amendment_id, for_update=True)
    if amendment.status != "draft":
        raise Conflict("A confirmed amendment is not revised; draft a new one")
    contract = await get_contract(session, principal, amendment.contract_id)
    number = amendment.current_version + 1
    version = await _add_version(
        session, amendment, contract, body, number=number, actor=principal, clock=clock
    )
    if version is None:
        raise _nothing_changes()
    amendment.current_version = number
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


# --- amendments: reading -------------------------------------------------------------------


async def _amendment(
    session: AsyncSession,
    principal: Principal,
    amendment_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Amendment:
    amendment = await repository.amendment_by_id(
        session, principal.org_id, amendment_id, for_update=for_update
    )
    if amendment is None or not _may_see(principal, amendment.employee_id):
        raise NotFound("No such amendment")
    return amendment


async def _current(session: AsyncSession, amendment: Amendment) -> AmendmentVersion:
    version = await repository.version(
        session, amendment.org_id, amendment.id, amendment.current_version
    )
    if version is None:
        raise NotFound("No such amendment version")
    return version


async def get_amendment(
    session: AsyncSession, principal: Principal, amendment_id: uuid.UUID
) -> tuple[Amendment, AmendmentVersion]:
    amendment = await _amendment(session, principal, amendment_id)
    return amendment, await _current(session, amendment)


async def list_amendments(
    session: AsyncSession, principal: Principal, contract_id: uuid.UUID, page: PageParams
) -> tuple[list[tuple[Amendment, AmendmentVersion]], str | None]:
    """A contract's amendments, newest first, each with its current version (two queries)."""
    contract = await get_contract(session, principal, contract_id)
    statement = repository.amendments_query(principal.org_id, contract.id)
    rows, cursor = await paginate(session, statement, [Amendment.id], page, descending=True)
    versions = await repository.current_versions(session, principal.org_id, rows)
    return [(row, versions[row.id]) for row in rows], cursor


def version_view(version: AmendmentVersion) -> AmendmentVersionOut:
    return AmendmentVersionOut(
        number=version.number,
        effective_date=version.effective_date,
        end_date=version.end_date,
        changes=[Change.model_validate(change) for change in version.changes],
        note=version.note,
        created_at=version.created_at,
        document=DocumentOut(
            status=version.document_status,
            error=version.document_error,
            sha256=version.document_sha256,
            size=version.document_size,
            generated_at=version.generated_at,
        ),
    )


def amendment_view(amendment: Amendment, version: AmendmentVersion) -> AmendmentOut:
    confirmation = None
    if amendment.confirmed_at is not None:
        confirmation = ConfirmationOut(
            confirmed_at=amendment.confirmed_at,
            confirmed_by=amendment.confirmed_by,
            version=amendment.confirmed_version,
            document_sha256=amendment.confirmed_sha256,
        )
    return AmendmentOut(
        id=amendment.id,
        contract_id=amendment.contract_id,
        employee_id=amendment.employee_id,
        source=amendment.source,
        event_id=amendment.event_id,
        status=amendment.status,
        current=version_view(version),
        confirmation=confirmation,
        confirm_task_id=amendment.confirm_task_id,
        created_at=amendment.created_at,
        version=amendment.version,
    )


def contract_view(contract: Contract) -> ContractOut:
    return ContractOut.model_validate(contract)


@dataclass(frozen=True)
class Document:
    """The current version's document: `content` is None while it is being generated."""

    version: AmendmentVersion
    content: bytes | None


async def get_document(
    session: AsyncSession, principal: Principal, amendment_id: uuid.UUID, settings: Settings
) -> Document:
    _, version = await get_amendment(session, principal, amendment_id)
    if version.document_status == "pending":
        return Document(version, None)
    if version.document_status == "failed" or version.document_key is None:
        raise Conflict(f"The document could not be generated: {version.document_error}")
    try:
        return Document(version, await storage_for(settings).get(version.document_key))
    except StoredObjectMissing:
        _regenerate_lost(session, principal, version)
        return Document(version, None)


def _regenerate_lost(
    session: AsyncSession, principal: Principal, version: AmendmentVersion
) -> None:
    """The stored PDF is gone: render the version again. The row keeps the lost file's
    SHA-256, so `generate_document` refuses a rendering that differs (the template changed
    since): the employee must never be shown other words than those they were given."""
    logger.error("amendment %s v%d: stored file missing", version.amendment_id, version.number)
    version.document_status, version.document_key = "pending", None
    _queue_document(session, version)
    audit.record(
        session,
        principal,
        "contract_amendment.document_regenerated",
        AMENDMENT_SUBJECT,
        version.amendment_id,
        org_id=version.org_id,
        before={"version": version.number, "sha256": version.document_sha256},
        after={"status": "pending"},
    )


# --- documents (worker) --------------------------------------------------------------------


async def _template_body(session: AsyncSession, org_id: uuid.UUID) -> str:
    row = await repository.template(session, org_id)
    return row.body if row else documents.DEFAULT_TEMPLATE


async def _context(
    session: AsyncSession, amendment: Amendment, version: AmendmentVersion
) -> dict[str, Any]:
    """What a template may use (`documents.ALLOWED_VARIABLES`)."""
    org_id = amendment.org_id
    employee = await people.require_employee(session, org_id, amendment.employee_id)
    contract = await repository.contract_by_id(session, org_id, amendment.contract_id)
    assert contract is not None  # contracts are never deleted (RESTRICT)
    return {
        "organization": {"name": await identity.org_name(session, org_id)},
        "employee": {"name": employee.full_name, "number": employee.employee_number},
        "contract": {
            "kind": contract.kind,
            "start_date": contract.start_date.isoformat(),
            "end_date": contract.end_date.isoformat() if contract.end_date else None,
            "work_location": contract.work_location,
            "pay_terms_ref": contract.pay_terms_ref,
        },
        "amendment": {
            "version": version.number,
            "effective_date": version.effective_date.isoformat(),
            "end_date": version.end_date.isoformat() if version.end_date else None,
            "note": version.note,
        },
        "changes": version.changes,
    }


async def generate_document(
    session: AsyncSession,
    org_id: uuid.UUID,
    amendment_id: uuid.UUID,
    number: int,
    settings: Settings,
    clock: Clock,
) -> str:
    """Render, store and record one version's document; returns the version's document status.

    Idempotent: a ready version is left alone, and the PDF of a version is byte-for-byte the
    same on every run. A template error is the data's fault and final (the version is marked
    failed with the reason); any other error (storage down) propagates, so the job retries.
    """
    version = await repository.version(session, org_id, amendment_id, number, for_update=True)
    amendment = await repository.amendment_by_id(session, org_id, amendment_id)
    if version is None or amendment is None or version.document_status == "ready":
        return version.document_status if version else "gone"
    try:
        context = await _context(session, amendment, version)
        text = documents.render_text(await _template_body(session, org_id), context)
    except documents.GenerationFailed as exc:
        version.document_status, version.document_error = "failed", str(exc)[:2000]
        logger.warning("amendment %s v%d: generation failed: %s", amendment_id, number, exc)
        return version.document_status
    content = await asyncio.to_thread(
        pdf.render_pdf,
        text,
        font_path=pdf.font_path(settings),
        title=f"Contract amendment {amendment_id} v{number}",
        created_at=version.created_at,
    )
    digest = hashlib.sha256(content).hexdigest()
    if version.document_sha256 not in (None, digest):
        version.document_status = "failed"
        version.document_error = (
            "The stored document was lost and the template has changed since: rendering it "
            f"again gives other text (lost file SHA-256 {version.document_sha256})"
        )
        logger.error("amendment %s v%d: %s", amendment_id, number, version.document_error)
        return version.document_status
    key = f"{org_id}/contract-amendments/{amendment_id}/v{number}.pdf"
    await storage_for(settings).put(key, content, PDF)
    version.document_key, version.document_size = key, len(content)
    version.document_sha256 = digest
    version.document_status, version.document_error = "ready", None
    version.generated_at = clock.now()
    if amendment.current_version == number and amendment.status == "draft":
        await _ask_to_confirm(session, amendment, clock)
    return version.document_status


async def _ask_to_confirm(session: AsyncSession, amendment: Amendment, clock: Clock) -> None:
    """One confirmation task per amendment (reminders and escalation from workflow); a new
    version's document is announced in the inbox."""
    org_id = amendment.org_id
    if amendment.confirm_task_id is None:
        today = await people.org_today(session, org_id, clock)
        task = await workflow.create_task(
            session,
            org_id=org_id,
            subject_type=AMENDMENT_SUBJECT,
            subject_id=amendment.id,
            kind=CONFIRM_TASK_KIND,
            assignee_employee_id=amendment.employee_id,
            title="Confirm your contract amendment",
            due=today + timedelta(days=CONFIRM_DAYS),
        )
        amendment.confirm_task_id = task.id
    users = await identity.user_ids_for_employees(session, org_id, [amendment.employee_id])
    await notifications.notify(
        session,
        org_id=org_id,
        user_ids=users.get(amendment.employee_id, []),
        kind="contract.amendment_ready",
        title="A contract amendment awaits your confirmation",
        body=f"Version {amendment.current_version} of your contract amendment is ready to read.",
        subject_type=AMENDMENT_SUBJECT,
        subject_id=amendment.id,
        dedupe_key=f"amendment:{amendment.id}:v{amendment.current_version}:ready",
    )


# --- confirmation --------------------------------------------------------------------------


async def _confirmed_only(session: AsyncSession, task: Task, submission: Submission | None) -> None:
    """The confirmation task closes through `/amendments/{id}/confirm` only, which records
    the document confirmed; completing it at `/tasks/{id}/complete` would skip that."""
    amendment = await repository.amendment_by_id(session, task.org_id, task.subject_id)
    if amendment is not None and amendment.status != "confirmed":
        raise Unprocessable(
            f"Confirm the amendment itself: POST /amendments/{amendment.id}/confirm",
            errors=[FieldError(field="task", message="completed by the confirmation")],
        )


workflow.register_submission_validator(CONFIRM_TASK_KIND, _confirmed_only)


async def confirm_amendment(
    session: AsyncSession,
    principal: Principal,
    amendment_id: uuid.UUID,
    body: AmendmentConfirm,
    clock: Clock,
) -> tuple[Amendment, AmendmentVersion]:
    """The employee confirms the document they read: only the current version, by its hash.

    Records who, when and which document; applies the terms to the contract; completes the
    confirmation task. HR may see the amendment but not confirm it (403); anyone else: 404.
    """
    amendment = await _amendment(session, principal, amendment_id, for_update=True)
    version = await _confirmable(session, principal, amendment, body)
    contract = await get_contract(session, principal, amendment.contract_id, for_update=True)
    if _terms(contract) != version.base_terms:
        raise Conflict("The contract changed since this version was drafted; HR revises it")
    amendment.status, amendment.confirmed_at = "confirmed", clock.now()
    amendment.confirmed_by = principal.user_id
    amendment.confirmed_version, amendment.confirmed_sha256 = version.number, body.document_sha256
    await _apply(session, principal, contract, version)
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
    if principal.employee_id != amendment.employee_id:
        raise Forbidden("Only the employee may confirm their amendment")
    if amendment.status == "confirmed":
        raise Conflict("The amendment is already confirmed")
    if body.version != amendment.current_version:
        raise Conflict(
            f"Version {body.version} is superseded; read and confirm version "
            f"{amendment.current_version}"
        )
    version = await _current(session, amendment)
    if version.document_status != "ready":
        raise Conflict("The document of this version is not ready")
    if body.document_sha256 != version.document_sha256:
        raise Conflict("This is not the document of the current version")
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


async def _apply(
    session: AsyncSession, principal: Principal, contract: Contract, version: AmendmentVersion
) -> None:
    """The confirmed terms become the contract's (a temporary post's title is on the
    amendment only)."""
    before = _snapshot(contract)
    terms = version.terms
    contract.department_id = uuid.UUID(terms["department_id"])
    contract.position_id = uuid.UUID(terms["position_id"]) if terms["position_id"] else None
    contract.grade = terms["grade"]
    contract.allowance = Decimal(terms["allowance"]) if terms["allowance"] else None
    await session.flush()
    old, new = audit.changes(before, _snapshot(contract))
    audit.record(
        session,
        principal,
        "contract.amended",
        CONTRACT_SUBJECT,
        contract.id,
        org_id=principal.org_id,
        before=old,
        after=new,
    )


# --- template ------------------------------------------------------------------------------


async def get_template(session: AsyncSession, principal: Principal) -> AmendmentTemplateOut:
    require_hr_admin(principal)
    row = await repository.template(session, principal.org_id)
    if row is None:
        return AmendmentTemplateOut(body=documents.DEFAULT_TEMPLATE, version=0)
    return AmendmentTemplateOut(body=row.body, version=row.version)


async def put_template(
    session: AsyncSession, principal: Principal, body: AmendmentTemplateIn, *, if_match: str | None
) -> AmendmentTemplateOut:
    """Replace the template (HR admin) after checking its placeholders; documents that failed
    to generate are generated again with it."""
    require_hr_admin(principal)
    documents.validate_template(body.body)
    row = await repository.template(session, principal.org_id)
    check_version(row.version if row else 0, if_match=if_match, body_version=body.version)
    before = {"body": row.body} if row else None
    if row is None:
        row = AmendmentTemplate(org_id=principal.org_id, body=body.body)
        session.add(row)
    else:
        row.body = body.body
    for version in await repository.failed_current_versions(session, principal.org_id):
        version.document_status, version.document_error = "pending", None
        _queue_document(session, version)
    await session.flush()
    audit.record(
        session,
        principal,
        "contract_amendment_template.updated",
        "contract_amendment_template",
        row.id,
        org_id=principal.org_id,
        before=before,
        after={"body": body.body},
    )
    return AmendmentTemplateOut(body=row.body, version=row.version)


# --- expiry --------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


async def _window(
    session: AsyncSession, org_id: uuid.UUID, clock: Clock, settings: Settings
) -> tuple[date, date]:
    today = await people.org_today(session, org_id, clock)
    return today, add_months(today, settings.contract_expiry_notice_months)


@dataclass(frozen=True)
class ExpiringContract:
    contract: Contract
    alert_task_id: uuid.UUID | None
    days_left: int
    program_conflicts: list[programs.ParticipationEnd]


async def program_conflicts(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[programs.ParticipationEnd]]:
    """Per employee, the open participations ending after the last day their active
    contracts cover; employees without a contract or with an open-ended one have none.
    Two queries whatever the number of employees."""
    if not employee_ids:
        return {}
    covers = await repository.cover_ends(session, org_id, employee_ids)
    cutoffs = {employee_id: end for employee_id, end in covers.items() if end is not None}
    return await programs.active_participations_ending_after(session, org_id, cutoffs)


async def list_expiring(
    session: AsyncSession, principal: Principal, page: PageParams, clock: Clock, settings: Settings
) -> tuple[list[ExpiringContract], str | None]:
    """Active contracts ending within the notice window, soonest first (HR admin); with the
    renew-or-extend task once the watch raised it and the program conflicts of the employee.
    Four queries per page."""
    require_hr_admin(principal)
    today, until = await _window(session, principal.org_id, clock, settings)
    statement = repository.expiring_query(principal.org_id, today, until)
    rows, cursor = await paginate(session, statement, [Contract.end_date, Contract.id], page)
    alerts = await repository.alerts_for(session, principal.org_id, rows)
    conflicts = await program_conflicts(
        session, principal.org_id, list({row.employee_id for row in rows})
    )
    items = [
        ExpiringContract(
            contract=row,
            alert_task_id=alerts[row.id].task_id if row.id in alerts else None,
            days_left=(row.end_date - today).days if row.end_date else 0,
            program_conflicts=conflicts.get(row.employee_id, []),
        )
        for row in rows
    ]
    return items, cursor


async def watch_expiry(sessionmaker: SessionMaker, clock: Clock, settings: Settings) -> int:
    """The daily cron: raise an alert (and HR task) for every contract entering the window.

    Organizations are iterated with the tenant set for each (RLS); one organization's failure
    does not stop the others. Returns how many alerts were raised.
    """

    async def watch(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await watch_organization(session, org_id, clock, settings)

    return await identity.for_each_organization(sessionmaker, watch, label="contract expiry watch")


async def watch_organization(
    session: AsyncSession, org_id: uuid.UUID, clock: Clock, settings: Settings
) -> int:
    today, until = await _window(session, org_id, clock, settings)
    contracts = {c.id: c for c in await repository.expiring(session, org_id, today, until)}
    await check_program_conflicts(
        session, org_id, list({c.employee_id for c in contracts.values()}), clock
    )
    rows = [
        {"org_id": org_id, "contract_id": c.id, "end_date": c.end_date, "created_at": clock.now()}
        for c in contracts.values()
    ]
    new = await repository.record_alerts(session, rows)
    if not new:
        return 0
    raised = [(alert_id, contracts[contract_id]) for alert_id, contract_id in new]
    await _ask_hr(session, org_id, raised, today)
    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=webhooks.EventType.CONTRACT_EXPIRING,
        events=(
            (
                {
                    "contract_id": str(contract.id),
                    "employee_id": str(contract.employee_id),
                    "end_date": _jsonable(contract.end_date),
                },
                uuid.uuid5(uuid.NAMESPACE_URL, f"hrcore:contract-expiry:{alert_id}"),
            )
            for alert_id, contract in raised
        ),
    )
    return len(new)


async def _hr_recipients(
    session: AsyncSession, org_id: uuid.UUID
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """HR admins' employee records (the first one gets HR's tasks) and user accounts."""
    hr_users = await identity.hr_admin_user_ids(session, org_id)
    hr_employees = sorted(
        set((await identity.employee_ids_for_users(session, org_id, hr_users)).values())
    )
    return hr_employees, hr_users


async def _ask_hr(
    session: AsyncSession,
    org_id: uuid.UUID,
    raised: Sequence[tuple[uuid.UUID, Contract]],
    today: date,
) -> None:
    """A renew-or-extend task per new alert for the first HR admin linked to an employee
    record (the alert keeps it); with no such admin, every HR admin hears of each in the
    inbox instead. A fixed number of statements for any number of alerts."""
    hr_employees, hr_users = await _hr_recipients(session, org_id)
    names = await people.employee_summaries(session, org_id, [c.employee_id for _, c in raised])
    titles = {contract.id: _expiry_title(contract, names) for _, contract in raised}
    if not hr_employees:
        await notifications.notify_many(
            session,
            org_id=org_id,
            messages=[
                notifications.Message(
                    user_ids=hr_users,
                    kind="contract.expiring",
                    title=titles[contract.id],
                    body="Renew or extend it: POST /contracts/{id}/renew or /extend.",
                    subject_type=CONTRACT_SUBJECT,
                    subject_id=contract.id,
                    dedupe_key=f"contract:{contract.id}:expiry:{contract.end_date}",
                )
                for _, contract in raised
            ],
        )
        return
    task_ids = await workflow.create_tasks(
        session,
        org_id=org_id,
        tasks=[
            workflow.NewTask(
                subject_type=CONTRACT_SUBJECT,
                subject_id=contract.id,
                kind=EXPIRY_TASK_KIND,
                assignee_employee_id=hr_employees[0],
                title=titles[contract.id],
                due=max(today, _end(contract) - EXPIRY_DUE_BEFORE_END),
            )
            for _, contract in raised
        ],
    )
    alerts = await repository.alerts_by_ids(session, org_id, [alert_id for alert_id, _ in raised])
    for (alert_id, _), task_id in zip(raised, task_ids, strict=True):
        alerts[alert_id].task_id = task_id


def _end(contract: Contract) -> date:
    assert contract.end_date is not None  # only contracts with an end date expire
    return contract.end_date


def _expiry_title(contract: Contract, names: dict[uuid.UUID, people.EmployeeSummary]) -> str:
    summary = names.get(contract.employee_id)
    who = summary.ref.name if summary else "an employee"
    return f"Contract of {who} ends {_end(contract)}: renew or extend"[:200]


# --- program conflicts ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Conflict:
    employee_id: uuid.UUID
    cover_end: date
    program: programs.ParticipationEnd


async def check_program_conflicts(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID], clock: Clock
) -> int:
    """The one place conflicts become HR work: for each open participation of these employees
    ending after the last day their contracts cover, HR gets one task unless one is open or
    was completed (HR knows); an open task whose conflict is gone is cancelled. Five queries
    plus the writes. Returns how many conflicts were raised."""
    employee_ids = list(dict.fromkeys(employee_ids))
    if not employee_ids:
        return 0
    covers = await repository.cover_ends(session, org_id, employee_ids)
    participations = await programs.active_participations_ending_after(
        session, org_id, dict.fromkeys(employee_ids, date.min)
    )
    conflicts = {
        end.participant_id: _Conflict(employee_id, cover, end)
        for employee_id, ends in participations.items()
        if (cover := covers.get(employee_id)) is not None
        for end in ends
        if end.ends_on > cover
    }
    tasks = await workflow.tasks_of_subjects(
        session,
        org_id=org_id,
        subject_type=PARTICIPANT_SUBJECT,
        subject_ids=[end.participant_id for ends in participations.values() for end in ends],
    )
    raised = {t.subject_id: t for t in tasks if t.kind == CONFLICT_TASK_KIND}
    resolved = [t.id for t in raised.values() if t.subject_id not in conflicts]
    await workflow.cancel_open_tasks(session, org_id=org_id, task_ids=resolved, clock=clock)
    new = [
        conflict
        for participant_id, conflict in conflicts.items()
        if participant_id not in raised or raised[participant_id].status == "cancelled"
    ]
    await _ask_hr_about_conflicts(session, org_id, new, clock)
    return len(new)


async def drop_program_conflicts(
    session: AsyncSession, org_id: uuid.UUID, participant_ids: Sequence[uuid.UUID], clock: Clock
) -> int:
    """A withdrawn participant's program no longer outlives anything: their open conflict
    tasks are cancelled. Returns how many."""
    tasks = await workflow.tasks_of_subjects(
        session, org_id=org_id, subject_type=PARTICIPANT_SUBJECT, subject_ids=participant_ids
    )
    conflict_tasks = [t.id for t in tasks if t.kind == CONFLICT_TASK_KIND]
    return await workflow.cancel_open_tasks(
        session, org_id=org_id, task_ids=conflict_tasks, clock=clock
    )


async def _ask_hr_about_conflicts(
    session: AsyncSession, org_id: uuid.UUID, conflicts: Sequence[_Conflict], clock: Clock
) -> None:
    """A task each for the first HR admin with an employee record; without one, every HR
    admin hears of them in the inbox."""
    if not conflicts:
        return
    today = await people.org_today(session, org_id, clock)
    hr_employees, hr_users = await _hr_recipients(session, org_id)
    names = await people.employee_summaries(session, org_id, [c.employee_id for c in conflicts])
    for conflict in conflicts:
        program = conflict.program
        name = names.get(conflict.employee_id)
        title = (
            f"Contract of {name.ref.name if name else 'an employee'} ends {conflict.cover_end}, "
            f"before the program {program.run.name} ends ({program.ends_on})"
        )[:200]
        if hr_employees:
            await workflow.create_task(
                session,
                org_id=org_id,
                subject_type=PARTICIPANT_SUBJECT,
                subject_id=program.participant_id,
                kind=CONFLICT_TASK_KIND,
                assignee_employee_id=hr_employees[0],
                title=title,
                due=max(today, min(today + CONFLICT_DUE, conflict.cover_end)),
            )
            continue
        await notifications.notify(
            session,
            org_id=org_id,
            user_ids=hr_users,
            kind="contract.program_conflict",
            title=title,
            body="Extend or renew the contract: POST /contracts/{id}/extend or /renew.",
            subject_type=PARTICIPANT_SUBJECT,
            subject_id=program.participant_id,
            dedupe_key=f"contract:program-conflict:{program.participant_id}:{conflict.cover_end}",
        )
