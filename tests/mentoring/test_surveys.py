"""Mentee surveys over HTTP: a logged session gives the mentee a survey task through the real
worker, answering completes it; only the mentee answers (404 for the mentor, HR, anyone);
one answer per session; a session of another pairing; an ended pairing; and readers other
than the mentee get figures only past the reviews' anonymity threshold, pooled in whole
blocks, never an answer or a comment — by any route or filter."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from hrcore.workflow.models import Task
from tests.factories import Account, make_org, make_user
from tests.mentoring.effectiveness_helpers import org_today
from tests.mentoring.m4_helpers import pair
from tests.mentoring.schedule_helpers import make_mentor
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]
ANSWER = {"on_time": 4, "relevant": 5, "solved": 3, "comment": "Helped with my first deal"}
ZH = {"Accept-Language": "zh-CN"}


@dataclass(frozen=True)
class Running:
    """A pairing made over HTTP: its id and its mentor (program and mentor ids)."""

    id: uuid.UUID
    mentor: tuple[str, str]


def surveys(pairing: Running) -> str:
    return f"/api/v1/mentorships/{pairing.id}/surveys"


async def _pair(
    client: AsyncClient, world: World, mentor: tuple[str, str], mentee: Any, starts_on: date
) -> Running:
    pairing_id = await pair(client, world.hr, *mentor, mentee.id, starts_on)
    return Running(uuid.UUID(pairing_id), mentor)


async def _pairing(client: AsyncClient, runtime: Runtime, world: World) -> Running:
    """Over HTTP: Member mentors Junior (Member's manager is Lead), for three months so far."""
    today = await org_today(runtime, world.hr.org_id)
    mentor = await make_mentor(client, world.hr, world.member)
    return await _pair(client, world, mentor, world.junior, today - timedelta(days=90))


async def log_session(client: AsyncClient, world: World, pairing: Running, held_on: date) -> str:
    """The mentor logs a 1:1 over HTTP (announced to the survey job); the session's id."""
    logged = await client.post(
        f"/api/v1/mentorships/{pairing.id}/sessions",
        json={"kind": "one_on_one", "held_on": held_on.isoformat()},
        headers=world.member_account.headers,
    )
    assert logged.status_code == 201, logged.text
    session_id: str = logged.json()["id"]
    return session_id


async def end_pairing(client: AsyncClient, world: World, pairing: Running) -> None:
    ended = await client.post(
        f"/api/v1/mentorships/{pairing.id}/end",
        json={"outcome": "completed"},
        headers=world.hr.headers,
    )
    assert ended.status_code == 200, ended.text


async def _answer(client: AsyncClient, account: Account, pairing: Running, **body: Any) -> Any:
    response = await client.post(surveys(pairing), json=ANSWER | body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.commits
async def test_a_logged_session_asks_the_mentee_and_answering_completes_the_task(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    pairing = await _pairing(client, runtime, world)
    today = await org_today(runtime, world.hr.org_id)
    logged = await log_session(client, world, pairing, today - timedelta(days=1))
    await run_burst(runtime)
    await run_burst(runtime)
    async with owner_engine.connect() as connection:
        [task] = (
            await connection.execute(select(Task).where(Task.kind == "mentoring_survey"))
        ).all()
    assert (task.assignee_employee_id, task.subject_type, task.subject_id) == (
        world.junior.id,
        "mentorship",
        pairing.id,
    )
    assert (task.status, task.confidential) == ("open", True)
    answered = await _answer(client, world.junior_account, pairing, session_id=logged)
    assert answered["session_id"] == logged
    again = await client.post(
        surveys(pairing),
        json=ANSWER | {"session_id": logged},
        headers=world.junior_account.headers,
    )
    assert_problem(again, 409)
    async with owner_engine.connect() as connection:
        status = await connection.scalar(select(Task.status).where(Task.id == task.id))
        after = await connection.scalar(
            select(AuditEvent.after).where(AuditEvent.action == "mentoring_survey.answered")
        )
    assert status == "completed"
    assert after == {"mentorship_id": str(pairing.id), "session_id": logged}, (
        "the audit trail keeps no answer"
    )
    await run_burst(runtime)
    await log_session(client, world, pairing, today)
    await run_burst(runtime)
    async with owner_engine.connect() as connection:
        asked = (
            await connection.execute(select(Task.status).where(Task.kind == "mentoring_survey"))
        ).scalars()
        assert sorted(asked) == ["completed", "open"], "one task per session, none twice"


async def test_only_the_mentee_answers_anyone_else_is_told_no_such_pairing(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    pairing = await _pairing(client, runtime, world)
    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    member = world.member_account
    for account in (member, world.hr, world.lead_account, world.sales_head, engineer):
        refused = await client.post(surveys(pairing), json=ANSWER, headers=account.headers | ZH)
        assert_problem(refused, 404, detail="师徒结对")
    other = await make_org(runtime)
    assert_problem(await client.post(surveys(pairing), json=ANSWER, headers=other.headers), 404)
    periodic = await _answer(client, world.junior_account, pairing)
    assert (periodic["session_id"], periodic["comment"]) == (None, ANSWER["comment"])
    assert_problem(
        await client.post(
            surveys(pairing), json=ANSWER | {"solved": 6}, headers=world.junior_account.headers
        ),
        422,
        fields={"body.solved"},
    )


async def test_another_pairings_session_is_refused_an_ended_pairing_takes_recent_sessions_only(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    pairing = await _pairing(client, runtime, world)
    today = await org_today(runtime, world.hr.org_id)
    elsewhere = await _pair(client, world, pairing.mentor, world.peer, today - timedelta(days=30))
    foreign = await log_session(client, world, elsewhere, today)
    refused = await client.post(
        surveys(pairing),
        json=ANSWER | {"session_id": foreign},
        headers=world.junior_account.headers,
    )
    assert_problem(refused, 422, fields={"session_id"})
    old = await log_session(client, world, pairing, today - timedelta(days=40))
    recent = await log_session(client, world, pairing, today - timedelta(days=10))
    await end_pairing(client, world, pairing)
    junior = world.junior_account.headers
    periodic = await client.post(surveys(pairing), json=ANSWER, headers=junior)
    assert_problem(periodic, 409, detail="no periodic survey")
    late = await client.post(surveys(pairing), json=ANSWER | {"session_id": old}, headers=junior)
    assert_problem(late, 409, detail="30 days")
    await _answer(client, world.junior_account, pairing, session_id=recent)


async def _reads(client: AsyncClient, world: World, pairing: Running) -> list[Any]:
    reads = []
    for account in (world.member_account, world.lead_account, world.sales_head, world.hr):
        response = await client.get(surveys(pairing), headers=account.headers)
        assert response.status_code == 200, response.text
        reads.append(response.json())
    return reads


async def test_readers_other_than_the_mentee_see_figures_only_in_whole_blocks_past_the_threshold(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """Threshold 3 (the reviews' setting). Two pairings whose answers differ read the same
    below it; the third answer shows means; a fourth moves nothing (no answer read back as
    a difference); no reader but the mentee ever gets an answer or a comment."""
    pairing = await _pairing(client, runtime, world)
    threshold = runtime.settings.review_anonymity_threshold
    assert threshold == 3
    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    assert_problem(await client.get(surveys(pairing), headers=engineer.headers), 404)
    await _answer(client, world.junior_account, pairing, on_time=1, comment="Always late")
    await _answer(client, world.junior_account, pairing, on_time=2)
    below = await _reads(client, world, pairing)
    for read in below:
        assert read == {
            "threshold": 3,
            "enough": False,
            "answers": None,
            "means": None,
            "note": "Too few answers to show: figures appear from 3 answers on",
            "mine": None,
        }
    await _answer(client, world.junior_account, pairing, on_time=3)
    shown = await _reads(client, world, pairing)
    assert {str(read) for read in shown} == {str(shown[0])}
    assert shown[0]["means"] == {"on_time": 2.0, "relevant": 5.0, "solved": 3.0}
    assert (shown[0]["answers"], shown[0]["mine"]) == (3, None)
    assert "Always late" not in str(shown)
    await _answer(client, world.junior_account, pairing, on_time=5, relevant=1)
    assert await _reads(client, world, pairing) == shown, "a fourth answer moves no figure"
    filtered = await client.get(
        surveys(pairing),
        params={"session_id": str(pairing.id)},
        headers=world.member_account.headers,
    )
    assert_problem(filtered, 400, kind="unknown-query-parameter")
    mine = (await client.get(surveys(pairing), headers=world.junior_account.headers)).json()
    assert [answer["on_time"] for answer in mine["mine"]] == [1, 2, 3, 5]
    assert mine["mine"][0]["comment"] == "Always late"
    assert mine["answers"] == 4


async def test_reads_below_the_threshold_do_not_depend_on_the_answers(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """The anonymity comparison: two pairings with different hidden answers read alike."""
    first = await _pairing(client, runtime, world)
    today = await org_today(runtime, world.hr.org_id)
    second = await _pair(client, world, first.mentor, world.peer, today - timedelta(days=30))
    peer = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.peer.id)
    await _answer(client, world.junior_account, first, on_time=1, relevant=1, solved=1)
    await _answer(client, peer, second, on_time=5, relevant=5, solved=5, comment=None)
    assert await _reads(client, world, first) == await _reads(client, world, second)
