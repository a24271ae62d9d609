"""HR's powers over rater work: reopening a submitted answer, and raw answers that only an
HR admin with the review_auditor role may read — both audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import make_user
from tests.reviews.conftest import API, Setup, answer_as, post_ok


async def _audited(owner_engine: AsyncEngine, action: str) -> list[AuditEvent]:
    async with owner_engine.connect() as connection:
        rows = await connection.execute(select(AuditEvent).where(AuditEvent.action == action))
        return list(rows)


async def test_hr_reopens_a_submitted_answer_with_a_reason(
    client: AsyncClient, setup: Setup, clock: FrozenClock, owner_engine: AsyncEngine
) -> None:
    world, boss = setup.world, setup.accounts["boss"]
    await answer_as(client, boss, "Lead", {"teamwork": {"score": 2}})
    [assignment] = (await client.get(f"{API}/me/review-assignments", headers=boss.headers)).json()[
        "items"
    ]
    url = f"{API}/review-assignments/{assignment['id']}/reopen"
    by_rater = await client.post(url, json={"reason": "Typo"}, headers=boss.headers)
    assert by_rater.status_code == 403
    no_reason = await client.post(url, json={}, headers=world.hr.headers)
    assert no_reason.status_code == 422
    reopened = await post_ok(client, world.hr, url.removeprefix(API), {"reason": "Meant 4"})
    assert reopened["status"] == "draft"
    assert reopened["submitted_at"] is None
    assert reopened["task_id"] != assignment["task_id"], "a new task asks the rater again"
    twice = await client.post(url, json={"reason": "Again"}, headers=world.hr.headers)
    assert twice.status_code == 409, "only a submitted answer reopens"
    await answer_as(client, boss, "Lead", {"teamwork": {"score": 4}})
    [event] = await _audited(owner_engine, "review_assignment.reopened")
    assert event.after == {"status": "draft", "reason": "Meant 4"}


@pytest.mark.commits
async def test_raw_answers_need_the_auditor_role_and_are_audited(
    client: AsyncClient,
    setup: Setup,
    runtime: Runtime,
    clock: FrozenClock,
    owner_engine: AsyncEngine,
) -> None:
    world, accounts = setup.world, setup.accounts
    await answer_as(client, accounts["peer"], "Lead", {"teamwork": {"score": 3}}, "Blunt view")
    await post_ok(client, world.hr, f"/review-cycles/{setup.cycle['id']}/close")
    await run_burst(runtime)
    results = await client.get(
        f"{API}/review-cycles/{setup.cycle['id']}/results", headers=world.hr.headers
    )
    [lead] = [r for r in results.json()["items"] if r["employee"]["name"] == "Lead"]
    url = f"{API}/review-results/{lead['id']}/answers"
    for account in (world.hr, world.sales_head, world.lead_account):
        hidden = await client.get(url, headers=account.headers)
        assert hidden.status_code == 404, "peer answers do not exist for them"
    auditor = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, Role.REVIEW_AUDITOR)
    raw = await client.get(url, headers=auditor.headers)
    assert raw.status_code == 200
    [peer] = [a for a in raw.json() if a["comment"] == "Blunt view"]
    assert peer["relationship"] == "peer"
    assert peer["rater"]["id"] == str(world.peer.id)
    [event] = await _audited(owner_engine, "review_result.raw_answers_read")
    assert event.actor_id == auditor.user_id


async def test_a_reopened_answer_past_the_due_date_gets_working_days_when_the_org_counts_them(
    client: AsyncClient, setup: Setup, clock: FrozenClock
) -> None:
    world, boss = setup.world, setup.accounts["boss"]
    await answer_as(client, boss, "Lead", {"teamwork": {"score": 2}})
    [assignment] = (await client.get(f"{API}/me/review-assignments", headers=boss.headers)).json()[
        "items"
    ]
    working = {"days_are": "working"}
    saved = await client.put(
        f"{API}/task-policy-defaults",
        json={"reminder": working, "escalation": working},
        headers=world.hr.headers,
    )
    assert saved.status_code == 200, saved.text
    clock._at = datetime(2026, 12, 25, 2, 0, tzinfo=UTC)  # Friday, after the cycle's due date
    url = f"/review-assignments/{assignment['id']}/reopen"
    reopened = await post_ok(client, world.hr, url, {"reason": "Meant 4"})
    task = await client.get(f"{API}/tasks/{reopened['task_id']}", headers=boss.headers)
    # three working days from Friday 25 December: 28, 29 and 30 (calendar days: Monday 28)
    assert task.json()["due_at"].startswith("2026-12-30")
