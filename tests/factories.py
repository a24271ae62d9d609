"""Test data through the real services and the restricted app role (so RLS applies)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from hrcore.core import security
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.identity.models import User
from hrcore.org.models import Department, Position
from hrcore.people.models import Employee

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Account:
    user_id: uuid.UUID
    org_id: uuid.UUID
    email: str
    headers: dict[str, str]


def bearer(runtime: Runtime, user_id: uuid.UUID, org_id: uuid.UUID) -> dict[str, str]:
    token, _ = security.issue_access_token(
        runtime.settings, user_id=user_id, org_id=org_id, now=datetime.now(UTC), version=0
    )
    return {"Authorization": f"Bearer {token}"}


async def make_org(runtime: Runtime, slug: str | None = None, locale: str = "en") -> Account:
    """An organization and its HR admin, with PASSWORD already set (no one-time password).
    Test organizations read English unless a test asks for another `locale`."""
    slug = slug or f"org{next(_numbers)}"
    async with unit_of_work(runtime.sessionmaker) as session:
        org, admin, _ = await identity.create_organization(
            session, slug=slug, name=slug.title(), admin_email=f"hr@{slug}.example", locale=locale
        )
        admin.password_hash = security.hash_password(PASSWORD)
        admin.must_change_password = False
    return Account(admin.id, org.id, admin.email, bearer(runtime, admin.id, org.id))


async def make_user(
    runtime: Runtime,
    org_id: uuid.UUID,
    *roles: Role,
    employee_id: uuid.UUID | None = None,
    department_scope_id: uuid.UUID | None = None,
    email: str | None = None,
) -> Account:
    email = email or f"user{next(_numbers)}@example.com"
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        user = User(
            org_id=org_id,
            email=email,
            display_name=email.split("@")[0],
            password_hash=security.hash_password(PASSWORD),
            roles=[role.value for role in roles or (Role.EMPLOYEE,)],
            employee_id=employee_id,
            department_scope_id=department_scope_id,
        )
        session.add(user)
    return Account(user.id, org_id, email, bearer(runtime, user.id, org_id))


async def make_department(
    runtime: Runtime, org_id: uuid.UUID, name: str, parent: Department | None = None
) -> Department:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        department = Department(
            org_id=org_id,
            name=name,
            code=f"D{next(_numbers)}",
            parent_id=parent.id if parent else None,
            path="",
        )
        department.path = f"{parent.path if parent else '/'}{department.id}/"
        session.add(department)
    return department


@dataclass(frozen=True)
class Tree:
    """Head office ⊃ sales ⊃ sales east, and head office ⊃ engineering."""

    head_office: Department
    sales: Department
    sales_east: Department
    engineering: Department


async def make_tree(runtime: Runtime, org_id: uuid.UUID) -> Tree:
    head_office = await make_department(runtime, org_id, "Head office")
    sales = await make_department(runtime, org_id, "Sales", head_office)
    sales_east = await make_department(runtime, org_id, "Sales East", sales)
    engineering = await make_department(runtime, org_id, "Engineering", head_office)
    return Tree(head_office, sales, sales_east, engineering)


async def make_position(
    runtime: Runtime,
    org_id: uuid.UUID,
    department: Department,
    title: str,
    *,
    management: bool = False,
) -> Position:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        position = Position(
            org_id=org_id,
            code=f"P{next(_numbers)}",
            title=title,
            department_id=department.id,
            grade="G5",
            is_management=management,
            description={},
        )
        session.add(position)
    return position


async def make_employee(
    runtime: Runtime,
    org_id: uuid.UUID,
    department: Department,
    name: str = "Employee",
    *,
    manager: Employee | None = None,
    position: Position | None = None,
) -> Employee:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        employee = Employee(
            org_id=org_id,
            employee_number=f"E{next(_numbers):05d}",
            full_name=name,
            email=f"{name.lower().replace(' ', '.')}@example.com",
            phone="+86 138 0000 0000",
            department_id=department.id,
            position_id=position.id if position else None,
            manager_id=manager.id if manager else None,
            manager_path=manager.reports_prefix if manager else "/",
            hire_date=date(2020, 1, 1),
            status="active",
        )
        session.add(employee)
    return employee
