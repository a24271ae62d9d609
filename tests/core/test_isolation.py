"""The harness's rollback isolation keeps production's transaction semantics that tests rely on."""

from __future__ import annotations

from sqlalchemy import func, select

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.org.models import Department
from tests.factories import make_department, make_org


async def test_a_committed_tenant_does_not_carry_into_the_next_transaction(
    runtime: Runtime,
) -> None:
    hr = await make_org(runtime)
    await make_department(runtime, hr.org_id, "Sales")
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, hr.org_id)
        assert await session.scalar(select(func.count()).select_from(Department)) == 1
    async with unit_of_work(runtime.sessionmaker) as session:
        # Row-level security sees nothing without a tenant, as in a fresh production transaction.
        assert await session.scalar(select(func.count()).select_from(Department)) == 0
