"""Stretch-assignment rankings wired into the read-access log: the people a manager ranks
for an assignment, and one person's matches read by their manager, are logged as
evaluation reads about each person named; the person's own matches are not."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_jobs
from tests.competencies.conftest import API, World, create, ok, world
from tests.competencies.stretch_helpers import make_assignment
from tests.privacy.test_read_log import EVENTS, _items

__all__ = ["world"]


@pytest.mark.commits
async def test_ranked_and_matched_people_are_logged_and_own_matches_are_not(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    team = await create(client, world.hr, "Team management")
    assignment = await make_assignment(client, world.hr, world.sales.id, (team, 2))
    await read_log_jobs.drain_read_log({"runtime": runtime})  # the set-up's own reads
    ranked = ok(
        await client.get(
            f"{API}/stretch-assignments/{assignment['id']}/matches",
            headers=world.lead_account.headers,
        )
    )
    assert {i["employee"]["name"] for i in ranked["items"]} == {"Member", "Junior"}
    ok(
        await client.get(
            f"{API}/employees/{world.member.id}/stretch-assignment-matches",
            headers=world.lead_account.headers,
        )
    )
    for own in (
        f"{API}/me/stretch-assignment-matches",
        f"{API}/employees/{world.member.id}/stretch-assignment-matches",
    ):
        ok(await client.get(own, headers=world.member_account.headers))
    assert await read_log_jobs.drain_read_log({"runtime": runtime}) == 3, (
        "the two people ranked and the one person matched; Member's own reads are not logged"
    )

    events = await _items(client, EVENTS, world.hr)
    assert sorted((e["subject"]["name"], e["operation"]) for e in events) == [
        ("Junior", "match_stretch_assignment"),
        ("Member", "get_stretch_assignment_matches"),
        ("Member", "match_stretch_assignment"),
    ]
    assert {(e["actor_id"], e["what"], e["data_class"]) for e in events} == {
        (str(world.lead_account.user_id), "stretch_assignment_match", "evaluation")
    }
