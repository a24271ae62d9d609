"""A class as people meet it, over HTTP only: HR schedules a course, enrols three people into
two seats, the QR code checks in one on time and one late (−2), the worker makes their action
plans, the employee submits, HR and the manager score, HR adopts (+50), and the points and
the leaderboard say so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.factories import Account
from tests.training.courses_helpers import World, create_course, create_session, enrol, world

__all__ = ["world"]

API = "/api/v1"
STARTS_AT = datetime(2027, 3, 10, 1, 0, tzinfo=UTC)


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _plan_of(client: AsyncClient, account: Account) -> Any:
    [plan] = (await _ok(await client.get(f"{API}/action-plans", headers=account.headers)))["items"]
    return plan


@pytest.mark.commits
async def test_a_class_from_schedule_to_points(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    async with frozen_clock(runtime, STARTS_AT - timedelta(days=20)) as clock:
        course = await create_course(client, world.hr, name="Negotiation basics")
        session = await create_session(
            client, world.hr, course["id"], starts_at="2027-03-10T01:00:00Z"
        )
        enrolled = await _ok(
            await enrol(
                client,
                world.hr,
                session["id"],
                {"employee_ids": [str(e.id) for e in (world.junior, world.member, world.peer)]},
            ),
            201,
        )
        statuses = {item["employee"]["name"]: item["status"] for item in enrolled["items"]}
        assert statuses == {"Junior": "enrolled", "Member": "enrolled", "Peer": "waitlisted"}

        clock.advance(timedelta(days=20, minutes=5))
        base = f"{API}/course-sessions/{session['id']}"
        code = await _ok(
            await client.get(f"{base}/qr", params={"format": "json"}, headers=world.hr.headers)
        )
        on_time = await _ok(
            await client.post(
                f"{base}/check-in",
                json={"token": code["token"]},
                headers=world.junior_account.headers,
            )
        )
        assert on_time["late"] is False
        clock.advance(timedelta(minutes=15))
        code = await _ok(
            await client.get(f"{base}/qr", params={"format": "json"}, headers=world.hr.headers)
        )
        late = await _ok(
            await client.post(
                f"{base}/check-in",
                json={"token": code["token"]},
                headers=world.member_account.headers,
            )
        )
        assert late["late"] is True
        attendance = await _ok(await client.get(f"{base}/attendance", headers=world.hr.headers))
        assert {item["employee"]["name"]: item["late"] for item in attendance["items"]} == {
            "Junior": False,
            "Member": True,
        }

        await run_burst(runtime)
        plan = await _plan_of(client, world.junior_account)
        assert plan["status"] == "open"
        clock.advance(timedelta(days=3))
        await _ok(
            await client.post(
                f"{API}/action-plans/{plan['id']}/submit",
                json={"content": "Open every call with the customer's numbers"},
                headers=world.junior_account.headers,
            )
        )
        await _ok(
            await client.post(
                f"{API}/action-plans/{plan['id']}/score",
                json={"side": "hr", "score": 90},
                headers=world.hr.headers,
            )
        )
        scored = await _ok(
            await client.post(
                f"{API}/action-plans/{plan['id']}/score",
                json={"side": "manager", "score": 80},
                headers=world.member_account.headers,
            )
        )
        assert (scored["status"], float(scored["score"])) == ("scored", 85.0)
        await _ok(
            await client.post(
                f"{API}/action-plans/{plan['id']}/adopt",
                json={"note": "Roll it out to all of sales"},
                headers=world.hr.headers,
            )
        )

        quarter = {"period": "2027-Q1"}
        junior = await _ok(
            await client.get(
                f"{API}/me/points", params=quarter, headers=world.junior_account.headers
            )
        )
        member = await _ok(
            await client.get(
                f"{API}/me/points", params=quarter, headers=world.member_account.headers
            )
        )
        assert (junior["total"], member["total"]) == (10 + 20 + 50, 10 - 2)
        assert (junior["organization_rank"]["rank"], member["organization_rank"]["rank"]) == (1, 2)
        board = await _ok(
            await client.get(
                f"{API}/points/leaderboard", params=quarter, headers=world.peer_account.headers
            )
        )
        assert [(row["rank"], row["employee"]["name"], row["total"]) for row in board["items"]] == [
            (1, "Junior", 80),
            (2, "Member", 8),
        ]
