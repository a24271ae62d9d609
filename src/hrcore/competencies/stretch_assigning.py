"""Putting someone on a stretch assignment.

Assigning checks the person's load — a person already on the configured most assignments
at once (`stretch_max_concurrent_assignments`, counting those without an outcome that are
not closed) takes no other, 409 naming why — and creates three tasks through workflow with
the organization's working-day policy, reminders and escalation: the assignee's kick-off,
the supervisor's mid-point check and the supervisor's outcome (completed by recording the
outcome). An assignment that is a post (`post_title`) records it as a temporary post of the
assignee through people's `add_event`, which only HR may call: HR admins alone assign a
post."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import stretch, stretch_access, stretch_repository
from hrcore.competencies.models import StretchAssignee, StretchAssignment
from hrcore.competencies.stretch_schemas import AssigneeOut, AssignIn
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, Forbidden, Unprocessable
from hrcore.core.i18n import _
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.settings import Settings
from hrcore.workflow import api as workflow

SUBJECT = "stretch_assignee"
KICKOFF_KIND = "stretch_assignment.kickoff"
MIDPOINT_KIND = "stretch_assignment.midpoint_check"
OUTCOME_KIND = "stretch_assignment.outcome"
KICKOFF_DAYS = 3
OUTCOME_DAYS = 5
RECORD_OUTCOME = workflow.Operation(
    "record_stretch_assignment_outcome", "POST", "/stretch-assignments/{assignment_id}/outcomes"
)


def _invalid(field: str, message: Any) -> Unprocessable:
    return Unprocessable(
        _("The assignment cannot be made"), errors=[FieldError(field=field, message=message)]
    )


async def _supervisor(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, body: AssignIn
) -> uuid.UUID:
    """The supervisor named, else the assignee's manager; 422 when neither is someone else
    of the organization."""
    if body.supervisor_id is not None:
        supervisor = await people.require_employee(
            session, org_id, body.supervisor_id, "supervisor_id"
        )
        if supervisor.id == employee_id:
            raise _invalid("supervisor_id", _("someone other than the assignee"))
        return supervisor.id
    manager = (await people.managers_of(session, org_id, [employee_id])).get(employee_id)
    if manager is None:
        raise _invalid("supervisor_id", _("the employee has no manager: name the supervisor"))
    return manager


async def _check_capacity(
    session: AsyncSession,
    assignment: StretchAssignment,
    employee: people.EmployeeInfo,
    settings: Settings,
) -> None:
    """409 for someone already on it, an assignment with no free slot or closed, and a
    person at their most assignments at once; each answer says which."""
    await stretch_repository.lock_load(session, employee.id)
    load, on = (await stretch_repository.loads(session, assignment.org_id, [employee.id])).get(
        employee.id, (0, set())
    )
    if assignment.id in on:
        raise Conflict(_("{name} is already on this stretch assignment", name=employee.full_name))
    if assignment.status == stretch.CLOSED:
        raise Conflict(_("The stretch assignment is closed"))
    if assignment.status == stretch.ASSIGNED:
        raise Conflict(_("Every slot of this stretch assignment is taken"))
    most = settings.stretch_max_concurrent_assignments
    if load >= most:
        raise Conflict(
            _(
                "{name} is at capacity: already on {load} open stretch assignments, the most "
                "one person takes at once is {most}",
                name=employee.full_name,
                load=load,
                most=most,
            )
        )


async def _tasks(
    session: AsyncSession,
    actor: Principal | None,
    assignment: StretchAssignment,
    assignee: StretchAssignee,
    clock: Clock,
) -> list[uuid.UUID]:
    """Kick-off (assignee), mid-point check and outcome (supervisor); never due before
    today, the fixed lengths counted in the organization's working days."""
    org_id = assignment.org_id
    today = await people.org_today(session, org_id, clock)
    start = max(assignment.starts_on, today)
    midpoint = assignment.starts_on + timedelta(
        days=(assignment.ends_on - assignment.starts_on).days // 2
    )
    due: dict[str, date] = {
        KICKOFF_KIND: await workflow.due_after(session, org_id, start, KICKOFF_DAYS),
        MIDPOINT_KIND: max(midpoint, today),
        OUTCOME_KIND: await workflow.due_after(
            session, org_id, max(assignment.ends_on, today), OUTCOME_DAYS
        ),
    }
    title = assignment.title
    tasks = [
        workflow.NewTask(
            subject_type=SUBJECT,
            subject_id=assignee.id,
            kind=KICKOFF_KIND,
            assignee_employee_id=assignee.employee_id,
            title=_("Kick off the stretch assignment “{title}”", title=title),
            due=due[KICKOFF_KIND],
            subject_employee_id=assignee.employee_id,
        ),
        workflow.NewTask(
            subject_type=SUBJECT,
            subject_id=assignee.id,
            kind=MIDPOINT_KIND,
            assignee_employee_id=assignee.supervisor_id,
            title=_("Mid-point check of the stretch assignment “{title}”", title=title),
            due=due[MIDPOINT_KIND],
            subject_employee_id=assignee.employee_id,
        ),
        workflow.NewTask(
            subject_type=SUBJECT,
            subject_id=assignee.id,
            kind=OUTCOME_KIND,
            assignee_employee_id=assignee.supervisor_id,
            title=_("Record the outcome of the stretch assignment “{title}”", title=title),
            due=due[OUTCOME_KIND],
            completion_params={"assignment_id": str(assignment.id)},
            subject_employee_id=assignee.employee_id,
        ),
    ]
    return await workflow.create_tasks(session, org_id=org_id, tasks=tasks, actor=actor)


