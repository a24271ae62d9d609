"""What identity's account routes ask people and org, handed down by `create_app`.

Identity sits below every domain: each one authenticates its callers through it, and people
and org read the organization's settings from it. Yet `/me` names the caller's employee and
department, account changes check that the linked employee and the department scope exist,
and accounts name them (`{id, name}`). Importing people and org for that would make a cycle,
so identity declares what it needs here and the app provides their api modules (which match
these protocols as they are).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.schemas import Ref


class Employees(Protocol):
    async def employee_ref(
        self, session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
    ) -> Ref | None: ...

    async def employee_refs(
        self, session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, Ref]: ...

    async def require_employee(
        self, session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
    ) -> object:
        """422 when the employee is not in the organization."""
        ...


class Departments(Protocol):
    async def department_ref(
        self, session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
    ) -> Ref | None: ...

    async def department_refs(
        self, session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, Ref]: ...

    async def require_department(
        self, session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
    ) -> object:
        """422 when the department is not in the organization."""
        ...


@dataclass(frozen=True)
class Directory:
    """People's and org's answers, set on `app.state.identity_directory` by `create_app`."""

    people: Employees
    org: Departments
