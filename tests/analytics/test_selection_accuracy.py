"""Selection accuracy over HTTP: appointees from pools at 6 and 12 months — in post and
rated well, rated below, not rated, transferred or gone — from rollups the worker
refreshes, in the caller's scope, drillable with reasons; an exit refreshes its person by
the event."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.analytics.conftest import API, World, refresh_all
from tests.factories import Account, make_position

pytestmark = pytest.mark.commits  # appointments and moves run several jobs per event

SELECTION = f"{API}/analytics/selection-accuracy"
YEAR = date.today().year - 2
APPOINTED = date(YEAR, 1, 15)
WINDOW = {"start": f"{YEAR}-07-01"}


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _appoint_from_pool(
    client: AsyncClient, hr: Account, position: Any, employee: Any
) -> None:
    """`employee` a ready-now member of a pool for `position`, appointed to its vacancy on
    APPOINTED."""
    pool = await _ok(
        await client.post(
            f"{API}/talent-pools",
            json={"name": f"Reserve {position.title}", "target_position_id": str(position.id)},
            headers=hr.headers,
        ),
        201,
    )
    member = await _ok(
        await client.post(
            f"{API}/talent-pools/{pool['id']}/members",
            json={"employee_id": str(employee.id), "reason": "Strong"},
            headers=hr.headers,
        ),
        201,
    )
    await _ok(
        await client.patch(
            f"{API}/talent-pools/{pool['id']}/members/{member['id']}",
            json={"status": "active", "reason": "Approved", "readiness": "ready_now"},
            headers=hr.headers,
        )
    )
    vacancy = await _ok(
        await client.post(
            f"{API}/vacancies", json={"position_id": str(position.id)}, headers=hr.headers
        ),
        201,
    )
    await _ok(
        await client.post(
            f"{API}/vacancies/{vacancy['id']}/appoint",
            json={
                "employee_id": str(employee.id),
                "effective_date": APPOINTED.isoformat(),
                "reason": "Best candidate",
            },
            headers=hr.headers,
        )
    )


async def _event(client: AsyncClient, hr: Account, employee: Any, **body: Any) -> None:
    await _ok(
        await client.post(f"{API}/employees/{employee.id}/events", json=body, headers=hr.headers),
        201,
    )


async def _rating(
    client: AsyncClient, hr: Account, employee: Any, period: str, letter: str
) -> None:
    await _ok(
        await client.post(
            f"{API}/employees/{employee.id}/performance-ratings",
            json={"period": period, "letter": letter},
            headers=hr.headers,
        ),
        201,
    )


async def _appointments(runtime: Runtime, client: AsyncClient, world: World) -> None:
    """Member → Sales clerk (sales): rated A for H1 (well at 6 months), C for H2 (below at
    12). Engineer → Engineering lead (engineering): not rated at 6 months, transferred in
    October (at 12). Peer is appointed outside any pool: not counted."""
    hr = world.hr
    lead = await make_position(runtime, hr.org_id, world.engineering, "Engineering lead")
    await _appoint_from_pool(client, hr, world.clerk, world.member)
    await _appoint_from_pool(client, hr, lead, world.engineer)
    await _rating(client, hr, world.member, f"{YEAR}-H1", "A")
    await _rating(client, hr, world.member, f"{YEAR}-H2", "C")
    await _event(
        client,
        hr,
        world.engineer,
        kind="transfer",
        effective_date=f"{YEAR}-10-01",
        department_id=str(world.head_office.id),
    )


def _marks(body: Any) -> dict[str, Any]:
    return {mark["mark"]: mark for mark in body["marks"]}


async def test_hr_reads_outcomes_at_six_and_twelve_months(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _appointments(runtime, client, world)
    await refresh_all(runtime)
    body = await _ok(await client.get(SELECTION, params=WINDOW, headers=world.hr.headers))
    assert body["refreshed_at"] is not None
    six, twelve = _marks(body)["6_months"], _marks(body)["12_months"]
    assert (six["appointed"], six["rated_well"], six["not_rated"]) == (2, 1, 1)
    assert (six["accuracy"], six["in_post_share"]) == (0.5, 1.0)
    assert (twelve["appointed"], twelve["rated_below"], twelve["transferred"]) == (2, 1, 1)
    assert (twelve["accuracy"], twelve["in_post_share"]) == (0.0, 0.5)

    recent = await _ok(await client.get(SELECTION, headers=world.hr.headers))
    assert {m["appointed"] for m in recent["marks"]} == {0}, "marks before the window"


async def test_a_department_head_reads_their_subtree_only(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _appointments(runtime, client, world)
    await refresh_all(runtime)
    own = await _ok(await client.get(SELECTION, params=WINDOW, headers=world.sales_head.headers))
    assert [m["appointed"] for m in own["marks"]] == [1, 1]
    other = await client.get(
        SELECTION,
        params={**WINDOW, "department_id": str(world.engineering.id)},
        headers=world.sales_head.headers,
    )
    assert other.status_code == 404, other.text
    assert other.headers["content-type"].startswith("application/problem+json")
    people = await _ok(
        await client.get(f"{SELECTION}/people", params=WINDOW, headers=world.sales_head.headers)
    )
    assert {i["employee"]["name"] for i in people["items"]} == {"Member"}
    refused = await client.get(SELECTION, headers=world.junior_account.headers)
    assert refused.status_code == 403, refused.text
    backwards = await client.get(
        SELECTION, params={"start": "2026-10-01", "end": "2026-09-01"}, headers=world.hr.headers
    )
    assert backwards.status_code == 422, backwards.text


async def test_the_drill_down_says_why_in_both_languages(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _appointments(runtime, client, world)
    await refresh_all(runtime)
    query = {**WINDOW, "dimension": "12_months"}
    english = await _ok(
        await client.get(
            f"{SELECTION}/people", params={**query, "step": "transferred"}, headers=world.hr.headers
        )
    )
    [item] = english["items"]
    assert item["employee"]["name"] == "Engineer"
    assert item["department"]["id"] == str(world.engineering.id)
    assert item["reason"].startswith("Appointed Engineering lead on ")
    assert "transferred on" in item["reason"]
    chinese = await _ok(
        await client.get(
            f"{SELECTION}/people",
            params={**query, "step": "rated_below"},
            headers=world.hr.headers | {"Accept-Language": "zh-CN"},
        )
    )
    [item] = chinese["items"]
    assert "仍在岗，绩效评级仅为 3" in item["reason"], item["reason"]
    assert item["step_label"] == "在岗，绩效欠佳"


async def test_an_exit_refreshes_the_appointee_through_the_event(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _appointments(runtime, client, world)
    await refresh_all(runtime)
    await _event(client, world.hr, world.member, kind="exit", effective_date=f"{YEAR}-12-01")
    await run_burst(runtime)
    body = await _ok(await client.get(SELECTION, params=WINDOW, headers=world.hr.headers))
    six, twelve = _marks(body)["6_months"], _marks(body)["12_months"]
    assert six["rated_well"] == 1, "the exit came after six months"
    assert (twelve["left"], twelve["rated_below"], twelve["in_post_share"]) == (1, 0, 0.0)
