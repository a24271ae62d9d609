"""Contract events reach webhook subscribers: a contract nearing its end, a confirmation."""

from __future__ import annotations

import json
from datetime import date

import pytest
from httpx import AsyncClient

from hrcore.contracts import jobs
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import World, make_contract
from tests.webhooks.conftest import Configure, Receiver, configure, receiver

__all__ = ["configure", "receiver"]

pytestmark = pytest.mark.usefixtures("storage_dir")


@pytest.mark.commits
async def test_expiry_and_confirmation_are_published(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    configure: Configure,
    receiver: Receiver,
) -> None:
    subscribed = await client.post(
        "/api/v1/webhooks",
        json={
            "url": receiver.url,
            "event_types": ["contract.expiring", "contract.amendment_confirmed"],
        },
        headers=world.hr.headers,
    )
    assert subscribed.status_code == 201, subscribed.text
    receiver.secret = subscribed.json()["secret"]
    contract = await make_contract(client, world.hr, world.member.id, end=date(2027, 5, 1))
    created = await client.post(
        f"/api/v1/contracts/{contract['id']}/amendments",
        json={"effective_date": "2027-04-01", "allowance": "300.00"},
        headers=world.hr.headers,
    )
    amendment_id = created.json()["id"]
    await jobs.watch_expiry({"runtime": runtime})
    await jobs.watch_expiry({"runtime": runtime})
    await run_burst(runtime)
    current = (
        await client.get(f"/api/v1/amendments/{amendment_id}", headers=world.hr.headers)
    ).json()["current"]
    confirmed = await client.post(
        f"/api/v1/amendments/{amendment_id}/confirm",
        json={"version": 1, "document_sha256": current["document"]["sha256"]},
        headers=world.member_account.headers,
    )
    assert confirmed.status_code == 200, confirmed.text
    await run_burst(runtime)

    assert all(request.signature_ok for request in receiver.requests)
    bodies = [json.loads(request.body) for request in receiver.requests]
    assert [(body["type"], body["data"]["contract_id"]) for body in bodies] == [
        ("contract.expiring", contract["id"]),
        ("contract.amendment_confirmed", contract["id"]),
    ]
    assert bodies[1]["data"]["document_sha256"] == current["document"]["sha256"]
