"""Decline alerts: a lower-is-better indicator rising and a sum falling beyond their
threshold over the trailing window raise one alert each (once per employee, indicator and
period), delivered to the manager's inbox and DingTalk robot and to webhook subscribers,
audited; a `sum` period is judged once it is over (the daily sweep); who lists them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.performance import alerts_repository, jobs
from hrcore.worker import run_burst
from tests.channels.conftest import Configure, FakeDingTalk, configure, fake_dingtalk
from tests.conftest import frozen_clock
from tests.factories import make_org
from tests.people.conftest import count_statements
from tests.performance.conftest import (
    API,
    ZH,
    World,
    api_key,
    indicator,
    observation,
    ok,
    post_scheme,
    scheme,
)
from tests.problems import assert_problem
from tests.webhooks.conftest import Receiver, receiver

__all__ = ["configure", "fake_dingtalk", "receiver"]

MONTHS = [datetime(2026, month, 10, 9, tzinfo=UTC) for month in (7, 8, 9, 10)]
LATE_OCTOBER = datetime(2026, 10, 20, 9, tzinfo=UTC)


def _alerting_scheme(world: World) -> dict[str, Any]:
    """The seed's scheme; output judged over 2 periods with a 30 % threshold."""
    body = scheme(department_ids=[str(world.sales.id)])
    body["indicators"][0] |= {"decline_window": 2, "decline_threshold": 30}
    return body


def _history(world: World) -> list[dict[str, Any]]:
    """Member: response time 1 h for three months then 3 h (+200 %), output 100 then 40 in
    October; junior: response time 1 h then 1.2 h (+20 %, under the 25 % default)."""
    items = []
    for number, at in enumerate(MONTHS):
        last = number == len(MONTHS) - 1
        month = f"{at:%m}"
        items += [
            observation(world.member.id, "customer_feedback", 3 if last else 1, at, f"m-c{month}"),
            observation(world.member.id, "output", 40 if last else 100, at, f"m-o{month}"),
            observation(world.junior.id, "customer_feedback", 1.2 if last else 1, at, f"j{month}"),
        ]
    return items


async def _robot(client: AsyncClient, world: World, fake: FakeDingTalk) -> None:
    fake.robots["alerts"] = "SECalerts"
    ok(
        await client.post(
            f"{API}/notification-channels",
            json={
                "kind": "dingtalk_robot",
                "name": "Sales group",
                "department_id": None,
                "config": {"webhook_url": fake.robot_url("alerts")},
                "secret": "SECalerts",
            },
            headers=world.hr.headers,
        ),
        201,
    )


@pytest.mark.commits
async def test_a_decline_alerts_the_manager_once_with_its_figures(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    configure: Configure,
    fake_dingtalk: FakeDingTalk,
    receiver: Receiver,
) -> None:
    subscribed = ok(
        await client.post(
            f"{API}/webhooks",
            json={"url": receiver.url, "event_types": ["performance.alert_raised"]},
            headers=world.hr.headers,
        ),
        201,
    )
    receiver.secret = subscribed["secret"]
    await _robot(client, world, fake_dingtalk)
    await post_scheme(client, world.hr, _alerting_scheme(world))
    key = await api_key(client, world.hr, "metrics:write")
    batch = {"items": _history(world)}
    ok(await client.post(f"{API}/metric-observations", json=batch, headers=key))
    await run_burst(runtime)

    listed = ok(await client.get(f"{API}/performance-alerts", headers=world.hr.headers))
    found = {item["indicator"]: item for item in listed["items"]}
    assert set(found) == {"customer_feedback", "output"}, "junior's +20 % is under 25 %"
    alert = found["customer_feedback"]
    assert alert["employee"] == {"id": str(world.member.id), "name": "Member"}
    assert (alert["period"], alert["direction"]) == ("2026-10", "lower")
    assert [(p["period"], p["value"]) for p in alert["series"]] == [
        ("2026-07", 1),
        ("2026-08", 1),
        ("2026-09", 1),
    ]
    assert (alert["value"], alert["average"], alert["window"]) == (3, 1, 3)
    assert (alert["threshold"], alert["decline"]) == (25, 200)
    output = found["output"]
    assert (output["period"], output["value"], output["average"]) == ("2026-10", 40, 100)
    assert (output["window"], output["threshold"], output["decline"]) == (2, 30, 60)

    inbox = ok(await client.get(f"{API}/me/notifications", headers=world.lead_account.headers))
    notes = {
        n["subject"]["id"]: n for n in inbox["items"] if n["kind"] == "performance.alert_raised"
    }
    note = notes[alert["id"]]
    assert note["title"] == "Member: Customer feedback declined in 2026-10"
    assert "3 h against an average of 1 h over the 3 periods before (1, 1, 1)" in note["body"]
    assert (note["subject"]["name"], len(notes)) == ("Customer feedback", 2)
    mine = ok(await client.get(f"{API}/me/notifications", headers=world.member_account.headers))
    assert not [n for n in mine["items"] if n["kind"] == "performance.alert_raised"]
    zh = ok(await client.get(f"{API}/me/notifications", headers=world.lead_account.headers | ZH))
    assert zh["items"][0]["title"] == inbox["items"][0]["title"], "rendered in the recipient's"

    await run_burst(runtime)
    sent = [m.content for m in fake_dingtalk.messages]
    assert sum("Customer feedback declined" in m for m in sent) == 1
    bodies = [json.loads(request.body) for request in receiver.requests]
    assert sorted(
        (b["type"], b["data"]["alert_id"], b["data"]["decline"]) for b in bodies
    ) == sorted(
        [
            ("performance.alert_raised", alert["id"], 200),
            ("performance.alert_raised", output["id"], 60),
        ]
    )

    assert await jobs.sweep_decline_alerts({"runtime": runtime}) == 0
    again = {"items": _history(world)[:1]}
    again["items"][0]["value"] = 4  # a correction: recomputed and swept, nothing new
    ok(await client.post(f"{API}/metric-observations", json=again, headers=key))
    await run_burst(runtime)
    after = ok(await client.get(f"{API}/performance-alerts", headers=world.hr.headers))
    assert len(after["items"]) == 2
    audited = ok(
        await client.get(
            f"{API}/audit-events?action=performance_alert.raised", headers=world.hr.headers
        )
    )
    assert sorted(e["object_id"] for e in audited["items"]) == sorted(found[k]["id"] for k in found)


