"""Pairings 「师徒结对」: HR or the mentee's manager pairs a mentor of a program with a mentee
on a template; the plan is drafted from the template's current revision. The mentor is
checked against the program's rules again when paired (failing rules need HR's override
reason, audited with the checks), counted against the program's capacity under a lock on
the mentor's row, and a mentee runs one pairing per program at a time (the partial unique
index backs it). Ending a pairing closes its open tasks and its plan's open approval.
Published as `mentorship.started` / `mentorship.ended`; every write is audited."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.calendar import add_months
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Forbidden, Unprocessable
from hrcore.core.events import emit
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.references import referenced_row, refs_by_ids
from hrcore.core.schemas import Ref
from hrcore.mentoring import eligibility, events, mentorship_access, mentorship_repository, plans
from hrcore.mentoring.mentorship_models import (
    MENTEE_TEMPLATES,
    MenteeTemplate,
    Mentorship,
    MentorshipStatus,
    PlanStatus,
)
from hrcore.mentoring.mentorship_schemas import (
    MentorContactOut,
    MentorshipEndIn,
    MentorshipIn,
    MentorshipOut,
    MyMentorshipOut,
)
from hrcore.mentoring.models import Mentor, MentoringProgram
from hrcore.mentoring.schemas import RULES, MentorRuleCheck
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow

ACTIVE = MentorshipStatus.ACTIVE.value


def _field(field: str, message: Any, title: Any) -> Unprocessable:
    return Unprocessable(title, errors=[FieldError(field=field, message=message)])


async def _mentor(session: AsyncSession, program: MentoringProgram, body: MentorshipIn) -> Mentor:
    """The program's mentor, locked (422 when the id names no mentor of the program)."""
    mentor = await mentorship_repository.locked_mentor(session, program.org_id, body.mentor_id)
    if mentor is None or mentor.program_id != program.id:
        raise _field(
            "mentor_id", _("not a mentor of this program"), _("Unknown mentor of the program")
        )
    return mentor


async def _require_mentee(
    session: AsyncSession, program: MentoringProgram, mentor: Mentor, body: MentorshipIn
) -> people.EmployeeInfo:
    mentee = await people.require_employee(session, program.org_id, body.mentee_id, "mentee_id")
    if mentee.id == mentor.employee_id:
        raise _field("mentee_id", _("the mentor themself"), _("Nobody mentors themself"))
    if mentee.status != "active":
        raise _field("mentee_id", _("not active"), _("Only an active employee is mentored"))
    if program.department_id is not None and mentee.department_id not in await org.subtree_ids(
        session, program.org_id, program.department_id
    ):
        raise _field(
            "mentee_id",
            _("outside the program"),
            _("The employee is outside the program's departments"),
        )
    return mentee


async def _checks(
    session: AsyncSession,
    principal: Principal,
    program: MentoringProgram,
    mentor: Mentor,
    body: MentorshipIn,
    clock: Clock,
) -> list[MentorRuleCheck]:
    """The mentor against the program's rules now: failing rules are 422 (one error per
    rule, with the value found) unless HR gave an override reason."""
    checks = await eligibility.evaluate(
        session, program.org_id, mentor.employee_id, RULES.validate_python(program.rules), clock
    )
    if checks is None:
        raise _field("mentor_id", _("not active"), _("Only an active employee may mentor"))
    failing = [
        FieldError(
            field=f"checks[{index}]",
            message=_("rule {kind} failed (found {value})", kind=check.kind, value=check.value),
        )
        for index, check in enumerate(checks)
        if not check.passed
    ]
    if failing and body.override_reason is None:
        raise Unprocessable(
            _("The mentor fails the program's rules: pairing needs HR's override reason"),
            errors=failing,
        )
    return checks


async def _require_room(
    session: AsyncSession, program: MentoringProgram, mentor: Mentor, mentee_id: uuid.UUID
) -> None:
    if await mentorship_repository.mentee_is_paired(session, program.org_id, program.id, mentee_id):
        raise Conflict(_("The mentee is already paired in this program"))
    loads = await mentorship_repository.active_loads(session, program.org_id, [mentor.id])
    if loads.get(mentor.id, 0) >= program.capacity:
        raise Conflict(
            _("The mentor is at capacity ({capacity} mentees)", capacity=program.capacity)
        )


