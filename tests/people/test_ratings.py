"""Performance ratings: who may rate whom, one per period."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.conftest import recorded_statements
from tests.factories import Account
from tests.people.conftest import World


def _user(account: Account) -> dict[str, str]:
    """The `{id, name}` link of a user account: its display name."""
    return {"id": str(account.user_id), "name": account.email.split("@")[0]}


async def _rate(
    client: AsyncClient, account: Account, employee_id: Any, period: str = "2025", **value: Any
) -> Any:
    body = {"period": period} | (value or {"letter": "A"})
    return await client.post(
        f"/api/v1/employees/{employee_id}/performance-ratings", json=body, headers=account.headers
    )


async def test_hr_department_head_and_managers_rate(client: AsyncClient, world: World) -> None:
    assert (await _rate(client, world.hr, world.boss.id)).status_code == 201
    assert (await _rate(client, world.sales_head, world.peer.id)).status_code == 201
    direct = await _rate(client, world.member_account, world.junior.id, score="4.5")
    assert direct.status_code == 201, direct.text
    assert float(direct.json()["score"]) == 4.5
    indirect = await _rate(client, world.lead_account, world.junior.id, period="2024")
    assert indirect.status_code == 201
    assert indirect.json()["rated_by"] == str(world.lead_account.user_id)
    assert indirect.json()["rated_by_user"] == _user(world.lead_account)


async def test_nobody_rates_themself(client: AsyncClient, world: World) -> None:
    own = await _rate(client, world.junior_account, world.junior.id)
    assert own.status_code == 403
    manager_on_self = await _rate(client, world.lead_account, world.lead.id)
    assert manager_on_self.status_code == 403


async def test_rating_outside_reach_is_404(client: AsyncClient, world: World) -> None:
    assert (await _rate(client, world.junior_account, world.member.id)).status_code == 404
    assert (await _rate(client, world.lead_account, world.boss.id)).status_code == 404
    assert (await _rate(client, world.sales_head, world.engineer.id)).status_code == 404


async def test_second_rating_for_a_period_is_409(client: AsyncClient, world: World) -> None:
    assert (await _rate(client, world.hr, world.peer.id, "2025-H1")).status_code == 201
    again = await _rate(client, world.hr, world.peer.id, "2025-H1", letter="B")
    assert again.status_code == 409
    assert (await _rate(client, world.hr, world.peer.id, "2025-H2")).status_code == 201


async def test_rating_values_are_validated(client: AsyncClient, world: World) -> None:
    for period, value in (
        ("2025", {"letter": "E"}),
        ("2025", {"score": "5.5"}),
        ("2025", {"score": "0"}),
        ("2025", {"letter": "A", "score": "3"}),
        ("2025-H3", {"letter": "A"}),
        ("25", {"letter": "A"}),
    ):
        response = await _rate(client, world.hr, world.peer.id, period, **value)
        assert response.status_code == 422, (period, value)
    neither = await client.post(
        f"/api/v1/employees/{world.peer.id}/performance-ratings",
        json={"period": "2025"},
        headers=world.hr.headers,
    )
    assert neither.status_code == 422


async def test_employees_read_their_own_ratings(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _rate(client, world.hr, world.junior.id, "2024", letter="B")
    await _rate(client, world.hr, world.junior.id, "2023", score="3")
    own = await client.get(
        f"/api/v1/employees/{world.junior.id}/performance-ratings",
        headers=world.junior_account.headers,
    )
    assert own.status_code == 200
    assert [item["period"] for item in own.json()["items"]] == ["2023", "2024"]
    others = await client.get(
        f"/api/v1/employees/{world.member.id}/performance-ratings",
        headers=world.junior_account.headers,
    )
    assert others.status_code == 404


async def test_ratings_are_audited(client: AsyncClient, world: World) -> None:
    created = await _rate(client, world.lead_account, world.member.id)
    events = await client.get(
        "/api/v1/audit-events",
        params={"object_type": "performance_rating", "object_id": created.json()["id"]},
        headers=world.hr.headers,
    )
    [recorded] = events.json()["items"]
    assert recorded["actor_id"] == str(world.lead_account.user_id)
    assert recorded["after"]["letter"] == "A"


async def test_the_list_names_each_rater_in_its_one_statement(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    url = f"/api/v1/employees/{world.junior.id}/performance-ratings"
    assert (await _rate(client, world.hr, world.junior.id, "2023")).status_code == 201

    async def listed() -> tuple[int, list[Any]]:
        with recorded_statements(runtime) as statements:
            response = await client.get(url, headers=world.hr.headers)
        assert response.status_code == 200, response.text
        return len(statements), response.json()["items"]

    few, _ = await listed()
    for account, period in ((world.member_account, "2024"), (world.lead_account, "2025")):
        assert (await _rate(client, account, world.junior.id, period)).status_code == 201
    many, items = await listed()
    assert many == few
    assert [(item["rated_by"], item["rated_by_user"]) for item in items] == [
        (str(account.user_id), _user(account))
        for account in (world.hr, world.member_account, world.lead_account)
    ]
