"""One organization for training's report tests: head office ⊃ sales ⊃ sales east, and
engineering; Li in sales, Wang in sales east, Zhao in engineering; HR, the head of sales,
the head of engineering and an employee (Li) as accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from tests.factories import Account, Tree, make_employee, make_org, make_tree, make_user

API = "/api/v1/training-reports"
IN_NOVEMBER = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


@dataclass(frozen=True)
class World:
    hr: Account
    tree: Tree
    li: Employee
    wang: Employee
    zhao: Employee
    sales_head: Account
    engineering_head: Account
    li_account: Account


async def make_world(runtime: Runtime) -> World:
    hr = await make_org(runtime)
    org_id = hr.org_id
    tree = await make_tree(runtime, org_id)
    li = await make_employee(runtime, org_id, tree.sales, "Li Lei")
    wang = await make_employee(runtime, org_id, tree.sales_east, "Wang Fang")
    zhao = await make_employee(runtime, org_id, tree.engineering, "Zhao Min")
    sales_head = await make_user(runtime, org_id, Role.DEPT_HEAD, department_scope_id=tree.sales.id)
    engineering_head = await make_user(
        runtime, org_id, Role.DEPT_HEAD, department_scope_id=tree.engineering.id
    )
    li_account = await make_user(runtime, org_id, employee_id=li.id)
    return World(hr, tree, li, wang, zhao, sales_head, engineering_head, li_account)
