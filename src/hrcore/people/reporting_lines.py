"""Reporting lines for other domains: managers, 360 teams, everyone in a department subtree."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.org import api as org
from hrcore.people import repository


async def managers_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID | None]:
    """Each employee's direct manager (None at the top); unknown ids are absent. One query."""
    return dict(await repository.manager_ids(session, org_id, employee_ids))


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
    for manager_id, report_id in await repository.active_reports(session, org_id, list(wanted)):
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
    return await repository.active_ids_where(session, org_id, subtree)
