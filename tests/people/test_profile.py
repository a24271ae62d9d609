"""The panoramic profile: one read model, fixed cost, trimmed to the caller."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.people.profile import tenure_years
from tests.factories import Account
from tests.people.conftest import World, count_statements


def _path(employee_id: Any) -> str:
    return f"/api/v1/employees/{employee_id}/profile"


async def _profile(client: AsyncClient, account: Account, employee_id: Any) -> Any:
    return await client.get(_path(employee_id), headers=account.headers)


PERIODS = ["2021", "2022", "2023", "2024", "2025", "2025-H1", "2025-H2", "2025-Q1", "2025-Q2"]
PERIODS += ["2025-Q3"]


async def _add_history(client: AsyncClient, world: World, employee_id: Any, size: int) -> None:
    """`size` team-lead temporary posts (2021, month by month) and `size` ratings."""
    for month, period in zip(range(1, size + 1), PERIODS, strict=False):
        event = await client.post(
            f"/api/v1/employees/{employee_id}/events",
            json={
                "kind": "temporary_post",
                "effective_date": f"2021-{month:02d}-01",
                "end_date": f"2021-{month:02d}-28",
                "title": f"Project lead {month}",
                "leads_team": True,
            },
            headers=world.hr.headers,
        )
        assert event.status_code == 201, event.text
        rating = await client.post(
            f"/api/v1/employees/{employee_id}/performance-ratings",
            json={"period": period, "letter": "A"},
            headers=world.hr.headers,
        )
        assert rating.status_code == 201, rating.text


async def test_profile_gathers_everything(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _add_history(client, world, world.member.id, 5)
    await client.post(
        f"/api/v1/employees/{world.member.id}/events",
        json={
            "kind": "promotion",
            "effective_date": "2026-01-01",
            "position_id": str(world.chief.id),
        },
        headers=world.hr.headers,
    )
    await client.put(
        "/api/v1/me/growth-profile",
        json={"skills": [{"name": "Negotiation", "level": 4}]},
        headers=world.member_account.headers,
    )
    original, runtime.clock = runtime.clock, FrozenClock(datetime(2026, 3, 1, 20, tzinfo=UTC))
    try:
        response = await _profile(client, world.hr, world.member.id)  # 2 March in Shanghai
    finally:
        runtime.clock = original
    assert response.status_code == 200, response.text
    profile = response.json()
    basics = profile["basics"]
    assert basics["department"] == {"id": str(world.sales_east.id), "name": "Sales East"}
    assert basics["position"]["name"] == "Sales chief"
    assert basics["position"]["is_management"] is True
    assert basics["manager"] == {"id": str(world.lead.id), "name": "Lead"}
    assert basics["email"] == "member@example.com"
    assert basics["tenure_years"] == tenure_years(date(2020, 1, 1), date(2026, 3, 2))
    assert [event["kind"] for event in profile["employment_history"]][-1] == "promotion"
    assert profile["management_experience"] == 6  # five team leads and a management post
    assert [rating["period"] for rating in profile["performance_trend"]] == ["2023", "2024", "2025"]
    hr = {"id": str(world.hr.user_id), "name": world.hr.email.split("@")[0]}
    assert [rating["rated_by_user"] for rating in profile["performance_trend"]] == [hr] * 3
    assert profile["growth_profile"]["skills"][0]["name"] == "Negotiation"
    assert profile["current_post"]["position"]["id"] == str(world.chief.id)
    assert profile["current_post"]["temporary_posts"] == []
    assert profile["contracts"] == []
    assert profile["program_participation"] == []
    assert profile["trainings"] == []
    assert profile["points"] == []
    assert profile["mentoring"] == []
    assert profile["mentor_effectiveness"] == []
    for section in ("projects", "peer_feedback"):
        assert section not in profile  # no such domain yet: absent, not falsely empty


async def test_running_temporary_posts_are_part_of_the_current_post(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await client.post(
        f"/api/v1/employees/{world.member.id}/events",
        json={
            "kind": "temporary_post",
            "effective_date": "2026-01-01",
            "end_date": "2026-12-31",
            "title": "Assistant to the chief",
            "allowance": "800",
        },
        headers=world.hr.headers,
    )
    original, runtime.clock = runtime.clock, FrozenClock(datetime(2026, 6, 1, tzinfo=UTC))
    try:
        profile = (await _profile(client, world.hr, world.member.id)).json()
    finally:
        runtime.clock = original
    [running] = profile["current_post"]["temporary_posts"]
    assert running["title"] == "Assistant to the chief"
    assert profile["current_post"]["department"]["id"] == str(world.sales_east.id)


async def test_profile_is_trimmed_for_non_hr(client: AsyncClient, world: World) -> None:
    for account in (world.member_account, world.lead_account, world.sales_head):
        response = await _profile(client, account, world.member.id)
        assert response.status_code == 200
        profile = response.json()
        own = account is world.member_account
        assert profile["basics"]["email"] == ("member@" if own else "m***@") + "example.com"
        phone = "+86 138 0000 0000" if own else "+86**********0000"
        assert profile["basics"]["phone"] == phone
        # Contracts are HR data the employee sees too (contracts.access.may_see).
        assert profile["contracts"] == ([] if account is world.member_account else None)
        assert profile["basics"]["full_name"] == "Member"


async def test_profile_outside_reach_is_404(client: AsyncClient, world: World) -> None:
    assert (await _profile(client, world.junior_account, world.member.id)).status_code == 404
    assert (await _profile(client, world.sales_head, world.engineer.id)).status_code == 404
    assert (await _profile(client, world.lead_account, world.boss.id)).status_code == 404


@pytest.mark.commits
async def test_profile_costs_the_same_for_short_and_long_histories(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _add_history(client, world, world.member.id, 1)
    await _add_history(client, world, world.junior.id, 10)
    for account, expected in ((world.hr, 12), (world.lead_account, 12), (world.sales_head, 13)):
        counts = []
        for employee in (world.member, world.junior):
            with count_statements(runtime) as counter:
                response = await _profile(client, account, employee.id)
            assert response.status_code == 200
            counts.append(counter.count)
        assert counts[0] == counts[1], account
        # Programs', contracts', the development plan's, trainings', points' and mentoring's
        # sections cost one statement each (contracts HR only here).
        assert counts[0] == expected, (account, counts)
    long = (await _profile(client, world.hr, world.junior.id)).json()
    assert len(long["employment_history"]) == 10
    assert long["management_experience"] == 10


def test_tenure_counts_years_since_hire() -> None:
    assert tenure_years(date(2020, 1, 1), date(2026, 1, 1)) == 6.0
    assert tenure_years(date(2024, 1, 1), date(2024, 7, 2)) == 0.5
    assert tenure_years(date(2030, 1, 1), date(2026, 1, 1)) == 0.0
