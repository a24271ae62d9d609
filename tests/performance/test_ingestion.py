"""Metric ingestion over HTTP: a batch from a `metrics:write` key or HR, each item answered
on its own (the good ones land, the refused ones say why in the reader's language), repeats
ignored, corrections kept as revisions and audited, one write statement however large the
batch, and the filtered reads."""

from __future__ import annotations

import json
import math
import uuid
from datetime import UTC, datetime, timedelta

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.performance import repository
from tests.factories import make_employee, make_org, make_tree
from tests.people.conftest import count_statements
from tests.performance.conftest import (
    API,
    ZH,
    World,
    api_key,
    observation,
    ok,
    post_scheme,
    scheme,
)
from tests.problems import assert_problem

AT = datetime(2026, 12, 3, 9, tzinfo=UTC)
URL = f"{API}/metric-observations"


async def _setup(client: AsyncClient, world: World) -> dict[str, str]:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    return await api_key(client, world.hr, "metrics:write")


async def test_good_items_land_and_bad_ones_say_why(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    key = await _setup(client, world)
    other = await make_org(runtime, slug="elsewhere")
    stranger = await make_employee(
        runtime, other.org_id, (await make_tree(runtime, other.org_id)).sales, "Stranger"
    )
    items = [
        observation(world.member.id, "output", 40, AT, "deal-1"),
        observation(stranger.id, "output", 10, AT, "deal-2"),
        observation(world.member.id, "output", math.inf, AT, "deal-3"),
        observation(world.member.id, "mood", 3, AT, "deal-4"),
        observation(world.member.id, "output", 5, AT, "deal-1"),
        observation(None, "output", 7, AT, "dept-1", department_id=str(world.sales.id)),
        observation(world.member.id, "output", 7, AT, "both", department_id=str(world.sales.id)),
    ]
    raw = json.dumps({"items": items})  # Infinity: what a lenient client sends
    body = ok(
        await client.post(URL, content=raw, headers=key | ZH | {"Content-Type": "application/json"})
    )
    assert (body["recorded"], body["refused"]) == (2, 5)
    outcomes = [(item["outcome"], item["error"]) for item in body["items"]]
    assert outcomes == [
        ("recorded", None),
        ("refused", "员工不存在"),
        ("refused", "数值须为有限数字"),
        ("refused", "没有绩效方案考核指标 mood"),
        ("refused", "本批次中已有条目使用相同的来源和外部编号"),
        ("recorded", None),
        ("refused", "employee_id 和 department_id 须且只能填写一项"),
    ]
    naive = observation(world.junior.id, "output", 3, AT, "naive-1")
    naive["observed_at"] = "2026-12-03T09:00:00"
    assert ok(await client.post(URL, json={"items": [naive]}, headers=key))["recorded"] == 1
    english = ok(await client.post(URL, json={"items": items[1:2]}, headers=key))
    assert english["items"][0]["error"] == "no such employee"
    listed = ok(await client.get(URL, headers=world.hr.headers))
    assert [(o["external_id"], o["value"], o["observed_at"]) for o in listed["items"]] == [
        ("deal-1", 40, "2026-12-03T09:00:00Z"),
        ("dept-1", 7, "2026-12-03T09:00:00Z"),
        ("naive-1", 3, "2026-12-03T09:00:00Z"),
    ], "a moment without a zone is UTC"
    assert listed["items"][0]["employee"]["name"] == "Member"
    assert listed["items"][1]["department"]["name"] == "Sales"
    assert ok(await client.get(URL, headers=other.headers))["items"] == [], "another org sees none"


async def test_a_repeat_is_ignored_and_a_changed_value_is_an_audited_correction(
    client: AsyncClient, world: World
) -> None:
    key = await _setup(client, world)
    first = ok(
        await client.post(
            URL, json={"items": [observation(world.member.id, "output", 40, AT, "d1")]}, headers=key
        )
    )
    again = ok(
        await client.post(
            URL, json={"items": [observation(world.member.id, "output", 40, AT, "d1")]}, headers=key
        )
    )
    assert again["items"][0] | {"index": 0} == {
        "index": 0,
        "outcome": "unchanged",
        "id": first["items"][0]["id"],
        "error": None,
    }
    fixed = ok(
        await client.post(
            URL, json={"items": [observation(world.member.id, "output", 45, AT, "d1")]}, headers=key
        )
    )
    assert fixed["corrected"] == 1
    revisions = ok(await client.get(URL, params={"employee_id": str(world.member.id)}, headers=key))
    assert [(o["value"], o["revision"]) for o in revisions["items"]] == [(40, 1), (45, 2)]
    audited = ok(
        await client.get(
            f"{API}/audit-events",
            params={"object_type": "metric_observation_batch"},
            headers=world.hr.headers,
        )
    )["items"]
    stored = [o["id"] for o in revisions["items"]]
    assert [(e["action"], e["actor"]["name"], e["after"]) for e in audited] == [
        (
            "metric_observation_batch.recorded",
            "sync",
            {
                "count": 1,
                "recorded": [],
                "corrected": [{"id": stored[1], "replaces": stored[0], "previous_value": 40.0}],
            },
        ),
        (
            "metric_observation_batch.recorded",
            "sync",
            {"count": 1, "recorded": [stored[0]], "corrected": []},
        ),
    ], "one event a batch that changed something (the repeat none), naming the key that wrote it"


async def test_who_may_record(client: AsyncClient, world: World) -> None:
    await _setup(client, world)
    batch = {"items": [observation(world.member.id, "output", 1, AT, "x")]}
    reader = await api_key(client, world.hr, "org:read")
    refused = await client.post(URL, json=batch, headers=reader | ZH)
    assert "metrics:write" in assert_problem(refused, 403, kind="forbidden")["detail"]
    assert_problem(
        await client.post(URL, json=batch, headers=world.sales_head.headers),
        403,
        detail="Only HR admins and metrics integrations record observations",
    )
    assert_problem(await client.get(URL, headers=world.member_account.headers), 403)
    assert ok(await client.post(URL, json=batch, headers=world.hr.headers))["recorded"] == 1


async def test_a_batch_is_bounded_and_shaped(client: AsyncClient, world: World) -> None:
    key = await _setup(client, world)
    too_many = {
        "items": [observation(world.member.id, "output", 1, AT, str(i)) for i in range(10_001)]
    }
    assert_problem(await client.post(URL, json=too_many, headers=key), 422, fields={"body.items"})
    assert_problem(
        await client.post(URL, json={"items": []}, headers=key), 422, fields={"body.items"}
    )
    window = {"observed_from": AT.isoformat(), "observed_before": AT.isoformat()}
    assert_problem(
        await client.get(URL, params=window, headers=key | ZH),
        422,
        fields={"query.observed_before"},
    )


async def test_statements_do_not_grow_with_the_batch(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    key = await _setup(client, world)
    people = [world.member, world.junior, world.lead, world.peer]

    def batch(size: int, prefix: str) -> dict[str, object]:
        return {
            "items": [
                observation(people[i % 4].id, "output", i, AT + timedelta(hours=i), f"{prefix}{i}")
                for i in range(size)
            ]
        }

    ok(await client.post(URL, json=batch(1, "w"), headers=key))  # the one pending job, after it
    with count_statements(runtime) as one:
        assert ok(await client.post(URL, json=batch(1, "a"), headers=key))["recorded"] == 1
    with count_statements(runtime) as hundred:
        assert ok(await client.post(URL, json=batch(100, "b"), headers=key))["recorded"] == 100
    assert hundred.count == one.count, hundred.statements
    writes = [s for s in hundred.statements if "INSERT INTO metric_observations" in s]
    assert len(writes) == 1
    with count_statements(runtime) as read:
        page = ok(await client.get(URL, params={"limit": 50}, headers=world.hr.headers))
    assert len(page["items"]) == 50
    assert page["next_cursor"]
    assert [s for s in read.statements if "metric_observations" in s] == [
        repository.OBSERVATIONS
    ], "one statement reads the page with every name"
    assert read.count == 6, read.statements
    rest = ok(
        await client.get(URL, params={"limit": 100, "cursor": page["next_cursor"]}, headers=key)
    )
    assert len(rest["items"]) == 52
    assert uuid.UUID(rest["items"][0]["id"])


async def test_a_full_batch_lands_in_one_write(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    key = await _setup(client, world)
    people = [world.member, world.junior, world.lead, world.peer]
    items = [
        observation(people[i % 4].id, "output", i, AT + timedelta(minutes=i), f"full-{i}")
        for i in range(10_000)
    ]
    with count_statements(runtime) as counter:
        body = ok(await client.post(URL, json={"items": items}, headers=key))
    assert (body["recorded"], body["refused"]) == (10_000, 0)
    assert sum("INSERT INTO metric_observations" in s for s in counter.statements) == 1
