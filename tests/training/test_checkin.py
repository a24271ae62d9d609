"""QR check-in 「扫码签到」 over HTTP: the rotating signed code (PNG, SVG, JSON) for HR and the
instructor, check-in with it (late after the grace, one award however often or concurrently
it is posted, expired, forged and foreign codes refused with nothing written), manual
check-in by the instructor, and the session's attendance within the reader's reach."""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import timedelta
from typing import Any

import pytest
import segno
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core import events as core_events
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.training.events import ENROLMENT_COMPLETED
from tests.conftest import frozen_clock, recorded_statements
from tests.factories import make_employee, make_org, make_tree, make_user
from tests.people.conftest import World, world
from tests.problems import assert_problem
from tests.training.checkin_world import (
    STARTS_AT,
    Classroom,
    classroom,
    completion_events,
    ledger_rows,
)
from tests.training.factory import make_course, make_enrolment, make_session

__all__ = ["world"]
PROBE = "training.test_probe"


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> str:
    """A listener of the completion event, so its queued jobs can be counted."""
    monkeypatch.setitem(core_events._SUBSCRIBERS, ENROLMENT_COMPLETED, [PROBE])
    return PROBE


async def _token(client: AsyncClient, room: Classroom, headers: dict[str, str]) -> str:
    response = await client.get(f"{room.base}/qr", params={"format": "json"}, headers=headers)
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


async def _scan(client: AsyncClient, room: Classroom, token: str, headers: dict[str, str]) -> Any:
    return await client.post(f"{room.base}/check-in", json={"token": token}, headers=headers)


