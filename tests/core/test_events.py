"""Domain events: one outbox row per subscribed job, in the emitter's transaction."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from hrcore.core import events
from hrcore.core.db import unit_of_work
from hrcore.core.outbox import OutboxMessage
from hrcore.core.runtime import Runtime


class _Abort(Exception):
    pass


async def _emit_then_fail(runtime: Runtime, name: str, org_id: uuid.UUID) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        assert events.emit(session, name, {"thing_id": "1"}, org_id=org_id) == 2
        raise _Abort


async def test_emit_queues_each_subscriber_once_and_only_on_commit(runtime: Runtime) -> None:
    name = f"test.happened.{uuid.uuid4()}"
    org_id = uuid.uuid4()
    assert events.subscribers(name) == []
    events.subscribe(name, "test.first")
    events.subscribe(name, "test.second")
    events.subscribe(name, "test.first")
    assert events.subscribers(name) == ["test.first", "test.second"]

    with pytest.raises(_Abort):
        await _emit_then_fail(runtime, name, org_id)
    async with unit_of_work(runtime.sessionmaker) as session:
        events.emit(session, name, {"thing_id": "2"}, org_id=org_id)
    async with runtime.sessionmaker() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.org_id == org_id))
        ).all()
    assert sorted((row.job, row.payload["thing_id"], row.payload["event"]) for row in rows) == [
        ("test.first", "2", name),
        ("test.second", "2", name),
    ]
    async with unit_of_work(runtime.sessionmaker) as session:
        assert events.emit(session, f"{name}.unheard", {}, org_id=org_id) == 0
