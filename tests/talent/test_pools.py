"""Talent pools over HTTP: rules, screening from real data, nominations, membership, 9-box."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import Account, make_department, make_employee, make_org, make_user
from tests.people.conftest import World, count_statements, world

__all__ = ["count_statements", "world"]
POOLS = "/api/v1/talent-pools"
RULES = [
    {"kind": "performance_percentile", "scope": "organization", "periods": 2, "top_percent": 50},
    {"kind": "consecutive_top_ratings", "letter": "A", "count": 2},
    {"kind": "management_experience", "min_events": 1},
    {"kind": "career_plan", "aspiration": "management"},
    {"kind": "tenure", "min_years": 0},
]


async def _pool(client: AsyncClient, hr: Account, rules: list[dict[str, Any]] | None = None) -> Any:
    response = await client.post(
        POOLS,
        json={"name": "Reserve section chiefs", "rules": RULES if rules is None else rules},
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _rate(
    client: AsyncClient, hr: Account, employee_id: Any, period: str, letter: str
) -> None:
    response = await client.post(
        f"/api/v1/employees/{employee_id}/performance-ratings",
        json={"period": period, "letter": letter},
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text


async def _ratings(client: AsyncClient, world: World) -> None:
    """Lead: A, A (best). Member: A, B. Peer: B, B. Engineer: C, C. Junior: unrated."""
    for employee, letters in (
        (world.lead, "AA"),
        (world.member, "BA"),
        (world.peer, "BB"),
        (world.engineer, "CC"),
    ):
        for period, letter in zip(("2024", "2025"), letters, strict=True):
            await _rate(client, world.hr, employee.id, period, letter)


async def _plan(client: AsyncClient, account: Account, aspiration: str) -> None:
    response = await client.put(
        "/api/v1/me/growth-profile",
        json={"career_plan": {"aspiration": aspiration, "horizon_years": 2}, "version": 0},
        headers=account.headers,
    )
    assert response.status_code == 200, response.text


async def _screen(client: AsyncClient, account: Account, pool_id: str, **body: Any) -> Any:
    response = await client.post(f"{POOLS}/{pool_id}/screen", json=body, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_screening_finds_who_meets_every_rule_and_says_why(
    client: AsyncClient, world: World
) -> None:
    await _ratings(client, world)
    promotion = {
        "kind": "promotion",
        "effective_date": "2025-01-01",
        "position_id": str(world.chief.id),
        "leads_team": True,
    }
    response = await client.post(
        f"/api/v1/employees/{world.lead.id}/events", json=promotion, headers=world.hr.headers
    )
    assert response.status_code == 201, response.text
    await _plan(client, world.lead_account, "management")
    await _plan(client, world.member_account, "management")
    pool = await _pool(client, world.hr)

    result = await _screen(client, world.hr, pool["id"])

    assert result["evaluated"] == 6
    [lead] = result["candidates"]
    assert lead["employee"]["name"] == "Lead"
    assert [(c["kind"], c["value"], c["passed"]) for c in lead["criteria"]] == [
        ("performance_percentile", 25.0, True),
        ("consecutive_top_ratings", 2.0, True),
        ("management_experience", 1.0, True),
        ("career_plan", "management", True),
        ("tenure", lead["criteria"][4]["value"], True),
    ]

    everyone = await _screen(client, world.hr, pool["id"], only_passing=False)
    by_name = {c["employee"]["name"]: c for c in everyone["candidates"]}
    assert everyone["candidates"][0]["employee"]["name"] == "Lead", "best percentile first"
    member = by_name["Member"]
    assert not member["passed"]
    assert [(c["value"], c["passed"]) for c in member["criteria"][:4]] == [
        (50.0, True),
        (1.0, False),
        (0.0, False),
        ("management", True),
    ]
    assert by_name["Junior"]["criteria"][0] == {
        "kind": "performance_percentile",
        "value": None,
        "passed": False,
    }


async def test_streaks_count_back_from_the_latest_and_means_use_the_latest_periods(
    client: AsyncClient, world: World
) -> None:
    """Lead: A, C, A, A (a miss, then two). Member: A, A, A, then a score of 2.00 (not
    lettered: no break in the streak, but in the mean). Peer: one B, older than the two
    latest periods, so no mean over those. Two percentile rules in one screen."""
    for period, letter in zip(("2022", "2023", "2024", "2025"), "ACAA", strict=True):
        await _rate(client, world.hr, world.lead.id, period, letter)
    for period in ("2022", "2023", "2024"):
        await _rate(client, world.hr, world.member.id, period, "A")
    response = await client.post(
        f"/api/v1/employees/{world.member.id}/performance-ratings",
        json={"period": "2025", "score": "2.00"},
        headers=world.hr.headers,
    )
    assert response.status_code == 201, response.text
    await _rate(client, world.hr, world.peer.id, "2022", "B")
    pool = await _pool(client, world.hr, [])
    rules = [
        {"kind": "consecutive_top_ratings", "letter": "A", "count": 3},
        {"kind": "consecutive_top_ratings", "letter": "C", "count": 4},
        {
            "kind": "performance_percentile",
            "scope": "organization",
            "periods": 2,
            "top_percent": 50,
        },
        {"kind": "performance_percentile", "periods": 4, "top_percent": 50},
    ]

    result = await _screen(client, world.hr, pool["id"], rules=rules, only_passing=False)

    values = {
        c["employee"]["name"]: [(x["value"], x["passed"]) for x in c["criteria"]]
        for c in result["candidates"]
    }
    # Over all four periods: Lead 4.5, Member 4.25, Peer 4.0.
    assert values["Lead"] == [(2.0, False), (4.0, True), (50.0, True), (33.3, True)]
    assert values["Member"] == [(3.0, True), (3.0, False), (100.0, False), (66.7, False)]
    assert values["Peer"] == [(0.0, False), (1.0, False), (None, False), (100.0, False)]
    assert values["Junior"] == [(0.0, False), (0.0, False), (None, False), (None, False)]


async def test_a_department_head_screens_only_their_subtree_with_org_wide_percentiles(
    client: AsyncClient, world: World
) -> None:
    await _ratings(client, world)
    pool = await _pool(client, world.hr, [RULES[0]])

    result = await _screen(client, world.sales_head, pool["id"], only_passing=False)

    names = {c["employee"]["name"]: c["criteria"][0]["value"] for c in result["candidates"]}
    assert names == {"Lead": 25.0, "Member": 50.0, "Junior": None, "Peer": 75.0}
    assert result["evaluated"] == 4


async def test_screening_previews_unsaved_rules_and_writes_nothing(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    await _ratings(client, world)
    pool = await _pool(client, world.hr, [])
    async with owner_engine.connect() as connection:
        before = (await connection.execute(select(AuditEvent.id))).all()

    result = await _screen(
        client,
        world.hr,
        pool["id"],
        rules=[{"kind": "consecutive_top_ratings", "letter": "B", "count": 2}],
    )

    assert {c["employee"]["name"] for c in result["candidates"]} == {"Lead", "Member", "Peer"}
    async with owner_engine.connect() as connection:
        assert (await connection.execute(select(AuditEvent.id))).all() == before


@pytest.mark.parametrize(
    "rules",
    [
        [{"kind": "performance_percentile", "top_percent": 15, "colour": "red"}],
        [{"kind": "performance_percentile", "top_percent": "many"}],
        [{"kind": "performance_percentile", "top_percent": 0}],
        [{"kind": "horoscope"}],
        [{"kind": "consecutive_top_ratings", "letter": "Z"}],
        "not a list",
    ],
)
async def test_rules_with_unknown_fields_or_wrong_types_are_422(
    client: AsyncClient, runtime: Runtime, rules: Any
) -> None:
    hr = await make_org(runtime)
    response = await client.post(POOLS, json={"name": "P", "rules": rules}, headers=hr.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_only_hr_writes_pools_and_only_hr_and_heads_screen(
    client: AsyncClient, world: World
) -> None:
    response = await client.post(POOLS, json={"name": "Mine"}, headers=world.sales_head.headers)
    assert response.status_code == 403
    pool = await _pool(client, world.hr, [])
    response = await client.post(
        f"{POOLS}/{pool['id']}/screen", json={}, headers=world.member_account.headers
    )
    assert response.status_code == 403
    listed = await client.get(POOLS, headers=world.member_account.headers)
    assert [p["name"] for p in listed.json()["items"]] == ["Reserve section chiefs"]


async def _nominate(
    client: AsyncClient, account: Account, pool_id: str, employee_id: Any, reason: str = "Ready"
) -> Any:
    return await client.post(
        f"{POOLS}/{pool_id}/members",
        json={"employee_id": str(employee_id), "reason": reason},
        headers=account.headers,
    )


async def test_nominations_by_hr_heads_and_self_then_hr_approves(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    pool = await _pool(client, world.hr, [])
    by_hr = await _nominate(client, world.hr, pool["id"], world.engineer.id)
    by_head = await _nominate(client, world.sales_head, pool["id"], world.member.id)
    by_self = await _nominate(client, world.junior_account, pool["id"], world.junior.id)
    assert [r.status_code for r in (by_hr, by_head, by_self)] == [201, 201, 201]
    assert [r.json()["source"] for r in (by_hr, by_head, by_self)] == ["hr", "dept_head", "self"]
    assert {r.json()["status"] for r in (by_hr, by_head, by_self)} == {"nominated"}

    outside = await _nominate(client, world.sales_head, pool["id"], world.engineer.id)
    assert outside.status_code == 404, "outside the head's subtree"
    someone_else = await _nominate(client, world.junior_account, pool["id"], world.member.id)
    assert someone_else.status_code == 404
    stranger = await make_org(runtime)
    elsewhere = await make_department(runtime, stranger.org_id, "Elsewhere")
    foreign = await make_employee(runtime, stranger.org_id, elsewhere, "Foreign")
    assert (await _nominate(client, world.hr, pool["id"], foreign.id)).status_code == 404
    again = await _nominate(client, world.hr, pool["id"], world.member.id)
    assert again.status_code == 409

    member = by_head.json()
    approve = await client.patch(
        f"{POOLS}/{pool['id']}/members/{member['id']}",
        json={"status": "active", "readiness": "one_to_two_years", "reason": "Strong 360"},
        headers=world.hr.headers,
    )
    assert approve.status_code == 200, approve.text
    assert approve.json()["status"] == "active"
    assert approve.json()["readiness"] == "one_to_two_years"
    head_try = await client.patch(
        f"{POOLS}/{pool['id']}/members/{member['id']}",
        json={"status": "removed", "reason": "No"},
        headers=world.sales_head.headers,
    )
    assert head_try.status_code == 403
    stale = await client.patch(
        f"{POOLS}/{pool['id']}/members/{member['id']}",
        json={"readiness": "ready_now", "reason": "Later", "version": member["version"]},
        headers=world.hr.headers,
    )
    assert stale.status_code == 409
    no_reason = await client.patch(
        f"{POOLS}/{pool['id']}/members/{member['id']}",
        json={"readiness": "ready_now"},
        headers=world.hr.headers,
    )
    assert no_reason.status_code == 422
    backwards = await client.patch(
        f"{POOLS}/{pool['id']}/members/{member['id']}",
        json={"status": "active", "reason": "Again"},
        headers=world.hr.headers,
    )
    assert backwards.status_code == 409

    mine = await client.get(f"{POOLS}/{pool['id']}/members", headers=world.junior_account.headers)
    assert [m["employee"]["name"] for m in mine.json()["items"]] == ["Junior"]
    heads = await client.get(f"{POOLS}/{pool['id']}/members", headers=world.sales_head.headers)
    assert sorted(m["employee"]["name"] for m in heads.json()["items"]) == ["Junior", "Member"]


async def test_the_nine_box_keeps_history_and_shows_the_current_placement(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    pool = await _pool(client, world.hr, [])
    member = (await _nominate(client, world.hr, pool["id"], world.lead.id)).json()
    url = f"{POOLS}/{pool['id']}/members/{member['id']}"
    for performance, potential in (("medium", "high"), ("high", "high")):
        response = await client.patch(
            url,
            json={"nine_box": {"performance": performance, "potential": potential}, "reason": "Q"},
            headers=world.hr.headers,
        )
        assert response.status_code == 200, response.text
    await _nominate(client, world.hr, pool["id"], world.peer.id)

    grid = (await client.get(f"{POOLS}/{pool['id']}/nine-box", headers=world.hr.headers)).json()

    assert len(grid["cells"]) == 9
    placed = {
        (cell["potential"], cell["performance"]): [m["name"] for m in cell["members"]]
        for cell in grid["cells"]
        if cell["members"]
    }
    assert placed == {("high", "high"): ["Lead"]}
    assert [m["name"] for m in grid["unplaced"]] == ["Peer"]
    async with owner_engine.connect() as connection:
        rows = (
            await connection.execute(
                select(AuditEvent.action).where(AuditEvent.object_type == "talent_member")
            )
        ).all()
    assert [row.action for row in rows].count("talent_member.updated") == 2


@pytest.mark.commits
async def test_leaving_the_company_ends_open_memberships(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    pool = await _pool(client, world.hr, [])
    member = (await _nominate(client, world.hr, pool["id"], world.peer.id)).json()

    response = await client.post(
        f"/api/v1/employees/{world.peer.id}/events",
        json={"kind": "exit", "effective_date": "2026-11-30"},
        headers=world.hr.headers,
    )
    assert response.status_code == 201, response.text
    await run_burst(runtime)

    members = (await client.get(f"{POOLS}/{pool['id']}/members", headers=world.hr.headers)).json()
    [left] = [m for m in members["items"] if m["id"] == member["id"]]
    assert left["status"] == "left"
    assert left["ended_at"] is not None


async def test_member_lists_are_a_fixed_number_of_queries(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    pool = await _pool(client, world.hr, [])
    for employee in (world.lead, world.member, world.peer):
        await _nominate(client, world.hr, pool["id"], employee.id)
    with count_statements(runtime) as few:
        await client.get(f"{POOLS}/{pool['id']}/members", headers=world.hr.headers)
    for index in range(4):
        extra = await make_employee(runtime, world.hr.org_id, world.sales, f"Extra {index}")
        await _nominate(client, world.hr, pool["id"], extra.id)
    with count_statements(runtime) as many:
        await client.get(f"{POOLS}/{pool['id']}/members", headers=world.hr.headers)
    assert many.count == few.count


async def test_another_organizations_pool_is_not_found(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    pool = await _pool(client, world.hr, [])
    stranger = await make_org(runtime)
    other_hr = await make_user(runtime, stranger.org_id, Role.HR_ADMIN)
    for response in (
        await client.get(f"{POOLS}/{pool['id']}", headers=other_hr.headers),
        await client.post(f"{POOLS}/{pool['id']}/screen", json={}, headers=other_hr.headers),
        await client.get(f"{POOLS}/{pool['id']}/members", headers=other_hr.headers),
    ):
        assert response.status_code == 404
