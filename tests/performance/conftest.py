"""The people tests' organization (tests.people.conftest.World), the seed's value-based
scheme and helpers to post schemes and observations over HTTP."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from httpx import AsyncClient, Response

from tests.factories import Account
from tests.org.conftest import api_key
from tests.people.conftest import World, world

API = "/api/v1"
ZH = {"Accept-Language": "zh-CN"}

__all__ = ["API", "ZH", "World", "api_key", "observation", "ok", "post_scheme", "scheme", "world"]


def indicator(
    key: str, weight: float, target: float, *, direction: str = "higher", **more: Any
) -> dict[str, Any]:
    return {
        "key": key,
        "name": key.replace("_", " ").capitalize(),
        "unit": "count",
        "direction": direction,
        "weight": weight,
        "target": target,
        "formula": {"kind": "ratio"},
        "aggregation": "sum",
    } | more


def scheme(name: str = "Sales value", **more: Any) -> dict[str, Any]:
    """The seed's five weights: output 30, quality 25, customer feedback 20, innovation
    proposals 15, teamwork 10 (customer feedback is a response time: lower is better)."""
    return {
        "name": name,
        "period": "month",
        "indicators": [
            indicator("output", 30, 100),
            indicator("quality", 25, 95, aggregation="mean", unit="%"),
            indicator(
                "customer_feedback",
                20,
                1,
                direction="lower",
                unit="h",
                aggregation="mean",
                formula={"kind": "linear", "floor": 3},
            ),
            indicator("innovation_proposals", 15, 2),
            indicator("teamwork", 10, 4, aggregation="last", unit="points"),
        ],
    } | more


async def post_scheme(client: AsyncClient, hr: Account, body: dict[str, Any]) -> dict[str, Any]:
    return dict(
        ok(await client.post(f"{API}/performance-schemes", json=body, headers=hr.headers), 201)
    )


def observation(
    employee_id: uuid.UUID | None,
    indicator_key: str,
    value: float,
    observed_at: datetime,
    external_id: str,
    source: str = "crm",
    **more: Any,
) -> dict[str, Any]:
    return {
        "employee_id": str(employee_id) if employee_id else None,
        "indicator": indicator_key,
        "value": value,
        "observed_at": observed_at.isoformat(),
        "source": source,
        "external_id": external_id,
    } | more


def ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()