async def pair(
    session: AsyncSession, principal: Principal, body: MentorshipIn, clock: Clock
) -> Mentorship:
    """Pair the mentor with the mentee from `starts_on` for the template's duration."""
    await mentorship_access.require_pairing_manager(session, principal, body.mentee_id)
    if body.override_reason is not None and not principal.is_hr_admin:
        raise Forbidden(_("Only HR admins override a mentor's eligibility"))
    program = await referenced_row(
        session,
        MentoringProgram,
        principal.org_id,
        body.program_id,
        field="program_id",
        title=_("Unknown mentoring program"),
        message=_("no such mentoring program"),
    )
    if not program.active:
        raise Conflict(_("The mentoring program is closed"))
    template: MenteeTemplate | None = await MENTEE_TEMPLATES.by_id(
        session, principal.org_id, body.template_id
    )
    if template is None:
        raise _field("template_id", _("no such mentee template"), _("Unknown mentee template"))
    mentor = await _mentor(session, program, body)
    mentee = await _require_mentee(session, program, mentor, body)
    checks = await _checks(session, principal, program, mentor, body, clock)
    await _require_room(session, program, mentor, mentee.id)
    overridden = not all(check.passed for check in checks)
    mentorship = Mentorship(
        org_id=principal.org_id,
        program_id=program.id,
        mentor_id=mentor.id,
        mentor_employee_id=mentor.employee_id,
        mentee_employee_id=mentee.id,
        template_id=template.id,
        status=ACTIVE,
        starts_on=body.starts_on,
        ends_on=add_months(body.starts_on, template.duration_months),
        checks=[check.model_dump(mode="json") for check in checks],
        override_reason=body.override_reason if overridden else None,
    )
    session.add(mentorship)
    await session.flush()
    session.add(plans.draft(mentorship, template))
    await session.flush()
    audit.record(
        session,
        principal,
        "mentorship.created",
        events.SUBJECT_TYPE,
        mentorship.id,
        org_id=principal.org_id,
        after=_published(mentorship)
        | {
            "template_id": str(template.id),
            "template_revision": template.revision,
            "checks": mentorship.checks,
            "override_reason": mentorship.override_reason,
        },
    )
    await webhooks.publish(
        session,
        org_id=principal.org_id,
        event_type=webhooks.EventType.MENTORSHIP_STARTED,
        payload=_published(mentorship) | {"overridden": overridden},
    )
    return mentorship


def _published(mentorship: Mentorship) -> dict[str, Any]:
    return {
        "mentorship_id": str(mentorship.id),
        "program_id": str(mentorship.program_id),
        "mentor_id": str(mentorship.mentor_id),
        "mentor_employee_id": str(mentorship.mentor_employee_id),
        "mentee_employee_id": str(mentorship.mentee_employee_id),
        "starts_on": mentorship.starts_on.isoformat(),
        "ends_on": mentorship.ends_on.isoformat(),
    }


async def list_mentorships(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    program_id: uuid.UUID | None,
    mentor_id: uuid.UUID | None,
    mentee_id: uuid.UUID | None,
    status: MentorshipStatus | None,
) -> tuple[list[Mentorship], str | None]:
    reached = await mentorship_access.reach(session, principal)
    statement = mentorship_repository.mentorships_query(
        principal.org_id,
        reached,
        program_id=program_id,
        mentor_id=mentor_id,
        mentee_id=mentee_id,
        status=status,
    )
    return await paginate(session, statement, [Mentorship.id], page)


async def views(session: AsyncSession, rows: Sequence[Mentorship]) -> list[MentorshipOut]:
    """Views of a page of pairings: programs, people, templates, plans (and their approvals'
    statuses while submitted) and the mentors' loads, one statement each whatever the page's
    size."""
    if not rows:
        return []
    org_id = rows[0].org_id
    programs = await refs_by_ids(
        session, MentoringProgram.name, org_id, [r.program_id for r in rows]
    )
    employees = await people.employee_refs(
        session, org_id, [e for r in rows for e in (r.mentor_employee_id, r.mentee_employee_id)]
    )
    named = await refs_by_ids(session, MenteeTemplate.name, org_id, [r.template_id for r in rows])
    found = await mentorship_repository.plans_of(session, org_id, [r.id for r in rows])
    statuses = await plans.shown_statuses(session, org_id, list(found.values()))
    loads = await mentorship_repository.active_loads(session, org_id, [r.mentor_id for r in rows])
    return [
        MentorshipOut.model_validate(
            {
                "id": row.id,
                "program": programs[row.program_id],
                "mentor": Ref(id=row.mentor_id, name=employees[row.mentor_employee_id].name),
                "mentor_employee": employees[row.mentor_employee_id],
                "mentee": employees[row.mentee_employee_id],
                "template": named[row.template_id],
                "status": row.status,
                "starts_on": row.starts_on,
                "ends_on": row.ends_on,
                "checks": row.checks,
                "override_reason": row.override_reason,
                "end_reason": row.end_reason,
                "ended_at": row.ended_at,
                "plan_status": statuses[row.id],
                "mentor_load": loads.get(row.mentor_id, 0),
                "created_at": row.created_at,
                "version": row.version,
            }
        )
        for row in rows
    ]


