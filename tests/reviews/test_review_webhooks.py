"""A published review result and a resolved appeal reach webhook subscribers of the
organization only, without raters or their answers."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.reviews.conftest import API, Setup, answer_as, post_ok
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered, nothing_for, subscribe, subscribe_another_org

__all__ = ["configure", "receiver"]


@pytest.mark.commits
async def test_publication_and_appeal_resolution_are_published(
    client: AsyncClient,
    setup: Setup,
    runtime: Runtime,
    clock: FrozenClock,
    configure: Configure,
    receiver: Receiver,
) -> None:
    world, accounts = setup.world, setup.accounts
    other = await subscribe_another_org(client, runtime, receiver)
    await subscribe(client, world.hr, receiver)
    await answer_as(
        client, accounts["boss"], "Lead", {"sales": {"actual": 80}, "teamwork": {"score": 5}}
    )
    await post_ok(client, world.hr, f"/review-cycles/{setup.cycle['id']}/close")
    await run_burst(runtime)
    results = await client.get(
        f"{API}/review-cycles/{setup.cycle['id']}/results", headers=world.hr.headers
    )
    [lead] = [r for r in results.json()["items"] if r["employee"]["name"] == "Lead"]
    published = await post_ok(client, world.hr, f"/review-results/{lead['id']}/publish")
    await post_ok(client, world.hr, f"/review-results/{lead['id']}/publish")
    appeal = await post_ok(
        client,
        world.lead_account,
        f"/review-results/{lead['id']}/appeals",
        {"indicator_key": "sales", "reason": "Q4 orders booked late count"},
    )
    await post_ok(
        client,
        world.hr,
        f"/appeals/{appeal['id']}/resolve",
        {"outcome": "rejected", "resolution": "The orders were booked in January"},
    )
    await run_burst(runtime)

    result_data = {
        "result_id": lead["id"],
        "cycle_id": setup.cycle["id"],
        "employee_id": str(world.lead.id),
        "overall": published["overall"],
    }
    appeal_data = {
        "appeal_id": appeal["id"],
        "result_id": lead["id"],
        "cycle_id": setup.cycle["id"],
        "employee_id": str(world.lead.id),
        "about": "indicator",
        "outcome": "rejected",
    }
    assert delivered(receiver) == [
        ("review.appeal_resolved", appeal_data),
        ("review.result_published", result_data),
    ], "published once, no rater and no answer in either"
    await nothing_for(client, other)
