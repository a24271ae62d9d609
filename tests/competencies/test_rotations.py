"""Rotation plans 「轮岗 / 挂职」: a draft checked leg by leg, confirmation recording temporary
posts and rating tasks, the host supervisor's rating as evidence that replaces itself, and
who may read what."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.notifications import api as notifications
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.factories import Account, make_org, make_user
from tests.people.conftest import count_statements
from tests.problems import assert_problem

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the organization's day, not the machine's


def _leg(department: Any, host: Any, start: date, days: int = 60, **more: Any) -> dict[str, Any]:
    return {
        "department_id": str(department.id),
        "post_title": "Assistant to the chief",
        "host_supervisor_id": str(host.id),
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=days)).isoformat(),
        **more,
    }


def _plan(world: World, *legs: dict[str, Any]) -> dict[str, Any]:
    return {"employee_id": str(world.member.id), "title": "Two posts", "legs": list(legs)}


async def _host(runtime: Runtime, world: World) -> Account:
    return await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id)


async def test_a_draft_is_checked_leg_by_leg(client: AsyncClient, world: World) -> None:
    url = f"{API}/rotation-plans"
    later = TODAY + timedelta(days=10)
    own = await client.post(
        url,
        json=_plan(world, _leg(world.sales_east, world.engineer, later)),
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    body = assert_problem(own, 422, fields={"legs.0.department_id"})
    assert "another department" not in body["errors"][0]["message"], "answered in Chinese"
    overlapping = _plan(
        world,
        _leg(world.engineering, world.engineer, later),
        _leg(world.head_office, world.boss, later + timedelta(days=30)),
    )
    refused = await client.post(url, json=overlapping, headers=world.hr.headers)
    assert_problem(refused, 422, fields={"legs.1.start_date"})
    himself = _plan(world, _leg(world.engineering, world.member, later))
    assert_problem(
        await client.post(url, json=himself, headers=world.hr.headers),
        422,
        fields={"legs.0.host_supervisor_id"},
    )
    backwards = _plan(world, _leg(world.engineering, world.engineer, later, days=-1))
    assert_problem(
        await client.post(url, json=backwards, headers=world.hr.headers),
        422,
        fields={"legs.0.end_date"},
    )
    good = _plan(world, _leg(world.engineering, world.engineer, later))
    assert_problem(await client.post(url, json=good, headers=world.lead_account.headers), 403)
    created = ok(await client.post(url, json=good, headers=world.hr.headers), 201)
    assert created["status"] == "draft"
    leg = created["legs"][0]
    assert (leg["department"]["name"], leg["host_supervisor"]["name"], leg["state"]) == (
        world.engineering.name,
        "Engineer",
        "upcoming",
    )
    assert (leg["employment_event_id"], leg["rating_task_id"], leg["rating"]) == (None,) * 3


async def test_confirming_records_temporary_posts_and_rating_tasks(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    start = TODAY + timedelta(days=7)
    legs = [
        _leg(world.engineering, world.engineer, start, allowance="800.00"),
        _leg(world.head_office, world.boss, start + timedelta(days=90)),
    ]
    plan = ok(
        await client.post(
            f"{API}/rotation-plans", json=_plan(world, *legs), headers=world.hr.headers
        ),
        201,
    )
    url = f"{API}/rotation-plans/{plan['id']}"
    stale = await client.patch(
        url, json={"title": "Renamed"}, headers=world.hr.headers | {"If-Match": '"99"'}
    )
    assert_problem(stale, 412)
    renamed = ok(
        await client.patch(url, json={"title": "Sales to engineering"}, headers=world.hr.headers)
    )
    assert (renamed["title"], renamed["version"]) == ("Sales to engineering", plan["version"] + 1)

    confirmed = ok(await client.post(f"{url}/confirm", headers=world.hr.headers))
    assert confirmed["status"] == "confirmed"
    assert all(leg["employment_event_id"] and leg["rating_task_id"] for leg in confirmed["legs"])
    events = ok(
        await client.get(f"{API}/employees/{world.member.id}/events", headers=world.hr.headers)
    )["items"]
    posts = sorted(
        (e["effective_date"], e["end_date"], e["title"], e["allowance"])
        for e in events
        if e["kind"] == "temporary_post"
    )
    assert posts == [
        (legs[0]["start_date"], legs[0]["end_date"], "Assistant to the chief", "800.00"),
        (legs[1]["start_date"], legs[1]["end_date"], "Assistant to the chief", None),
    ]
    host = await _host(runtime, world)
    tasks = ok(await client.get(f"{API}/me/tasks", headers=host.headers))["items"]
    rating = next(t for t in tasks if t["id"] == confirmed["legs"][0]["rating_task_id"])
    assert "Member" in rating["title"]
    assert rating["due_at"][:10] >= legs[0]["end_date"]
    assert_problem(await client.post(f"{url}/confirm", headers=world.hr.headers), 409)
    assert_problem(await client.patch(url, json={"title": "x"}, headers=world.hr.headers), 409)
    early = await client.post(
        f"{url}/legs/{confirmed['legs'][0]['id']}/rating",
        json={
            "ratings": [
                {"competency_id": (await create(client, world.hr, "Delivery"))["id"], "value": 7}
            ]
        },
        headers=host.headers,
    )
    assert_problem(early, 409, detail="not started")


async def test_a_leg_already_begun_cannot_be_confirmed(client: AsyncClient, world: World) -> None:
    begun = _plan(world, _leg(world.engineering, world.engineer, TODAY - timedelta(days=1)))
    plan = ok(await client.post(f"{API}/rotation-plans", json=begun, headers=world.hr.headers), 201)
    refused = await client.post(
        f"{API}/rotation-plans/{plan['id']}/confirm", headers=world.hr.headers
    )
    assert_problem(refused, 422, fields={"legs.0.start_date"})


@pytest.mark.commits
async def test_the_host_rating_becomes_evidence_and_replaces_itself(
    client: AsyncClient, world: World, runtime: Runtime, schema_owner_engine: AsyncEngine
) -> None:
    team = await create(client, world.hr, "Team management")
    lines = await create(client, world.hr, "Line optimization")
    plan = ok(
        await client.post(
            f"{API}/rotation-plans",
            json=_plan(world, _leg(world.engineering, world.engineer, TODAY)),
            headers=world.hr.headers,
        ),
        201,
    )
    confirmed = ok(
        await client.post(f"{API}/rotation-plans/{plan['id']}/confirm", headers=world.hr.headers)
    )
    leg = confirmed["legs"][0]
    assert leg["state"] == "running"
    rate = f"{API}/rotation-plans/{plan['id']}/legs/{leg['id']}/rating"
    host = await _host(runtime, world)
    first = {
        "ratings": [
            {"competency_id": team["id"], "value": 8.1},
            {"competency_id": lines["id"], "value": 6},
        ],
        "note": "Ran the line",
    }
    assert_problem(await client.post(rate, json=first, headers=world.lead_account.headers), 404)
    twice = {
        "ratings": [
            {"competency_id": team["id"], "value": 8},
            {"competency_id": team["id"], "value": 7},
        ]
    }
    assert_problem(
        await client.post(rate, json=twice, headers=host.headers),
        422,
        fields={"ratings.1.competency_id"},
    )
    rated = ok(await client.post(rate, json=first, headers=host.headers))
    assert [
        (r["competency"]["name"], r["value"]) for r in rated["legs"][0]["rating"]["ratings"]
    ] == [("Team management", 8.1), ("Line optimization", 6.0)]
    task = ok(await client.get(f"{API}/tasks/{leg['rating_task_id']}", headers=host.headers))
    assert task["status"] == "completed"
    await run_burst(runtime)
    profile = ok(
        await client.get(
            f"{API}/employees/{world.member.id}/competency-profile", headers=world.hr.headers
        )
    )
    scores = {f["competency"]["name"]: f for f in profile["competencies"]}
    assert scores["Team management"]["score"] == 8.1
    assert scores["Team management"]["evidence"][0]["source_kind"] == "rotation"

    again = {"ratings": [{"competency_id": team["id"], "value": 7.5}]}
    ok(await client.post(rate, json=again, headers=world.hr.headers))
    async with schema_owner_engine.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT competency_id, value FROM competency_evidence "
                    "WHERE source_kind = 'rotation' AND source_id = :leg"
                ),
                {"leg": leg["id"]},
            )
        ).all()
        audit = (
            (
                await connection.execute(
                    text(
                        "SELECT before FROM audit_events WHERE action = 'rotation_leg.rated' "
                        "AND object_id = :leg ORDER BY created_at, id"
                    ),
                    {"leg": leg["id"]},
                )
            )
            .scalars()
            .all()
        )
    assert [(str(c), v) for c, v in rows] == [(team["id"], 7.5)], "replaced, the dropped one gone"
    assert audit[0] is None
    assert audit[1]["ratings"][0]["value"] == 8.1
    await run_burst(runtime)
    profile = ok(
        await client.get(
            f"{API}/employees/{world.member.id}/competency-profile", headers=world.hr.headers
        )
    )
    assert [(f["competency"]["name"], f["score"]) for f in profile["competencies"]] == [
        ("Team management", 7.5)
    ]


async def test_who_reads_a_plan(client: AsyncClient, world: World, runtime: Runtime) -> None:
    plan = ok(
        await client.post(
            f"{API}/rotation-plans",
            json=_plan(world, _leg(world.engineering, world.engineer, TODAY + timedelta(days=3))),
            headers=world.hr.headers,
        ),
        201,
    )
    url = f"{API}/rotation-plans/{plan['id']}"
    host = await _host(runtime, world)
    for reader in (world.member_account, world.lead_account, world.sales_head, host):
        assert ok(await client.get(url, headers=reader.headers))["id"] == plan["id"]
    assert_problem(await client.get(url, headers=world.junior_account.headers), 404)
    stranger = await make_org(runtime)
    assert_problem(await client.get(url, headers=stranger.headers), 404)
    listed = ok(await client.get(f"{API}/rotation-plans", headers=host.headers))["items"]
    assert [p["id"] for p in listed] == [plan["id"]]
    assert (
        ok(await client.get(f"{API}/rotation-plans", headers=world.junior_account.headers))["items"]
        == []
    )
    assert ok(await client.get(f"{API}/rotation-plans", headers=stranger.headers))["items"] == []


async def test_the_list_costs_a_fixed_number_of_statements(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    async def plans(count: int) -> None:
        for number in range(count):
            start = TODAY + timedelta(days=10 + 200 * number)
            body = _plan(
                world,
                _leg(world.engineering, world.engineer, start),
                _leg(world.head_office, world.boss, start + timedelta(days=70)),
            )
            ok(await client.post(f"{API}/rotation-plans", json=body, headers=world.hr.headers), 201)

    await plans(1)
    with count_statements(runtime) as one:
        ok(await client.get(f"{API}/rotation-plans", headers=world.lead_account.headers))
    await plans(4)
    with count_statements(runtime) as five:
        page = ok(await client.get(f"{API}/rotation-plans", headers=world.lead_account.headers))
    assert len(page["items"]) == 5
    assert five.count == one.count, five.statements


async def test_the_inbox_names_a_leg_after_its_post_and_its_employee(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """A reminder or escalation about a rating task names the leg, as the mobile app shows it."""
    plan = ok(
        await client.post(
            f"{API}/rotation-plans",
            json=_plan(world, _leg(world.engineering, world.engineer, TODAY + timedelta(days=3))),
            headers=world.hr.headers,
        ),
        201,
    )
    leg = plan["legs"][0]["id"]
    host = await _host(runtime, world)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await notifications.notify(
            session,
            org_id=world.hr.org_id,
            user_ids=[host.user_id],
            kind="workflow.reminder",
            title="Rate the leg",
            body="",
            subject_type="rotation_leg",
            subject_id=uuid.UUID(leg),
            dedupe_key=f"leg:{leg}",
        )
    [item] = ok(await client.get(f"{API}/me/notifications", headers=host.headers))["items"]
    assert item["subject"]["name"] == "Assistant to the chief"
    assert item["employee"] == {"id": str(world.member.id), "name": "Member"}


async def test_a_leg_ends_early_with_its_temporary_post(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """HR ends the running leg: its temporary post ends that day, the leg with it, and the
    host's rating falls due after the new end; a draft's leg or a day outside the leg is
    refused."""
    legs = [
        _leg(world.engineering, world.engineer, TODAY, days=60),
        _leg(world.head_office, world.boss, TODAY + timedelta(days=90)),
    ]
    plan = ok(
        await client.post(
            f"{API}/rotation-plans", json=_plan(world, *legs), headers=world.hr.headers
        ),
        201,
    )
    url = f"{API}/rotation-plans/{plan['id']}"
    leg = plan["legs"][0]
    end = f"{url}/legs/{leg['id']}/end"
    last_day = (TODAY + timedelta(days=20)).isoformat()
    assert_problem(
        await client.post(end, json={"last_day": last_day}, headers=world.hr.headers), 409
    )
    confirmed = ok(await client.post(f"{url}/confirm", headers=world.hr.headers))
    host = await _host(runtime, world)
    assert_problem(await client.post(end, json={"last_day": last_day}, headers=host.headers), 403)
    assert_problem(
        await client.post(
            f"{url}/legs/{uuid.uuid4()}/end", json={"last_day": last_day}, headers=world.hr.headers
        ),
        404,
    )
    after_end = (TODAY + timedelta(days=60)).isoformat()
    body = assert_problem(
        await client.post(
            end,
            json={"last_day": after_end},
            headers=world.hr.headers | {"Accept-Language": "zh-CN"},
        ),
        422,
        fields={"last_day"},
    )
    assert "before" not in body["errors"][0]["message"], "answered in Chinese"

    ended = ok(await client.post(end, json={"last_day": last_day}, headers=world.hr.headers))
    assert [leg["end_date"] for leg in ended["legs"]] == [last_day, legs[1]["end_date"]]
    assert ended["version"] == confirmed["version"] + 1
    events = ok(
        await client.get(f"{API}/employees/{world.member.id}/events", headers=world.hr.headers)
    )["items"]
    [post] = [e for e in events if e["id"] == confirmed["legs"][0]["employment_event_id"]]
    assert post["end_date"] == last_day
    tasks = ok(await client.get(f"{API}/me/tasks", headers=host.headers))["items"]
    rating = next(t for t in tasks if t["id"] == confirmed["legs"][0]["rating_task_id"])
    assert last_day <= rating["due_at"][:10] < legs[0]["end_date"]
    audit = ok(
        await client.get(
            f"{API}/audit-events",
            params={"object_type": "rotation_leg", "object_id": leg["id"]},
            headers=world.hr.headers,
        )
    )["items"]
    assert [(a["action"], a["before"], a["after"]) for a in audit] == [
        ("rotation_leg.ended_early", {"end_date": legs[0]["end_date"]}, {"end_date": last_day})
    ]
    assert_problem(
        await client.post(end, json={"last_day": last_day}, headers=world.hr.headers),
        422,
        fields={"last_day"},
    )
