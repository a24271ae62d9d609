"""The talent review meeting over HTTP: sessions proposed from talent's 9-box, moves with
reasons in the leaders' reach, the close writing readiness back to talent."""

from __future__ import annotations

import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from hrcore.core.audit import AuditEvent
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from tests.analytics.conftest import API, World
from tests.factories import Account, make_org

REVIEWS = f"{API}/talent-reviews"
ZH = {"Accept-Language": "zh-CN"}


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def pool_with_members(client: AsyncClient, world: World) -> str:
    """储备人才: Lead active on high performance × medium potential, Engineer active and
    never placed, Member nominated."""
    hr = world.hr.headers
    pool = await _ok(
        await client.post(
            f"{API}/talent-pools", json={"name": "储备人才", "rules": []}, headers=hr
        ),
        201,
    )
    members = f"{API}/talent-pools/{pool['id']}/members"
    for person in (world.lead, world.engineer, world.member):
        member = await _ok(
            await client.post(
                members, json={"employee_id": str(person.id), "reason": "strong"}, headers=hr
            ),
            201,
        )
        if person is world.member:
            continue
        change: dict[str, Any] = {"status": "active", "reason": "approved"}
        if person is world.lead:
            change["nine_box"] = {"performance": "high", "potential": "medium"}
        await _ok(await client.patch(f"{members}/{member['id']}", json=change, headers=hr))
    return str(pool["id"])


async def open_review(client: AsyncClient, account: Account, **population: Any) -> Any:
    body = {"name": "2026 年度人才盘点"} | {k: str(v) for k, v in population.items()}
    return await _ok(await client.post(REVIEWS, json=body, headers=account.headers), 201)


def _cell(review: dict[str, Any], performance: str, potential: str) -> int:
    (count,) = [
        c["count"]
        for c in review["cells"]
        if (c["performance"], c["potential"]) == (performance, potential)
    ]
    return int(count)


async def _placements(client: AsyncClient, account: Account, review_id: str) -> Any:
    listed = await _ok(
        await client.get(f"{REVIEWS}/{review_id}/placements", headers=account.headers)
    )
    return {item["employee"]["name"]: item for item in listed["items"]}


async def test_hr_opens_a_department_review_proposed_from_talents_nine_box(
    client: AsyncClient, world: World
) -> None:
    await pool_with_members(client, world)
    review = await open_review(client, world.hr, department_id=world.head_office.id)
    assert review["status"] == "open"
    assert review["department"]["id"] == str(world.head_office.id)
    assert review["pool"] is None
    assert (review["participants"], review["unplaced"], review["moves"]) == (6, 5, 0)
    assert _cell(review, "high", "medium") == 1
    people = await _placements(client, world.hr, review["id"])
    assert set(people) == {"Boss", "Lead", "Member", "Junior", "Peer", "Engineer"}
    lead = people["Lead"]
    assert (lead["proposed_performance"], lead["proposed_potential"]) == ("high", "medium")
    assert (lead["performance"], lead["potential"]) == ("high", "medium")
    assert people["Boss"]["performance"] is None
    listed = await _ok(await client.get(REVIEWS, headers=world.hr.headers))
    assert [item["id"] for item in listed["items"]] == [review["id"]]


