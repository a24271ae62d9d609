"""The reads wired into the read-access log outside the profile: a contract (sensitive) read
one by one and in a list, and a competency gap analysis (evaluation), each logged once per
person shown and about the right person; the employee's own contract reads are not logged."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_jobs
from tests.contracts.conftest import make_contract
from tests.privacy.test_read_log import EVENTS, MY_LOG, ReadLogWorld, _items, read_log_world

__all__ = ["read_log_world"]  # the fixture, shared with the profile's tests


async def test_contract_reads_are_logged_as_sensitive_per_person_shown(
    client: AsyncClient, runtime: Runtime, read_log_world: ReadLogWorld
) -> None:
    world = read_log_world
    contract = await make_contract(client, world.hr, world.member.id)
    await make_contract(client, world.hr, world.junior.id)
    one = await client.get(f"/api/v1/contracts/{contract['id']}", headers=world.hr.headers)
    assert one.status_code == 200, one.text
    listed = await client.get("/api/v1/contracts", headers=world.hr.headers)
    assert len(listed.json()["items"]) == 2
    own = await client.get(
        f"/api/v1/contracts/{contract['id']}", headers=world.member_account.headers
    )
    assert own.status_code == 200, own.text
    assert await read_log_jobs.drain_read_log({"runtime": runtime}) == 3, (
        "one for the contract read, one per person in the list; the creating POSTs read none"
    )

    events = await _items(client, EVENTS, world.hr, data_class="sensitive")
    assert sorted((e["subject"]["name"], e["operation"]) for e in events) == [
        ("Junior", "list_contracts"),
        ("Member", "get_contract"),
        ("Member", "list_contracts"),
    ]
    assert {e["what"] for e in events} == {"contract"}
    mine = await _items(client, MY_LOG, world.member_account)
    assert [e["operation"] for e in mine] == ["list_contracts", "get_contract"]


async def test_a_competency_gap_analysis_is_logged_as_evaluation(
    client: AsyncClient, runtime: Runtime, read_log_world: ReadLogWorld
) -> None:
    world = read_log_world
    gaps = await client.get(
        f"/api/v1/employees/{world.junior.id}/competency-gaps",
        headers=world.member_account.headers,
    )
    assert gaps.status_code == 422, "no position: refused, and nothing shown"
    profile = await client.get(
        f"/api/v1/employees/{world.junior.id}/competency-profile",
        headers=world.member_account.headers,
    )
    assert profile.status_code == 200, profile.text
    assert await read_log_jobs.drain_read_log({"runtime": runtime}) == 1, (
        "a refused read logs nothing: its notes go with its error"
    )
    [event] = await _items(client, EVENTS, world.hr)
    assert (event["actor"]["id"], event["subject"]["name"], event["what"]) == (
        str(world.member_account.user_id),
        "Junior",
        "competency_profile",
    )


async def test_a_managers_read_of_ratings_is_logged_and_the_write_before_it_is_not(
    client: AsyncClient, runtime: Runtime, read_log_world: ReadLogWorld
) -> None:
    world = read_log_world
    path = f"/api/v1/employees/{world.member.id}/performance-ratings"
    rated = await client.post(
        path, json={"period": "2025", "letter": "A"}, headers=world.hr.headers
    )
    assert rated.status_code == 201, rated.text
    read = await client.get(path, headers=world.lead_account.headers)
    assert [item["letter"] for item in read.json()["items"]] == ["A"]
    assert await read_log_jobs.drain_read_log({"runtime": runtime}) == 1
    [entry] = await _items(client, MY_LOG, world.member_account)
    assert (entry["actor"]["id"], entry["what"], entry["operation"]) == (
        str(world.lead_account.user_id),
        "performance_ratings",
        "list_performance_ratings",
    )
