"""The funnel and the vacancy fill over HTTP: a succession pool whose members join, finish
a program, meet the bar and are appointed, counted from rollups the worker refreshes, in
the caller's scope and window, drillable to the people with the reasons in their language;
an employment event refreshes its person through the outbox and the worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.analytics.conftest import API, refresh_all
from tests.factories import Account
from tests.people.conftest import World
from tests.talent.test_competency_ranking import modelled
from tests.talent.test_vacancies import Succession, clock, storage_dir, succession, world

__all__ = ["clock", "modelled", "storage_dir", "succession", "world"]

pytestmark = pytest.mark.commits  # the worker's profile recomputes run side by side

FUNNEL = f"{API}/analytics/funnel"
FILL = f"{API}/analytics/vacancy-fill"
SINCE = {"start": "2027-03-01"}
ZH = {"Accept-Language": "zh-CN"}


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@dataclass(frozen=True)
class Loop:
    world: World
    clock: FrozenClock
    today: str


async def _program(client: AsyncClient, hr: Account, pool_id: str, today: str, *people: Any) -> Any:
    """A started one-stage program of the pool with these participants."""
    stage = {"key": "reflection", "name": "Reflection", "kind": "submission", "duration_days": 7}
    template = await _ok(
        await client.post(
            f"{API}/program-templates",
            json={"name": "Reserve chief", "stages": [stage]},
            headers=hr.headers,
        ),
        201,
    )
    run = await _ok(
        await client.post(
            f"{API}/programs",
            json={
                "name": "2028 reserve chiefs",
                "template_id": template["id"],
                "pool_id": pool_id,
                "starts_on": today,
            },
            headers=hr.headers,
        ),
        201,
    )
    body = {"employee_ids": [str(person.id) for person in people]}
    await _ok(
        await client.post(f"{API}/programs/{run['id']}/participants", json=body, headers=hr.headers)
    )
    await _ok(await client.post(f"{API}/programs/{run['id']}/start", headers=hr.headers))
    return run


@pytest.fixture
async def loop(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    succession: Succession,
    modelled: dict[str, Any],
) -> Loop:
    """Peer joined the chief pool a year ago and meets the chief model; Member and Engineer
    joined today and start its program. A clerk vacancy opens too. Ten days later Member
    (ready now) is appointed chief — their program graduates; four days after, Junior (in no
    pool) is appointed clerk with an override."""
    hr = world.hr
    today = clock.now().date().isoformat()
    await _program(client, hr, succession.pool["id"], today, world.member, world.engineer)
    clerk = await _ok(
        await client.post(
            f"{API}/vacancies", json={"position_id": str(world.clerk.id)}, headers=hr.headers
        ),
        201,
    )
    clock.advance(timedelta(days=10))
    day = clock.now().date().isoformat()
    body = {"employee_id": str(world.member.id), "effective_date": day, "reason": "Ready now"}
    await _ok(
        await client.post(
            f"{API}/vacancies/{succession.vacancy['id']}/appoint", json=body, headers=hr.headers
        )
    )
    clock.advance(timedelta(days=4))
    day = clock.now().date().isoformat()
    body = {
        "employee_id": str(world.junior.id),
        "effective_date": day,
        "reason": "Covers the desk",
        "override_reason": "No pool for clerks",
    }
    await _ok(
        await client.post(f"{API}/vacancies/{clerk['id']}/appoint", json=body, headers=hr.headers)
    )
    await refresh_all(runtime)
    return Loop(world, clock, day)


def _steps(body: Any) -> list[tuple[str, int, float | None]]:
    return [(s["step"], s["people"], s["conversion"]) for s in body["steps"]]


async def test_hr_reads_the_funnel_of_the_loop(client: AsyncClient, loop: Loop) -> None:
    hr = loop.world.hr
    body = await _ok(await client.get(FUNNEL, params=SINCE, headers=hr.headers))
    assert body["refreshed_at"] is not None
    assert body["department"] is None
    assert _steps(body) == [
        ("pool_member", 3, None),
        ("program_completion", 1, round(1 / 3, 4)),
        ("attainment", 1, 1.0),
        ("appointment", 1, 1.0),
    ]
    later = await _ok(await client.get(FUNNEL, params={"start": "2027-06-01"}, headers=hr.headers))
    assert _steps(later)[0] == ("pool_member", 2, None), "Peer joined before the window"
    chinese = await _ok(await client.get(FUNNEL, headers=hr.headers | ZH))
    assert [s["label"] for s in chinese["steps"]] == [
        "人才池成员",
        "培养项目完成",
        "能力达标",
        "任用",
    ]


async def test_a_department_head_reads_their_subtree_only(client: AsyncClient, loop: Loop) -> None:
    world = loop.world
    head = world.sales_head.headers
    own = await _ok(await client.get(FUNNEL, params=SINCE, headers=head))
    assert own["department"]["id"] == str(world.sales.id)
    assert [s["people"] for s in own["steps"]] == [2, 1, 1, 1], "Engineer works elsewhere"
    for path in (FUNNEL, f"{FUNNEL}/people", FILL, f"{API}/analytics/vacancy-fill/people"):
        other = await client.get(
            path, params={"department_id": str(world.engineering.id)}, headers=head
        )
        assert other.status_code == 404, other.text
        assert other.headers["content-type"].startswith("application/problem+json")
    people = await _ok(await client.get(f"{FUNNEL}/people", params=SINCE, headers=head))
    assert {i["employee"]["name"] for i in people["items"]} == {"Peer", "Member"}
    for path in (FUNNEL, FILL):
        refused = await client.get(path, headers=world.junior_account.headers)
        assert refused.status_code == 403, refused.text


async def test_the_drill_down_says_why_each_person_counts(client: AsyncClient, loop: Loop) -> None:
    hr = loop.world.hr
    url = f"{FUNNEL}/people"
    attained = await _ok(
        await client.get(url, params={"step": "attainment"} | SINCE, headers=hr.headers)
    )
    [item] = attained["items"]
    assert item["employee"]["name"] == "Peer"
    assert "Sales chief" in item["reason"], item["reason"]
    chinese = await _ok(
        await client.get(url, params={"step": "attainment"} | SINCE, headers=hr.headers | ZH)
    )
    [item] = chinese["items"]
    assert item["step_label"] == "能力达标"
    assert "达到 Sales chief 能力模型的全部要求等级" in item["reason"], item["reason"]
    graduated = await _ok(
        await client.get(url, params={"step": "program_completion"}, headers=hr.headers)
    )
    [item] = graduated["items"]
    assert item["employee"]["name"] == "Member"
    assert "Graduated from the program 2028 reserve chiefs" in item["reason"]
    appointed = await _ok(
        await client.get(url, params={"step": "appointment"}, headers=hr.headers | ZH)
    )
    [item] = appointed["items"]
    assert item["employee"]["name"] == "Member"
    assert "晋升为 Sales chief" in item["reason"], item["reason"]
    wrong = await client.get(url, params={"step": "internal"}, headers=hr.headers)
    assert wrong.status_code == 422, wrong.text


async def test_vacancies_filled_from_inside_and_the_time_to_fill(
    client: AsyncClient, loop: Loop
) -> None:
    world = loop.world
    body = await _ok(await client.get(FILL, headers=world.hr.headers))
    assert body["refreshed_at"] is not None
    assert (body["filled"], body["internal"], body["other"]) == (2, 1, 1)
    assert body["internal_fill_rate"] == 0.5
    assert body["median_days_to_fill"] == 12.0, "10 and 14 days"
    none = await _ok(
        await client.get(
            FILL, params={"department_id": str(world.engineering.id)}, headers=world.hr.headers
        )
    )
    assert (none["filled"], none["internal_fill_rate"], none["median_days_to_fill"]) == (
        0,
        None,
        None,
    )
    url = f"{API}/analytics/vacancy-fill/people"
    inside = await _ok(await client.get(url, params={"step": "internal"}, headers=world.hr.headers))
    [item] = inside["items"]
    assert (item["employee"]["name"], item["dimension"], item["value"]) == (
        "Member",
        "10",
        "10.0000",
    )
    assert "from a talent pool, 10 days" in item["reason"], item["reason"]
    other = await _ok(
        await client.get(url, params={"step": "other"}, headers=world.hr.headers | ZH)
    )
    [item] = other["items"]
    assert item["employee"]["name"] == "Junior"
    assert "既非对应人才池成员也非申请人" in item["reason"], item["reason"]
    assert "14 天" in item["reason"], item["reason"]


async def test_an_employment_event_refreshes_its_person(
    client: AsyncClient, runtime: Runtime, loop: Loop
) -> None:
    world = loop.world
    promotion = {
        "kind": "promotion",
        "effective_date": loop.today,
        "position_id": str(world.chief.id),
    }
    await _ok(
        await client.post(
            f"{API}/employees/{world.engineer.id}/events", json=promotion, headers=world.hr.headers
        ),
        201,
    )
    await run_burst(runtime)
    body = await _ok(await client.get(FUNNEL, params=SINCE, headers=world.hr.headers))
    assert _steps(body)[3] == ("appointment", 2, 2.0)
    people = await _ok(
        await client.get(
            f"{FUNNEL}/people", params={"step": "appointment"}, headers=world.hr.headers
        )
    )
    assert {i["employee"]["name"] for i in people["items"]} == {"Member", "Engineer"}
