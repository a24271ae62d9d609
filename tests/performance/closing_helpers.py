"""A scored November for the period-close tests: one indicator (output, target 100, ratio)
so each person's overall is their value — Lead 95 (A), Member 80 (B), Junior 60 (C),
Peer 40 (D) under the default rating policy."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.performance.conftest import API, World, observation, ok, post_scheme, scheme

NOVEMBER = datetime(2026, 11, 10, 9, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 10, 9, tzinfo=UTC)
PERIODS = f"{API}/performance-periods"
OBSERVATIONS = f"{API}/metric-observations"


def one_indicator() -> dict[str, Any]:
    body = scheme(name="Output only")
    body["indicators"] = [body["indicators"][0] | {"weight": 100}]
    return body


def values(world: World) -> dict[str, float]:
    return {
        str(world.lead.id): 95,
        str(world.member.id): 80,
        str(world.junior.id): 60,
        str(world.peer.id): 40,
    }


async def scored_november(client: AsyncClient, world: World, runtime: Runtime) -> None:
    """The scheme on sales, each person's November output, the worker run."""
    await post_scheme(client, world.hr, one_indicator() | {"department_ids": [str(world.sales.id)]})
    items = [
        observation(employee, "output", value, NOVEMBER, f"nov-{employee}")
        for employee, value in values(world).items()
    ]
    body = ok(await client.post(OBSERVATIONS, json={"items": items}, headers=world.hr.headers))
    assert body["recorded"] == 4, body
    await run_burst(runtime)


async def close(client: AsyncClient, world: World, period: str = "2026-11") -> Any:
    return ok(await client.post(f"{PERIODS}/{period}/close", headers=world.hr.headers))


async def ratings(client: AsyncClient, world: World, employee: Any) -> list[Any]:
    url = f"{API}/employees/{employee.id}/performance-ratings"
    items: list[Any] = ok(await client.get(url, headers=world.hr.headers))["items"]
    return [(r["period"], r["letter"], r["score"]) for r in items]


def shares(period: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {d["letter"]: (d["before"], d["after"]) for d in period["distribution"]}
