"""Employment events: career moves (hire, transfer, promotion, temporary post, exit) that
update the employee's current post, announced to other domains through the outbox.

A move takes effect on its effective date in the organization's time zone: dated today or
earlier it reaches the record at once; dated later it is pending (`applied_at` null) — the
record keeps the current post and manager — until the hourly job applies what has fallen
due (`apply_due`), in date order, once (the row is locked and marked)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events, personal_data
from hrcore.core.authz import Principal, Scope
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import Day, _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import access, exit_reasons, profile_queries, repository
from hrcore.people.audit_trail import (
    AUDITED_EMPLOYEE_FIELDS,
    EVENT_FIELDS,
    audit_employee_changes,
    snapshot,
)
from hrcore.people.models import Employee, EmploymentEvent
from hrcore.people.profile import org_today, pending_change
from hrcore.people.references import employee_refs, require_position
from hrcore.people.reporting_lines import change_manager, require_acyclic_manager
from hrcore.people.schemas import EmploymentEventCreate, EmploymentEventOut, PendingChange

EMPLOYMENT_EVENT_RECORDED = "employment_event.recorded"
"""Emitted (core.events) for every recorded employment event; payload: event_id,
employee_id, kind, applied (false while its effective date is ahead)."""
EMPLOYMENT_EVENT_APPLIED = "employment_event.applied"
"""Emitted when a pending (future-dated) event reaches the record on its date; same
payload."""
EMPLOYMENT_EVENT_ENDED_EARLY = "employment_event.ended_early"
"""Emitted when a temporary post's end moves earlier (`end_temporary_post`); same payload:
the new end is on the event."""
EMPLOYMENT_EVENT_WITHDRAWN = "employment_event.withdrawn"
"""Emitted when a temporary post is withdrawn before it began (`post_withdrawal`); same
payload: the reason is on the event."""


async def list_events(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, page: PageParams
) -> tuple[list[EmploymentEvent], str | None]:
    await access.ensure_can_view(session, principal, employee_id, key_scope=Scope.PROFILES_READ)
    statement = repository.events_query(principal.org_id, employee_id)
    keys = [EmploymentEvent.effective_date, EmploymentEvent.id]
    return await paginate(session, statement, keys, page)


async def event_views(
    session: AsyncSession, org_id: uuid.UUID, rows: Sequence[EmploymentEvent]
) -> list[EmploymentEventOut]:
    """Events with what they move to named: one batched lookup per kind of name, whatever
    the page size."""
    departments = await org.department_refs(
        session, org_id, sorted({row.department_id for row in rows if row.department_id})
    )
    positions = await org.position_refs(
        session, org_id, sorted({row.position_id for row in rows if row.position_id})
    )
    managers = await employee_refs(
        session, org_id, sorted({row.manager_id for row in rows if row.manager_id})
    )
    return [
        _view(
            row,
            departments.get(row.department_id) if row.department_id else None,
            positions.get(row.position_id) if row.position_id else None,
            managers.get(row.manager_id) if row.manager_id else None,
        )
        for row in rows
    ]


def _view(
    row: EmploymentEvent, department: Ref | None, position: Ref | None, manager: Ref | None
) -> EmploymentEventOut:
    return EmploymentEventOut.model_validate(
        {
            **{field: getattr(row, field) for field in _EVENT_FIELDS},
            "department": department,
            "position": position,
            "manager": manager,
            "exit_reason_label": exit_reasons.label(row.exit_reason),
        }
    )


_EVENT_FIELDS = tuple(
    name
    for name in EmploymentEventOut.model_fields
    if name not in ("department", "position", "manager", "exit_reason_label")
)


async def add_event(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    body: EmploymentEventCreate,
    clock: Clock,
) -> EmploymentEventOut:
    """Record a career move (HR only); applied to the employee's post, manager or status at
    once when its effective date has come, else pending until that date. Answered with what
    it moves to named from the rows its checks read (no lookup of names afterwards)."""
    employee = await access.find_for_hr_write(session, principal, employee_id)
    department = (
        await org.require_department(session, employee.org_id, body.department_id)
        if body.department_id is not None
        else None
    )
    position = await require_position(session, employee.org_id, body.position_id)
    manager = (
        await require_acyclic_manager(session, employee, body.manager_id)
        if body.manager_id is not None
        else None
    )
    _require_event_fits(employee, body)
    if body.allowance is not None or body.pay_terms_ref is not None:
        # Pay is financial, sensitive information (PIPL Art. 28): it needs the person's consent.
        await personal_data.require_consent(
            session, employee.org_id, employee.id, personal_data.SENSITIVE_DATA
        )
    if body.effective_date > await org_today(session, employee.org_id, clock):
        event = await record_event(session, principal, employee, body, applied_at=None)
    else:
        before = snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
        await apply_event(session, employee, body)
        event = await record_event(session, principal, employee, body, applied_at=clock.now())
        audit_employee_changes(session, principal, employee, before)
    return _view(event, department, position, manager)


async def pending_changes(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[PendingChange]:
    """The employee's moves still ahead, in the order they take effect; one statement."""
    rows = await profile_queries.pending_changes(session, org_id, employee_id)
    return [PendingChange.model_validate(pending_change(row)) for row in rows]


