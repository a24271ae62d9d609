"""An app with the org routes, and an organization with a small tree and one account per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.org.models import Department
from tests.conftest import recorded_statements
from tests.factories import Account, make_org, make_tree, make_user

__all__ = ["recorded_statements"]


@dataclass(frozen=True)
class World:
    """One organization: head office ⊃ sales ⊃ sales east, and head office ⊃ engineering."""

    hr: Account
    head_office: Department
    sales: Department
    sales_east: Department
    engineering: Department
    sales_head: Account
    engineering_head: Account
    employee: Account


@pytest.fixture
async def world(runtime: Runtime, cheap_passwords: None) -> World:
    hr = await make_org(runtime)
    org_id = hr.org_id
    tree = await make_tree(runtime, org_id)
    return World(
        hr=hr,
        head_office=tree.head_office,
        sales=tree.sales,
        sales_east=tree.sales_east,
        engineering=tree.engineering,
        sales_head=await make_user(
            runtime, org_id, Role.DEPT_HEAD, Role.EMPLOYEE, department_scope_id=tree.sales.id
        ),
        engineering_head=await make_user(
            runtime, org_id, Role.DEPT_HEAD, Role.EMPLOYEE, department_scope_id=tree.engineering.id
        ),
        employee=await make_user(runtime, org_id, Role.EMPLOYEE),
    )


async def api_key(client: AsyncClient, hr: Account, *scopes: str) -> dict[str, str]:
    """Headers of a new integration key with `scopes`."""
    response = await client.post(
        "/api/v1/api-keys", json={"name": "sync", "scopes": list(scopes)}, headers=hr.headers
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['key']}"}
