"""Cycle progress over HTTP: submission and on-time rates by department and relationship,
score distribution, and the department head's narrower view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import make_user
from tests.reviews.conftest import API, Setup, answer_as, post_ok


@pytest.mark.commits
async def test_progress_counts_submissions_on_time_and_late(
    client: AsyncClient, setup: Setup, runtime: Runtime, clock: FrozenClock
) -> None:
    world, accounts = setup.world, setup.accounts
    url = f"{API}/review-cycles/{setup.cycle['id']}/progress"
    await answer_as(client, accounts["boss"], "Lead", {"sales": {"actual": 90}})
    await answer_as(client, world.lead_account, "Member", {"teamwork": {"score": 4}})
    clock.advance(timedelta(days=11))
    await answer_as(client, world.lead_account, "Lead", {"teamwork": {"score": 5}})
    progress = (await client.get(url, headers=world.hr.headers)).json()
    assert progress["participants"] == 2
    assert progress["assignments"] == 9
    departments = {
        d["department"]["name"]: (d["participants"], d["assignments"], d["submitted"])
        for d in progress["by_department"]
    }
    assert departments == {"Sales": (1, 6, 2), "Sales East": (1, 3, 1)}, "Lead, Member"
    assert progress["submitted"] == 3
    assert progress["submitted_on_time"] == 2
    assert progress["submission_rate"] == round(3 / progress["assignments"], 4)
    relationships = {r["relationship"]: r for r in progress["by_relationship"]}
    assert relationships["supervisor"]["submitted"] == 2
    assert relationships["supervisor"]["assignments"] == 2
    assert relationships["self"]["submitted"] == 1
    assert relationships["self"]["on_time_rate"] == 0
    assert progress["score_distribution"] == []

    await post_ok(client, world.hr, f"/review-cycles/{setup.cycle['id']}/close")
    await run_burst(runtime)
    closed = (await client.get(url, headers=world.hr.headers)).json()
    assert sum(b["results"] for b in closed["score_distribution"]) == 2
    assert [b["low"] for b in closed["score_distribution"]] == list(range(0, 100, 10))

    east_head = await make_user(
        runtime, world.hr.org_id, Role.DEPT_HEAD, department_scope_id=world.sales_east.id
    )
    narrow = (await client.get(url, headers=east_head.headers)).json()
    assert [d["department"]["name"] for d in narrow["by_department"]] == ["Sales East"]
    assert narrow["participants"] == 1
    assert narrow["assignments"] == 3
    assert sum(b["results"] for b in narrow["score_distribution"]) == 1
    denied = await client.get(url, headers=world.lead_account.headers)
    assert denied.status_code == 403