async def end(
    session: AsyncSession,
    principal: Principal,
    mentorship_id: uuid.UUID,
    body: MentorshipEndIn,
    clock: Clock,
) -> Mentorship:
    """Complete or cancel a running pairing (409 when it has ended): its open tasks are
    cancelled, its plan's open approval withdrawn, `MENTORSHIP_ENDED` emitted."""
    mentorship = await mentorship_access.readable_mentorship(
        session, principal, mentorship_id, for_update=True
    )
    await mentorship_access.require_pairing_manager(
        session, principal, mentorship.mentee_employee_id
    )
    if mentorship.status != ACTIVE:
        raise Conflict(_("The pairing is {status} already", status=label(mentorship.status)))
    ended_at = clock.now()
    mentorship.status, mentorship.end_reason, mentorship.ended_at = (
        body.outcome,
        body.reason,
        ended_at,
    )
    tasks = await workflow.tasks_of_subjects(
        session,
        org_id=mentorship.org_id,
        subject_type=events.SUBJECT_TYPE,
        subject_ids=[mentorship.id],
        now=clock.now(),
    )
    cancelled = await workflow.cancel_open_tasks(
        session,
        org_id=mentorship.org_id,
        task_ids=[task.id for task in tasks],
        clock=clock,
        actor=principal,
        reason=f"mentorship_{body.outcome}",
    )
    await plans.withdraw_pending(session, principal, mentorship, clock)
    await session.flush()
    await session.refresh(mentorship)
    audit.record(
        session,
        principal,
        "mentorship.ended",
        events.SUBJECT_TYPE,
        mentorship.id,
        org_id=mentorship.org_id,
        before={"status": ACTIVE},
        after={"status": mentorship.status, "reason": body.reason, "tasks_cancelled": cancelled},
    )
    emit(
        session,
        events.MENTORSHIP_ENDED,
        {"mentorship_id": str(mentorship.id)},
        org_id=mentorship.org_id,
    )
    await webhooks.publish(
        session,
        org_id=mentorship.org_id,
        event_type=webhooks.EventType.MENTORSHIP_ENDED,
        payload=_published(mentorship)
        | {"outcome": body.outcome, "ended_at": ended_at.isoformat()},
    )
    return mentorship


async def my_mentorships(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    status: MentorshipStatus | None,
) -> tuple[list[MyMentorshipOut], str | None]:
    """The caller's pairings as mentor and as mentee; as mentee they read the mentor's work
    contact details. A fixed number of statements per page."""
    principal.require_key_scope(None)
    me = own_employee_id(principal)
    statement = mentorship_repository.pairings_of(principal.org_id, me, status)
    rows, cursor = await paginate(session, statement, [Mentorship.id], page)
    if not rows:
        return [], cursor
    programs = await refs_by_ids(
        session, MentoringProgram.name, principal.org_id, [r.program_id for r in rows]
    )
    employees = await people.employee_refs(
        session,
        principal.org_id,
        [e for r in rows for e in (r.mentor_employee_id, r.mentee_employee_id)],
    )
    found = await mentorship_repository.plans_of(session, principal.org_id, [r.id for r in rows])
    statuses = await plans.shown_statuses(session, principal.org_id, list(found.values()))
    mine_as_mentee = [r.mentor_employee_id for r in rows if r.mentee_employee_id == me]
    contacts = await people.work_contacts(session, principal.org_id, mine_as_mentee)
    items = []
    for row in rows:
        contact = contacts.get(row.mentor_employee_id) if row.mentee_employee_id == me else None
        items.append(
            MyMentorshipOut(
                id=row.id,
                role="mentee" if row.mentee_employee_id == me else "mentor",
                program=programs[row.program_id],
                mentor_employee=employees[row.mentor_employee_id],
                mentee=employees[row.mentee_employee_id],
                status=MentorshipStatus(row.status),
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                plan_status=PlanStatus(statuses[row.id]),
                mentor_contact=MentorContactOut(email=contact.email, phone=contact.phone)
                if contact is not None
                else None,
            )
        )
    return items, cursor
