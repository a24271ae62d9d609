"""A ranking sorts bare scores and explains only its page: whatever the page size, the page
is the head of the whole ranking, in the order of the scores it shows (ties by name for
people, oldest first for assignments), and each shown score is what its factors add up to."""

from __future__ import annotations

import random
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.stretch_helpers import make_assignment
from tests.competencies.test_stretch_matching import _evidence, _model, _pool_member
from tests.factories import make_employee

URL = f"{API}/stretch-assignments"


def _consistent(item: dict[str, Any]) -> None:
    """The shown score is its factors' points, and the factors follow from the lines."""
    factors = {factor["factor"]: factor for factor in item["factors"]}
    assert item["score"] == round(sum(factor["points"] for factor in item["factors"]), 2)
    lines = item["competencies"]
    count = len(lines) or 1
    gap_fit = sum(line["gap"] / line["required"] for line in lines if line["required"]) / count
    readiness = sum(min((line["current"] or 0.0) / line["start"], 1.0) for line in lines) / count
    assert factors["gap_fit"]["value"] == pytest.approx(gap_fit, abs=1e-4)
    assert factors["readiness"]["value"] == pytest.approx(readiness, abs=1e-4)


def _in_score_order(items: list[dict[str, Any]], tie: str) -> None:
    keys = [(-item["score"], item[tie]) for item in items]
    assert keys == sorted(keys)
    assert [item["rank"] for item in items] == list(range(1, len(items) + 1))


@pytest.mark.commits
async def test_every_page_is_the_head_of_the_ranking_in_score_order(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    rng = random.Random(21)
    team = await create(client, world.hr, "Team management", levels=5)
    customers = await create(client, world.hr, "Customer resource integration", levels=4)
    lines = await create(client, world.hr, "Line optimization", levels=3)
    await _model(client, world, world.chief.id, (team, 4, 60), (customers, 2, 40))
    await _model(client, world, world.clerk.id, (customers, 4, 50), (lines, 2, 50))
    posts = [world.chief, world.clerk, None]
    for n in range(24):
        person = await make_employee(
            runtime,
            world.hr.org_id,
            world.sales_east if n % 4 == 0 else world.sales,
            f"Person {n:02d}",
            manager=world.boss,
            position=posts[n % 3],
        )
        if n % 5 == 4:
            continue  # no evidence: people of one post tie
        scored = rng.sample([team, customers, lines], rng.randint(1, 3))
        if n % 7 == 0:
            scored = [team, customers, lines]
        await _evidence(
            runtime,
            world,
            person.id,
            *[(c, 5.0 if n % 7 == 0 else round(rng.uniform(0, 10), 1)) for c in scored],
        )
    await run_burst(runtime)
    await _pool_member(client, world, world.member.id)
    assignment = await make_assignment(
        client, world.hr, world.sales.id, (team, 2), (customers, 1), (lines, 2)
    )
    busy = await make_assignment(client, world.hr, world.sales.id, (team, 1), title="Busy")
    ok(
        await client.post(
            f"{URL}/{busy['id']}/assign",
            json={"employee_id": str(world.junior.id)},
            headers=world.hr.headers,
        ),
        201,
    )

    url = f"{URL}/{assignment['id']}/matches"
    everyone = ok(await client.get(f"{url}?limit=200", headers=world.hr.headers))
    ranked = everyone["items"]
    assert everyone["candidates"] == len(ranked) == 28  # 24 + Lead, Member, Junior, Peer
    for item in ranked:
        item["name"] = item["employee"]["name"]
        _consistent(item)
    _in_score_order(ranked, "name")
    scores = [item["score"] for item in ranked]
    assert len(set(scores)) < len(scores)  # ties, which a page may cut through
    for limit in range(1, len(ranked) + 1):
        page = ok(await client.get(f"{url}?limit={limit}", headers=world.hr.headers))["items"]
        assert [(i["employee_id"], i["score"]) for i in page] == [
            (i["employee_id"], i["score"]) for i in ranked[:limit]
        ]

    # The other way: one person, many assignments.
    for n in range(14):
        developed = [(c, rng.randint(1, 3)) for c in rng.sample([team, customers, lines], 2)]
        await make_assignment(
            client,
            world.hr,
            rng.choice([world.sales.id, world.head_office.id]),
            *developed,
            title=f"Assignment {n:02d}",
        )
    me = f"{API}/me/stretch-assignment-matches"
    mine = ok(await client.get(f"{me}?limit=200", headers=world.lead_account.headers))["items"]
    assert len(mine) == 15  # the 14 and the first ("Busy" has no slot left)
    for item in mine:
        _consistent(item)
    _in_score_order(mine, "assignment_id")  # ids grow with time: oldest first
    assert len({item["score"] for item in mine}) < len(mine)
    for limit in (1, 3, 8, 15):
        page = ok(await client.get(f"{me}?limit={limit}", headers=world.lead_account.headers))
        assert page["items"] == mine[:limit]
