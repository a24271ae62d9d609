"""An app with the org routes, and an organization with a small tree and one account per role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import event

from hrcore.core import security
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.org.models import Department
from tests.factories import Account, make_department, make_org, make_user


@contextmanager
def recorded_statements(runtime: Runtime) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends while the block runs."""
    statements: list[str] = []

    def _record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)


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
async def world(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> World:
    # These accounts authenticate with issued tokens, never passwords: skip argon2's cost.
    monkeypatch.setattr(security, "hash_password", lambda password: f"unused:{password}")
    hr = await make_org(runtime)
    org_id = hr.org_id
    head_office = await make_department(runtime, org_id, "Head office")
    sales = await make_department(runtime, org_id, "Sales", head_office)
    sales_east = await make_department(runtime, org_id, "Sales East", sales)
    engineering = await make_department(runtime, org_id, "Engineering", head_office)
    return World(
        hr=hr,
        head_office=head_office,
        sales=sales,
        sales_east=sales_east,
        engineering=engineering,
        sales_head=await make_user(
            runtime, org_id, Role.DEPT_HEAD, Role.EMPLOYEE, department_scope_id=sales.id
        ),
        engineering_head=await make_user(
            runtime, org_id, Role.DEPT_HEAD, Role.EMPLOYEE, department_scope_id=engineering.id
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
