"""Review appeals wired into the read-access log: HR and the reviewer reading an appeal on
someone's result are logged as evaluation reads; the appellant's own reads are not."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_jobs
from tests.privacy.test_read_log import EVENTS, _items
from tests.reviews.conftest import API, Setup, clock, post_ok, setup, world
from tests.reviews.test_appeals import published

__all__ = ["clock", "published", "setup", "world"]


@pytest.mark.commits
async def test_reading_an_appeal_is_logged_for_others_than_the_appellant(
    client: AsyncClient,
    runtime: Runtime,
    setup: Setup,
    published: dict[str, Any],
    clock: FrozenClock,
) -> None:
    world, boss = setup.world, setup.accounts["boss"]
    await read_log_jobs.drain_read_log({"runtime": runtime})  # the set-up's own reads
    appeal = await post_ok(
        client,
        world.lead_account,
        f"/review-results/{published['id']}/appeals",
        {"indicator_key": "sales", "reason": "Q4 orders booked late count"},
    )
    for account in (world.hr, boss, world.lead_account):
        one = await client.get(f"{API}/appeals/{appeal['id']}", headers=account.headers)
        assert one.status_code == 200, one.text
    listed = await client.get(
        f"{API}/review-results/{published['id']}/appeals", headers=world.hr.headers
    )
    assert [a["id"] for a in listed.json()] == [appeal["id"]]
    assert await read_log_jobs.drain_read_log({"runtime": runtime}) == 3, (
        "HR's two reads and the reviewer's; Lead's own is not logged"
    )
    logged = await _items(client, EVENTS, world.hr, subject_employee_id=str(world.lead.id))
    events = [e for e in logged if e["what"] == "review_appeal"]
    assert sorted((e["actor_id"], e["operation"]) for e in events) == sorted(
        [
            (str(world.hr.user_id), "get_review_appeal"),
            (str(boss.user_id), "get_review_appeal"),
            (str(world.hr.user_id), "list_review_result_appeals"),
        ]
    )
    assert {e["data_class"] for e in events} == {"evaluation"}
