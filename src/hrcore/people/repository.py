"""Queries of employees and their history.

The org domain owns departments and positions; the few columns read here (names, titles,
`is_management`) go through lightweight table clauses and raw SQL rather than its models.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    ColumnElement,
    Integer,
    Row,
    Select,
    Uuid,
    and_,
    any_,
    bindparam,
    column,
    false,
    func,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among, fetch
from hrcore.people.models import Employee, EmploymentEvent, GrowthProfile, PerformanceRating

_departments = table("departments", column("id"), column("org_id"), column("name"))
_positions = table(
    "positions",
    column("id"),
    column("org_id"),
    column("title"),
    column("is_management", Boolean),
)
_managers = Employee.__table__.alias("managers")
# identity's user accounts: only the display name, to name who rated
_users = table("users", column("id"), column("org_id"), column("display_name"))

LISTED_FROM = (
    Employee.__table__.join(
        _departments,
        and_(_departments.c.id == Employee.department_id, _departments.c.org_id == Employee.org_id),
    )
    .outerjoin(
        _positions,
        and_(_positions.c.id == Employee.position_id, _positions.c.org_id == Employee.org_id),
    )
    .outerjoin(
        _managers,
        and_(_managers.c.id == Employee.manager_id, _managers.c.org_id == Employee.org_id),
    )
)
LISTED_NAMES = (
    _departments.c.name.label("department_name"),
    _positions.c.title.label("position_title"),
    _managers.c.full_name.label("manager_name"),
)
"""An employee as listed reads the names of its department, position and manager joined in
the same statement: a screen shows them, and a lookup per row would cost a round trip each."""


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


async def employee_in_reach(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    *,
    viewer_id: uuid.UUID | None,
    subtree: Sequence[uuid.UUID] | None,
    include_self: bool,
) -> Employee | None:
    """The employee when the viewer manages them (somewhere up the chain) or heads their
    department subtree, or is them (`include_self`).

    Reads the one employee's materialized manager chain, so the cost does not grow with the
    size of the viewer's organization, unlike testing membership in the visible set.
    """
    conditions: list[ColumnElement[bool]] = []
    if viewer_id is not None:
        conditions.append(Employee.manager_path.contains(f"/{viewer_id}/", autoescape=False))
        if include_self:
            conditions.append(Employee.id == viewer_id)
    if subtree is not None:
        conditions.append(among(Employee.department_id, subtree))
    if not conditions:
        return None
    return await session.scalar(
        select(Employee).where(
            Employee.org_id == org_id, Employee.id == employee_id, or_(*conditions)
        )
    )


# --- id sets: composable SELECTs of employee ids --------------------------------------------


def reach_condition(
    *,
    self_id: uuid.UUID | None,
    reports_prefix: str | None,
    subtree: Sequence[uuid.UUID] | None,
) -> ColumnElement[bool]:
    """Employees that are the viewer, below the viewer, or in the viewer's department subtree.

    A condition rather than a set of ids, so a list query can walk its sort index and stop
    at the page size. Paths hold only UUIDs and slashes, so no LIKE escaping is needed (an
    ESCAPE clause would keep PostgreSQL from using the prefix index).
    """
    conditions: list[ColumnElement[bool]] = []
    if self_id is not None:
        conditions.append(Employee.id == self_id)
    if reports_prefix is not None:
        conditions.append(Employee.manager_path.startswith(reports_prefix))
    if subtree is not None:
        conditions.append(among(Employee.department_id, subtree))
    return or_(*conditions) if conditions else false()


async def ids_where(
    session: AsyncSession, org_id: uuid.UUID, condition: ColumnElement[bool]
) -> list[uuid.UUID]:
    return list(
        await session.scalars(select(Employee.id).where(Employee.org_id == org_id, condition))
    )


async def move_reports(
    session: AsyncSession, org_id: uuid.UUID, old_prefix: str, new_prefix: str
) -> None:
    """Re-root everyone below a moved employee in one statement."""
    await session.execute(
        update(Employee)
        .where(
            Employee.org_id == org_id,
            Employee.manager_path.startswith(old_prefix),
        )
        .values(manager_path=new_prefix + func.substr(Employee.manager_path, len(old_prefix) + 1))
        .execution_options(synchronize_session=False)
    )


# --- lists --------------------------------------------------------------------------------


def employees_query(
    org_id: uuid.UUID,
    *,
    visible: ColumnElement[bool] | None,
    department_ids: Sequence[uuid.UUID] | None,
    department_id: uuid.UUID | None,
    status: str | None,
    manager_id: uuid.UUID | None,
    position_id: uuid.UUID | None,
    q: str | None,
    joined_names: bool = False,
) -> Select[Any]:
    """The employees matching these filters; `joined_names` joins what `LISTED_NAMES` reads."""
    statement = select(Employee).where(Employee.org_id == org_id)
    if joined_names:
        statement = statement.select_from(LISTED_FROM)
    conditions = [
        visible,
        among(Employee.department_id, department_ids) if department_ids is not None else None,
        Employee.department_id == department_id if department_id is not None else None,
        Employee.status == status if status is not None else None,
        Employee.manager_id == manager_id if manager_id is not None else None,
        Employee.position_id == position_id if position_id is not None else None,
        _matches(q) if q else None,
    ]
    return statement.where(*(condition for condition in conditions if condition is not None))


def listed_page_statement(
    columns: Sequence[Any], filters: frozenset[str], sort_key: Any
) -> Select[Any]:
    """`employees_query` of an organization-wide reader (no visibility condition, no name
    search), first page, written with named parameters: `org_id`, `limit` and one per name
    in `filters` (`department_ids`, `department_id`, `status`, `manager_id`, `position_id`),
    for `core.db.fetch_compiled` to compile once per shape."""
    conditions = {
        "department_ids": Employee.department_id
        == any_(bindparam("department_ids", type_=ARRAY(Uuid()))),
        "department_id": Employee.department_id == bindparam("department_id"),
        "status": Employee.status == bindparam("status"),
        "manager_id": Employee.manager_id == bindparam("manager_id"),
        "position_id": Employee.position_id == bindparam("position_id"),
    }
    return (
        select(Employee)
        .select_from(LISTED_FROM)
        .where(Employee.org_id == bindparam("org_id"))
        .where(*(condition for name, condition in conditions.items() if name in filters))
        .with_only_columns(*columns)
        .order_by(sort_key, Employee.id)
        .limit(bindparam("limit", type_=Integer()))
    )


def _matches(q: str) -> Any:
    """Name contains or number starts with `q`, case-insensitive, wildcards escaped."""
    return or_(
        Employee.full_name.icontains(q, autoescape=True),
        Employee.employee_number.istartswith(q, autoescape=True),
    )


async def event_by_id(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID, *, lock: bool = False
) -> EmploymentEvent | None:
    statement = select(EmploymentEvent).where(
        EmploymentEvent.org_id == org_id, EmploymentEvent.id == event_id
    )
    return await session.scalar(statement.with_for_update() if lock else statement)


async def post_event_before(
    session: AsyncSession, org_id: uuid.UUID, event: EmploymentEvent
) -> EmploymentEvent | None:
    """The latest event recorded before `event` that set the employee's post (ids are
    time-ordered, so "recorded before" is a smaller id)."""
    return await session.scalar(
        select(EmploymentEvent)
        .where(
            EmploymentEvent.org_id == org_id,
            EmploymentEvent.employee_id == event.employee_id,
            EmploymentEvent.id < event.id,
            EmploymentEvent.kind.in_(("hire", "transfer", "promotion")),
            EmploymentEvent.position_id.is_not(None),
        )
        .order_by(EmploymentEvent.id.desc())
        .limit(1)
    )


async def due_pending_events(
    session: AsyncSession, org_id: uuid.UUID, today: date
) -> list[EmploymentEvent]:
    """Pending events dated today or earlier, locked (a concurrent run skips them), in the
    order they take effect."""
    rows = await session.scalars(
        select(EmploymentEvent)
        .where(
            EmploymentEvent.org_id == org_id,
            EmploymentEvent.applied_at.is_(None),
            EmploymentEvent.withdrawn_at.is_(None),
            EmploymentEvent.effective_date <= today,
        )
        .order_by(EmploymentEvent.effective_date, EmploymentEvent.id)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


def events_query(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[EmploymentEvent]:
    return select(EmploymentEvent).where(
        EmploymentEvent.org_id == org_id, EmploymentEvent.employee_id == employee_id
    )


def ratings_query(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[PerformanceRating]:
    return select(PerformanceRating).where(
        PerformanceRating.org_id == org_id, PerformanceRating.employee_id == employee_id
    )


def named_ratings_query(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[Any]:
    """The employee's ratings with the rater's display name (`rated_by_name`) joined in."""
    ratings = PerformanceRating.__table__
    return (
        select(*ratings.c, _users.c.display_name.label("rated_by_name"))
        .select_from(
            ratings.outerjoin(
                _users,
                and_(_users.c.id == ratings.c.rated_by, _users.c.org_id == ratings.c.org_id),
            )
        )
        .where(ratings.c.org_id == org_id, ratings.c.employee_id == employee_id)
    )


async def employees_by_numbers(
    session: AsyncSession, org_id: uuid.UUID, numbers: Sequence[str]
) -> dict[str, Employee]:
    rows = await session.scalars(
        select(Employee).where(Employee.org_id == org_id, Employee.employee_number.in_(numbers))
    )
    return {employee.employee_number: employee for employee in rows}


async def active_employee_ids_by_email(
    session: AsyncSession, org_id: uuid.UUID, emails: Sequence[str]
) -> dict[str, uuid.UUID]:
    """Active employees by lower-cased work email (an address two people share names
    neither)."""
    rows = (
        await session.execute(
            select(func.lower(Employee.email), Employee.id).where(
                Employee.org_id == org_id,
                Employee.status == "active",
                func.lower(Employee.email).in_([email.lower() for email in emails]),
            )
        )
    ).all()
    found: dict[str, list[uuid.UUID]] = {}
    for email, employee_id in rows:
        found.setdefault(email, []).append(employee_id)
    return {email: ids[0] for email, ids in found.items() if len(ids) == 1}


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


# --- the panoramic profile ----------------------------------------------------------------


async def manager_ids(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID | None]]:
    """(employee id, direct manager id) for each of these employees that exists."""
    if not employee_ids:
        return []
    rows = await session.execute(
        select(Employee.id, Employee.manager_id).where(
            Employee.org_id == org_id, Employee.id.in_(list(employee_ids))
        )
    )
    return [(employee_id, manager_id) for employee_id, manager_id in rows.all()]


async def manager_path_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> str | None:
    found: str | None = await session.scalar(
        select(Employee.manager_path).where(Employee.org_id == org_id, Employee.id == employee_id)
    )
    return found


async def employee_by_dingtalk_id(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_user_id: str
) -> Employee | None:
    return await session.scalar(
        select(Employee).where(
            Employee.org_id == org_id, Employee.dingtalk_user_id == dingtalk_user_id
        )
    )


async def employee_ids_by_dingtalk_ids(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_user_ids: Sequence[str]
) -> dict[str, uuid.UUID]:
    if not dingtalk_user_ids:
        return {}
    rows = await session.execute(
        select(Employee.dingtalk_user_id, Employee.id).where(
            Employee.org_id == org_id, Employee.dingtalk_user_id.in_(list(dingtalk_user_ids))
        )
    )
    return {str(dingtalk_id): employee_id for dingtalk_id, employee_id in rows.all()}


async def dingtalk_contacts(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, str | None, uuid.UUID]]:
    """(employee id, DingTalk user id, department id) of these employees. One query."""
    if not employee_ids:
        return []
    rows = await session.execute(
        select(Employee.id, Employee.dingtalk_user_id, Employee.department_id).where(
            Employee.org_id == org_id, Employee.id.in_(list(employee_ids))
        )
    )
    return [
        (employee_id, dingtalk_id, department)
        for employee_id, dingtalk_id, department in rows.all()
    ]


async def summaries_by_ids(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> Sequence[Row[uuid.UUID, str, uuid.UUID, str, str]]:
    """(id, full_name, department_id, status, department_name) rows, the department's name
    joined: lists show hundreds, so no ORM objects and no lookup per row."""
    if not employee_ids:
        return []
    rows = await session.execute(_SUMMARIES, {"org_id": org_id, "ids": list(employee_ids)})
    return rows.all()


_SUMMARIES = (
    select(
        Employee.id,
        Employee.full_name,
        Employee.department_id,
        Employee.status,
        _departments.c.name.label("department_name"),
    )
    .join_from(
        Employee,
        _departments,
        and_(
            _departments.c.id == Employee.department_id,
            _departments.c.org_id == Employee.org_id,
        ),
    )
    .where(
        Employee.org_id == bindparam("org_id"), Employee.id.in_(bindparam("ids", expanding=True))
    )
)
"""Built once: every list naming employees runs it."""


async def listed_row(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, columns: Sequence[Any]
) -> Any:
    """One employee as the list shows it (`columns` and `LISTED_NAMES`), in one statement."""
    result = await session.execute(
        select(*columns, *LISTED_NAMES)
        .select_from(LISTED_FROM)
        .where(Employee.org_id == org_id, Employee.id == employee_id)
    )
    return result.one_or_none()


CAREER_TARGETS = """
SELECT employee_id, (career_plan->>'target_position_id')::uuid AS position_id
  FROM growth_profiles
 WHERE org_id = $1 AND employee_id = ANY($2::uuid[])
   AND career_plan->>'target_position_id' IS NOT NULL
"""


async def career_targets(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The position each of these employees' career plan aims at (those without absent), in
    one statement; none sent for no employees."""
    if not employee_ids:
        return {}
    rows = await fetch(session, CAREER_TARGETS, org_id, list(employee_ids))
    return {row["employee_id"]: row["position_id"] for row in rows}
