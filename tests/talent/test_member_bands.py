"""A pool's members by readiness: filtered, sorted by band (ready now, 1–2 years, 3+ years,
not assessed) and ranked within each band by the score the vacancy ranking gives."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import Account, make_employee
from tests.people.conftest import World, count_statements, world

__all__ = ["count_statements", "world"]
API = "/api/v1"
POOLS = f"{API}/talent-pools"


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _member(
    client: AsyncClient, hr: Account, pool: Any, employee: Any, **decision: Any
) -> Any:
    member = await _ok(
        await client.post(
            f"{POOLS}/{pool['id']}/members",
            json={"employee_id": str(employee.id), "reason": "Strong"},
            headers=hr.headers,
        ),
        201,
    )
    if decision:
        member = await _ok(
            await client.patch(
                f"{POOLS}/{pool['id']}/members/{member['id']}",
                json={"status": "active", "reason": "Approved", **decision},
                headers=hr.headers,
            )
        )
    return member


@pytest.fixture
async def pool(client: AsyncClient, world: World) -> Any:
    """Ready now: Lead (placed high/high) and Peer (unplaced); 1–2 years: Member; 3+ years:
    Engineer; not assessed: Junior (nominated)."""
    hr = world.hr
    pool = await _ok(
        await client.post(
            POOLS,
            json={"name": "Reserve chiefs", "target_position_id": str(world.chief.id)},
            headers=hr.headers,
        ),
        201,
    )
    high = {"performance": "high", "potential": "high"}
    await _member(client, hr, pool, world.peer, readiness="ready_now")
    await _member(client, hr, pool, world.lead, readiness="ready_now", nine_box=high)
    await _member(client, hr, pool, world.member, readiness="one_to_two_years")
    await _member(client, hr, pool, world.engineer, readiness="three_plus_years")
    await _member(client, hr, pool, world.junior)
    return pool


async def _list(client: AsyncClient, account: Account, pool: Any, query: str) -> Any:
    return await _ok(
        await client.get(f"{POOLS}/{pool['id']}/members?{query}", headers=account.headers)
    )


def _ranks(page: Any) -> list[tuple[str, str | None, int | None]]:
    return [
        (m["employee"]["name"], m["readiness"], m["ranking"]["band_rank"]) for m in page["items"]
    ]


async def test_members_sorted_by_readiness_are_ranked_within_each_band(
    client: AsyncClient, world: World, pool: Any
) -> None:
    page = await _list(client, world.hr, pool, "sort=readiness")

    assert _ranks(page) == [
        ("Lead", "ready_now", 1),
        ("Peer", "ready_now", 2),
        ("Member", "one_to_two_years", 1),
        ("Engineer", "three_plus_years", 1),
        ("Junior", None, 1),
    ]
    lead = page["items"][0]["ranking"]
    assert [f["factor"] for f in lead["factors"]] == [
        "readiness",
        "review_score",
        "review_recommendation",
        "nine_box",
        "time_in_pool",
        "program_completion",
        "competency_match",
    ]
    assert lead["score"] == round(sum(f["contribution"] for f in lead["factors"]), 2)
    assert lead["score"] > page["items"][1]["ranking"]["score"], "the 9-box lifts Lead"
    assert lead["factors"][3]["explanation"] == "9-box: high performance, high potential"

    first = await _list(client, world.hr, pool, "sort=readiness&limit=2")
    rest = await _list(
        client, world.hr, pool, f"sort=readiness&limit=2&cursor={first['next_cursor']}"
    )
    last = await _list(
        client, world.hr, pool, f"sort=readiness&limit=2&cursor={rest['next_cursor']}"
    )
    assert _ranks(first) + _ranks(rest) + _ranks(last) == _ranks(page)
    assert last["next_cursor"] is None

    plain = await _list(client, world.hr, pool, "")
    assert {m["ranking"] is None for m in plain["items"]} == {True}


async def test_the_band_score_is_the_vacancy_rankings_score(
    client: AsyncClient, world: World, pool: Any
) -> None:
    vacancy = await _ok(
        await client.post(
            f"{API}/vacancies", json={"position_id": str(world.chief.id)}, headers=world.hr.headers
        ),
        201,
    )
    candidates = await _ok(
        await client.get(f"{API}/vacancies/{vacancy['id']}/candidates", headers=world.hr.headers)
    )
    members = await _list(client, world.hr, pool, "sort=readiness&status=active")

    by_vacancy = {c["member_id"]: (c["score"], c["factors"]) for c in candidates["items"]}
    by_band = {m["id"]: (m["ranking"]["score"], m["ranking"]["factors"]) for m in members["items"]}
    assert len(by_band) == 4
    assert by_band == {member_id: by_vacancy[member_id] for member_id in by_band}


async def test_readiness_filters_with_or_without_the_ranking(
    client: AsyncClient, world: World, pool: Any
) -> None:
    ready = await _list(client, world.hr, pool, "readiness=ready_now&sort=readiness")
    assert _ranks(ready) == [("Lead", "ready_now", 1), ("Peer", "ready_now", 2)]
    plain = await _list(client, world.hr, pool, "readiness=one_to_two_years")
    assert [(m["employee"]["name"], m["ranking"]) for m in plain["items"]] == [("Member", None)]

    for query in ("readiness=soon", "sort=score", "sort=readiness&cursor=nonsense"):
        response = await client.get(
            f"{POOLS}/{pool['id']}/members?{query}", headers=world.hr.headers
        )
        assert response.status_code in (400, 422), response.text
        assert response.headers["content-type"] == "application/problem+json"


async def test_heads_see_ranks_among_all_and_employees_only_their_own_score(
    client: AsyncClient, world: World, pool: Any
) -> None:
    heads = await _list(client, world.sales_head, pool, "sort=readiness")
    assert _ranks(heads) == [
        ("Lead", "ready_now", 1),
        ("Peer", "ready_now", 2),
        ("Member", "one_to_two_years", 1),
        ("Junior", None, 1),
    ], "Engineer is outside the sales subtree"

    mine = await _list(client, world.member_account, pool, "sort=readiness")
    [own] = mine["items"]
    assert own["employee"]["name"] == "Member"
    assert own["ranking"]["band_rank"] is None
    assert own["ranking"]["score"] > 0


async def test_the_ranked_list_is_a_fixed_number_of_statements(
    client: AsyncClient, world: World, runtime: Runtime, pool: Any
) -> None:
    with count_statements(runtime) as few:
        await _list(client, world.hr, pool, "sort=readiness")
    for index in range(3):
        extra = await make_employee(runtime, world.hr.org_id, world.sales, f"Extra {index}")
        await _member(client, world.hr, pool, extra, readiness="one_to_two_years")
    with count_statements(runtime) as many:
        page = await _list(client, world.hr, pool, "sort=readiness")
    assert len(page["items"]) == 8
    assert many.count == few.count


async def test_an_ended_member_takes_no_band_rank(
    client: AsyncClient, world: World, pool: Any
) -> None:
    """Without a status filter the ranking ranks the open members (nominated, active): a
    member removed from the pool neither shows nor holds a rank in its band."""
    page = await _list(client, world.hr, pool, "sort=readiness")
    [peer] = [m for m in page["items"] if m["employee"]["name"] == "Peer"]
    await _ok(
        await client.patch(
            f"{POOLS}/{pool['id']}/members/{peer['id']}",
            json={"status": "removed", "reason": "Left the track"},
            headers=world.hr.headers,
        )
    )
    after = await _list(client, world.hr, pool, "sort=readiness")
    assert _ranks(after)[:2] == [("Lead", "ready_now", 1), ("Member", "one_to_two_years", 1)]
    removed = await _list(client, world.hr, pool, "sort=readiness&status=removed")
    assert _ranks(removed) == [("Peer", "ready_now", 1)], "asked for, the ended are ranked"