async def test_the_code_is_a_png_svg_or_token_for_hr_and_the_instructor(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    room = await classroom(runtime, world)
    async with frozen_clock(runtime, STARTS_AT + timedelta(seconds=7)):
        shown = await client.get(
            f"{room.base}/qr", params={"format": "json"}, headers=world.hr.headers
        )
        png = await client.get(f"{room.base}/qr", headers=room.instructor.headers)
        svg = await client.get(
            f"{room.base}/qr", params={"format": "svg"}, headers=world.hr.headers
        )
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["refresh_at"] == "2026-12-10T01:00:30Z"
    assert body["expires_at"] == "2026-12-10T01:01:00Z"
    assert png.status_code == 200, png.text
    assert png.headers["content-type"] == "image/png"
    assert png.headers["expires"] == "Thu, 10 Dec 2026 01:01:00 GMT"
    assert png.headers["cache-control"] == "no-store"
    drawn = io.BytesIO()
    segno.make(body["token"], error="m", micro=False).save(drawn, kind="png", scale=8, border=4)
    assert png.content == drawn.getvalue(), "the image carries the token"
    assert svg.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in svg.content


async def test_the_code_is_refused_to_others(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    room = await classroom(runtime, world)
    learner = await client.get(f"{room.base}/qr", headers=world.member_account.headers)
    assert_problem(learner, 403, detail="instructor")
    stranger = await make_org(runtime)
    assert_problem(await client.get(f"{room.base}/qr", headers=stranger.headers), 404)
    unknown = await client.get(
        f"/api/v1/course-sessions/{uuid.uuid4()}/qr", headers=world.hr.headers
    )
    assert_problem(unknown, 404)
    bad_format = await client.get(
        f"{room.base}/qr", params={"format": "gif"}, headers=world.hr.headers
    )
    assert_problem(bad_format, 422, fields={"query.format"})


async def test_check_in_on_time_completes_once_with_one_award(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine, probe: str
) -> None:
    room = await classroom(runtime, world)
    enrolment = room.enrolments["member"]
    async with frozen_clock(runtime, STARTS_AT + timedelta(minutes=10)):
        token = await _token(client, room, room.instructor.headers)
        first = await _scan(client, room, token, world.member_account.headers)
        again = await _scan(client, room, token, world.member_account.headers)
    assert first.status_code == 200, first.text
    assert first.json() == {
        "enrolment_id": str(enrolment.id),
        "session_id": str(room.session.id),
        "employee_id": str(world.member.id),
        "employee": {"id": str(world.member.id), "name": "Member"},
        "status": "completed",
        "checked_in_at": "2026-12-10T01:10:00Z",
        "late": False,
        "check_in_method": "qr",
    }
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert await ledger_rows(owner_engine, world.hr.org_id) == [
        (world.member.id, "attendance", 10, enrolment.id)
    ]
    assert await completion_events(owner_engine, probe) == [str(enrolment.id)]
    async with owner_engine.connect() as connection:
        stored = (
            await connection.execute(
                text(
                    "SELECT status, completed_at IS NOT NULL, check_in_method"
                    " FROM training_enrolments WHERE id = :id"
                ),
                {"id": enrolment.id},
            )
        ).one()
    assert tuple(stored) == ("completed", True, "qr")


async def test_late_arrival_costs_two_points_and_course_points_win(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    room = await classroom(runtime, world, points=12)
    enrolment = room.enrolments["junior"]
    async with frozen_clock(runtime, STARTS_AT + timedelta(minutes=10, seconds=1)):
        token = await _token(client, room, world.hr.headers)
        answer = await _scan(client, room, token, world.junior_account.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["late"] is True
    assert await ledger_rows(owner_engine, world.hr.org_id) == [
        (world.junior.id, "attendance", 12, enrolment.id),
        (world.junior.id, "late", -2, enrolment.id),
    ]


async def test_expired_forged_and_foreign_codes_write_nothing(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine, probe: str
) -> None:
    room = await classroom(runtime, world)
    member = world.member_account.headers
    async with frozen_clock(runtime, STARTS_AT) as clock:
        token = await _token(client, room, world.hr.headers)
        clock.advance(timedelta(seconds=60))
        expired = await _scan(client, room, token, member)
        session_hex, window, signature = token.split(".")
        forged_window = f"{session_hex}.{int(window) + 2}.{signature}"
        forged = await _scan(client, room, forged_window, member)
        garbage = await _scan(client, room, "not-a-code", member)
        other = await classroom(runtime, world)
        foreign = await _scan(client, room, await _token(client, other, world.hr.headers), member)
        stranger = await make_org(runtime)
        tree = await make_tree(runtime, stranger.org_id)
        outsider = await make_employee(runtime, stranger.org_id, tree.sales, "Outsider")
        account = await make_user(runtime, stranger.org_id, Role.EMPLOYEE, employee_id=outsider.id)
        their_course = await make_course(runtime, stranger.org_id)
        their_session = await make_session(runtime, stranger.org_id, their_course)
        their_token = (
            await client.get(
                f"/api/v1/course-sessions/{their_session.id}/qr",
                params={"format": "json"},
                headers=stranger.headers,
            )
        ).json()["token"]
        same_id_other_org = await _scan(client, room, their_token, member)
        in_their_org = await client.post(
            f"/api/v1/course-sessions/{room.session.id}/check-in",
            json={"token": await _token(client, room, world.hr.headers)},
            headers=account.headers,
        )
    for refused in (expired, forged, garbage, same_id_other_org):
        assert_problem(refused, 401, kind="unauthorized", detail="expired or not valid")
    assert_problem(foreign, 422, fields={"body.token"})
    assert_problem(in_their_org, 401)
    assert await ledger_rows(owner_engine, world.hr.org_id) == []
    assert await completion_events(owner_engine, probe) == []


async def test_a_code_stays_valid_into_the_next_window(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    room = await classroom(runtime, world)
    async with frozen_clock(runtime, STARTS_AT + timedelta(seconds=29)) as clock:
        token = await _token(client, room, world.hr.headers)
        clock.advance(timedelta(seconds=30))
        answer = await _scan(client, room, token, world.lead_account.headers)
    assert answer.status_code == 200, answer.text


async def test_not_enrolled_is_404_and_waitlisted_409(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    room = await classroom(runtime, world)
    waiting_account = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.peer.id
    )
    async with frozen_clock(runtime, STARTS_AT):
        token = await _token(client, room, world.hr.headers)
        outsider = await _scan(client, room, token, waiting_account.headers)
        await make_enrolment(
            runtime, world.hr.org_id, room.course, world.peer.id, room.session, status="waitlisted"
        )
        waiting = await _scan(client, room, token, waiting_account.headers)
        unlinked = await _scan(client, room, token, world.hr.headers)
    assert_problem(outsider, 404, detail="Not enrolled")
    assert_problem(waiting, 409, detail="waiting list")
    assert_problem(unlinked, 404, detail="not linked")
    both = await client.post(
        f"{room.base}/check-in",
        json={"token": token, "employee_id": str(world.peer.id)},
        headers=world.hr.headers,
    )
    assert_problem(both, 422)
    assert_problem(
        await client.post(f"{room.base}/check-in", json={}, headers=world.hr.headers), 422
    )


async def test_manual_check_in_by_the_instructor_or_hr(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    room = await classroom(runtime, world)
    url = f"{room.base}/check-in"
    async with frozen_clock(runtime, STARTS_AT + timedelta(minutes=30)):
        by_instructor = await client.post(
            url, json={"employee_id": str(world.lead.id)}, headers=room.instructor.headers
        )
        by_hr = await client.post(
            url, json={"employee_id": str(world.engineer.id)}, headers=world.hr.headers
        )
        by_learner = await client.post(
            url, json={"employee_id": str(world.junior.id)}, headers=world.member_account.headers
        )
        not_enrolled = await client.post(
            url, json={"employee_id": str(world.peer.id)}, headers=world.hr.headers
        )
        stranger = await make_org(runtime)
        from_elsewhere = await client.post(
            url, json={"employee_id": str(world.junior.id)}, headers=stranger.headers
        )
    assert by_instructor.status_code == 200, by_instructor.text
    assert by_instructor.json()["check_in_method"] == "manual"
    assert by_instructor.json()["late"] is True
    assert by_hr.status_code == 200, by_hr.text
    assert_problem(by_learner, 403, detail="instructor")
    assert_problem(not_enrolled, 404)
    assert_problem(from_elsewhere, 404)
    codes = [(row[0], row[1]) for row in await ledger_rows(owner_engine, world.hr.org_id)]
    assert sorted(codes) == sorted(
        [
            (world.lead.id, "attendance"),
            (world.engineer.id, "attendance"),
            (world.lead.id, "late"),
            (world.engineer.id, "late"),
        ]
    )
    audit = await client.get(
        "/api/v1/audit-events",
        params={"object_id": by_hr.json()["enrolment_id"]},
        headers=world.hr.headers,
    )
    assert [(event["action"], event["after"]["method"]) for event in audit.json()["items"]] == [
        ("training_enrolment.checked_in", "manual")
    ]


async def test_a_cancelled_session_takes_no_check_in(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    course = await make_course(runtime, world.hr.org_id)
    cancelled = await make_session(runtime, world.hr.org_id, course, status="cancelled")
    await make_enrolment(runtime, world.hr.org_id, course, world.member.id, cancelled)
    base = f"/api/v1/course-sessions/{cancelled.id}"
    assert_problem(await client.get(f"{base}/qr", headers=world.hr.headers), 409)
    manual = await client.post(
        f"{base}/check-in", json={"employee_id": str(world.member.id)}, headers=world.hr.headers
    )
    assert_problem(manual, 409, detail="cancelled")


async def _attendance(
    client: AsyncClient, room: Classroom, headers: dict[str, str], **params: Any
) -> Any:
    return await client.get(f"{room.base}/attendance", params=params, headers=headers)


async def test_attendance_by_reach_with_counts_and_pages(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    room = await classroom(runtime, world)
    await make_enrolment(
        runtime, world.hr.org_id, room.course, world.peer.id, room.session, status="waitlisted"
    )
    async with frozen_clock(runtime, STARTS_AT + timedelta(minutes=20)):
        for employee in (world.lead, world.engineer):
            checked = await client.post(
                f"{room.base}/check-in",
                json={"employee_id": str(employee.id)},
                headers=world.hr.headers,
            )
            assert checked.status_code == 200, checked.text
    everyone = await _attendance(client, room, room.instructor.headers)
    assert everyone.status_code == 200, everyone.text
    body = everyone.json()
    assert [item["employee"]["name"] for item in body["items"]] == [
        "Engineer",
        "Junior",
        "Lead",
        "Member",
    ]
    assert body["summary"] == {"enrolled": 4, "present": 2, "late": 2, "absent": 2}
    lead = body["items"][2]
    assert lead["checked_in_at"] == "2026-12-10T01:20:00Z"
    assert (lead["late"], lead["check_in_method"], lead["status"]) == (True, "manual", "completed")
    sales = (await _attendance(client, room, world.sales_head.headers)).json()
    assert [item["employee"]["name"] for item in sales["items"]] == ["Junior", "Lead", "Member"]
    assert sales["summary"] == {"enrolled": 3, "present": 1, "late": 1, "absent": 2}
    first = (await _attendance(client, room, world.hr.headers, limit=3)).json()
    rest = (
        await _attendance(client, room, world.hr.headers, limit=3, cursor=first["next_cursor"])
    ).json()
    assert [item["employee"]["name"] for item in first["items"] + rest["items"]] == [
        "Engineer",
        "Junior",
        "Lead",
        "Member",
    ]
    assert rest["next_cursor"] is None
    assert_problem(await _attendance(client, room, world.member_account.headers), 403)
    assert_problem(await _attendance(client, room, world.hr.headers, cursor="nope"), 400)
    stranger = await make_org(runtime)
    assert_problem(await _attendance(client, room, stranger.headers), 404)


async def test_attendance_costs_the_same_statements_whatever_the_page(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    room = await classroom(runtime, world)
    counts = []
    for limit in (1, 4):
        for headers in (world.hr.headers, world.sales_head.headers):
            with recorded_statements(runtime) as statements:
                answer = await _attendance(client, room, headers, limit=limit)
            assert answer.status_code == 200, answer.text
            counts.append(len(statements))
    # Under the test's savepoints, beside authentication: the session, the counts, the page;
    # a department head's reach adds its subtree and its people.
    assert counts == [8, 10, 8, 10]


@pytest.mark.commits
async def test_concurrent_check_ins_of_one_person_award_once(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine, probe: str
) -> None:
    room = await classroom(runtime, world)
    async with frozen_clock(runtime, STARTS_AT):
        token = await _token(client, room, world.hr.headers)
        answers = await asyncio.gather(
            *(_scan(client, room, token, world.member_account.headers) for _ in range(4))
        )
    assert [answer.status_code for answer in answers] == [200] * 4
    assert len({answer.text for answer in answers}) == 1
    assert await ledger_rows(owner_engine, world.hr.org_id) == [
        (world.member.id, "attendance", 10, room.enrolments["member"].id)
    ]
    assert await completion_events(owner_engine, probe) == [str(room.enrolments["member"].id)]
