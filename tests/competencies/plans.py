"""Helpers of the development-plan tests: a library and a position model to draw goals
from, and a plan created over HTTP."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.competencies.conftest import API, World, create, ok
from tests.factories import Account

PLANS = f"{API}/development-plans"
ZH = {"Accept-Language": "zh-CN"}


async def library(client: AsyncClient, world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two competencies (5 and 4 levels) and the sales chief's model needing 4 and 2."""
    team = await create(client, world.hr, "Team management", levels=5)
    customers = await create(client, world.hr, "Customer resource integration", levels=4)
    body = {
        "entries": [
            {"competency_id": team["id"], "required_level": 4, "weight": 60},
            {"competency_id": customers["id"], "required_level": 2, "weight": 40},
        ]
    }
    ok(
        await client.put(
            f"{API}/positions/{world.chief.id}/competency-model",
            json=body,
            headers=world.hr.headers,
        )
    )
    return team, customers


def goal(competency: dict[str, Any], level: int) -> dict[str, Any]:
    return {"competency_id": competency["id"], "target_level": level}


async def new_plan(client: AsyncClient, account: Account, status: int = 201, **body: Any) -> Any:
    return ok(
        await client.post(
            PLANS,
            json={"period": "2027", "title": "Growing into the chief's role", **body},
            headers=account.headers,
        ),
        status,
    )


async def patch(client: AsyncClient, account: Account, plan: dict[str, Any], **body: Any) -> Any:
    return await client.patch(
        f"{PLANS}/{plan['id']}",
        json=body,
        headers=account.headers | {"If-Match": f'"{plan["version"]}"'},
    )
