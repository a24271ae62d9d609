"""Integration keys read review cycles and their results with `ratings:read` (a result is a
rating), in the view managers get: anonymity kept, calibration notes left out. Every other
review read stays closed to keys."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient, Response

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.people.test_visibility import _api_key
from tests.reviews.conftest import API, Setup, answer_as, post_ok

ALL_BUT_RATINGS = ("org:read", "profiles:read", "reviews:read")


def _refused(response: Response, detail: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == detail


async def _closed_cycle(client: AsyncClient, setup: Setup, runtime: Runtime) -> dict[str, Any]:
    """Lead rated by the supervisor and one subordinate (below the threshold), calibrated."""
    world, accounts, cycle = setup.world, setup.accounts, setup.cycle
    await answer_as(
        client,
        accounts["boss"],
        "Lead",
        {"sales": {"actual": 80}, "teamwork": {"score": 4}, "leadership": {"score": 5}},
        "Delivers.",
    )
    await answer_as(
        client,
        world.member_account,
        "Lead",
        {"teamwork": {"score": 1}, "leadership": {"score": 1}},
        "Secret view.",
    )
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/close")
    await run_burst(runtime)
    results = await client.get(
        f"{API}/review-cycles/{cycle['id']}/results", headers=world.hr.headers
    )
    [lead] = [r for r in results.json()["items"] if r["employee"]["name"] == "Lead"]
    await post_ok(
        client,
        world.hr,
        f"/review-results/{lead['id']}/calibrate",
        {"overall": 85, "reason": "Committee: new market entry"},
    )
    return dict(lead)


@pytest.mark.commits
async def test_review_results_need_ratings_read(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world, cycle = setup.world, setup.cycle
    lead = await _closed_cycle(client, setup, runtime)
    paths = [
        f"{API}/review-results/{lead['id']}",
        f"{API}/review-cycles/{cycle['id']}/results",
        f"{API}/review-cycles/{cycle['id']}",
        f"{API}/review-cycles",
    ]
    without = await _api_key(client, world.hr, *ALL_BUT_RATINGS)
    for path in paths:
        _refused(
            await client.get(path, headers=without),
            "This integration key lacks the ratings:read scope",
        )

    ratings = await _api_key(client, world.hr, "ratings:read")
    for path in paths:
        assert (await client.get(path, headers=ratings)).status_code == 200, path
    one = await client.get(f"{API}/review-results/{lead['id']}", headers=ratings)
    head = await client.get(f"{API}/review-results/{lead['id']}", headers=world.sales_head.headers)
    assert one.json() == head.json(), "a key reads the view a manager reads"
    assert one.json()["overall"] == 85
    assert one.json()["adjustments"] == [], "calibration notes stay with HR"
    assert "Secret view." not in one.text
    for indicator in one.json()["indicators"]:
        assert {g["relationship"] for g in indicator["groups"]} <= {"supervisor"}
    listed = await client.get(f"{API}/review-cycles/{cycle['id']}/results", headers=ratings)
    by_name = {item["employee"]["name"]: item for item in listed.json()["items"]}
    assert set(by_name) == {"Lead", "Member"}, "a key reads the whole organization"
    assert by_name["Lead"] == one.json()
    cycles = await client.get(f"{API}/review-cycles", headers=ratings)
    assert [item["id"] for item in cycles.json()["items"]] == [cycle["id"]]


@pytest.mark.commits
async def test_other_review_reads_stay_closed_to_keys(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world, cycle = setup.world, setup.cycle
    lead = await _closed_cycle(client, setup, runtime)
    every = await _api_key(client, world.hr, "ratings:read", *ALL_BUT_RATINGS)
    for path in (
        f"{API}/review-cycles/{cycle['id']}/progress",
        f"{API}/review-results/{lead['id']}/appeals",
    ):
        _refused(await client.get(path, headers=every), "Integration keys cannot read this")
    templates = await client.get(f"{API}/review-templates", headers=every)
    assert templates.status_code == 403
    assert templates.headers["content-type"] == "application/problem+json"
    calibrate = await client.post(
        f"{API}/review-results/{lead['id']}/calibrate",
        json={"overall": 90, "reason": "A key tries"},
        headers=every,
    )
    assert calibrate.status_code == 403
