"""Program conflicts: a development program that runs past the last day an employee's active
contracts cover.

The expiring list flags them (`program_conflicts`) and `check_program_conflicts` is the one
place they become HR work: one task per participation. Contracts asks programs
(`programs.api`), never the other way round: programs announces a started run
(`RUN_STARTED`) or a withdrawal (`PARTICIPANT_WITHDRAWN`) and contracts' jobs react; the
check also runs when a contract is created, extended or renewed and in the daily watch.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import access, repository
from hrcore.core.clock import Clock
from hrcore.core.i18n import Day, _
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.programs import api as programs
from hrcore.workflow import api as workflow

CONFLICT_TASK_KIND = "contract_program_conflict"
CONFLICT_JOB = "contracts.check_program_conflicts"
CONFLICT_DROP_JOB = "contracts.drop_program_conflicts"
PARTICIPANT_SUBJECT = "program_participant"
CONFLICT_DAYS = 14
"""HR has 14 days to settle a conflict (working days when the organization counts its tasks'
days so, `workflow.due_after`), or until the contract ends if that is sooner."""


@dataclass(frozen=True)
class _Conflict:
    employee_id: uuid.UUID
    cover_end: date
    program: programs.ParticipationEnd


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


async def check_program_conflicts(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID], clock: Clock
) -> int:
    """The one place conflicts become HR work: for each open participation of these employees
    ending after the last day their contracts cover, HR gets one task unless one is open or
    was completed (HR knows); an open task whose conflict is gone is cancelled. Five queries,
    one more for how the organization counts days (three when in working days), plus the
    writes. Returns how many conflicts were raised."""
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
        now=clock.now(),
    )
    raised = {t.subject.id: t for t in tasks if t.kind == CONFLICT_TASK_KIND}
    resolved = [t.id for t in raised.values() if t.subject.id not in conflicts]
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
        session,
        org_id=org_id,
        subject_type=PARTICIPANT_SUBJECT,
        subject_ids=participant_ids,
        now=clock.now(),
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
    within = await workflow.due_after(session, org_id, today, CONFLICT_DAYS)
    hr_employees, hr_users = await access.hr_recipients(session, org_id)
    names = await people.employee_summaries(session, org_id, [c.employee_id for c in conflicts])
    for conflict in conflicts:
        program = conflict.program
        name = names.get(conflict.employee_id)
        title = _(
            "Contract of {employee} ends {contract_end}, before the program {program} ends "
            "({program_end})",
            employee=name.ref.name if name else _("an employee"),
            contract_end=Day(conflict.cover_end),
            program=program.run.name,
            program_end=Day(program.ends_on),
        )
        if hr_employees:
            await workflow.create_task(
                session,
                org_id=org_id,
                subject_type=PARTICIPANT_SUBJECT,
                subject_id=program.participant_id,
                kind=CONFLICT_TASK_KIND,
                assignee_employee_id=hr_employees[0],
                subject_employee_id=conflict.employee_id,
                title=title,
                due=max(today, min(within, conflict.cover_end)),
            )
            continue
        await notifications.notify(
            session,
            org_id=org_id,
            user_ids=hr_users,
            kind="contract.program_conflict",
            title=title,
            body=_("Extend or renew the contract: POST /contracts/{{id}}/extend or /renew."),
            subject_type=PARTICIPANT_SUBJECT,
            subject_id=program.participant_id,
            dedupe_key=f"contract:program-conflict:{program.participant_id}:{conflict.cover_end}",
        )
