"""The expiry watch: HR is asked, once per contract and end date, to renew or extend each
active contract ending within `contract_expiry_notice_months` of the organization's today.

The daily cron raises an alert per contract entering the window (unique per contract and end
date, so the watch is idempotent and an extension nearing its own end is asked about again),
a renew-or-extend task for HR and the `contract.expiring` webhook; it also re-checks the
program conflicts of those employees. Extending or renewing closes the task.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars import api as calendars
from hrcore.contracts import access, conflicts, repository
from hrcore.contracts.models import Contract
from hrcore.contracts.terms import CONTRACT_SUBJECT, jsonable
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.calendar import add_months
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker
from hrcore.core.errors import Conflict, NotFound
from hrcore.core.i18n import Day, Text, _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.programs import api as programs
from hrcore.settings import Settings
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow

logger = logging.getLogger("hrcore.contracts")

EXPIRY_TASK_KIND = "contract_expiry"
EXPIRY_DUE_BEFORE_END = timedelta(days=30)
"""HR's renew-or-extend task is due 30 calendar days before the contract ends: the law's
notice periods (劳动合同法 第四十条 and the local rules on notice of non-renewal, "提前三十日")
count calendar days, not working days. When that day is not a working day on the
organization's calendar, the task is due the last working day before it, so the notice can
still be given in time."""


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
    note_reads(principal, [row.employee_id for row in rows], DataClass.SENSITIVE, "contract")
    alerts = await repository.alerts_for(session, principal.org_id, rows)
    found = await conflicts.program_conflicts(
        session, principal.org_id, list({row.employee_id for row in rows})
    )
    items = [
        ExpiringContract(
            contract=row,
            alert_task_id=alerts[row.id].task_id if row.id in alerts else None,
            days_left=(row.end_date - today).days if row.end_date else 0,
            program_conflicts=found.get(row.employee_id, []),
        )
        for row in rows
    ]
    return items, cursor


async def close_expiry_task(
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
    await conflicts.check_program_conflicts(
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
                    "end_date": jsonable(contract.end_date),
                },
                uuid.uuid5(uuid.NAMESPACE_URL, f"hrcore:contract-expiry:{alert_id}"),
            )
            for alert_id, contract in raised
        ),
    )
    return len(new)


def _notice_due(work_calendar: calendars.WorkCalendar, end: date) -> date:
    """The last working day on or before the 30th calendar day before `end`."""
    latest = end - EXPIRY_DUE_BEFORE_END
    return work_calendar.add_working_days(latest + timedelta(days=1), -1)


async def _ask_hr(
    session: AsyncSession,
    org_id: uuid.UUID,
    raised: Sequence[tuple[uuid.UUID, Contract]],
    today: date,
) -> None:
    """A renew-or-extend task per new alert for the first HR admin linked to an employee
    record (the alert keeps it); with no such admin, every HR admin hears of each in the
    inbox instead. A fixed number of statements for any number of alerts."""
    hr_employees, hr_users = await access.hr_recipients(session, org_id)
    names = await people.employee_summaries(
        session, org_id, [c.employee_id for _alert, c in raised]
    )
    titles = {contract.id: _expiry_title(contract, names) for _alert, contract in raised}
    if not hr_employees:
        await notifications.notify_many(
            session,
            org_id=org_id,
            messages=[
                notifications.Message(
                    user_ids=hr_users,
                    kind="contract.expiring",
                    title=titles[contract.id],
                    body=_("Renew or extend it: POST /contracts/{{id}}/renew or /extend."),
                    subject_type=CONTRACT_SUBJECT,
                    subject_id=contract.id,
                    dedupe_key=f"contract:{contract.id}:expiry:{contract.end_date}",
                )
                for _alert, contract in raised
            ],
        )
        return
    work_calendar = await calendars.work_calendar(session, org_id)
    task_ids = await workflow.create_tasks(
        session,
        org_id=org_id,
        tasks=[
            workflow.NewTask(
                subject_type=CONTRACT_SUBJECT,
                subject_id=contract.id,
                kind=EXPIRY_TASK_KIND,
                assignee_employee_id=hr_employees[0],
                subject_employee_id=contract.employee_id,
                title=titles[contract.id],
                due=max(today, _notice_due(work_calendar, _end(contract))),
            )
            for _alert, contract in raised
        ],
    )
    alerts = await repository.alerts_by_ids(
        session, org_id, [alert_id for alert_id, _contract in raised]
    )
    for (alert_id, _contract), task_id in zip(raised, task_ids, strict=True):
        alerts[alert_id].task_id = task_id


def _end(contract: Contract) -> date:
    assert contract.end_date is not None  # only contracts with an end date expire
    return contract.end_date


def _expiry_title(contract: Contract, names: dict[uuid.UUID, people.EmployeeSummary]) -> Text:
    summary = names.get(contract.employee_id)
    who = summary.ref.name if summary else _("an employee")
    return _(
        "Contract of {employee} ends {end}: renew or extend", employee=who, end=Day(_end(contract))
    )
