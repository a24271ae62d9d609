"""Audit that can be trusted (issue 25, 8): the app role cannot change or remove an event,
each organization's events form a gapless hash chain the documented recipe reproduces, and
events wait for the commit (a rolled-back savepoint takes its own with it)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_org

API = "/api/v1"
Owner = Any  # AsyncEngine | OwnerOnTestConnection

CHAIN = """
SELECT id, org_id, seq, hash, created_at, actor_kind, actor_id, action, object_type,
       object_id, before::text AS before, after::text AS after, request_id
FROM audit_events WHERE org_id = :org_id ORDER BY seq
"""


async def audit_chain_rows(owner: Owner, org_id: uuid.UUID) -> list[dict[str, Any]]:
    """An organization's events in chain order, as the schema owner reads them."""
    async with owner.connect() as connection:
        rows = await connection.execute(text(CHAIN), {"org_id": org_id})
        return [dict(row._mapping) for row in rows]


def audit_chain_holds(rows: list[dict[str, Any]]) -> bool:
    previous = audit.GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        if row["seq"] != expected_seq or audit.link(previous, row) != row["hash"]:
            return False
        previous = row["hash"]
    return True


async def _department(client: AsyncClient, admin: Account, code: str) -> None:
    body = {"name": f"Department {code}", "code": code}
    response = await client.post(f"{API}/departments", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text


async def _as_app(runtime: Runtime, org_id: uuid.UUID, statement: str) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await session.execute(text(statement), {"org_id": org_id})


async def _record_then_fail(session: AsyncSession, org_id: uuid.UUID) -> None:
    """Record an event inside a savepoint that then rolls back."""
    async with session.begin_nested():
        await set_tenant(session, org_id)
        audit.record(session, None, "test.undone", "test", uuid.uuid4(), org_id=org_id)
        raise RuntimeError("the savepoint rolls back")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'nothing.happened' WHERE org_id = :org_id",
        "DELETE FROM audit_events WHERE org_id = :org_id",
    ],
    ids=["update", "delete"],
)
async def test_the_app_role_may_not_change_or_remove_an_event(
    runtime: Runtime, owner_engine: Owner, statement: str
) -> None:
    admin = await make_org(runtime)
    before = await audit_chain_rows(owner_engine, admin.org_id)
    with pytest.raises(DBAPIError) as refused:
        await _as_app(runtime, admin.org_id, statement)
    assert "permission denied for table audit_events" in str(refused.value)
    assert await audit_chain_rows(owner_engine, admin.org_id) == before != []


async def test_deleting_an_organization_does_not_take_its_trail_with_it(
    runtime: Runtime, owner_engine: Owner
) -> None:
    admin = await make_org(runtime)
    with pytest.raises(DBAPIError) as refused:
        await _as_app(runtime, admin.org_id, "DELETE FROM organizations WHERE id = :org_id")
    assert "fk_audit_events_org_id_organizations" in str(refused.value)
    assert await audit_chain_rows(owner_engine, admin.org_id) != []


async def test_each_organization_has_a_gapless_chain_the_recipe_reproduces(
    client: AsyncClient, runtime: Runtime, owner_engine: Owner
) -> None:
    admin, other = await make_org(runtime), await make_org(runtime)
    for code in ("A", "B", "C"):
        await _department(client, admin, code)
    await _department(client, other, "A")
    awkward = {"名字": '张 "三"\n\t\\ 🙂', "n": -1.50, "list": [None, True, {"b": 1, "a": 2}]}
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, admin.org_id)
        audit.record(
            session, None, "test.awkward", "test", uuid.uuid4(), org_id=admin.org_id, after=awkward
        )
        await audit.record_many(
            session, None, "test.bulk", "test", [(uuid.uuid4(), None)] * 3, org_id=admin.org_id
        )
    rows = await audit_chain_rows(owner_engine, admin.org_id)
    assert [row["seq"] for row in rows] == list(range(1, len(rows) + 1))
    assert [row["action"] for row in rows][-4:] == ["test.awkward", *["test.bulk"] * 3]
    assert audit_chain_holds(rows)
    theirs = await audit_chain_rows(owner_engine, other.org_id)
    assert [row["seq"] for row in theirs] == list(range(1, len(theirs) + 1))
    assert theirs[-1]["object_type"] == "department"
    assert audit_chain_holds(theirs)
    assert theirs[0]["hash"] != rows[0]["hash"]


async def test_the_app_cannot_choose_seq_or_hash(runtime: Runtime, owner_engine: Owner) -> None:
    admin = await make_org(runtime)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, admin.org_id)
        await session.execute(
            text(
                "INSERT INTO audit_events (id, org_id, actor_kind, action, object_type, "
                "object_id, seq, hash) VALUES (gen_random_uuid(), :org_id, 'system', "
                "'forged.event', 'test', gen_random_uuid(), 1, :hash)"
            ),
            {"org_id": admin.org_id, "hash": "0" * 64},
        )
    rows = await audit_chain_rows(owner_engine, admin.org_id)
    assert rows[-1]["action"] == "forged.event"
    assert rows[-1]["seq"] == len(rows) > 1
    assert audit_chain_holds(rows)


async def test_events_wait_for_the_commit_and_leave_with_a_rolled_back_savepoint(
    runtime: Runtime, owner_engine: Owner
) -> None:
    admin = await make_org(runtime)
    kept = await audit_chain_rows(owner_engine, admin.org_id)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, admin.org_id)
        audit.record(session, None, "test.first", "test", uuid.uuid4(), org_id=admin.org_id)
        unwritten = await session.scalar(
            text("SELECT count(*) FROM audit_events WHERE action = 'test.first'")
        )
        with pytest.raises(RuntimeError):
            await _record_then_fail(session, admin.org_id)
        async with session.begin_nested():
            await audit.record_many(
                session, None, "test.kept", "test", [(uuid.uuid4(), None)], org_id=admin.org_id
            )
    assert unwritten == 0
    rows = await audit_chain_rows(owner_engine, admin.org_id)
    assert [row["action"] for row in rows[len(kept) :]] == ["test.first", "test.kept"]
    assert audit_chain_holds(rows)


async def test_a_transaction_may_record_for_several_organizations(
    runtime: Runtime, owner_engine: Owner
) -> None:
    first, second = await make_org(runtime), await make_org(runtime)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, second.org_id)
        audit.record(session, None, "test.one", "test", uuid.uuid4(), org_id=first.org_id)
        audit.record(session, None, "test.two", "test", uuid.uuid4(), org_id=second.org_id)
    for account, action in ((first, "test.one"), (second, "test.two")):
        rows = await audit_chain_rows(owner_engine, account.org_id)
        assert rows[-1]["action"] == action
        assert audit_chain_holds(rows)


async def test_a_rolled_back_transaction_writes_no_event(
    runtime: Runtime, owner_engine: Owner
) -> None:
    admin = await make_org(runtime)
    kept = await audit_chain_rows(owner_engine, admin.org_id)
    async with runtime.sessionmaker() as session:
        await set_tenant(session, admin.org_id)
        audit.record(session, None, "test.undone", "test", uuid.uuid4(), org_id=admin.org_id)
        await session.rollback()
        await set_tenant(session, admin.org_id)
        audit.record(session, None, "test.next", "test", uuid.uuid4(), org_id=admin.org_id)
        await session.commit()
    rows = await audit_chain_rows(owner_engine, admin.org_id)
    assert [row["action"] for row in rows[len(kept) :]] == ["test.next"]
    assert audit_chain_holds(rows)
