"""Row-level security: the second wall between organizations."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.db import set_tenant
from hrcore.core.runtime import Runtime
from hrcore.domains import metadata
from hrcore.identity.models import User
from hrcore.people.models import Employee
from tests.factories import make_department, make_employee, make_org, make_user


async def test_a_query_without_its_org_filter_still_sees_one_org(runtime: Runtime) -> None:
    acme = await make_org(runtime)
    other = await make_org(runtime)
    await make_user(runtime, other.org_id)
    await make_employee(runtime, other.org_id, await make_department(runtime, other.org_id, "X"))
    async with runtime.sessionmaker() as session, session.begin():
        await set_tenant(session, acme.org_id)
        users = (await session.execute(select(User))).scalars().all()
        employees = (await session.execute(select(Employee))).scalars().all()
    assert [user.org_id for user in users] == [acme.org_id]
    assert employees == []


async def test_a_transaction_without_a_tenant_sees_no_rows(runtime: Runtime) -> None:
    await make_org(runtime)
    async with runtime.sessionmaker() as session, session.begin():
        assert (await session.execute(select(User))).scalars().all() == []


async def test_rows_of_another_org_cannot_be_written(runtime: Runtime) -> None:
    acme = await make_org(runtime)
    other = await make_org(runtime)
    async with runtime.sessionmaker() as session, session.begin():
        await set_tenant(session, acme.org_id)
        result = await session.execute(
            text("UPDATE users SET display_name = 'pwned' WHERE org_id = :org"),
            {"org": other.org_id},
        )
        assert result.rowcount == 0


async def test_the_app_role_is_restricted(runtime: Runtime) -> None:
    async with runtime.engine.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles "
                    "WHERE rolname = current_user"
                )
            )
        ).one()
    assert row == ("hrcore_app", False, False)


async def test_every_tenant_table_is_under_forced_rls(owner_engine: AsyncEngine) -> None:
    tenant_tables = {table.name for table in metadata.sorted_tables if "org_id" in table.c}
    tenant_tables -= {"outbox_messages"}  # the worker's queue; jobs set app.org_id themselves
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                "EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname) "
                "FROM pg_class c WHERE c.relname = ANY(:names)"
            ),
            {"names": sorted(tenant_tables)},
        )
        state = {name: (enabled, forced, policy) for name, enabled, forced, policy in rows}
    assert set(state) == tenant_tables
    assert {name for name, flags in state.items() if flags != (True, True, True)} == set()


async def test_every_tenant_table_has_an_index_led_by_org_id(owner_engine: AsyncEngine) -> None:
    """Row-level security filters every query by `org_id`: each tenant table needs an index
    starting with it (the mixin no longer adds a one-column one)."""
    tenant_tables = {table.name for table in metadata.sorted_tables if "org_id" in table.c}
    tenant_tables -= {"outbox_messages"}  # not a tenant table: the worker reads it by status
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT DISTINCT t.relname FROM pg_index i "
                "JOIN pg_class t ON t.oid = i.indrelid "
                "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0] "
                "WHERE a.attname = 'org_id' AND i.indpred IS NULL"
            )
        )
        indexed = {name for (name,) in rows}
    assert tenant_tables - indexed == set()
