"""Sessions of a pairing over HTTP: the mentor logs 1:1s, skill tests and progress reports,
each completing its scheduled task; the parties read them with the checklist coverage; bad
input, an ended pairing, reach; a skill test becomes competency evidence of the plan's goal
(through the real worker) and reaches webhook subscribers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import create
from tests.conftest import frozen_clock
from tests.factories import make_org, make_user
from tests.mentoring.schedule_helpers import (
    START,
    Pairing,
    end_pairing,
    make_pairing,
    plan_now,
)
from tests.org.conftest import api_key
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.webhooks.conftest import Configure, Receiver, configure, receiver

__all__ = ["configure", "receiver", "world"]
NOW = datetime(2027, 4, 20, 2, 0, tzinfo=UTC)
"""Tuesday 20 April 2027, 10:00 in Shanghai: the first 1:1 (due 15 April) is overdue."""
ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
async def clock(runtime: Runtime) -> AsyncIterator[FrozenClock]:
    async with frozen_clock(runtime, NOW) as frozen:
        yield frozen


async def _scheduled(
    runtime: Runtime, client: AsyncClient, world: World, **options: Any
) -> Pairing:
    """Member mentors Junior; the plan approved and its schedule planned on the pairing's
    first day, as the subscribed job plans it."""
    async with frozen_clock(runtime, START) as then:
        pairing = await make_pairing(client, world.hr, world.member, world.junior, **options)
        await plan_now(runtime, pairing, then)
    return pairing


async def _tasks(client: AsyncClient, world: World, pairing: Pairing) -> dict[str, Any]:
    response = await client.get(
        "/api/v1/tasks",
        params={
            "subject_type": "mentorship",
            "subject_id": str(pairing.mentorship_id),
            "limit": 200,
        },
        headers=world.hr.headers,
    )
    assert response.status_code == 200, response.text
    return {task["id"]: task for task in response.json()["items"]}


async def _log(client: AsyncClient, pairing: Pairing, headers: dict[str, str], **body: Any) -> Any:
    response = await client.post(pairing.sessions, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_mentor_logs_a_one_on_one_that_completes_the_earliest_task(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    owner_engine: AsyncEngine,
) -> None:
    pairing = await _scheduled(runtime, client, world)
    tasks = await _tasks(client, world, pairing)
    one_on_ones = sorted(
        (t for t in tasks.values() if t["kind"] == "mentoring_one_on_one"),
        key=lambda t: t["due_at"],
    )
    first = await _log(
        client,
        pairing,
        world.member_account.headers,
        kind="one_on_one",
        held_on="2027-04-19",
        notes="Walked through the CRM",
        checklist_covered=["crm", "culture", "crm"],
    )
    assert first["task_id"] == one_on_ones[0]["id"]
    assert first["checklist_covered"] == ["crm", "culture"]
    assert first["score"] is None
    tasks = await _tasks(client, world, pairing)
    assert tasks[one_on_ones[0]["id"]]["status"] == "completed"
    assert tasks[one_on_ones[0]["id"]]["on_time"] is False, "due 15 April, logged on the 20th"

    named = await _log(
        client,
        pairing,
        world.hr.headers,
        kind="one_on_one",
        held_on="2027-04-20",
        checklist_covered=["crm"],
        task_id=one_on_ones[2]["id"],
    )
    assert named["task_id"] == one_on_ones[2]["id"]
    assert (await _tasks(client, world, pairing))[one_on_ones[1]["id"]]["status"] == "open"

    for reader in (world.junior_account, world.member_account, world.sales_head, world.hr):
        listed = await client.get(pairing.sessions, headers=reader.headers)
        assert listed.status_code == 200, listed.text
        page = listed.json()
        assert [item["id"] for item in page["items"]] == [named["id"], first["id"]]
        assert page["coverage"] == [
            {"key": "culture", "title": "Company culture", "covered_by": [first["id"]]},
            {"key": "crm", "title": "Working in the CRM", "covered_by": [first["id"], named["id"]]},
            {"key": "pricing", "title": "Pricing rules", "covered_by": []},
        ]
    second_page = await client.get(
        pairing.sessions, params={"limit": 1}, headers=world.junior_account.headers
    )
    cursor = second_page.json()["next_cursor"]
    rest = await client.get(
        pairing.sessions, params={"limit": 1, "cursor": cursor}, headers=world.hr.headers
    )
    assert [item["id"] for item in rest.json()["items"]] == [first["id"]]

    async with owner_engine.connect() as connection:
        [after] = (
            await connection.execute(
                select(AuditEvent.after).where(
                    AuditEvent.action == "mentoring_session.logged",
                    AuditEvent.object_id == first["id"],
                )
            )
        ).scalars()
    assert after["task_id"] == one_on_ones[0]["id"]
    assert after["checklist_covered"] == ["crm", "culture"]


async def test_a_scheduled_task_closes_only_by_logging_its_session(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    pairing = await _scheduled(runtime, client, world)
    task = next(iter((await _tasks(client, world, pairing)).values()))
    assert task["completed_by"]["operation_id"] == "log_mentoring_session"
    direct = await client.post(
        f"/api/v1/tasks/{task['id']}/complete", json={}, headers=world.member_account.headers
    )
    body = assert_problem(direct, 422)
    assert "/sessions" in body["detail"]
    assert (await _tasks(client, world, pairing))[task["id"]]["status"] == "open"


async def test_bad_sessions_are_refused_with_each_field_named(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    pairing = await _scheduled(runtime, client, world)
    mentor = world.member_account.headers
    future = await client.post(
        pairing.sessions,
        json={"kind": "one_on_one", "held_on": "2027-04-21", "checklist_covered": ["golf"]},
        headers=mentor | ZH,
    )
    body = assert_problem(future, 422, fields={"held_on", "checklist_covered"})
    messages = {error["field"]: error["message"] for error in body["errors"]}
    assert messages["held_on"] == "不能晚于当前时间"
    assert "golf" in messages["checklist_covered"]
    assert body["detail"] == "辅导记录无效"
    english = await client.post(
        pairing.sessions,
        json={"kind": "one_on_one", "held_on": "2027-04-21"},
        headers=mentor,
    )
    assert assert_problem(english, 422, fields={"held_on"})["errors"][0]["message"] == (
        "must not be in the future"
    )
    before = await client.post(
        pairing.sessions, json={"kind": "one_on_one", "held_on": "2027-03-15"}, headers=mentor
    )
    assert_problem(before, 422, fields={"held_on"})
    unscored = await client.post(
        pairing.sessions, json={"kind": "skill_test", "held_on": "2027-04-19"}, headers=mentor
    )
    assert_problem(unscored, 422, fields={"score"})
    scored = await client.post(
        pairing.sessions,
        json={"kind": "progress_report", "held_on": "2027-04-19", "score": 80},
        headers=mentor,
    )
    assert_problem(scored, 422, fields={"score"})
    too_high = await client.post(
        pairing.sessions,
        json={"kind": "skill_test", "held_on": "2027-04-19", "score": 101},
        headers=mentor,
    )
    assert_problem(too_high, 422)
    tasks = await _tasks(client, world, pairing)
    skill_test = next(t for t in tasks.values() if t["kind"] == "mentoring_skill_test")
    wrong_kind = await client.post(
        pairing.sessions,
        json={"kind": "one_on_one", "held_on": "2027-04-19", "task_id": skill_test["id"]},
        headers=mentor,
    )
    assert_problem(wrong_kind, 422, fields={"task_id"})
    logged = await _log(client, pairing, mentor, kind="one_on_one", held_on="2027-04-19")
    twice = await client.post(
        pairing.sessions,
        json={"kind": "one_on_one", "held_on": "2027-04-19", "task_id": logged["task_id"]},
        headers=mentor,
    )
    assert_problem(twice, 409)
    precise = await _log(
        client, pairing, mentor, kind="skill_test", held_on="2027-04-19", score=72.3456
    )
    assert precise["score"] == 72.35, "kept to 2 decimals, as stored"
    listed = await client.get(pairing.sessions, headers=world.hr.headers)
    assert [item["score"] for item in listed.json()["items"]] == [72.35, None], (
        "nothing refused was written"
    )


async def test_a_session_on_an_ended_pairing_is_a_conflict(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    pairing = await _scheduled(runtime, client, world)
    await end_pairing(client, world.hr, pairing)
    ended = await client.post(
        pairing.sessions,
        json={"kind": "one_on_one", "held_on": "2027-04-19"},
        headers=world.member_account.headers,
    )
    assert_problem(ended, 409)
    assert (await client.get(pairing.sessions, headers=world.hr.headers)).status_code == 200


async def test_reach_who_reads_who_logs_and_who_sees_nothing(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    pairing = await _scheduled(runtime, client, world)
    body = {"kind": "one_on_one", "held_on": "2027-04-19"}
    # The pairing's readers read its sessions — the mentor's manager (lead) included, as
    # for the pairing itself; only the mentor or HR logs.
    for reader in (world.junior_account, world.sales_head, world.lead_account):
        assert (await client.get(pairing.sessions, headers=reader.headers)).is_success
        assert_problem(await client.post(pairing.sessions, json=body, headers=reader.headers), 403)
    peer = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.peer.id)
    engineering_head = await make_user(
        runtime, world.hr.org_id, Role.DEPT_HEAD, department_scope_id=world.engineering.id
    )
    other = await make_org(runtime)
    for stranger in (peer, engineering_head, other):
        assert_problem(await client.get(pairing.sessions, headers=stranger.headers), 404)
        posted = await client.post(pairing.sessions, json=body, headers=stranger.headers)
        assert_problem(posted, 404)
    key = await api_key(client, world.hr, "org:read")
    assert_problem(await client.get(pairing.sessions, headers=key), 403)
    unknown = pairing.sessions.replace(str(pairing.mentorship_id), str(world.hr.user_id))
    assert_problem(await client.get(unknown, headers=world.hr.headers), 404)


async def test_a_page_of_sessions_costs_the_same_statements_for_one_or_five(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    pairing = await _scheduled(runtime, client, world)
    mentor = world.member_account.headers
    await _log(client, pairing, mentor, kind="one_on_one", held_on="2027-04-01")
    with count_statements(runtime) as one:
        assert (await client.get(pairing.sessions, headers=world.junior_account.headers)).is_success
    for day in range(2, 6):
        await _log(client, pairing, mentor, kind="progress_report", held_on=f"2027-04-0{day}")
    with count_statements(runtime) as five:
        listed = await client.get(pairing.sessions, headers=world.junior_account.headers)
    assert len(listed.json()["items"]) == 5
    assert five.count == one.count


@pytest.mark.commits
async def test_a_skill_test_becomes_evidence_of_the_plan_s_competency_and_is_published(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    configure: Configure,
    receiver: Receiver,
) -> None:
    hook = await client.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": ["mentoring_session.logged"]},
        headers=world.hr.headers,
    )
    assert hook.status_code == 201, hook.text
    receiver.secret = hook.json()["secret"]
    customers = await create(client, world.hr, "Customer resource integration")
    goals = [
        {
            "key": "customers",
            "title": "Own a customer portfolio",
            "kind": "competency_level",
            "competency_id": customers["id"],
            "level": 3,
        },
        {
            "key": "score",
            "title": "Pass the product test",
            "kind": "skill_test_score",
            "target": 80,
        },
    ]
    async with frozen_clock(runtime, NOW):
        pairing = await _scheduled(runtime, client, world, goals=goals)
        test = await _log(
            client,
            pairing,
            world.member_account.headers,
            kind="skill_test",
            held_on="2027-04-19",
            score=85,
            notes="Product quiz",
        )
        assert test["score"] == 85
        await run_burst(runtime)
        profile = await client.get(
            f"/api/v1/employees/{world.junior.id}/competency-profile", headers=world.hr.headers
        )
    assert profile.status_code == 200, profile.text
    [figure] = profile.json()["competencies"]
    assert (figure["competency_id"], figure["score"]) == (customers["id"], 8.5)
    [evidence] = figure["evidence"]
    assert (evidence["source_kind"], evidence["source_id"]) == ("mentoring_skill_test", test["id"])
    assert evidence["note"] == "导师辅导技能测试：85.0/100 / Mentoring skill test: 85.0/100", (
        "one note for every reader of the profile: both languages, whoever logged the test"
    )

    [delivered] = [json.loads(request.body) for request in receiver.requests]
    assert delivered["type"] == "mentoring_session.logged"
    assert delivered["data"] == {
        "mentorship_id": str(pairing.mentorship_id),
        "session_id": test["id"],
        "kind": "skill_test",
        "held_on": "2027-04-19",
        "task_id": test["task_id"],
        "mentee_id": str(world.junior.id),
    }