async def open_tasks(
    session: AsyncSession, org_id: uuid.UUID, assignee_id: uuid.UUID, clock: Clock
) -> list[uuid.UUID]:
    """The three tasks of an assignee whose row was written without a request (the demo
    seed), as assigning creates them; their ids, also kept on the row."""
    assignee = await session.get(StretchAssignee, assignee_id)
    if assignee is None or assignee.org_id != org_id:
        raise LookupError(f"no stretch assignee {assignee_id} in organization {org_id}")
    assignment = await session.get(StretchAssignment, assignee.assignment_id)
    if assignment is None:
        raise LookupError(f"no stretch assignment {assignee.assignment_id}")
    assignee.task_ids = await _tasks(session, None, assignment, assignee, clock)
    await session.flush()
    return list(assignee.task_ids)


async def assign(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    body: AssignIn,
    clock: Clock,
    settings: Settings,
) -> AssigneeOut:
    """An editor of the assignment puts someone they manage (404 outside their reach, 403
    on themself) from its department (422) on it. Audited; the assignment turns `assigned`
    when its last slot is taken. A post is assigned by HR admins only (403 for other
    editors): it records the temporary post through people (409 once the window has
    ended)."""
    assignment = await stretch_access.writable_assignment(session, principal, assignment_id)
    employee = await people.ensure_can_view(session, principal, body.employee_id)
    await people.ensure_can_manage(session, principal, employee.id)
    assignee = await _put_on(session, principal, assignment, employee, body, clock, settings)
    await session.refresh(assignee)
    names = await people_names(session, principal.org_id, [assignee])
    [view] = assignee_views([assignee], names, {})
    return AssigneeOut.model_validate(view)


async def _put_on(
    session: AsyncSession,
    actor: Principal | None,
    assignment: StretchAssignment,
    employee: people.EmployeeInfo,
    body: AssignIn,
    clock: Clock,
    settings: Settings,
) -> StretchAssignee:
    """The rules every assigning runs (a post by HR admins only, department, capacity,
    supervisor: nothing is written when one refuses), then the row, its tasks, the temporary
    post of a post, the assignment's status and the audit."""
    org_id = assignment.org_id
    if assignment.post_title is not None and (actor is None or not actor.is_hr_admin):
        raise Forbidden(
            _("Only an HR admin puts someone on a post: it changes their employment record")
        )
    subtree = await org.subtree_ids(session, org_id, assignment.department_id)
    if employee.department_id not in subtree or employee.status != "active":
        raise _invalid("employee_id", _("an active employee of the assignment's department"))
    await _check_capacity(session, assignment, employee, settings)
    supervisor_id = await _supervisor(session, org_id, employee.id, body)
    post_from = await _post_starts(session, assignment, clock)
    assignee = StretchAssignee(
        org_id=org_id,
        assignment_id=assignment.id,
        employee_id=employee.id,
        supervisor_id=supervisor_id,
        status="active",
        task_ids=[],
        assigned_by=actor.id if actor is not None else None,
    )
    session.add(assignee)
    await session.flush()
    assignee.task_ids = await _tasks(session, actor, assignment, assignee, clock)
    if post_from is not None and actor is not None:
        assignee.employment_event_id = await _temporary_post(
            session, actor, assignment, employee.id, post_from, clock
        )
    taken = (await stretch_repository.taken(session, org_id, [assignment.id]))[assignment.id]
    assignment.status = stretch.settled_status(assignment, taken)
    await session.flush()
    audit.record(
        session,
        actor,
        "stretch_assignment.assigned",
        "stretch_assignment",
        assignment.id,
        org_id=org_id,
        after={
            "assignee_id": str(assignee.id),
            "employee_id": str(employee.id),
            "supervisor_id": str(supervisor_id),
            "task_ids": [str(task_id) for task_id in assignee.task_ids],
            "employment_event_id": str(assignee.employment_event_id)
            if assignee.employment_event_id
            else None,
            "status": assignment.status,
        },
    )
    return assignee


