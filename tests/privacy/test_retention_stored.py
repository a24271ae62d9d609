"""Generated documents under a retention rule, through the real worker: dossier PDFs and
their stored files purged after the period; a purge stopped between batches and run again
deletes nothing twice and leaves no stored file without its row, nor a row without its file."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.runtime import Runtime
from hrcore.privacy import retention_purge
from hrcore.programs.models import DossierDocument
from tests.conftest import frozen_clock
from tests.contracts.conftest import storage_dir, stored
from tests.people.conftest import World, world
from tests.programs.test_dossier_pdf import Program, _generated, program
from tests.servers import blocked_on_a_lock, until

__all__ = ["program", "storage_dir", "world"]
API = "/api/v1"
RULE = {
    "subject_kind": "dossier_documents",
    "period": {"amount": 30, "unit": "days"},
    "action": "delete",
}


async def _two_documents(
    client: AsyncClient, runtime: Runtime, world: World, program: Program, owner_engine: AsyncEngine
) -> list[Any]:
    """The dossier as HR saw it and as the participant did: two documents, two stored PDFs."""
    await _generated(client, runtime, world.hr, program.path)
    await _generated(client, runtime, program.zhang, program.path)
    async with owner_engine.connect() as connection:
        rows = (
            await connection.execute(
                select(DossierDocument.id, DossierDocument.storage_key)
                .where(DossierDocument.org_id == world.hr.org_id)
                .order_by(DossierDocument.id)
            )
        ).all()
    assert len(rows) == 2
    assert all(key for _id, key in rows)
    return list(rows)


async def _purged_events(owner_engine: AsyncEngine, rule_id: str) -> list[list[str]]:
    async with owner_engine.connect() as connection:
        afters = await connection.scalars(
            select(AuditEvent.after)
            .where(AuditEvent.object_id == rule_id, AuditEvent.action == "retention.purged")
            .order_by(AuditEvent.id)
        )
        return [after["ids"] for after in afters]


async def _documents_left(owner_engine: AsyncEngine, world: World) -> int:
    async with owner_engine.connect() as connection:
        count = await connection.scalar(
            text("SELECT count(*) FROM program_dossier_documents WHERE org_id = :org"),
            {"org": world.hr.org_id},
        )
    return int(count or 0)


@pytest.mark.commits
async def test_expired_dossier_pdfs_go_with_their_stored_files(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    program: Program,
    storage_dir: Path,
    owner_engine: AsyncEngine,
) -> None:
    documents = await _two_documents(client, runtime, world, program, owner_engine)
    assert len(stored(storage_dir, "*.pdf")) == 2
    created = await client.post(f"{API}/retention-rules", json=RULE, headers=world.hr.headers)
    rule = created.json()
    later = datetime.now(UTC) + timedelta(days=31)

    async with frozen_clock(runtime, datetime.now(UTC) + timedelta(days=29)):
        assert await retention_purge.apply_retention(runtime) == 0, "not expired yet"
    async with frozen_clock(runtime, later):
        dry = await client.post(
            f"{API}/retention-rules/dry-run",
            json={"rule_id": rule["id"]},
            params={"limit": 1},
            headers=world.hr.headers,
        )
        [answer] = dry.json()["rules"]
        assert answer["count"] == 2
        [first] = answer["sample"]["items"]
        assert first["id"] == str(documents[0][0])
        assert first["employee"]["name"] == "张伟"
        following = await client.post(
            f"{API}/retention-rules/dry-run",
            json={"rule_id": rule["id"]},
            params={"limit": 1, "cursor": answer["sample"]["next_cursor"]},
            headers=world.hr.headers,
        )
        [page] = following.json()["rules"]
        assert [item["id"] for item in page["sample"]["items"]] == [str(documents[1][0])]
        assert page["sample"]["next_cursor"] is None
        assert len(stored(storage_dir, "*.pdf")) == 2, "the dry run deletes nothing"

        assert await retention_purge.apply_retention(runtime) == 2
    assert stored(storage_dir, "*.pdf") == {}
    assert await _documents_left(owner_engine, world) == 0
    assert await _purged_events(owner_engine, rule["id"]) == [
        [str(document_id) for document_id, _key in documents]
    ]
    again = await client.get(program.path, headers=world.hr.headers | {"Accept": "application/pdf"})
    assert again.status_code == 202, "the dossier is rendered again on request"


@pytest.mark.commits
async def test_a_purge_stopped_between_batches_and_run_again_purges_each_document_once(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    program: Program,
    storage_dir: Path,
    owner_engine: AsyncEngine,
) -> None:
    documents = await _two_documents(client, runtime, world, program, owner_engine)
    (first_id, _first_key), (second_id, second_key) = documents
    created = await client.post(f"{API}/retention-rules", json=RULE, headers=world.hr.headers)
    rule_id = created.json()["id"]

    async with frozen_clock(runtime, datetime.now(UTC) + timedelta(days=31)):
        async with owner_engine.connect() as holder:
            # the second batch waits for this lock on its document: the purge is stopped there
            await holder.execute(
                text("SELECT id FROM program_dossier_documents WHERE id = :id FOR UPDATE"),
                {"id": second_id},
            )
            purge = asyncio.create_task(
                retention_purge.apply_organization_rules(runtime, world.hr.org_id, batch_size=1)
            )
            await until(lambda: blocked_on_a_lock(owner_engine), "the second batch waits")
            purge.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await purge
            await holder.rollback()
        assert await _purged_events(owner_engine, rule_id) == [[str(first_id)]]
        assert await _documents_left(owner_engine, world) == 1
        assert [path.name for path in stored(storage_dir, "*.pdf")] == [Path(second_key).name]

        assert (
            await retention_purge.apply_organization_rules(runtime, world.hr.org_id, batch_size=1)
            == 1
        )
        assert (
            await retention_purge.apply_organization_rules(runtime, world.hr.org_id, batch_size=1)
            == 0
        )
    assert await _purged_events(owner_engine, rule_id) == [[str(first_id)], [str(second_id)]]
    assert await _documents_left(owner_engine, world) == 0
    assert stored(storage_dir, "*.pdf") == {}, "no stored file outlives its row"
