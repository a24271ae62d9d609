"""Queries of employees and their history.

The org domain owns departments and positions; the few columns read here (names, titles,
`is_management`) go through lightweight table clauses and raw SQL rather than its models.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, Row, Select, and_, column, false, or_, select, table, text, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hrcore.people.models import Employee, EmploymentEvent, GrowthProfile, PerformanceRating

_departments = table("departments", column("id"), column("org_id"), column("name"))
_positions = table(
    "positions",
    column("id"),
    column("org_id"),
    column("title"),
    column("is_management", Boolean),
)


async def employee_by_id(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> Employee | None:
    return await session.scalar(
        select(Employee).where(Employee.org_id == org_id, Employee.id == employee_id)
    )


async def employee_by_number(
    session: AsyncSession, org_id: uuid.UUID, employee_number: str
) -> Employee | None:
    return await session.scalar(
        select(Employee).where(
            Employee.org_id == org_id, Employee.employee_number == employee_number
        )
    )


async def employee_among(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    ids: Select[Any] | None,
) -> Employee | None:
    """The employee when its id is in `ids` (`None`: any employee of the org)."""
    statement = select(Employee).where(Employee.org_id == org_id, Employee.id == employee_id)
    if ids is not None:
        statement = statement.where(Employee.id.in_(ids))
    return await session.scalar(statement)


# --- id sets: composable SELECTs of employee ids --------------------------------------------


def _no_ids() -> Select[Any]:
    return select(Employee.id).where(false())


def own_id(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[Any]:
    return select(Employee.id).where(Employee.org_id == org_id, Employee.id == employee_id)


def report_ids(org_id: uuid.UUID, manager_id: uuid.UUID) -> Select[Any]:
    """Direct and indirect reports of `manager_id`, not the manager (recursive CTE).

    UNION rather than UNION ALL, so even a corrupt cyclic chain terminates.
    """
    tree = (
        select(Employee.id)
        .where(Employee.org_id == org_id, Employee.manager_id == manager_id)
        .cte("employee_reports", recursive=True)
    )
    below = aliased(Employee)
    tree = tree.union(select(below.id).where(below.org_id == org_id, below.manager_id == tree.c.id))
    return select(tree.c.id)


def ids_in_departments(org_id: uuid.UUID, department_ids: Select[Any]) -> Select[Any]:
    return select(Employee.id).where(
        Employee.org_id == org_id, Employee.department_id.in_(department_ids)
    )


def union_ids(parts: Sequence[Select[Any]]) -> Select[Any]:
    if not parts:
        return _no_ids()
    if len(parts) == 1:
        return parts[0]
    combined = union(*parts).subquery("reach")
    return select(combined.c.id)


async def manager_chain_contains(
    session: AsyncSession, org_id: uuid.UUID, start_id: uuid.UUID, target_id: uuid.UUID
) -> bool:
    """Whether `target_id` is `start_id` or one of its managers, walking up the chain."""
    chain = (
        select(Employee.id, Employee.manager_id)
        .where(Employee.org_id == org_id, Employee.id == start_id)
        .cte("manager_chain", recursive=True)
    )
    above = aliased(Employee)
    chain = chain.union(
        select(above.id, above.manager_id).where(
            above.org_id == org_id, above.id == chain.c.manager_id
        )
    )
    found = await session.scalar(select(chain.c.id).where(chain.c.id == target_id).limit(1))
    return found is not None


async def is_among(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, ids: Select[Any]
) -> bool:
    return await employee_among(session, org_id, employee_id, ids) is not None


# --- lists --------------------------------------------------------------------------------


def employees_query(
    org_id: uuid.UUID,
    *,
    visible: Select[Any] | None,
    department_ids: Select[Any] | None,
    department_id: uuid.UUID | None,
    status: str | None,
    manager_id: uuid.UUID | None,
    position_id: uuid.UUID | None,
    q: str | None,
) -> Select[Any]:
    statement = select(Employee).where(Employee.org_id == org_id)
    conditions = [
        Employee.id.in_(visible) if visible is not None else None,
        Employee.department_id.in_(department_ids) if department_ids is not None else None,
        Employee.department_id == department_id if department_id is not None else None,
        Employee.status == status if status is not None else None,
        Employee.manager_id == manager_id if manager_id is not None else None,
        Employee.position_id == position_id if position_id is not None else None,
        _matches(q) if q else None,
    ]
    return statement.where(*(condition for condition in conditions if condition is not None))


def _matches(q: str) -> Any:
    """Name contains or number starts with `q`, case-insensitive, wildcards escaped."""
    return or_(
        Employee.full_name.icontains(q, autoescape=True),
        Employee.employee_number.istartswith(q, autoescape=True),
    )


def events_query(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[EmploymentEvent]:
    return select(EmploymentEvent).where(
        EmploymentEvent.org_id == org_id, EmploymentEvent.employee_id == employee_id
    )


def ratings_query(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[PerformanceRating]:
    return select(PerformanceRating).where(
        PerformanceRating.org_id == org_id, PerformanceRating.employee_id == employee_id
    )


# --- single rows --------------------------------------------------------------------------


async def rating_for_period(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, period: str
) -> PerformanceRating | None:
    return await session.scalar(
        ratings_query(org_id, employee_id).where(PerformanceRating.period == period)
    )


async def growth_profile(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> GrowthProfile | None:
    return await session.scalar(
        select(GrowthProfile).where(
            GrowthProfile.org_id == org_id, GrowthProfile.employee_id == employee_id
        )
    )


async def position_exists(session: AsyncSession, org_id: uuid.UUID, position_id: uuid.UUID) -> bool:
    found = await session.scalar(
        text("SELECT EXISTS (SELECT 1 FROM positions WHERE org_id = :org_id AND id = :id)"),
        {"org_id": org_id, "id": position_id},
    )
    return bool(found)


async def org_timezone(session: AsyncSession, org_id: uuid.UUID) -> str:
    found = await session.scalar(
        text("SELECT timezone FROM organizations WHERE id = :org_id"), {"org_id": org_id}
    )
    return str(found)


# --- the panoramic profile ----------------------------------------------------------------


async def post_refs(session: AsyncSession, employee: Employee) -> Row[Any]:
    """Names of the employee's department, position and manager, in one statement."""
    manager = aliased(Employee)
    statement = (
        select(
            _departments.c.name.label("department_name"),
            _positions.c.title.label("position_title"),
            _positions.c.is_management.label("position_is_management"),
            manager.full_name.label("manager_name"),
        )
        .select_from(Employee)
        .join(
            _departments,
            and_(
                _departments.c.id == Employee.department_id,
                _departments.c.org_id == Employee.org_id,
            ),
        )
        .outerjoin(_positions, _position_of(Employee.position_id, Employee.org_id))
        .outerjoin(
            manager, and_(manager.id == Employee.manager_id, manager.org_id == Employee.org_id)
        )
        .where(Employee.org_id == employee.org_id, Employee.id == employee.id)
    )
    return (await session.execute(statement)).one()


def _position_of(position_id: Any, org_id: Any) -> Any:
    return and_(_positions.c.id == position_id, _positions.c.org_id == org_id)


def is_management_event() -> Any:
    """The one definition of management experience: led a team, or held a management post."""
    return or_(EmploymentEvent.leads_team, _positions.c.is_management.is_(True))


async def history(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[tuple[EmploymentEvent, bool]]:
    """Every event, oldest first, with whether it counts as management experience."""
    statement = (
        events_query(org_id, employee_id)
        .add_columns(is_management_event())
        .outerjoin(_positions, _position_of(EmploymentEvent.position_id, EmploymentEvent.org_id))
        .order_by(EmploymentEvent.effective_date, EmploymentEvent.id)
    )
    rows = (await session.execute(statement)).all()
    return [(event, bool(management)) for event, management in rows]


async def ratings_since(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, first_year: int
) -> list[PerformanceRating]:
    """Ratings from `first_year` on, by period (periods start with their year)."""
    statement = (
        ratings_query(org_id, employee_id)
        .where(PerformanceRating.period >= str(first_year))
        .order_by(PerformanceRating.period, PerformanceRating.id)
    )
    return list((await session.scalars(statement)).all())
