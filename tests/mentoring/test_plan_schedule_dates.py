"""A plan's schedule is checked against the pairing's dates on PUT /plan: an interval longer
than the pairing (it would never be held) or of 0 months is 422, and nothing is written."""

from __future__ import annotations

from httpx import AsyncClient

from tests.mentoring.pairing_helpers import MENTORSHIPS, listener, pair, setup
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["listener", "world"]

CONTENT = ("goals", "checklist", "schedule", "starts_on", "ends_on", "version")


async def test_an_interval_beyond_the_pairing_or_of_zero_is_422_and_nothing_changes(
    client: AsyncClient, world: World
) -> None:
    ready = await setup(client, world)
    pairing = await pair(client, world.hr, ready, world.junior.id)
    url = f"{MENTORSHIPS}/{pairing['id']}/plan"
    mentor = world.lead_account.headers
    plan = (await client.get(url, headers=mentor)).json()
    body = {name: plan[name] for name in CONTENT}
    three_months = body | {"starts_on": "2027-01-04", "ends_on": "2027-04-04"}
    schedule = [
        {"kind": "one_on_one", "every_months": 1},
        {"kind": "skill_test", "every_months": 3},
        {"kind": "progress_report", "every_months": 4},
    ]
    too_long = await client.put(url, json=three_months | {"schedule": schedule}, headers=mentor)
    assert_problem(too_long, 422, fields={"schedule.2.every_months"})
    shorter = [schedule[0], {"kind": "skill_test", "every_months": 4}]
    both = await client.put(
        url, json=three_months | {"schedule": shorter, "ends_on": "2027-03-31"}, headers=mentor
    )
    assert_problem(both, 422, fields={"schedule.1.every_months"})
    zero = [{"kind": "one_on_one", "every_months": 0}]
    assert_problem(
        await client.put(url, json=three_months | {"schedule": zero}, headers=mentor),
        422,
        fields={"body.schedule.0.every_months"},
    )
    assert (await client.get(url, headers=mentor)).json() == plan
    fits = await client.put(url, json=three_months | {"schedule": schedule[:2]}, headers=mentor)
    assert fits.status_code == 200, fits.text
    assert fits.json()["schedule"] == schedule[:2]
    assert fits.json()["ends_on"] == "2027-04-04"
