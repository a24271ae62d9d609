"""Shared set-up of review tests: a form, a cycle over Lead and Member, rater accounts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from tests.conftest import frozen_clock
from tests.factories import Account, make_employee, make_user
from tests.people.conftest import World, world

__all__ = ["world"]
API = "/api/v1"
TEAMWORK = {
    "key": "teamwork",
    "name": "Teamwork",
    "section": "Behaviour",
    "kind": "qualitative",
    "weight": 60,
}
FORM: dict[str, Any] = {
    "name": "Annual review",
    "indicators": [
        {
            "key": "sales",
            "name": "Team sales",
            "section": "Results",
            "kind": "quantitative",
            "weight": 100,
            "target": 100,
            "formula": {"kind": "ratio"},
        },
        {
            "key": "teamwork",
            "name": "Teamwork",
            "section": "Behaviour",
            "kind": "qualitative",
            "weight": 60,
        },
        {
            "key": "leadership",
            "name": "Leadership",
            "section": "Behaviour",
            "kind": "qualitative",
            "weight": 40,
        },
    ],
    "kind_weights": {"quantitative": 60, "qualitative": 40},
}


def competency_form(team: str, drive: str) -> dict[str, Any]:
    """`FORM` with teamwork and leadership measuring the competency `team` and team sales
    measuring `drive` (competency ids)."""
    named = {"sales": drive, "teamwork": team, "leadership": team}
    return {
        **FORM,
        "name": "Annual review on competencies",
        "indicators": [i | {"competency_id": named[i["key"]]} for i in FORM["indicators"]],
    }


START = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
"""Ten days before the set-up cycle falls due (2026-12-20 in Asia/Shanghai)."""


@pytest.fixture
async def clock(runtime: Runtime) -> AsyncIterator[FrozenClock]:
    async with frozen_clock(runtime, START) as frozen:
        yield frozen


async def post_ok(client: AsyncClient, account: Account, path: str, body: Any = None) -> Any:
    response = await client.post(f"{API}{path}", json=body, headers=account.headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def answer_as(
    client: AsyncClient,
    account: Account,
    participant: str,
    answers: dict[str, Any],
    comment: str | None = None,
    *,
    cycle_id: str | None = None,
) -> None:
    mine = await client.get(f"{API}/me/review-assignments", headers=account.headers)
    [assignment] = [
        a
        for a in mine.json()["items"]
        if a["participant"]["name"] == participant and cycle_id in (None, a["cycle_id"])
    ]
    saved = await client.put(
        f"{API}/review-assignments/{assignment['id']}",
        json={"answers": answers, "comment": comment},
        headers=account.headers,
    )
    assert saved.status_code == 200, saved.text
    await post_ok(client, account, f"/review-assignments/{assignment['id']}/submit")


class Setup:
    def __init__(self, world: World, accounts: dict[str, Account], cycle: dict[str, Any]) -> None:
        self.world, self.accounts, self.cycle = world, accounts, cycle


@pytest.fixture
async def setup(client: AsyncClient, world: World, runtime: Runtime) -> Setup:
    org = world.hr.org_id
    peer2 = await make_employee(runtime, org, world.sales, "Peer Two", manager=world.boss)
    accounts = {
        "boss": await make_user(runtime, org, Role.EMPLOYEE, employee_id=world.boss.id),
        "peer": await make_user(runtime, org, Role.EMPLOYEE, employee_id=world.peer.id),
        "engineer": await make_user(runtime, org, Role.EMPLOYEE, employee_id=world.engineer.id),
        "peer2": await make_user(runtime, org, Role.EMPLOYEE, employee_id=peer2.id),
    }
    form = {
        **FORM,
        "department_overrides": [
            {
                "department_id": str(world.sales.id),
                "kind_weights": {"quantitative": 70, "qualitative": 30},
            }
        ],
    }
    template = await post_ok(client, world.hr, "/review-templates", form)
    cycle = await post_ok(
        client,
        world.hr,
        "/review-cycles",
        {
            "name": "2026 year-end",
            "kind": "year_end",
            "template_id": template["id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
        },
    )
    added = await post_ok(
        client,
        world.hr,
        f"/review-cycles/{cycle['id']}/participants",
        {"employee_ids": [str(world.lead.id), str(world.member.id)]},
    )
    assert added == {"added": 2, "participants": 2}
    opened = await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/open")
    assert opened["status"] == "open"
    return Setup(world, accounts, cycle)
