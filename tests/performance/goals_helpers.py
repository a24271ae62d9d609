"""Posting goals, key results and check-ins over HTTP for the goals tests."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.factories import Account
from tests.performance.conftest import API, ok

GOALS = f"{API}/goals"


async def post_goal(
    client: AsyncClient, who: Account, title: str, period: str, **more: Any
) -> dict[str, Any]:
    body = {"title": title, "period": period, "status": "active"} | {
        k: str(v) if v is not None and not isinstance(v, str) else v for k, v in more.items()
    }
    return dict(ok(await client.post(GOALS, json=body, headers=who.headers), 201))


def key_result(
    title: str, start: float, target: float, *, weight: float = 1, **more: Any
) -> dict[str, Any]:
    return {
        "title": title,
        "unit": "count",
        "start": start,
        "target": target,
        "weight": weight,
    } | more


async def add_key_result(
    client: AsyncClient, who: Account, goal: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any]:
    url = f"{GOALS}/{goal['id']}/key-results"
    return dict(ok(await client.post(url, json=body, headers=who.headers), 201))


async def check_in(
    client: AsyncClient,
    who: Account,
    goal: dict[str, Any],
    key_result_id: str,
    value: float,
    note: str = "",
) -> dict[str, Any]:
    url = f"{GOALS}/{goal['id']}/key-results/{key_result_id}/check-ins"
    body = {"value": value, "note": note}
    return dict(ok(await client.post(url, json=body, headers=who.headers), 201))
