"""What recording a promotion costs: the organization's time zone (is the date today or
ahead?) comes with the caller's row, so the organization is not read again."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.people.conftest import World, count_statements


def _organization_reads(statements: list[str]) -> int:
    return sum(1 for s in statements if "FROM organizations" in s)


def _the_requests(statements: list[str]) -> list[str]:
    """Without the test harness's savepoint and tenant reset around each request."""
    harness = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT set_config('app.org_id', '', true)")
    return [s for s in statements if not s.startswith(harness)]


async def test_a_promotion_reads_the_organization_only_with_the_caller(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    body = {"kind": "promotion", "effective_date": "2025-01-01", "position_id": str(world.chief.id)}
    with count_statements(runtime) as sent:
        promoted = await client.post(
            f"/api/v1/employees/{world.peer.id}/events", json=body, headers=world.hr.headers
        )
    assert promoted.status_code == 201, promoted.text
    assert promoted.json()["applied_at"] is not None
    assert _organization_reads(sent.statements) == 0
    # tenant, caller, employee, position, employee update, event, audit, outbox
    assert len(_the_requests(sent.statements)) == 8


async def test_a_promotion_dated_ahead_in_the_organizations_zone_waits(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    body = {"kind": "promotion", "effective_date": "2199-01-01", "position_id": str(world.chief.id)}
    with count_statements(runtime) as sent:
        pending = await client.post(
            f"/api/v1/employees/{world.peer.id}/events", json=body, headers=world.hr.headers
        )
    assert pending.status_code == 201, pending.text
    assert pending.json()["applied_at"] is None
    assert _organization_reads(sent.statements) == 0
