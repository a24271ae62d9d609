"""Courses and sessions over HTTP: HR writes, everyone reads the active ones, names unique,
competencies checked and linked, modules only online, optimistic locking, sessions only of
offline courses with their seats, teaching points on completion, another organization
invisible, and one statement per list page."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy import text

from hrcore.competencies.models import Competency
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import courses_repository as repository
from tests.conftest import recorded_statements
from tests.problems import assert_problem
from tests.training.courses_helpers import (
    COURSES,
    SESSIONS,
    World,
    create_course,
    create_session,
    world,
)

__all__ = ["world"]


async def _competency(runtime: Runtime, world: World, name: str) -> str:
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        competency = Competency(
            org_id=world.hr.org_id,
            name=name,
            category="professional",
            levels=[{"level": 1, "name": "Basic", "indicators": ["Knows it"]}],
        )
        session.add(competency)
    return str(competency.id)


async def test_hr_creates_a_course_everyone_reads_it_with_competencies_linked(
    runtime: Runtime, client: AsyncClient, world: World
) -> None:
    negotiation = await _competency(runtime, world, "Negotiation")
    course = await create_course(
        client,
        world.hr,
        name="Negotiating with key accounts",
        mode="online",
        competency_ids=[negotiation],
        modules=[{"key": "m1", "title": "Preparing"}, {"key": "m2", "title": "Closing"}],
        completion_threshold=80,
        points=8,
        fee="1200.00",
    )
    assert course["competencies"] == [{"id": negotiation, "name": "Negotiation"}]
    assert course["completion_threshold"] == 80
    assert course["version"] == 1
    read = await client.get(f"{COURSES}/{course['id']}", headers=world.junior_account.headers)
    assert read.status_code == 200
    assert read.json()["modules"][1] == {"key": "m2", "title": "Closing"}
    assert read.headers["etag"].startswith('"1')
    found = await client.get(
        COURSES, params={"competency_id": negotiation}, headers=world.junior_account.headers
    )
    assert [item["id"] for item in found.json()["items"]] == [course["id"]]
    by_name = await client.get(COURSES, params={"q": "KEY acc"}, headers=world.hr.headers)
    assert [item["id"] for item in by_name.json()["items"]] == [course["id"]]
    offline = await client.get(COURSES, params={"mode": "offline"}, headers=world.hr.headers)
    assert offline.json()["items"] == []


async def test_inactive_courses_are_hr_only(client: AsyncClient, world: World) -> None:
    course = await create_course(client, world.hr, active=False)
    assert_problem(
        await client.get(f"{COURSES}/{course['id']}", headers=world.junior_account.headers), 404
    )
    listed = await client.get(COURSES, headers=world.junior_account.headers)
    assert listed.json()["items"] == []
    assert len((await client.get(COURSES, headers=world.hr.headers)).json()["items"]) == 1


async def test_bad_courses_are_4xx_and_write_nothing(
    runtime: Runtime, client: AsyncClient, world: World
) -> None:
    await create_course(client, world.hr, name="Excel")
    answer = await client.post(
        COURSES, json={"name": "Excel", "mode": "online", "hours": "1"}, headers=world.hr.headers
    )
    assert_problem(answer, 409, detail="Excel")
    other = await _competency(runtime, world, "Other")
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        await session.execute(text("DELETE FROM competencies"))
    unknown = await client.post(
        COURSES,
        json={"name": "A", "mode": "online", "hours": "1", "competency_ids": [other]},
        headers=world.hr.headers,
    )
    assert_problem(unknown, 422, fields={"body.competency_ids.0"})
    twice = await client.post(
        COURSES,
        json={
            "name": "B",
            "mode": "online",
            "hours": "1",
            "modules": [{"key": "a", "title": "A"}, {"key": "a", "title": "Again"}],
        },
        headers=world.hr.headers,
    )
    assert_problem(twice, 422, fields={"body.modules.1.key"})
    offline = await client.post(
        COURSES,
        json={
            "name": "C",
            "mode": "offline",
            "hours": "1",
            "modules": [{"key": "a", "title": "A"}],
        },
        headers=world.hr.headers,
    )
    assert_problem(offline, 422, fields={"body.modules"})
    refused = await client.post(
        COURSES,
        json={"name": "D", "mode": "online", "hours": "1"},
        headers=world.lead_account.headers,
    )
    assert_problem(refused, 403)
    listed = await client.get(COURSES, headers=world.hr.headers)
    assert [item["name"] for item in listed.json()["items"]] == ["Excel"]


async def test_course_updates_are_versioned(client: AsyncClient, world: World) -> None:
    course = await create_course(client, world.hr, name="Old")
    await create_course(client, world.hr, name="Taken")
    url = f"{COURSES}/{course['id']}"
    changed = await client.patch(
        url, json={"name": "New", "points": 12, "version": 1}, headers=world.hr.headers
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["points"], changed.json()["version"]) == (
        "New",
        12,
        2,
    )
    assert_problem(
        await client.patch(url, json={"hours": "2", "version": 1}, headers=world.hr.headers), 409
    )
    stale = await client.patch(
        url, json={"hours": "2"}, headers=world.hr.headers | {"If-Match": '"1"'}
    )
    assert_problem(stale, 412)
    assert_problem(await client.patch(url, json={"name": "Taken"}, headers=world.hr.headers), 409)
    assert_problem(
        await client.patch(url, json={"name": "X"}, headers=world.junior_account.headers), 403
    )
    assert_problem(await client.patch(url, json={"name": "X"}, headers=world.other.headers), 404)


async def test_another_organization_sees_nothing(client: AsyncClient, world: World) -> None:
    course = await create_course(client, world.hr)
    session = await create_session(client, world.hr, course["id"])
    assert_problem(await client.get(f"{COURSES}/{course['id']}", headers=world.other.headers), 404)
    assert_problem(
        await client.get(f"{SESSIONS}/{session['id']}", headers=world.other.headers), 404
    )
    assert (await client.get(COURSES, headers=world.other.headers)).json()["items"] == []
    assert (await client.get(SESSIONS, headers=world.other.headers)).json()["items"] == []
    foreign = await client.post(
        SESSIONS,
        json={
            "course_id": course["id"],
            "starts_at": "2027-03-10T01:00:00Z",
            "ends_at": "2027-03-10T02:00:00Z",
            "capacity": 3,
        },
        headers=world.other.headers,
    )
    assert_problem(foreign, 422, fields={"body.course_id"})


async def test_sessions_only_of_offline_courses_and_well_formed(
    client: AsyncClient, world: World
) -> None:
    online = await create_course(client, world.hr, mode="online")
    offline = await create_course(client, world.hr)
    base: dict[str, Any] = {
        "course_id": offline["id"],
        "starts_at": "2027-03-10T01:00:00Z",
        "ends_at": "2027-03-10T04:00:00Z",
        "capacity": 3,
    }
    cases = [
        ({"course_id": online["id"]}, "body.course_id"),
        ({"ends_at": "2027-03-10T01:00:00Z"}, "body.ends_at"),
        ({"instructor_id": str(world.other.user_id)}, "body.instructor_id"),
        ({"capacity": 0}, "body.capacity"),
    ]
    for change, field in cases:
        answer = await client.post(SESSIONS, json=base | change, headers=world.hr.headers)
        assert_problem(answer, 422, fields={field})
    assert_problem(await client.post(SESSIONS, json=base, headers=world.lead_account.headers), 403)
    assert (await client.get(SESSIONS, headers=world.hr.headers)).json()["items"] == []


async def test_a_session_shows_its_instructor_and_seats(client: AsyncClient, world: World) -> None:
    course = await create_course(client, world.hr, name="Negotiation basics")
    session = await create_session(
        client,
        world.hr,
        course["id"],
        instructor_id=str(world.lead.id),
        instructor_allowance="500.00",
        capacity=5,
    )
    assert session["course"] == {"id": course["id"], "name": "Negotiation basics"}
    assert session["instructor"] == {"id": str(world.lead.id), "name": "Lead"}
    assert (session["enrolled"], session["waitlisted"], session["seats_left"]) == (0, 0, 5)
    assert session["status"] == "scheduled"
    listed = await client.get(
        SESSIONS, params={"course_id": course["id"]}, headers=world.junior_account.headers
    )
    assert [item["id"] for item in listed.json()["items"]] == [session["id"]]


async def test_completing_a_session_awards_the_instructor_once(
    runtime: Runtime, client: AsyncClient, world: World
) -> None:
    course = await create_course(client, world.hr)
    session = await create_session(client, world.hr, course["id"], instructor_id=str(world.lead.id))
    url = f"{SESSIONS}/{session['id']}"
    done = await client.patch(url, json={"status": "completed"}, headers=world.hr.headers)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    again = await client.patch(url, json={"status": "completed"}, headers=world.hr.headers)
    assert_problem(again, 409, detail="completed")
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as db:
        rows = (
            await db.execute(
                text(
                    "SELECT l.employee_id, l.points, l.source_id, r.code FROM points_ledger l"
                    " JOIN point_rules r ON r.id = l.rule_id"
                )
            )
        ).all()
    assert [(str(a), b, str(c), d) for a, b, c, d in rows] == [
        (str(world.lead.id), 30, session["id"], "teaching")
    ]


async def test_a_session_update_is_versioned_and_checked(client: AsyncClient, world: World) -> None:
    course = await create_course(client, world.hr)
    session = await create_session(client, world.hr, course["id"])
    url = f"{SESSIONS}/{session['id']}"
    moved = await client.patch(
        url, json={"place": "Room 5", "version": 1}, headers=world.hr.headers
    )
    assert moved.json()["place"] == "Room 5"
    assert_problem(
        await client.patch(url, json={"place": "X", "version": 1}, headers=world.hr.headers), 409
    )
    early_end = await client.patch(
        url, json={"ends_at": "2027-03-09T00:00:00Z"}, headers=world.hr.headers
    )
    assert_problem(early_end, 422, fields={"body.ends_at"})
    assert_problem(await client.patch(url, json={"place": "Y"}, headers=world.other.headers), 404)


async def test_each_list_page_is_one_statement(
    runtime: Runtime, client: AsyncClient, world: World
) -> None:
    negotiation = await _competency(runtime, world, "Negotiation")
    for index in range(3):
        course = await create_course(
            client, world.hr, name=f"Course {index}", competency_ids=[negotiation]
        )
        await create_session(client, world.hr, course["id"], instructor_id=str(world.lead.id))
    pages = ((COURSES, repository.COURSE_PAGE), (SESSIONS, repository.SESSION_PAGE))
    for url, statement in pages:
        with recorded_statements(runtime) as two:
            first = await client.get(url, params={"limit": 2}, headers=world.hr.headers)
        page = first.json()
        assert len(page["items"]) == 2
        with recorded_statements(runtime) as one:
            rest = await client.get(
                url, params={"limit": 2, "cursor": page["next_cursor"]}, headers=world.hr.headers
            )
        assert len(rest.json()["items"]) == 1
        assert rest.json()["next_cursor"] is None
        assert len(one) == len(two) == 6, two
        assert [s for s in two if "training_" in s] == [statement]