@pytest.mark.commits
async def test_a_sum_is_judged_once_its_period_is_over_and_who_lists_alerts(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, _alerting_scheme(world))
    key = await api_key(client, world.hr, "metrics:write")
    url = f"{API}/performance-alerts"
    async with frozen_clock(runtime, LATE_OCTOBER) as clock:
        batch = {"items": _history(world)}
        ok(await client.post(f"{API}/metric-observations", json=batch, headers=key))
        await run_burst(runtime)
        listed = ok(await client.get(url, headers=world.hr.headers))
        assert [i["indicator"] for i in listed["items"]] == ["customer_feedback"]
        clock.advance(timedelta(days=13))  # November 2: October's output is over
        assert await jobs.sweep_decline_alerts({"runtime": runtime}) == 1
        assert await jobs.sweep_decline_alerts({"runtime": runtime}) == 0

    def employees(body: dict[str, Any]) -> list[str]:
        return [item["employee"]["name"] for item in body["items"]]

    both = ["Member", "Member"]
    assert employees(ok(await client.get(url, headers=world.lead_account.headers))) == both
    assert employees(ok(await client.get(url, headers=world.member_account.headers))) == both
    assert employees(ok(await client.get(url, headers=world.sales_head.headers))) == both
    assert employees(ok(await client.get(url, headers=world.junior_account.headers))) == []
    other = await make_org(runtime, slug="far-away")
    assert employees(ok(await client.get(url, headers=other.headers))) == []
    assert_problem(
        await client.get(url, headers=await api_key(client, world.hr, "metrics:write")), 403
    )
    reader = await api_key(client, world.hr, "ratings:read")
    assert employees(ok(await client.get(url, headers=reader))) == both
    filtered = f"{url}?employee_id={world.junior.id}"
    assert employees(ok(await client.get(filtered, headers=world.hr.headers))) == []
    by_indicator = f"{url}?indicator=output"
    assert employees(ok(await client.get(by_indicator, headers=world.hr.headers))) == ["Member"]

    with count_statements(runtime) as counter:
        first = ok(await client.get(f"{url}?limit=1", headers=world.lead_account.headers))
    assert [s for s in counter.statements if "performance_alerts" in s] == [
        alerts_repository.ALERTS
    ]
    assert first["items"][0]["indicator"] == "output", "newest first"
    rest = ok(
        await client.get(
            f"{url}?limit=1&cursor={first['next_cursor']}", headers=world.lead_account.headers
        )
    )
    assert ([i["indicator"] for i in rest["items"]], rest["next_cursor"]) == (
        ["customer_feedback"],
        None,
    )
    problem = assert_problem(
        await client.get(f"{url}?cursor=forged", headers=world.hr.headers | ZH), 400
    )
    assert problem["errors"][0]["field"] == "query.cursor"
    assert_problem(await client.get(f"{url}?indicator=Not-a-key", headers=world.hr.headers), 422)


async def test_the_window_and_threshold_are_checked(client: AsyncClient, world: World) -> None:
    body = scheme(department_ids=[str(world.sales.id)])
    body["indicators"][0] = indicator("output", 30, 100, decline_window=0)
    body["indicators"][1] |= {"decline_threshold": -5}
    problem = assert_problem(
        await client.post(f"{API}/performance-schemes", json=body, headers=world.hr.headers | ZH),
        422,
    )
    fields = {error["field"] for error in problem["errors"]}
    assert fields == {
        "body.indicators.0.decline_window",
        "body.indicators.1.decline_threshold",
    }
    created = await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    defaults = {(i["decline_window"], i["decline_threshold"]) for i in created["indicators"]}
    assert defaults == {(3, 25)}
