"""Online progress over HTTP: modules marked done by the app (`/me/course-progress`) or an
LMS (`/xapi/statements`), completion once at the course's threshold with one award, exam
results, duplicates and bad statements answered per statement with nothing written."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core import events as core_events
from hrcore.core.runtime import Runtime
from hrcore.training.events import ENROLMENT_COMPLETED
from hrcore.training.models import Course, Enrolment
from tests.conftest import frozen_clock, recorded_statements
from tests.factories import make_org
from tests.org.conftest import api_key
from tests.people.conftest import World, world
from tests.problems import assert_problem
from tests.training.checkin_world import STARTS_AT, completion_events, ledger_rows
from tests.training.factory import make_course, make_enrolment

__all__ = ["world"]
PROGRESS = "/api/v1/me/course-progress"
XAPI = "/api/v1/xapi/statements"
PROBE = "training.test_probe"
MODULES = [{"key": key, "title": key.title()} for key in ("intro", "listen", "offer", "close")]
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
PROGRESSED = "http://adlnet.gov/expapi/verbs/progressed"


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(core_events._SUBSCRIBERS, ENROLMENT_COMPLETED, [PROBE])
    return PROBE


async def _online(runtime: Runtime, world: World, **fields: Any) -> tuple[Course, Enrolment]:
    course = await make_course(
        runtime,
        world.hr.org_id,
        name=fields.pop("name", "Negotiation online"),
        mode="online",
        modules=MODULES,
        completion_threshold=75,
        **fields,
    )
    enrolment = await make_enrolment(runtime, world.hr.org_id, course, world.member.id)
    return course, enrolment


async def _mark(client: AsyncClient, world: World, course: Course, module: str) -> Any:
    return await client.post(
        PROGRESS,
        json={"course_id": str(course.id), "module_key": module},
        headers=world.member_account.headers,
    )


async def test_modules_reach_the_threshold_and_complete_once(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine, probe: str
) -> None:
    course, enrolment = await _online(runtime, world)
    async with frozen_clock(runtime, STARTS_AT):
        halfway = [await _mark(client, world, course, key) for key in ("intro", "listen")]
        again = await _mark(client, world, course, "listen")
        threshold = await _mark(client, world, course, "offer")
        beyond = await _mark(client, world, course, "close")
    assert [answer.json()["progress_percent"] for answer in halfway] == [25, 50]
    assert again.json()["progress_percent"] == 50
    assert again.json()["status"] == "enrolled"
    assert threshold.status_code == 200, threshold.text
    assert threshold.json() == {
        "enrolment_id": str(enrolment.id),
        "course_id": str(course.id),
        "course": {"id": str(course.id), "name": "Negotiation online"},
        "status": "completed",
        "progress_percent": 75,
        "completed_modules": ["intro", "listen", "offer"],
        "modules_total": 4,
        "completion_threshold": 75,
        "completed_at": "2026-12-10T01:00:00Z",
        "exam_score": None,
        "passed_at": None,
    }
    assert beyond.json()["progress_percent"] == 100
    assert beyond.json()["completed_at"] == "2026-12-10T01:00:00Z"
    assert await ledger_rows(owner_engine, world.hr.org_id) == [
        (world.member.id, "online_course", 5, enrolment.id)
    ]
    assert await completion_events(owner_engine, probe) == [str(enrolment.id)]
    assert await _progress_audit(owner_engine, enrolment) == [
        ("app", "intro", 25, False),
        ("app", "listen", 50, False),
        ("app", "listen", 50, False),
        ("app", "offer", 75, True),
        ("app", "close", 100, False),
    ]


async def _progress_audit(
    owner_engine: AsyncEngine, enrolment: Enrolment
) -> list[tuple[str, str | None, int, bool]]:
    """Each progress post's audit event: the way it came in, the module, the percent after
    it, and whether it completed the course."""
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT after FROM audit_events WHERE object_id = :id"
                " AND action = 'training_enrolment.progress_recorded' ORDER BY created_at, id"
            ),
            {"id": enrolment.id},
        )
        return [
            (
                after["via"].split(":")[0],
                after["module_key"],
                after["progress_percent"],
                after["completed"],
            )
            for (after,) in rows
        ]


async def test_bad_progress_is_a_clear_4xx(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    course, _ = await _online(runtime, world)
    assert_problem(await _mark(client, world, course, "nope"), 422, fields={"body.module_key"})
    other = await make_course(runtime, world.hr.org_id, mode="online", modules=MODULES)
    assert_problem(await _mark(client, world, other, "intro"), 404, detail="Not enrolled")
    stranger = await make_org(runtime)
    theirs = await make_course(runtime, stranger.org_id, mode="online", modules=MODULES)
    assert_problem(await _mark(client, world, theirs, "intro"), 404)
    unlinked = await client.post(
        PROGRESS,
        json={"course_id": str(course.id), "module_key": "intro"},
        headers=world.hr.headers,
    )
    assert_problem(unlinked, 404, detail="not linked")
    extra = await client.post(
        PROGRESS,
        json={"course_id": str(course.id), "module_key": "intro", "done": True},
        headers=world.member_account.headers,
    )
    assert_problem(extra, 422)


async def test_my_progress_lists_my_online_courses_in_fixed_statements(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    first, _ = await _online(runtime, world, name="First")
    second, _ = await _online(runtime, world, name="Second")
    await make_enrolment(runtime, world.hr.org_id, first, world.junior.id)
    await _mark(client, world, first, "intro")
    counts = []
    pages = []
    for limit in (1, 2):
        with recorded_statements(runtime) as statements:
            answer = await client.get(
                PROGRESS, params={"limit": limit}, headers=world.member_account.headers
            )
        assert answer.status_code == 200, answer.text
        counts.append(len(statements))
        pages.append(answer.json())
    assert counts[0] == counts[1]
    listed = pages[1]["items"]
    assert [item["course"]["name"] for item in listed] == ["Second", "First"]
    assert [item["progress_percent"] for item in listed] == [0, 25]
    rest = await client.get(
        PROGRESS,
        params={"limit": 1, "cursor": pages[0]["next_cursor"]},
        headers=world.member_account.headers,
    )
    assert [item["course"]["id"] for item in rest.json()["items"]] == [str(first.id)]
    assert second.id != first.id


def _statement(
    world: World,
    course: Course,
    verb: str,
    *,
    module: str | None = None,
    number: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    iri = f"https://lms.example.com/courses/{course.id}" + (f"#{module}" if module else "")
    return {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "account": {
                "homePage": "https://hr.example.com",
                "name": number or world.member.employee_number,
            },
        },
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
        "object": {"objectType": "Activity", "id": iri},
        "context": {"platform": "LMS"},
        **extra,
    }


async def _exam(owner_engine: Any, enrolment: Enrolment) -> tuple[Any, ...]:
    async with owner_engine.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT status, progress_percent, exam_score, passed_at IS NOT NULL"
                    " FROM training_enrolments WHERE id = :id"
                ),
                {"id": enrolment.id},
            )
        ).one()
    return tuple(row)


async def test_xapi_statements_apply_once_each_with_reasons_for_the_rest(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine, probe: str
) -> None:
    course, enrolment = await _online(runtime, world, points=8)
    key = await api_key(client, world.hr, "training:write")
    intro = _statement(world, course, COMPLETED, module="intro")
    batch = [
        intro,
        _statement(world, course, PROGRESSED, module="listen", result={"completion": True}),
        _statement(world, course, PROGRESSED, module="offer", result={"completion": False}),
        _statement(world, course, COMPLETED, module="nope"),
        _statement(world, course, COMPLETED, number="E99999"),
        _statement(world, course, COMPLETED) | {"object": {"id": "https://lms.example.com/x"}},
        _statement(world, course, PASSED),
        _statement(world, course, PASSED, result={"score": {"raw": 45, "min": 0, "max": 50}}),
        {**_statement(world, course, COMPLETED), "actor": {"mbox": "mailto:nobody@example.com"}},
    ]
    async with frozen_clock(runtime, STARTS_AT):
        answer = await client.post(XAPI, json=batch, headers=key)
        resent = await client.post(XAPI, json=intro, headers=key)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    outcome = [(r["status"], r["problem_status"]) for r in body["results"]]
    assert outcome == [
        ("accepted", None),
        ("accepted", None),
        ("accepted", None),
        ("rejected", 422),
        ("rejected", 404),
        ("rejected", 422),
        ("rejected", 422),
        ("accepted", None),
        ("rejected", 422),
    ]
    assert [r["statement_id"] for r in body["results"]] == [s["id"] for s in batch]
    assert body["results"][3]["reason"] == "The course has no module nope"
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (4, 0, 5)
    assert resent.json()["results"] == [
        {"statement_id": intro["id"], "status": "duplicate", "problem_status": None, "reason": None}
    ]
    assert await _exam(owner_engine, enrolment) == ("enrolled", 50, 90, True)
    async with owner_engine.connect() as connection:
        claimed = await connection.scalar(text("SELECT count(*) FROM training_xapi_statements"))
    assert claimed == 4, "a rejected statement claims nothing: it may be sent again, fixed"
    audited = await _progress_audit(owner_engine, enrolment)
    assert sorted((via, module or "") for via, module, _, _ in audited) == [
        ("xapi", ""),
        ("xapi", ""),
        ("xapi", "intro"),
        ("xapi", "listen"),
    ], "each accepted statement is audited (an unfinished module and a score name none)"
    async with frozen_clock(runtime, STARTS_AT):
        whole = await client.post(XAPI, json=_statement(world, course, COMPLETED), headers=key)
    assert whole.json()["accepted"] == 1
    assert await _exam(owner_engine, enrolment) == ("completed", 100, 90, True)
    assert await ledger_rows(owner_engine, world.hr.org_id) == [
        (world.member.id, "online_course", 8, enrolment.id)
    ]
    assert await completion_events(owner_engine, probe) == [str(enrolment.id)]


async def test_xapi_is_for_training_keys_and_hr_and_checks_its_shape(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    course, _ = await _online(runtime, world)
    statement = _statement(world, course, COMPLETED, module="intro")
    other_key = await api_key(client, world.hr, "metrics:write")
    assert_problem(
        await client.post(XAPI, json=statement, headers=other_key), 403, detail="training:write"
    )
    employee = await client.post(XAPI, json=statement, headers=world.member_account.headers)
    assert_problem(employee, 403)
    by_hr = await client.post(XAPI, json=[statement], headers=world.hr.headers)
    assert by_hr.json()["accepted"] == 1
    no_id = {k: v for k, v in statement.items() if k != "id"}
    assert_problem(await client.post(XAPI, json=no_id, headers=world.hr.headers), 422)
    other_verb = statement | {"id": str(uuid.uuid4()), "verb": {"id": "http://x/verbs/liked"}}
    assert_problem(await client.post(XAPI, json=[other_verb], headers=world.hr.headers), 422)
    assert_problem(await client.post(XAPI, json=[], headers=world.hr.headers), 422)
    stranger = await make_org(runtime)
    elsewhere = await client.post(
        XAPI, json=statement | {"id": str(uuid.uuid4())}, headers=stranger.headers
    )
    assert elsewhere.json()["results"][0]["problem_status"] == 404


async def test_an_xapi_actor_by_work_email(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    course, enrolment = await _online(runtime, world, points=8)
    key = await api_key(client, world.hr, "training:write")
    by_email = {
        **_statement(world, course, COMPLETED, module="intro"),
        "actor": {"mbox": "mailto:Member@Example.com"},
    }
    async with frozen_clock(runtime, STARTS_AT):
        answer = await client.post(XAPI, json=by_email, headers=key)
    assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] == 1
    async with owner_engine.connect() as connection:
        modules = await connection.scalar(
            text("SELECT completed_modules FROM training_enrolments WHERE id = :id"),
            {"id": enrolment.id},
        )
    assert modules == ["intro"]