async def apply_due(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> int:
    """Apply the organization's pending events whose date has come (the hourly job): each
    locked, applied to its employee and marked, in date order; announced as applied.
    Idempotent: an applied event is never pending again. A move of an employee who left
    before its date lapses: marked, audited as lapsed, applied to nothing and announced to no
    one (nobody is told of an appointment they no longer hold). Returns how many applied."""
    today = await org_today(session, org_id, clock)
    due = await repository.due_pending_events(session, org_id, today)
    applied = 0
    for event in due:
        employee = await repository.employee_by_id(session, org_id, event.employee_id)
        if employee is None:
            continue
        if employee.status == "exited" and event.kind != "hire":
            event.applied_at = clock.now()
            audit.record(
                session,
                None,
                "employment_event.lapsed",
                "employment_event",
                event.id,
                org_id=org_id,
                before={"applied_at": None},
                after={"lapsed": "the employee left before its effective date"},
            )
            continue
        move = EmploymentEventCreate.model_validate(event, from_attributes=True)
        if move.manager_id is not None and await _would_cycle(session, employee, move.manager_id):
            move = move.model_copy(update={"manager_id": None})  # the chain moved meanwhile
        before = snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
        await apply_event(session, employee, move)
        event.applied_at = clock.now()
        await session.flush()
        audit_employee_changes(session, None, employee, before)
        audit.record(
            session,
            None,
            "employment_event.applied",
            "employment_event",
            event.id,
            org_id=org_id,
            before={"applied_at": None},
            after={"applied_at": event.applied_at.isoformat()},
        )
        announce(session, event, EMPLOYMENT_EVENT_APPLIED, applied=True)
        applied += 1
    return applied


async def _would_cycle(session: AsyncSession, employee: Employee, manager_id: uuid.UUID) -> bool:
    try:
        await require_acyclic_manager(session, employee, manager_id)
    except Unprocessable:
        return True
    return False


def _require_event_fits(employee: Employee, body: EmploymentEventCreate) -> None:
    if body.kind == "hire" and employee.status != "exited":
        raise Conflict(_("The employee is employed; only an exited employee can be re-hired"))
    if body.kind != "hire" and employee.status == "exited":
        raise Conflict(_("The employee has exited; re-hire them first"))
    if body.kind != "hire" and body.effective_date < employee.hire_date:
        raise Unprocessable(
            _("The event precedes the hire date"),
            errors=[FieldError(field="effective_date", message=_("before hire_date"))],
        )


async def mark_exited(session: AsyncSession, employee: Employee) -> None:
    """The employee left: their accounts' sessions end in the same transaction."""
    if employee.status != "exited":
        await identity.end_sessions_of_employee(
            session, employee.org_id, employee.id, reason="employee_exited"
        )
    employee.status = "exited"


async def apply_event(
    session: AsyncSession, employee: Employee, body: EmploymentEventCreate
) -> None:
    """Transfers, promotions and re-hires move the current post, and the manager chain to
    the manager named for it; exits end employment.

    A temporary post is held on top of the current post, which it leaves unchanged.
    """
    if body.kind == "temporary_post":
        return
    if body.manager_id is not None and body.manager_id != employee.manager_id:
        await change_manager(session, employee, body.manager_id)
    if body.department_id is not None:
        employee.department_id = body.department_id
    if body.position_id is not None:
        employee.position_id = body.position_id
    if body.kind == "exit":
        await mark_exited(session, employee)
    elif body.kind == "hire":
        employee.status = "active"
        employee.hire_date = body.effective_date


async def record_event(
    session: AsyncSession,
    actor: Principal | None,
    employee: Employee,
    body: EmploymentEventCreate,
    *,
    applied_at: datetime | ColumnElement[datetime] | None,
) -> EmploymentEvent:
    """Store the event, audit it (`actor=None`: the directory sync) and announce it;
    `applied_at` None: pending until its effective date (`func.now()` where the caller has
    no clock: the directory sync applies what DingTalk already shows)."""
    event = EmploymentEvent(
        org_id=employee.org_id, employee_id=employee.id, applied_at=applied_at, **body.model_dump()
    )
    session.add(event)
    await session.flush()
    audit.record(
        session,
        actor,
        "employment_event.created",
        "employment_event",
        event.id,
        org_id=employee.org_id,
        after=snapshot(event, EVENT_FIELDS),
    )
    announce(session, event, EMPLOYMENT_EVENT_RECORDED, applied=applied_at is not None)
    return event


def announce(session: AsyncSession, event: EmploymentEvent, name: str, *, applied: bool) -> None:
    """Tell subscribed domains (contracts drafts, redrafts or withdraws an amendment) through
    the outbox."""
    events.emit(
        session,
        name,
        {
            "event_id": str(event.id),
            "employee_id": str(event.employee_id),
            "kind": event.kind,
            "applied": applied,
        },
        org_id=event.org_id,
    )


async def end_temporary_post(
    session: AsyncSession, principal: Principal, event_id: uuid.UUID, last_day: date
) -> date:
    """End a recorded temporary post early (HR only): `last_day` is its new last day, from
    its first day to before the day it was to end (422 on `last_day` otherwise). The event
    keeps its id, so what refers to it follows; audited with the end it had. Answers the
    previous end. Announced as `EMPLOYMENT_EVENT_ENDED_EARLY`: contracts redrafts the amendment
    for the real end (docs/contracts.md). A withdrawn post has nothing to end (409)."""
    event = await repository.event_by_id(session, principal.org_id, event_id, lock=True)
    if event is None or event.kind != "temporary_post":
        raise NotFound(_("No such temporary post"))
    await access.find_for_hr_write(session, principal, event.employee_id)
    if event.withdrawn_at is not None:
        raise Conflict(_("The temporary post was withdrawn"))
    previous = event.end_date
    assert previous is not None  # a temporary post always has an end (schema and check)
    if not event.effective_date <= last_day < previous:
        raise Unprocessable(
            _("The temporary post cannot end on that day"),
            errors=[
                FieldError(
                    field="last_day",
                    message=_(
                        "from {start} to the day before {end}",
                        start=Day(event.effective_date),
                        end=Day(previous),
                    ),
                )
            ],
        )
    event.end_date = last_day
    await session.flush()
    audit.record(
        session,
        principal,
        "employment_event.ended_early",
        "employment_event",
        event.id,
        org_id=event.org_id,
        before={"end_date": previous.isoformat()},
        after={"end_date": last_day.isoformat()},
    )
    announce(session, event, EMPLOYMENT_EVENT_ENDED_EARLY, applied=event.applied_at is not None)
    return previous


@dataclass(frozen=True)
class EmploymentEventInfo:
    """What a domain reacting to `EMPLOYMENT_EVENT_RECORDED` reads of the event (contracts
    drafts an amendment from it)."""

    id: uuid.UUID
    employee_id: uuid.UUID
    kind: str
    effective_date: date
    end_date: date | None
    department_id: uuid.UUID | None
    position_id: uuid.UUID | None
    title: str | None
    allowance: Decimal | None
    note: str | None
    pay_terms_ref: str | None
    applied: bool
    withdrawal_reason: str | None
    """Set once the temporary post was withdrawn before it began (`withdrawn`)."""

    @property
    def withdrawn(self) -> bool:
        return self.withdrawal_reason is not None


async def employment_event(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID
) -> EmploymentEventInfo | None:
    """One recorded event, for domains reacting to `EMPLOYMENT_EVENT_RECORDED`."""
    event = await repository.event_by_id(session, org_id, event_id)
    if event is None:
        return None
    return EmploymentEventInfo(
        event.id,
        event.employee_id,
        event.kind,
        event.effective_date,
        event.end_date,
        event.department_id,
        event.position_id,
        event.title,
        event.allowance,
        event.note,
        event.pay_terms_ref,
        event.applied_at is not None,
        event.withdrawal_reason if event.withdrawn_at is not None else None,
    )


@dataclass(frozen=True)
class VacatedPost:
    """The post an employee gave up through an exit, promotion or transfer."""

    employee_id: uuid.UUID
    position_id: uuid.UUID
    department_id: uuid.UUID | None
    kind: str


async def vacated_post(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID
) -> VacatedPost | None:
    """For domains reacting to `EMPLOYMENT_EVENT_RECORDED` (talent opens vacancies): the
    position the event took the employee off, or None when it left their post unchanged.

    An exit keeps the employee's last post on the row; a promotion or transfer to another
    position left the post set by the previous post-changing event."""
    event = await repository.event_by_id(session, org_id, event_id)
    if event is None or event.kind not in ("exit", "promotion", "transfer"):
        return None
    if event.kind == "exit":
        employee = await repository.employee_by_id(session, org_id, event.employee_id)
        if employee is None or employee.position_id is None:
            return None
        return VacatedPost(employee.id, employee.position_id, employee.department_id, event.kind)
    if event.position_id is None:
        return None
    previous = await repository.post_event_before(session, org_id, event)
    left = previous.position_id if previous else None
    if previous is None or left is None or left == event.position_id:
        return None
    return VacatedPost(event.employee_id, left, previous.department_id, event.kind)
