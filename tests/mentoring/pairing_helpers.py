"""Builders over HTTP for the pairing tests: a program with a qualified mentor, a mentee
template, pairings, and a listener that records what mentoring emits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core import events
from hrcore.core.outbox import OutboxMessage
from hrcore.mentoring import events as mentoring_events
from tests.factories import Account
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World

API = "/api/v1"
TEMPLATES = f"{API}/mentee-templates"
MENTORSHIPS = f"{API}/mentorships"
MENTORS = f"{API}/mentors"
RULES = [{"kind": "top_performance", "letter": "A", "periods": 2}]
STARTS_ON = "2027-01-04"
LISTENER = "test.mentoring_listener"
ZH = {"Accept-Language": "zh-CN"}


async def rate(client: AsyncClient, hr: Account, employee_id: Any, letters: str) -> None:
    for period, letter in zip(("2024", "2025"), letters, strict=True):
        response = await client.post(
            f"{API}/employees/{employee_id}/performance-ratings",
            json={"period": period, "letter": letter},
            headers=hr.headers,
        )
        assert response.status_code == 201, response.text


async def make_mentor(
    client: AsyncClient, hr: Account, program_id: str, employee_id: Any, override: str | None = None
) -> Any:
    """HR nominates the employee and approves them (with `override` when they fail a rule)."""
    nominated = await client.post(
        f"{API}/mentor-applications",
        json={"program_id": program_id, "employee_id": str(employee_id)},
        headers=hr.headers,
    )
    assert nominated.status_code == 201, nominated.text
    approved = await client.post(
        f"{API}/mentor-applications/{nominated.json()['id']}/approve",
        json={"override_reason": override} if override else {},
        headers=hr.headers,
    )
    assert approved.status_code == 200, approved.text
    mentors = (
        await client.get(MENTORS, params={"program_id": program_id}, headers=hr.headers)
    ).json()["items"]
    [mentor] = [m for m in mentors if m["employee"]["id"] == str(employee_id)]
    return mentor


def template_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "New graduates",
        "role": "new_graduate",
        "duration_months": 12,
        "goals": [
            {"kind": "skill_test_score", "key": "skills", "title": "Skill test", "target": 85},
            {"kind": "performance_score", "key": "rating", "title": "Rating", "target": 4.2},
        ],
        "checklist": [{"key": "tools", "title": "Our tools"}],
    } | fields


async def make_template(client: AsyncClient, hr: Account, **fields: Any) -> Any:
    response = await client.post(TEMPLATES, json=template_body(**fields), headers=hr.headers)
    assert response.status_code == 201, response.text
    return response.json()


@dataclass(frozen=True)
class Setup:
    """A program for the whole organization (rules: A twice in a row), the lead as its
    qualified mentor, and a new-graduate template."""

    program: Any
    mentor: Any
    template: Any


async def setup(client: AsyncClient, world: World, **program: Any) -> Setup:
    await rate(client, world.hr, world.lead.id, "AA")
    made = await make_program(client, world.hr, rules=RULES, **program)
    mentor = await make_mentor(client, world.hr, made["id"], world.lead.id)
    return Setup(made, mentor, await make_template(client, world.hr))


def pairing_body(ready: Setup, mentee_id: Any, **fields: Any) -> dict[str, Any]:
    return {
        "program_id": ready.program["id"],
        "mentor_id": ready.mentor["id"],
        "mentee_id": str(mentee_id),
        "template_id": ready.template["id"],
        "starts_on": STARTS_ON,
    } | fields


async def try_pair(
    client: AsyncClient, account: Account, ready: Setup, mentee_id: Any, **fields: Any
) -> Response:
    return await client.post(
        MENTORSHIPS, json=pairing_body(ready, mentee_id, **fields), headers=account.headers
    )


async def pair(
    client: AsyncClient, account: Account, ready: Setup, mentee_id: Any, **fields: Any
) -> Any:
    response = await try_pair(client, account, ready, mentee_id, **fields)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def listener(monkeypatch: pytest.MonkeyPatch) -> None:
    """A job subscribed to mentoring's events for the test, to see what is emitted."""
    for event in (mentoring_events.PLAN_APPROVED, mentoring_events.MENTORSHIP_ENDED):
        monkeypatch.setitem(events._SUBSCRIBERS, event, [*events.subscribers(event), LISTENER])


async def emitted(owner_engine: AsyncEngine) -> list[dict[str, Any]]:
    """The payloads queued for the test listener, oldest first."""
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            select(OutboxMessage.payload)
            .where(OutboxMessage.job == LISTENER)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
        return [row for (row,) in rows]
