"""The chain under concurrent writers, and `hrcore audit verify`: intact chains verify, a row
altered or removed as the schema owner is named (exit code 1). These commit for real: the
writers need their own connections, and the command opens its own runtime."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner, Result

from hrcore import cli
from hrcore.core import audit
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from tests.conftest import make_settings
from tests.factories import make_department, make_org
from tests.privacy.test_audit_chain import audit_chain_holds, audit_chain_rows

pytestmark = pytest.mark.commits


async def _verify(monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setattr(cli, "resolve_settings", make_settings)
    return await asyncio.to_thread(CliRunner().invoke, cli.app, ["audit", "verify", *args])


async def test_writers_of_one_organization_take_turns_on_the_chain_without_deadlock(
    runtime: Runtime, schema_owner_engine: AsyncEngine
) -> None:
    """The first writer records 100 events, then waits for a row the second holds while the
    second records one and commits. Were events written when recorded, the first would hold
    the chain while waiting for the row, and the second wait for the chain: a deadlock."""
    admin = await make_org(runtime)
    shared = await make_department(runtime, admin.org_id, "Shared")
    recorded, locked = asyncio.Event(), asyncio.Event()
    rename = text("UPDATE departments SET name = :name WHERE id = :id")

    async def first() -> None:
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, admin.org_id)
            objects = [(uuid.uuid4(), {"n": n}) for n in range(100)]
            await audit.record_many(
                session, None, "test.bulk", "test", objects, org_id=admin.org_id
            )
            recorded.set()
            await locked.wait()
            await session.execute(rename, {"name": "First", "id": shared.id})

    async def second() -> None:
        await recorded.wait()
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, admin.org_id)
            await session.execute(rename, {"name": "Second", "id": shared.id})
            locked.set()
            await asyncio.sleep(0.2)  # the first now waits for the row
            audit.record(session, None, "test.single", "test", shared.id, org_id=admin.org_id)

    await asyncio.wait_for(asyncio.gather(first(), second()), timeout=30)
    rows = await audit_chain_rows(schema_owner_engine, admin.org_id)
    assert [row["action"] for row in rows[-101:]] == ["test.single", *["test.bulk"] * 100]
    assert audit_chain_holds(rows)


async def test_many_concurrent_writers_leave_one_gapless_chain(
    runtime: Runtime, schema_owner_engine: AsyncEngine
) -> None:
    admin = await make_org(runtime)
    before = len(await audit_chain_rows(schema_owner_engine, admin.org_id))

    async def write(writer: int) -> None:
        for _ in range(5):
            async with unit_of_work(runtime.sessionmaker) as session:
                await set_tenant(session, admin.org_id)
                objects = [(uuid.uuid4(), {"writer": writer}) for _ in range(20)]
                await audit.record_many(
                    session, None, "test.many", "test", objects, org_id=admin.org_id
                )

    await asyncio.gather(*(write(writer) for writer in range(8)))
    rows = await audit_chain_rows(schema_owner_engine, admin.org_id)
    assert len(rows) == before + 8 * 5 * 20
    assert audit_chain_holds(rows)


async def test_verify_names_the_first_altered_or_missing_event(
    runtime: Runtime, schema_owner_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme, other = await make_org(runtime, "acme"), await make_org(runtime, "other")
    for account in (acme, other):
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, account.org_id)
            objects = [(uuid.uuid4(), {"name": name}) for name in ("Sales", "Support", "Ops")]
            await audit.record_many(
                session, None, "test.named", "test", objects, org_id=account.org_id
            )
    intact = await _verify(monkeypatch, "--org", "acme")
    assert intact.exit_code == 0, intact.output
    events = len(await audit_chain_rows(schema_owner_engine, acme.org_id))
    assert intact.output == f"acme: {events} events, chain intact\n"

    rows = await audit_chain_rows(schema_owner_engine, acme.org_id)
    async with schema_owner_engine.begin() as owner:
        await owner.execute(
            text('UPDATE audit_events SET after = \'{"name": "Sold"}\' WHERE id = :id'),
            {"id": rows[2]["id"]},
        )
    altered = await _verify(monkeypatch, "--org", "acme")
    assert altered.exit_code == 1
    assert f"acme: chain broken at seq 3 (event {rows[2]['id']}): its hash" in altered.output

    theirs = await audit_chain_rows(schema_owner_engine, other.org_id)
    async with schema_owner_engine.begin() as owner:
        await owner.execute(
            text("DELETE FROM audit_events WHERE id = :id"), {"id": theirs[1]["id"]}
        )
    every = await _verify(monkeypatch)
    assert every.exit_code == 1
    assert every.output.splitlines() == [
        f"acme: chain broken at seq 3 (event {rows[2]['id']}): its hash does not match its "
        "fields and the previous event's hash; 2 events before it verify",
        f"other: chain broken at seq 3 (event {theirs[2]['id']}): seq 2 is missing: the next "
        "event found is seq 3; 1 events before it verify",
    ]


async def test_verify_refuses_an_unknown_organization(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = await _verify(monkeypatch, "--org", "no-such-org")
    assert result.exit_code == 1
    assert "no organization 'no-such-org'" in result.output
