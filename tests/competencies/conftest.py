"""The people tests' organization (tests.people.conftest.World) plus helpers to build a
competency library and a model over HTTP."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.factories import Account
from tests.people.conftest import World, world

API = "/api/v1"

__all__ = ["API", "World", "competency", "create", "ok", "world"]


def competency(name: str, levels: int = 5, category: str = "management") -> dict[str, Any]:
    return {
        "name": name,
        "category": category,
        "description": f"{name}: what it takes",
        "levels": [
            {"name": f"L{number}", "indicators": [f"{name} at level {number}"]}
            for number in range(1, levels + 1)
        ],
    }


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def create(client: AsyncClient, hr: Account, name: str, levels: int = 5) -> dict[str, Any]:
    return dict(
        ok(
            await client.post(
                f"{API}/competencies", json=competency(name, levels), headers=hr.headers
            ),
            201,
        )
    )