async def place(
    session: AsyncSession,
    org_id: uuid.UUID,
    actor: Principal | None,
    assignment_id: uuid.UUID,
    employee_id: uuid.UUID,
    clock: Clock,
    settings: Settings,
) -> uuid.UUID:
    """Assigning for a process (a program stage), not an editor: the assignment of the
    organization (locked) and the same rules as `assign`; the assignee's id."""
    assignment = await get_or_404(
        session, StretchAssignment, org_id, assignment_id, what=stretch_access.WHAT, for_update=True
    )
    employee = await people.require_employee(session, org_id, employee_id)
    assignee = await _put_on(
        session, actor, assignment, employee, AssignIn(employee_id=employee_id), clock, settings
    )
    return assignee.id


async def _post_starts(
    session: AsyncSession, assignment: StretchAssignment, clock: Clock
) -> date | None:
    """When a post's temporary post starts for someone put on it now: its start, or today
    for a running one; 409 once it has ended. None for an assignment that is no post."""
    if assignment.post_title is None:
        return None
    today = await people.org_today(session, assignment.org_id, clock)
    if assignment.ends_on < today:
        raise Conflict(
            _(
                "The stretch assignment ended on {date}: its post is taken up no more",
                date=assignment.ends_on.isoformat(),
            )
        )
    return max(assignment.starts_on, today)


async def _temporary_post(
    session: AsyncSession,
    principal: Principal,
    assignment: StretchAssignment,
    employee_id: uuid.UUID,
    starts: date,
    clock: Clock,
) -> uuid.UUID:
    """The post as a temporary post of the assignee in the assignment's department, from
    `starts` to the assignment's end, with its allowance: people applies it on its date and
    contracts drafts the amendment from the event."""
    return await people.add_event(
        session,
        principal,
        employee_id,
        people.EmploymentEventCreate(
            kind="temporary_post",
            effective_date=starts,
            end_date=assignment.ends_on,
            department_id=assignment.department_id,
            title=assignment.post_title,
            allowance=assignment.allowance,
            note=assignment.title,
        ),
        clock,
    )


async def people_names(
    session: AsyncSession, org_id: uuid.UUID, assignees: list[StretchAssignee]
) -> dict[uuid.UUID, Any]:
    """Links to the assignees and their supervisors, in one statement."""
    wanted = {i for row in assignees for i in (row.employee_id, row.supervisor_id)}
    return await people.employee_refs(session, org_id, list(wanted))


def assignee_views(
    assignees: list[StretchAssignee],
    names: dict[uuid.UUID, Any],
    outcomes: dict[uuid.UUID, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Assignees with their names, each with its outcome when given."""
    return [
        {
            "id": row.id,
            "assignment_id": row.assignment_id,
            "employee_id": row.employee_id,
            "employee": names[row.employee_id],
            "supervisor_id": row.supervisor_id,
            "supervisor": names[row.supervisor_id],
            "status": row.status,
            "task_ids": row.task_ids,
            "outcome": outcomes.get(row.id),
            "employment_event_id": row.employment_event_id,
            "created_at": row.created_at,
        }
        for row in assignees
    ]
