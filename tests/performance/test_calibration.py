"""Calibration 「绩效校准」 over HTTP: on a closed period, each adjustment with its reason, the
computed score kept beside the calibrated one, the rating following at once, the
distribution before and after against the guideline, audited; a reopen and close keeps it.
The rating policy configures letters and guideline. Then the screening of a talent pool
that reads the ratings a close wrote."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.runtime import Runtime
from tests.performance.closing_helpers import PERIODS, close, ratings, scored_november, shares
from tests.performance.conftest import API, ZH, World, ok
from tests.problems import assert_problem

CALIBRATE = f"{PERIODS}/2026-11/calibrate"
POLICY = f"{API}/performance-rating-policy"


def _adjust(employee: Any, overall: float, reason: str | None = "Led the key account") -> Any:
    adjustment: dict[str, Any] = {"employee_id": str(employee.id), "overall": overall}
    if reason is not None:
        adjustment["reason"] = reason
    return {"adjustments": [adjustment]}


@pytest.mark.commits
async def test_calibration_moves_the_rating_and_keeps_the_computed_score(
    client: AsyncClient, world: World, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    await scored_november(client, world, runtime)
    hr = world.hr.headers
    assert_problem(
        await client.post(CALIBRATE, json=_adjust(world.member, 92), headers=hr | ZH),
        409,
        detail="请先关闭绩效周期 2026-11",
    )
    await close(client, world)
    assert_problem(
        await client.post(CALIBRATE, json=_adjust(world.member, 92, None), headers=hr),
        422,
        fields={"body.adjustments.0.reason"},
    )
    assert_problem(
        await client.post(CALIBRATE, json=_adjust(world.member, 92, "   "), headers=hr),
        422,
        fields={"body.adjustments.0.reason"},
    )
    assert_problem(
        await client.post(CALIBRATE, json=_adjust(world.engineer, 92), headers=hr | ZH),
        422,
        fields={"body.adjustments.0.employee_id"},
        detail="只能校准",
    )
    assert_problem(
        await client.post(
            CALIBRATE, json=_adjust(world.member, 92), headers=world.sales_head.headers
        ),
        403,
    )
    assert await ratings(client, world, world.member) == [("2026-11", "B", "4.20")], "untouched"

    calibrated = ok(await client.post(CALIBRATE, json=_adjust(world.member, 92), headers=hr))
    assert calibrated["calibrated"] == 1
    assert shares(calibrated) == {"A": (1, 2), "B": (1, 0), "C": (1, 1), "D": (1, 1)}
    assert await ratings(client, world, world.member) == [("2026-11", "A", "4.68")]
    results = ok(await client.get(f"{PERIODS}/2026-11/results", headers=hr))["items"]
    member = next(r for r in results if r["employee_id"] == str(world.member.id))
    assert (
        member["overall"],
        member["calibrated"],
        member["calibration_reason"],
        member["original_letter"],
        member["letter"],
        member["employee"]["name"],
    ) == (80.0, 92.0, "Led the key account", "B", "A", "Member")

    reopen = {"reason": "A late quality figure"}
    ok(await client.post(f"{PERIODS}/2026-11/reopen", json=reopen, headers=hr))
    assert shares(await close(client, world))["A"] == (1, 2), "the calibration outlives a reopen"
    assert await ratings(client, world, world.member) == [("2026-11", "A", "4.68")]
    async with owner_engine.connect() as connection:
        [(before, after)] = (
            await connection.execute(
                select(AuditEvent.before, AuditEvent.after).where(
                    AuditEvent.org_id == world.hr.org_id,
                    AuditEvent.action == "performance_period_result.calibrated",
                )
            )
        ).all()
    assert before == {"calibrated": None, "reason": None, "letter": "B", "score": 4.2}
    assert (after["overall"], after["calibrated"], after["reason"], after["letter"]) == (
        80.0,
        92,
        "Led the key account",
        "A",
    )


@pytest.mark.commits
async def test_the_policy_sets_letters_and_guideline(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    hr = world.hr.headers
    default = ok(await client.get(POLICY, headers=hr))
    assert default == {
        "grace_days": 5,
        "letters": {"A": 90.0, "B": 70.0, "C": 50.0},
        "guideline": {"A": 20.0, "B": 70.0, "C": 10.0, "D": 0.0},
        "version": 0,
    }
    assert_problem(await client.get(POLICY, headers=world.member_account.headers), 403)
    bad_floors = default | {"letters": {"A": 50, "B": 70, "C": 40}}
    assert_problem(await client.put(POLICY, json=bad_floors, headers=hr), 422)
    bad_shares = default | {"guideline": {"A": 50, "B": 70, "C": 10, "D": 0}}
    refused = assert_problem(await client.put(POLICY, json=bad_shares, headers=hr | ZH), 422)
    assert "各等级占比之和必须为 100" in str(refused["errors"])
    strict = default | {"letters": {"A": 96, "B": 85, "C": 30}, "grace_days": 3}
    assert ok(await client.put(POLICY, json=strict, headers=hr))["version"] == 1
    assert_problem(await client.put(POLICY, json=strict | {"version": 0}, headers=hr), 409)

    await scored_november(client, world, runtime)
    assert shares(await close(client, world)) == {
        "A": (0, 0),
        "B": (1, 1),
        "C": (3, 3),
        "D": (0, 0),
    }
    assert await ratings(client, world, world.lead) == [("2026-11", "B", "4.80")]


@pytest.mark.commits
async def test_a_talent_pool_screen_reads_the_closed_period_s_ratings(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await scored_november(client, world, runtime)
    pool = ok(
        await client.post(
            f"{API}/talent-pools",
            json={
                "name": "Top performers",
                "rules": [{"kind": "consecutive_top_ratings", "letter": "A", "count": 1}],
            },
            headers=world.hr.headers,
        ),
        201,
    )
    screen = f"{API}/talent-pools/{pool['id']}/screen"
    assert ok(await client.post(screen, json={}, headers=world.hr.headers))["candidates"] == []

    await close(client, world)
    candidates = ok(await client.post(screen, json={}, headers=world.hr.headers))["candidates"]
    assert [(c["employee"]["name"], c["criteria"][0]["value"]) for c in candidates] == [
        ("Lead", 1.0)
    ]
