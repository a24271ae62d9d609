"""An app with the people routes, and an organization with a reporting line to test reach."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event

from hrcore.core import security
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.org.models import Department, Position
from hrcore.people.models import Employee
from tests.factories import (
    Account,
    make_department,
    make_employee,
    make_org,
    make_position,
    make_user,
)


@dataclass
class StatementCounter:
    count: int = 0


@contextmanager
def count_statements(runtime: Runtime) -> Iterator[StatementCounter]:
    """Count every SQL statement the app's engine sends while the block runs."""
    counter = StatementCounter()

    def _count(*_: Any) -> None:
        counter.count += 1

    engine = runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _count)


@dataclass(frozen=True)
class World:
    """One organization.

    Departments: head office ⊃ sales ⊃ sales east; and engineering.
    Reporting line: boss → lead → member → junior; `peer` and `engineer` report to boss.
    """

    hr: Account
    head_office: Department
    sales: Department
    sales_east: Department
    engineering: Department
    chief: Position
    clerk: Position
    boss: Employee
    lead: Employee
    member: Employee
    junior: Employee
    peer: Employee
    engineer: Employee
    lead_account: Account
    member_account: Account
    junior_account: Account
    sales_head: Account


@pytest.fixture
async def world(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> World:
    # These accounts authenticate with issued tokens, never passwords: skip argon2's cost.
    monkeypatch.setattr(security, "hash_password", lambda password: f"unused:{password}")
    hr = await make_org(runtime)
    org_id = hr.org_id
    head_office = await make_department(runtime, org_id, "Head office")
    sales = await make_department(runtime, org_id, "Sales", head_office)
    sales_east = await make_department(runtime, org_id, "Sales East", sales)
    engineering = await make_department(runtime, org_id, "Engineering", head_office)
    chief = await make_position(runtime, org_id, sales, "Sales chief", management=True)
    clerk = await make_position(runtime, org_id, sales, "Sales clerk")
    boss = await make_employee(runtime, org_id, head_office, "Boss")
    lead = await make_employee(runtime, org_id, sales, "Lead", manager=boss, position=chief)
    member = await make_employee(runtime, org_id, sales_east, "Member", manager=lead)
    junior = await make_employee(runtime, org_id, sales_east, "Junior", manager=member)
    peer = await make_employee(runtime, org_id, sales, "Peer", manager=boss)
    engineer = await make_employee(runtime, org_id, engineering, "Engineer", manager=boss)
    return World(
        hr=hr,
        head_office=head_office,
        sales=sales,
        sales_east=sales_east,
        engineering=engineering,
        chief=chief,
        clerk=clerk,
        boss=boss,
        lead=lead,
        member=member,
        junior=junior,
        peer=peer,
        engineer=engineer,
        lead_account=await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=lead.id),
        member_account=await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=member.id),
        junior_account=await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=junior.id),
        sales_head=await make_user(
            runtime, org_id, Role.DEPT_HEAD, Role.EMPLOYEE, department_scope_id=sales.id
        ),
    )
