"""Mentoring wired into the read-access log: a pairing's sessions (its 1:1s and skill tests)
read by HR or the mentor are logged as evaluation reads about the mentee, a mentor's
effectiveness read by HR about the mentor; the mentee's and the mentor's own reads are not."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_jobs
from tests.conftest import frozen_clock
from tests.mentoring.schedule_helpers import START, make_pairing
from tests.people.conftest import World, world
from tests.privacy.test_read_log import EVENTS, _items

__all__ = ["world"]


async def test_sessions_and_effectiveness_read_by_others_are_logged(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    async with frozen_clock(runtime, START):
        pairing = await make_pairing(client, world.hr, world.member, world.junior)
    await read_log_jobs.drain_read_log({"runtime": runtime})  # the set-up's own reads
    for account in (world.hr, world.member_account, world.junior_account):
        sessions = await client.get(pairing.sessions, headers=account.headers)
        assert sessions.status_code == 200, sessions.text
    effectiveness = f"/api/v1/mentors/{pairing.mentor_id}/effectiveness"
    for account in (world.hr, world.member_account):
        read = await client.get(effectiveness, headers=account.headers)
        assert read.status_code == 200, read.text
    assert await read_log_jobs.drain_read_log({"runtime": runtime}) == 3, (
        "HR's and the mentor's reads of the sessions, HR's of the effectiveness"
    )

    events = await _items(client, EVENTS, world.hr)
    assert sorted(
        (e["subject"]["name"], e["what"], e["actor_id"], e["operation"]) for e in events
    ) == sorted(
        [
            ("Junior", "mentoring_sessions", str(world.hr.user_id), "list_mentoring_sessions"),
            (
                "Junior",
                "mentoring_sessions",
                str(world.member_account.user_id),
                "list_mentoring_sessions",
            ),
            ("Member", "mentor_effectiveness", str(world.hr.user_id), "get_mentor_effectiveness"),
        ]
    )
    assert {e["data_class"] for e in events} == {"evaluation"}