async def test_opening_takes_exactly_one_population_of_the_organization(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    hr = world.hr.headers
    both = await client.post(
        REVIEWS,
        json={"name": "x", "department_id": str(world.sales.id), "pool_id": str(uuid.uuid4())},
        headers=hr | ZH,
    )
    assert both.status_code == 422, both.text
    assert both.headers["content-type"].startswith("application/problem+json")
    assert "部门" in both.json()["detail"]
    neither = await client.post(REVIEWS, json={"name": "x"}, headers=hr)
    assert neither.status_code == 422, neither.text
    blank = await client.post(
        REVIEWS, json={"name": " ", "department_id": str(world.sales.id)}, headers=hr
    )
    assert blank.status_code == 422, blank.text
    other = await make_org(runtime, slug="other-org")
    other_pool = await _ok(
        await client.post(
            f"{API}/talent-pools", json={"name": "别家", "rules": []}, headers=other.headers
        ),
        201,
    )
    for population in ({"pool_id": other_pool["id"]}, {"department_id": str(uuid.uuid4())}):
        missing = await client.post(REVIEWS, json={"name": "x"} | population, headers=hr)
        assert missing.status_code == 404, missing.text
    head = await client.post(
        REVIEWS,
        json={"name": "x", "department_id": str(world.sales.id)},
        headers=world.sales_head.headers,
    )
    assert head.status_code == 403, head.text
    employee = await client.get(REVIEWS, headers=world.member_account.headers)
    assert employee.status_code == 403, employee.text
    assert (await _ok(await client.get(REVIEWS, headers=hr)))["items"] == []


async def test_a_department_head_moves_the_people_of_their_subtree_with_a_reason(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    review = await open_review(client, world.hr, department_id=world.head_office.id)
    path = f"{REVIEWS}/{review['id']}/placements"
    head = world.sales_head.headers
    move = {"employee_id": str(world.member.id), "performance": "high", "potential": "high"}
    without = await client.post(path, json=move, headers=head)
    assert without.status_code == 422, without.text
    blank = await client.post(path, json=move | {"reason": "  "}, headers=head)
    assert blank.status_code == 422, blank.text
    outside = await client.post(
        path, json=move | {"employee_id": str(world.engineer.id), "reason": "好"}, headers=head
    )
    assert outside.status_code == 404, outside.text
    moved = await _ok(await client.post(path, json=move | {"reason": "东区业绩突出"}, headers=head))
    assert (moved["performance"], moved["potential"]) == ("high", "high")
    again = await client.post(path, json=move | {"reason": "same"}, headers=head)
    assert again.status_code == 422, again.text
    second = move | {"performance": "medium", "reason": "calibrated down"}
    await _ok(await client.post(path, json=second, headers=world.hr.headers))

    people = await _placements(client, world.sales_head, review["id"])
    assert set(people) == {"Lead", "Member", "Junior", "Peer"}
    history = [
        (m["from_performance"], m["from_potential"], m["to_performance"], m["to_potential"])
        for m in people["Member"]["moves"]
    ]
    assert history == [(None, None, "high", "high"), ("high", "high", "medium", "high")]
    assert [m["reason"] for m in people["Member"]["moves"]] == ["东区业绩突出", "calibrated down"]
    seen = await _ok(await client.get(f"{REVIEWS}/{review['id']}", headers=head))
    assert (seen["participants"], seen["moves"], seen["revision"]) == (4, 2, 3)
    assert _cell(seen, "medium", "high") == 1
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        actions = list(
            await session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.action == "talent_review.placement_moved"
                )
            )
        )
    assert len(actions) == 2


async def test_a_department_head_sees_no_session_without_their_people(
    client: AsyncClient, world: World
) -> None:
    review = await open_review(client, world.hr, department_id=world.engineering.id)
    head = world.sales_head.headers
    for path in ("", "/placements"):
        hidden = await client.get(f"{REVIEWS}/{review['id']}{path}", headers=head)
        assert hidden.status_code == 404, hidden.text
    move = {
        "employee_id": str(world.engineer.id),
        "performance": "low",
        "potential": "low",
        "reason": "x",
    }
    refused = await client.post(f"{REVIEWS}/{review['id']}/placements", json=move, headers=head)
    assert refused.status_code == 404, refused.text
    assert (await _ok(await client.get(REVIEWS, headers=head)))["items"] == []
    employee = await client.get(f"{REVIEWS}/{review['id']}", headers=world.member_account.headers)
    assert employee.status_code == 403, employee.text


async def test_closing_updates_readiness_and_stops_the_moves(
    client: AsyncClient, world: World
) -> None:
    pool_id = await pool_with_members(client, world)
    review = await open_review(client, world.hr, pool_id=pool_id)
    assert review["pool"]["id"] == pool_id
    assert review["participants"] == 3
    path = f"{REVIEWS}/{review['id']}"
    hr = world.hr.headers
    for person, performance, potential in (
        (world.lead, "high", "high"),
        (world.engineer, "medium", "high"),
        (world.member, "low", "low"),
    ):
        body = {
            "employee_id": str(person.id),
            "performance": performance,
            "potential": potential,
            "reason": "盘点会议",
        }
        await _ok(await client.post(f"{path}/placements", json=body, headers=hr))
    refused = await client.post(f"{path}/close", headers=world.sales_head.headers)
    assert refused.status_code == 403, refused.text

    closed = await _ok(await client.post(f"{path}/close", headers=hr))
    assert closed["session"]["status"] == "closed"
    assert closed["session"]["closed_at"] is not None
    assert closed["memberships_updated"] == 2  # the nominee has no readiness to update
    members = await _ok(await client.get(f"{API}/talent-pools/{pool_id}/members", headers=hr))
    by_name = {m["employee"]["name"]: m for m in members["items"]}
    assert by_name["Lead"]["readiness"] == "ready_now"
    assert by_name["Lead"]["nine_box"]["potential"] == "high"
    assert by_name["Engineer"]["readiness"] == "one_to_two_years"
    assert by_name["Engineer"]["nine_box"]["reason"] == "2026 年度人才盘点"
    assert by_name["Member"]["readiness"] is None

    again = await client.post(f"{path}/close", headers=hr)
    assert again.status_code == 409, again.text
    late = {
        "employee_id": str(world.lead.id),
        "performance": "low",
        "potential": "low",
        "reason": "太晚",
    }
    moved = await client.post(f"{path}/placements", json=late, headers=hr | ZH)
    assert moved.status_code == 409, moved.text
    assert "人才盘点" in moved.json()["detail"]
    english = await client.post(f"{path}/placements", json=late, headers=hr)
    assert "closed" in english.json()["detail"]
