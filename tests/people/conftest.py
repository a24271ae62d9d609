"""An app with the people routes, and an organization with a reporting line to test reach."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.org.models import Department, Position
from hrcore.people.models import Employee
from tests.conftest import recorded_statements
from tests.factories import Account, make_employee, make_org, make_position, make_tree, make_user


@dataclass
class StatementCounter:
    statements: list[str]

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_statements(runtime: Runtime) -> Iterator[StatementCounter]:
    """Count every SQL statement the app's engine sends while the block runs."""
    with recorded_statements(runtime) as statements:
        yield StatementCounter(statements)


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
async def world(runtime: Runtime, cheap_passwords: None) -> World:
    hr = await make_org(runtime)
    org_id = hr.org_id
    tree = await make_tree(runtime, org_id)
    head_office, sales, sales_east, engineering = (
        tree.head_office,
        tree.sales,
        tree.sales_east,
        tree.engineering,
    )
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
