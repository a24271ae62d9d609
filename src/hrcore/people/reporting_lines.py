"""Reporting lines: managers, 360 teams, everyone in a department subtree (for other
domains), and moving an employee under another manager (HR's correction, a career move)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import active_queries, repository, team_queries
from hrcore.people.models import Employee
from hrcore.people.references import require_employee


async def managers_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID | None]:
    """Each employee's direct manager (None at the top); unknown ids are absent. One query."""
    return dict(await repository.manager_ids(session, org_id, employee_ids))


async def manager_chain(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[uuid.UUID]:
    """The employee's managers, the direct one first, up to the top: read from the stored
    manager path in one query, whatever its length."""
    path = await repository.manager_path_of(session, org_id, employee_id)
    return [uuid.UUID(part) for part in reversed((path or "").split("/")) if part]


@dataclass(frozen=True)
class Team:
    """An employee's working relations: who rates whom in a 360."""

    manager_id: uuid.UUID | None
    peers: list[uuid.UUID]
    reports: list[uuid.UUID]


async def teams_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Team]:
    """Manager, peers (active, same manager) and active direct reports, in two queries."""
    managers = await managers_of(session, org_id, employee_ids)
    wanted = set(managers) | {m for m in managers.values() if m is not None}
    reports: dict[uuid.UUID, list[uuid.UUID]] = {}
    for manager_id, report_id in await active_queries.active_reports(session, org_id, list(wanted)):
        reports.setdefault(manager_id, []).append(report_id)
    return {
        employee_id: Team(
            manager_id=manager_id,
            peers=[p for p in reports.get(manager_id, []) if p != employee_id]
            if manager_id is not None
            else [],
            reports=reports.get(employee_id, []),
        )
        for employee_id, manager_id in managers.items()
    }


async def active_employees_in_subtree(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> list[uuid.UUID]:
    """Everyone active in a department and the departments under it."""
    subtree = await org.subtree_ids(session, org_id, department_id)
    return await active_queries.active_ids_where(session, org_id, subtree)


@dataclass(frozen=True)
class PeriodTurnover:
    """A period's headcount on its first day and the employees who left during it."""

    period: str
    headcount: int
    leavers: int


@dataclass(frozen=True)
class TeamHistory:
    """A team's tenure and turnover: what a performance diagnosis reads of its people."""

    hire_dates: list[date]
    """The active members' hire dates."""
    turnover: list[PeriodTurnover]


async def team_history(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_ids: Sequence[uuid.UUID],
    periods: Sequence[tuple[str, date, date]],
) -> TeamHistory:
    """The active members' hire dates and, per period (name, first day, day after), the
    headcount and leavers of these departments, counted by each employee's current (for a
    leaver, last) department; one statement."""
    rows = await team_queries.team_history(session, org_id, department_ids, periods)
    return TeamHistory(
        hire_dates=[row["hire_date"] for row in rows if row["part"] == "member"],
        turnover=[
            PeriodTurnover(row["period"], row["headcount"], row["leavers"])
            for row in rows
            if row["part"] == "period"
        ],
    )


async def change_manager(
    session: AsyncSession, employee: Employee, manager_id: uuid.UUID | None
) -> None:
    """Point the employee at a new manager and re-root everyone below them."""
    manager = (
        await require_employee(session, employee.org_id, manager_id, field="manager_id")
        if manager_id is not None
        else None
    )
    old_prefix = employee.reports_prefix
    employee.manager_id = manager_id
    employee.manager_path = manager.reports_prefix if manager else "/"
    await repository.move_reports(session, employee.org_id, old_prefix, employee.reports_prefix)


async def require_acyclic_manager(
    session: AsyncSession, employee: Employee, manager_id: uuid.UUID
) -> Ref:
    """The proposed manager exists and the employee is not already above them; the manager
    as a link."""
    manager = await require_employee(session, employee.org_id, manager_id, field="manager_id")
    if manager.id == employee.id or f"/{employee.id}/" in manager.manager_path:
        raise Unprocessable(
            _("The manager chain would form a cycle"),
            errors=[
                FieldError(field="manager_id", message=_("the employee is above this manager"))
            ],
        )
    return Ref(id=manager.id, name=manager.full_name)
