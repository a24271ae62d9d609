"""Employees and positions named by reference: checked when a request names them, shown
to other domains as links, summaries and names (the caller has checked reach)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.i18n import _
from hrcore.core.references import ref_by_id, referenced_row, refs_by_ids
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import active_queries, repository
from hrcore.people.models import Employee


async def require_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, field: str = "employee_id"
) -> Employee:
    """An employee referenced in a request body: 422 when it is not in this organization."""
    return await referenced_row(
        session,
        Employee,
        org_id,
        employee_id,
        field=field,
        title=_("Unknown employee"),
        message=_("no such employee"),
    )


async def employee_ref(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> Ref | None:
    return await ref_by_id(session, Employee.full_name, org_id, employee_id)


async def require_position(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_id: uuid.UUID | None,
    field: str = "position_id",
) -> Ref | None:
    """The position named in a request body, as a link (None when none is named); 422 when it
    is not in this organization."""
    if position_id is None:
        return None
    position = await org.require_position(session, org_id, position_id, field=field)
    return Ref(id=position.id, name=position.title)


async def employee_refs(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Ref]:
    """Links to many employees in one query (the caller checked reach)."""
    return await refs_by_ids(session, Employee.full_name, org_id, employee_ids)


@dataclass(frozen=True)
class EmployeeInfo:
    """What other domains read of one employee: `ensure_can_view` and `require_employee`
    answer with it, never with the ORM row."""

    id: uuid.UUID
    full_name: str
    employee_number: str
    department_id: uuid.UUID
    position_id: uuid.UUID | None
    status: str


def employee_info(employee: Employee) -> EmployeeInfo:
    return EmployeeInfo(
        employee.id,
        employee.full_name,
        employee.employee_number,
        employee.department_id,
        employee.position_id,
        employee.status,
    )


@dataclass(frozen=True)
class EmployeeSummary:
    """What another domain shows of an employee in a list: a link and the department (its id
    and its link, so a list names it without a lookup of its own)."""

    ref: Ref
    department_id: uuid.UUID
    status: str
    department: Ref


@dataclass(frozen=True)
class EmployeePost:
    """An employee with their post, for another domain's report over departments."""

    ref: Ref
    department: Ref
    position: Ref | None


async def active_posts_in(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_ids: Sequence[uuid.UUID],
    among_ids: Sequence[uuid.UUID] | None,
) -> list[EmployeePost]:
    """A named query: the active employees of these departments, by name, within `among_ids`
    (the caller's reach; None for all), each with their department and position linked, in
    one statement."""
    rows = await active_queries.active_posts_where(session, org_id, department_ids, among_ids)
    return [
        EmployeePost(
            Ref(id=row.id, name=row.full_name),
            Ref(id=row.department_id, name=row.department_name),
            Ref(id=row.position_id, name=row.position_title) if row.position_id else None,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ActivePeople:
    """Active employees as parallel lists in (full name, id) order: for a ranking over a
    whole organization, which builds nothing per person it does not show and names only its
    page (`employee_refs`)."""

    ids: list[uuid.UUID]
    department_ids: list[uuid.UUID]
    position_ids: list[uuid.UUID | None]


@dataclass(frozen=True)
class NamedActivePeople(ActivePeople):
    """`ActivePeople` with their full names, for a short list shown whole (mentor
    suggestions)."""

    names: list[str]


async def active_people_in(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_ids: Sequence[uuid.UUID],
    among_ids: Sequence[uuid.UUID] | None,
) -> ActivePeople:
    """A named query: `active_posts_in`'s people and order as bare ids, without names, in
    one statement."""
    row = await active_queries.active_people_where(session, org_id, department_ids, among_ids)
    return ActivePeople(row["ids"], row["department_ids"], row["position_ids"])


async def active_people_among(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> NamedActivePeople:
    """A named query: which of these employees are active, wherever they work, as
    `NamedActivePeople` (the caller checked reach), in one statement."""
    row = await active_queries.active_people_among_ids(session, org_id, employee_ids)
    return NamedActivePeople(
        ids=row["ids"],
        department_ids=row["department_ids"],
        position_ids=row["position_ids"],
        names=row["names"],
    )


async def employee_summaries(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, EmployeeSummary]:
    """Many employees in one query (for lists in other domains; the caller checked reach)."""
    rows = await repository.summaries_by_ids(session, org_id, list(dict.fromkeys(employee_ids)))
    return {
        row.id: EmployeeSummary(
            Ref(id=row.id, name=row.full_name),
            row.department_id,
            row.status,
            Ref(id=row.department_id, name=row.department_name),
        )
        for row in rows
    }
