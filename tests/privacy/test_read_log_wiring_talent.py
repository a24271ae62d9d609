"""Talent reads wired into the read-access log: a pool's members with their readiness and
9-box (listed, ranked by readiness, on the grid, a member's history), a pool's screening
results and a vacancy's ranked candidates are logged per person shown as evaluation reads;
an employee's own membership and `/me/vacancy-rankings` are not. The screening is a POST, so
its entries go through the outbox and the worker."""

from __future__ import annotations

from collections import defaultdict

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_jobs
from hrcore.worker import run_burst
from tests.people.conftest import World
from tests.privacy.test_read_log import EVENTS, _items
from tests.talent.test_competition import Competition, _award, competition
from tests.talent.test_vacancies import (
    POOLS,
    VACANCIES,
    Succession,
    clock,
    storage_dir,
    succession,
    world,
)

__all__ = ["clock", "competition", "storage_dir", "succession", "world"]


async def _names(client: AsyncClient, path: str, world: World, **params: str) -> set[str]:
    response = await client.get(path, params=params, headers=world.hr.headers)
    assert response.status_code == 200, response.text
    return {item["employee"]["name"] for item in response.json()["items"]}


@pytest.mark.commits
async def test_hrs_talent_reads_are_logged_per_person_shown_and_own_reads_are_not(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    succession: Succession,
    clock: FrozenClock,
) -> None:
    pool, vacancy = succession.pool["id"], succession.vacancy["id"]
    await read_log_jobs.drain_read_log({"runtime": runtime})  # the set-up's own reads
    members = f"{POOLS}/{pool}/members"
    shown = {
        "list_talent_pool_members": await _names(client, members, world),
        "list_vacancy_candidates": await _names(client, f"{VACANCIES}/{vacancy}/candidates", world),
    }
    assert shown["list_talent_pool_members"] == {"Peer", "Member", "Engineer"}
    assert await _names(client, members, world, sort="readiness") == {"Peer", "Member", "Engineer"}
    grid = await client.get(f"{POOLS}/{pool}/nine-box", headers=world.hr.headers)
    assert grid.status_code == 200, grid.text
    member_id = succession.members["Member"]["id"]
    history = await client.get(f"{members}/{member_id}/history", headers=world.hr.headers)
    assert history.status_code == 200, history.text
    screened = await client.post(
        f"{POOLS}/{pool}/screen", json={"only_passing": False}, headers=world.hr.headers
    )
    assert screened.status_code == 200, screened.text
    shown["screen_talent_pool"] = {c["employee"]["name"] for c in screened.json()["candidates"]}
    assert "Member" in shown["screen_talent_pool"]

    own = await client.get(members, headers=world.member_account.headers)
    assert [m["employee"]["name"] for m in own.json()["items"]] == ["Member"]
    rankings = await client.get("/api/v1/me/vacancy-rankings", headers=world.member_account.headers)
    assert [r["vacancy_id"] for r in rankings.json()["items"]] == [vacancy]
    await read_log_jobs.drain_read_log({"runtime": runtime})
    await run_burst(runtime)  # the screening is a POST: its entries went through the outbox

    events = await _items(client, EVENTS, world.hr, data_class="evaluation", limit="200")
    logged: dict[tuple[str, str], set[str]] = defaultdict(set)
    for event in events:
        assert event["actor_id"] == str(world.hr.user_id), "the member's own reads are not logged"
        logged[event["operation"], event["what"]].add(event["subject"]["name"])
    assert dict(logged) == {
        ("list_talent_pool_members", "talent_pool_member"): shown["list_talent_pool_members"],
        ("get_talent_pool_nine_box", "talent_pool_member"): {"Peer", "Member", "Engineer"},
        ("list_talent_pool_member_history", "talent_pool_member"): {"Member"},
        ("screen_talent_pool", "talent_pool_screening"): shown["screen_talent_pool"],
        ("list_vacancy_candidates", "vacancy_ranking"): shown["list_vacancy_candidates"],
    }


async def test_a_competitions_applications_are_logged_per_applicant_listed(
    client: AsyncClient, runtime: Runtime, competition: Competition
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    await _award(client, world.hr, world.member.id, 2)
    applied = await client.post(
        f"{VACANCIES}/{vacancy_id}/applications", json={}, headers=world.member_account.headers
    )
    assert applied.status_code == 201, applied.text
    await read_log_jobs.drain_read_log({"runtime": runtime})  # the set-up's own reads
    listed = await client.get(
        f"{VACANCIES}/{vacancy_id}/applications", headers=world.sales_head.headers
    )
    assert [a["employee"]["name"] for a in listed.json()["items"]] == ["Member"]
    assert await read_log_jobs.drain_read_log({"runtime": runtime}) == 1

    [event] = await _items(client, EVENTS, world.hr, subject_employee_id=str(world.member.id))
    assert (event["actor_id"], event["what"], event["operation"]) == (
        str(world.sales_head.user_id),
        "vacancy_application",
        "list_vacancy_applications",
    )
