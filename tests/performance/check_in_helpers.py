"""Helpers of the check-in and feedback tests: days relative to today and the calls they
repeat."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from httpx import AsyncClient

from tests.factories import Account
from tests.performance.conftest import API, ok

CHECK_INS = f"{API}/check-ins"
FEEDBACK = f"{API}/feedback"


def days_from_today(days: int) -> str:
    """A day relative to today: a week or two either way, whatever the zone."""
    return (date.today() + timedelta(days=days)).isoformat()


def next_week() -> str:
    return (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0).isoformat()


async def schedule(
    client: AsyncClient, manager: Account, report_id: Any, **more: Any
) -> dict[str, Any]:
    body = {"report_id": str(report_id), "scheduled_at": next_week()} | more
    return dict(ok(await client.post(CHECK_INS, json=body, headers=manager.headers), 201))


async def audited(client: AsyncClient, hr: Account, object_id: str) -> list[dict[str, Any]]:
    """The audit events of one object, oldest first."""
    response = await client.get(f"{API}/audit-events?object_id={object_id}", headers=hr.headers)
    return list(reversed(ok(response)["items"]))
