"""Building stretch assignments over HTTP for the stretch tests."""

from __future__ import annotations

import uuid
from typing import Any

from httpx import AsyncClient

from tests.competencies.conftest import API, ok
from tests.factories import Account

ZH = {"Accept-Language": "zh-CN"}


def body(
    department_id: uuid.UUID, *developed: tuple[dict[str, Any], int], **fields: Any
) -> dict[str, Any]:
    """An assignment of `department_id` developing each (competency, start level)."""
    return {
        "title": "Lead the new-customer project",
        "description": "Win three new accounts in the east region",
        "department_id": str(department_id),
        "team_size": 4,
        "starts_on": "2027-01-04",
        "ends_on": "2027-03-31",
        "competencies": [
            {"competency_id": competency["id"], "start_level": level}
            for competency, level in developed
        ],
    } | fields


async def make_assignment(
    client: AsyncClient,
    account: Account,
    department_id: uuid.UUID,
    *developed: tuple[dict[str, Any], int],
    **fields: Any,
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/stretch-assignments",
        json=body(department_id, *developed, **fields),
        headers=account.headers,
    )
    return dict(ok(response, 201))


async def audited(client: AsyncClient, hr: Account, object_id: str) -> list[dict[str, Any]]:
    """The audit events of one object, oldest first."""
    response = await client.get(f"{API}/audit-events?object_id={object_id}", headers=hr.headers)
    return list(reversed(ok(response)["items"]))
