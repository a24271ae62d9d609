"""A stored document that vanished is rendered again (never a 500); broken storage is a 503."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import World, make_contract, stored

TEMPLATE = "/api/v1/amendment-template"


async def _amendment_with_document(client: AsyncClient, runtime: Runtime, world: World) -> str:
    contract = await make_contract(client, world.hr, world.peer.id)
    created = await client.post(
        f"/api/v1/contracts/{contract['id']}/amendments",
        json={"effective_date": "2027-04-01", "allowance": "800.00"},
        headers=world.hr.headers,
    )
    assert created.status_code == 201, created.text
    await run_burst(runtime)
    amendment_id: str = created.json()["id"]
    return amendment_id


async def _document(client: AsyncClient, world: World, amendment_id: str) -> tuple[int, bytes]:
    response = await client.get(
        f"/api/v1/amendments/{amendment_id}/document", headers=world.hr.headers
    )
    return response.status_code, response.content


@pytest.mark.commits
async def test_a_lost_amendment_pdf_is_rendered_again_to_the_same_bytes(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    amendment_id = await _amendment_with_document(client, runtime, world)
    [(path, original)] = stored(storage_dir, "*.pdf").items()
    path.unlink()

    assert (await _document(client, world, amendment_id))[0] == 202
    await run_burst(runtime)

    assert await _document(client, world, amendment_id) == (200, original)
    audit = await client.get(
        "/api/v1/audit-events",
        params={"action": "contract_amendment.document_regenerated"},
        headers=world.hr.headers,
    )
    assert audit.status_code == 200, audit.text
    assert len(audit.json()["items"]) == 1


@pytest.mark.commits
async def test_a_lost_amendment_pdf_is_not_replaced_by_other_words(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    amendment_id = await _amendment_with_document(client, runtime, world)
    changed = "# {{ organization.name }}\nA different text altogether\n"
    saved = await client.put(TEMPLATE, json={"body": changed}, headers=world.hr.headers)
    assert saved.status_code == 200, saved.text
    [path] = stored(storage_dir, "*.pdf")
    path.unlink()

    assert (await _document(client, world, amendment_id))[0] == 202
    await run_burst(runtime)

    status, body = await _document(client, world, amendment_id)
    assert status == 409
    assert b"template has changed" in body
    assert stored(storage_dir, "*.pdf") == {}


@pytest.mark.commits
async def test_unreadable_storage_is_a_503_not_a_500(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    storage_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    amendment_id = await _amendment_with_document(client, runtime, world)
    blocked = storage_dir / "not-a-directory"
    blocked.write_bytes(b"")
    monkeypatch.setattr(runtime.settings, "storage_dir", blocked)

    response = await client.get(
        f"/api/v1/amendments/{amendment_id}/document", headers=world.hr.headers
    )

    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["Retry-After"]
