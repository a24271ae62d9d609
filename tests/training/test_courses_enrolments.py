"""Enrolments over HTTP: by the employee, their manager (reach only) or HR (ids, a
department, from the needs list); the waitlist beyond capacity and its promotion in order;
twice is 409; cancellation; reminder tasks and their moves; a cancelled session; online
self-enrolment; `/me/enrolments` in one statement a page."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import courses_repository as repository
from hrcore.training.courses_reminders import REMINDER_KIND
from tests.conftest import frozen_clock, recorded_statements
from tests.problems import assert_problem
from tests.training.courses_helpers import (
    ME_ENROLMENTS,
    SESSIONS,
    World,
    create_course,
    create_session,
    enrol,
    world,
)
from tests.workflow.conftest import sweep

__all__ = ["world"]
OPEN = {"status": "open"}

TASKS = "/api/v1/me/tasks"


async def _offline_session(client: AsyncClient, world: World, **fields: Any) -> dict[str, Any]:
    course = await create_course(client, world.hr, name="Negotiation basics")
    return await create_session(client, world.hr, course["id"], **fields)


def _one(answer: Any, status: str) -> dict[str, Any]:
    assert answer.status_code == 201, answer.text
    [item] = answer.json()["items"]
    assert item["status"] == status, item
    return dict(item)


async def _statuses(client: AsyncClient, world: World, session_id: str) -> dict[str, str]:
    listed = await client.get(f"{SESSIONS}/{session_id}/enrolments", headers=world.hr.headers)
    return {item["employee"]["name"]: item["status"] for item in listed.json()["items"]}


async def test_seats_then_the_waitlist_and_a_cancellation_seats_the_first_waiting(
    client: AsyncClient, world: World
) -> None:
    session = await _offline_session(client, world, capacity=2)
    mine = _one(await enrol(client, world.junior_account, session["id"]), "enrolled")
    assert (mine["source"], mine["employee"]["name"]) == ("self", "Junior")
    assert mine["reminder_task_id"] is not None
    by_manager = _one(
        await enrol(
            client, world.lead_account, session["id"], {"employee_ids": [str(world.member.id)]}
        ),
        "enrolled",
    )
    assert by_manager["source"] == "manager"
    waiting = _one(
        await enrol(client, world.hr, session["id"], {"employee_ids": [str(world.peer.id)]}),
        "waitlisted",
    )
    assert (waiting["source"], waiting["reminder_task_id"]) == ("hr", None)
    seats = (await client.get(f"{SESSIONS}/{session['id']}", headers=world.hr.headers)).json()
    assert (seats["enrolled"], seats["waitlisted"], seats["seats_left"]) == (2, 1, 0)
    twice = await enrol(
        client, world.member_account, session["id"], {"employee_ids": [str(world.junior.id)]}
    )
    assert_problem(twice, 409, detail="already")
    url = f"{SESSIONS}/{session['id']}/enrolments/{mine['id']}"
    assert (await client.delete(url, headers=world.junior_account.headers)).status_code == 204
    assert (await client.delete(url, headers=world.junior_account.headers)).status_code == 204
    assert await _statuses(client, world, session["id"]) == {
        "Junior": "cancelled",
        "Member": "enrolled",
        "Peer": "enrolled",
    }
    tasks = (await client.get(TASKS, headers=world.peer_account.headers)).json()["items"]
    assert [task["kind"] for task in tasks] == [REMINDER_KIND]
    inbox = await client.get("/api/v1/me/notifications", headers=world.peer_account.headers)
    titles = [item["title"] for item in inbox.json()["items"]]
    assert titles == ["A seat is yours: Negotiation basics"]
    again = _one(await enrol(client, world.junior_account, session["id"]), "waitlisted")
    assert again["id"] != mine["id"]


async def test_reach_and_roles_decide_who_may_enrol_whom(client: AsyncClient, world: World) -> None:
    session = await _offline_session(client, world)
    sid = session["id"]
    outside = await enrol(client, world.member_account, sid, {"employee_ids": [str(world.peer.id)]})
    assert_problem(outside, 404)
    upward = await enrol(client, world.junior_account, sid, {"employee_ids": [str(world.lead.id)]})
    assert_problem(upward, 404)
    department = await enrol(
        client, world.lead_account, sid, {"department_id": str(world.sales.id)}
    )
    assert_problem(department, 403)
    needs = await enrol(client, world.lead_account, sid, {"source": "needs"})
    assert_problem(needs, 403)
    unknown = await enrol(client, world.hr, sid, {"employee_ids": [str(uuid.uuid4())]})
    assert_problem(unknown, 422, fields={"body.employee_ids.0"})
    both = await enrol(
        client,
        world.hr,
        sid,
        {"employee_ids": [str(world.peer.id)], "department_id": str(world.sales.id)},
    )
    assert_problem(both, 422, fields={"body.department_id"})
    no_employee = await enrol(client, world.hr, sid)
    assert_problem(no_employee, 404, detail="not linked")
    foreign = await enrol(client, world.other, sid)
    assert_problem(foreign, 404)
    assert await _statuses(client, world, sid) == {}


async def test_hr_enrols_a_department_from_the_needs_list_skipping_those_enrolled(
    client: AsyncClient, world: World
) -> None:
    session = await _offline_session(client, world, capacity=10)
    _one(await enrol(client, world.junior_account, session["id"]), "enrolled")
    answer = await enrol(
        client, world.hr, session["id"], {"department_id": str(world.sales.id), "source": "needs"}
    )
    assert answer.status_code == 201, answer.text
    made = answer.json()["items"]
    assert sorted(item["employee"]["name"] for item in made) == ["Lead", "Member"]
    assert {item["source"] for item in made} == {"needs"}
    unknown = await enrol(client, world.hr, session["id"], {"department_id": str(uuid.uuid4())})
    assert_problem(unknown, 422)


async def test_a_manager_sees_the_enrolments_in_reach_only(
    client: AsyncClient, world: World
) -> None:
    session = await _offline_session(client, world, capacity=10)
    ids = [str(world.junior.id), str(world.member.id), str(world.peer.id)]
    assert (await enrol(client, world.hr, session["id"], {"employee_ids": ids})).status_code == 201
    url = f"{SESSIONS}/{session['id']}/enrolments"
    seen = (await client.get(url, headers=world.member_account.headers)).json()["items"]
    assert sorted(item["employee"]["name"] for item in seen) == ["Junior", "Member"]
    assert_problem(await client.get(url, headers=world.other.headers), 404)
    peers = [item for item in seen if item["employee"]["name"] == "Junior"]
    cancel = f"{url}/{peers[0]['id']}"
    assert_problem(await client.delete(cancel, headers=world.peer_account.headers), 404)
    assert (await client.delete(cancel, headers=world.member_account.headers)).status_code == 204


async def test_a_larger_capacity_seats_the_waitlist_in_order(
    client: AsyncClient, world: World
) -> None:
    session = await _offline_session(client, world, capacity=1)
    ids = [str(world.junior.id), str(world.peer.id), str(world.member.id)]
    answer = await enrol(client, world.hr, session["id"], {"employee_ids": ids})
    assert [item["status"] for item in answer.json()["items"]] == [
        "enrolled",
        "waitlisted",
        "waitlisted",
    ]
    url = f"{SESSIONS}/{session['id']}"
    too_small = await client.patch(url, json={"capacity": 1}, headers=world.hr.headers)
    assert too_small.status_code == 200
    grown = await client.patch(url, json={"capacity": 2}, headers=world.hr.headers)
    assert (grown.json()["enrolled"], grown.json()["waitlisted"]) == (2, 1)
    assert await _statuses(client, world, session["id"]) == {
        "Junior": "enrolled",
        "Peer": "enrolled",
        "Member": "waitlisted",
    }
    below = await client.patch(url, json={"capacity": 1}, headers=world.hr.headers)
    assert_problem(below, 422, fields={"body.capacity"})


@pytest.mark.commits
async def test_reminders_are_due_at_the_start_move_with_it_and_close_on_check_in(
    runtime: Runtime, client: AsyncClient, world: World
) -> None:
    session = await _offline_session(client, world)
    mine = _one(await enrol(client, world.junior_account, session["id"]), "enrolled")
    [task] = (await client.get(TASKS, headers=world.junior_account.headers)).json()["items"]
    assert task["id"] == mine["reminder_task_id"]
    assert task["due_at"] == "2027-03-10T01:00:00Z"
    assert task["completed_by"]["operation_id"] == "check_in_course_session"
    generic = await client.post(
        f"/api/v1/tasks/{task['id']}/complete", json={}, headers=world.junior_account.headers
    )
    assert_problem(generic, 422, detail="Check in")
    moved = await client.patch(
        f"{SESSIONS}/{session['id']}",
        json={"starts_at": "2027-03-12T01:00:00Z", "ends_at": "2027-03-12T03:00:00Z"},
        headers=world.hr.headers,
    )
    assert moved.status_code == 200, moved.text
    [task] = (await client.get(TASKS, headers=world.junior_account.headers)).json()["items"]
    assert task["due_at"] == "2027-03-12T01:00:00Z"
    async with frozen_clock(runtime, datetime(2027, 3, 9, 2, tzinfo=UTC)):
        await sweep(runtime)
    inbox = await client.get("/api/v1/me/notifications", headers=world.junior_account.headers)
    assert any("Negotiation basics" in item["title"] for item in inbox.json()["items"])
    async with frozen_clock(runtime, datetime(2027, 3, 12, 0, 55, tzinfo=UTC)):
        checked_in = await client.post(
            f"{SESSIONS}/{session['id']}/check-in",
            json={"employee_id": str(world.junior.id)},
            headers=world.hr.headers,
        )
    assert checked_in.status_code == 200, checked_in.text
    closed = await client.get(f"/api/v1/tasks/{task['id']}", headers=world.junior_account.headers)
    assert closed.json()["status"] == "completed"


async def test_a_cancelled_session_cancels_its_enrolments_and_tells_the_enrolled(
    runtime: Runtime, client: AsyncClient, world: World
) -> None:
    session = await _offline_session(client, world, capacity=1)
    ids = [str(world.junior.id), str(world.peer.id)]
    assert (await enrol(client, world.hr, session["id"], {"employee_ids": ids})).status_code == 201
    url = f"{SESSIONS}/{session['id']}"
    cancelled = await client.patch(url, json={"status": "cancelled"}, headers=world.hr.headers)
    assert cancelled.json()["status"] == "cancelled"
    assert set((await _statuses(client, world, session["id"])).values()) == {"cancelled"}
    listed = await client.get(TASKS, params=OPEN, headers=world.junior_account.headers)
    assert listed.json()["items"] == []
    for account in (world.junior_account, world.peer_account):
        inbox = await client.get("/api/v1/me/notifications", headers=account.headers)
        titles = [item["title"] for item in inbox.json()["items"]]
        assert "Class cancelled: Negotiation basics" in titles
    late = await enrol(client, world.member_account, session["id"])
    assert_problem(late, 409, detail="cancelled")
    assert_problem(await client.patch(url, json={"place": "X"}, headers=world.hr.headers), 409)


async def test_online_courses_are_enrolled_in_without_a_session(
    client: AsyncClient, world: World
) -> None:
    online = await create_course(client, world.hr, mode="online", name="Excel online")
    offline = await create_course(client, world.hr, name="Offline")
    headers = world.junior_account.headers
    made = await client.post(ME_ENROLMENTS, json={"course_id": online["id"]}, headers=headers)
    assert made.status_code == 201, made.text
    assert (made.json()["session_id"], made.json()["status"]) == (None, "enrolled")
    again = await client.post(ME_ENROLMENTS, json={"course_id": online["id"]}, headers=headers)
    assert_problem(again, 409)
    wrong = await client.post(ME_ENROLMENTS, json={"course_id": offline["id"]}, headers=headers)
    assert_problem(wrong, 422, fields={"body.course_id"})
    unknown = await client.post(
        ME_ENROLMENTS, json={"course_id": str(uuid.uuid4())}, headers=headers
    )
    assert_problem(unknown, 422, fields={"body.course_id"})
    foreign = await client.post(
        ME_ENROLMENTS, json={"course_id": online["id"]}, headers=world.other.headers
    )
    assert_problem(foreign, 404)


async def test_my_enrolments_newest_first_in_one_statement_a_page(
    runtime: Runtime, client: AsyncClient, world: World
) -> None:
    headers = world.junior_account.headers
    for index in range(3):
        course = await create_course(client, world.hr, name=f"Course {index}")
        session = await create_session(client, world.hr, course["id"], place=f"Room {index}")
        _one(await enrol(client, world.junior_account, session["id"]), "enrolled")
    online = await create_course(client, world.hr, mode="online", name="Online")
    await client.post(ME_ENROLMENTS, json={"course_id": online["id"]}, headers=headers)
    with recorded_statements(runtime) as two:
        first = (await client.get(ME_ENROLMENTS, params={"limit": 2}, headers=headers)).json()
    assert [item["course"]["name"] for item in first["items"]] == ["Online", "Course 2"]
    assert (first["items"][0]["mode"], first["items"][0]["session"]) == ("online", None)
    assert first["items"][1]["place"] == "Room 2"
    assert first["items"][1]["starts_at"] == "2027-03-10T01:00:00Z"
    with recorded_statements(runtime) as one:
        rest = await client.get(
            ME_ENROLMENTS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers
        )
    assert [item["course"]["name"] for item in rest.json()["items"]] == ["Course 1", "Course 0"]
    assert len(one) == len(two)
    assert [s for s in two if "training_" in s] == [repository.MY_ENROLMENT_PAGE]
    assert_problem(await client.get(ME_ENROLMENTS, headers=world.hr.headers), 404)


async def test_a_session_enrolment_page_is_one_statement(
    runtime: Runtime, client: AsyncClient, world: World
) -> None:
    session = await _offline_session(client, world, capacity=10)
    ids = [str(world.junior.id), str(world.member.id), str(world.peer.id)]
    await enrol(client, world.hr, session["id"], {"employee_ids": ids})
    url = f"{SESSIONS}/{session['id']}/enrolments"
    with recorded_statements(runtime) as two:
        first = (await client.get(url, params={"limit": 2}, headers=world.hr.headers)).json()
    with recorded_statements(runtime) as one:
        rest = await client.get(
            url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=world.hr.headers
        )
    assert len(first["items"]) == 2
    assert len(rest.json()["items"]) == 1
    assert len(one) == len(two)
    assert [s for s in two if "training_enrolments" in s and "LIMIT" in s] == [
        repository.SESSION_ENROLMENT_PAGE
    ]
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as db:
        count = await db.scalar(text("SELECT count(*) FROM training_enrolments"))
    assert count == 3


@pytest.mark.commits
async def test_concurrent_enrolments_never_overbook_nor_enrol_twice(
    client: AsyncClient, world: World
) -> None:
    session = await _offline_session(client, world, capacity=1)
    answers = await asyncio.gather(
        *(
            enrol(client, account, session["id"])
            for account in (world.junior_account, world.member_account, world.peer_account)
        )
    )
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    statuses = sorted(answer.json()["items"][0]["status"] for answer in answers)
    assert statuses == ["enrolled", "waitlisted", "waitlisted"]
    twice = await asyncio.gather(
        enrol(client, world.lead_account, session["id"]),
        enrol(client, world.lead_account, session["id"]),
    )
    assert sorted(answer.status_code for answer in twice) == [201, 409]
    seats = (await client.get(f"{SESSIONS}/{session['id']}", headers=world.hr.headers)).json()
    assert (seats["enrolled"], seats["waitlisted"]) == (1, 3)
