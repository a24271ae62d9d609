"""Exit reasons 「离职原因」: a category and an optional note on the exit event, checked,
shown in the history and the profile in the reader's language, audited."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from tests.people.conftest import World

ZH = {"Accept-Language": "zh-CN"}


def _events(world: World, employee_id: Any) -> str:
    return f"/api/v1/employees/{employee_id}/events"


async def test_an_exit_records_its_reason_shown_in_both_languages(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    body = {
        "kind": "exit",
        "effective_date": "2025-03-31",
        "exit_reason": "pay",
        "exit_reason_note": "Offer 30 % higher elsewhere",
    }
    made = await client.post(_events(world, world.peer.id), json=body, headers=world.hr.headers)
    assert made.status_code == 201, made.text
    event = made.json()
    assert (event["exit_reason"], event["exit_reason_label"]) == ("pay", "Pay")
    assert event["exit_reason_note"] == "Offer 30 % higher elsewhere"

    history = await client.get(_events(world, world.peer.id), headers=world.hr.headers | ZH)
    [shown] = history.json()["items"]
    assert (shown["exit_reason"], shown["exit_reason_label"]) == ("pay", "薪酬")
    profile = await client.get(
        f"/api/v1/employees/{world.peer.id}/profile", headers=world.hr.headers | ZH
    )
    assert profile.status_code == 200, profile.text
    [exit_] = [e for e in profile.json()["employment_history"] if e["kind"] == "exit"]
    assert exit_["exit_reason_label"] == "薪酬"

    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        audited = await session.scalar(
            text(
                "SELECT after->>'exit_reason' FROM audit_events"
                " WHERE action = 'employment_event.created' AND object_id = :id"
            ),
            {"id": event["id"]},
        )
    assert audited == "pay"


async def test_an_exit_without_a_reason_stays_valid(client: AsyncClient, world: World) -> None:
    made = await client.post(
        _events(world, world.peer.id),
        json={"kind": "exit", "effective_date": "2025-03-31"},
        headers=world.hr.headers,
    )
    assert made.status_code == 201, made.text
    assert (made.json()["exit_reason"], made.json()["exit_reason_label"]) == (None, None)


async def test_bad_reasons_are_422_in_the_readers_language_and_write_nothing(
    client: AsyncClient, world: World
) -> None:
    path = _events(world, world.peer.id)
    bad = [
        {"kind": "exit", "effective_date": "2025-03-31", "exit_reason": "boredom"},
        {"kind": "exit", "effective_date": "2025-03-31", "exit_reason_note": "no category"},
        {
            "kind": "transfer",
            "effective_date": "2025-03-31",
            "department_id": str(world.engineering.id),
            "exit_reason": "pay",
        },
    ]
    for body in bad:
        answer = await client.post(path, json=body, headers=world.hr.headers | ZH)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
    english = await client.post(path, json=bad[2], headers=world.hr.headers)
    assert "exit_reason belongs to exits only" in english.text
    chinese = await client.post(path, json=bad[1], headers=world.hr.headers | ZH)
    assert "需同时填写" in chinese.text, chinese.text
    history = await client.get(path, headers=world.hr.headers)
    assert history.json()["items"] == []
    employee = await client.get(f"/api/v1/employees/{world.peer.id}", headers=world.hr.headers)
    assert employee.json()["status"] == "active"
