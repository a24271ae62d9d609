"""The people ranking reads its candidates from competencies' roster (each employee's post,
kept from people's employment events) and scores them in one statement: its pages are the
head of the exact ranking — every active employee of the subtree the caller may see,
scored one by one in Python from people's own answer — and the roster follows hires and
moves through the worker."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.competencies import repository, stretch_matching
from hrcore.competencies.match_scoring import Weights, developed, fits, total, values
from hrcore.competencies.models import StretchAssignment
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.stretch_helpers import make_assignment
from tests.competencies.test_stretch_matching import _evidence, _model, _pool_member
from tests.factories import make_employee

URL = f"{API}/stretch-assignments"


async def _exact(
    runtime: Runtime,
    org_id: uuid.UUID,
    assignment_id: str,
    caller: uuid.UUID | None,
    reach: list[uuid.UUID] | None,
) -> list[tuple[str, float]]:
    """The definition: people's active employees of the assignment's subtree within the
    reach, in people's order, each scored by `match_scoring` from the newest snapshot, the
    model of their post, their load and pools; best first, ties in people's order."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        assignment = await session.get(StretchAssignment, uuid.UUID(assignment_id))
        assert assignment is not None
        subtree = await org.subtree_ids(session, org_id, assignment.department_id)
        active = await people.active_people_in(session, org_id, subtree, reach)
        everyone = [
            post
            for post in zip(active.ids, active.department_ids, active.position_ids, strict=True)
            if post[0] != caller
        ]
        targets = {(position, department) for _e, department, position in everyone if position}
        standings = await stretch_matching._standings(
            session, org_id, [post[0] for post in everyone], targets
        )
        levels = await repository.competency_levels(
            session, org_id, [uuid.UUID(e["competency_id"]) for e in assignment.competencies]
        )
        competencies = developed(assignment.competencies, levels)
    weights = Weights.of(runtime.settings)
    scored = []
    for order, (employee_id, department_id, position_id) in enumerate(everyone):
        load, on = standings.loads.get(employee_id, (0, set()))
        if assignment.id in on:
            continue
        lines = fits(
            competencies,
            standings.scores.get(employee_id, {}),
            standings.model_of(position_id, department_id),
        )
        pooled = bool(standings.pools.get(employee_id))
        score = total(values(lines, load, pooled, weights.most), weights)
        scored.append((-score, order, str(employee_id), score))
    return [(employee_id, score) for _key, _order, employee_id, score in sorted(scored)]


def _page(body: dict[str, Any]) -> list[tuple[str, float]]:
    return [(item["employee_id"], item["score"]) for item in body["items"]]


@pytest.mark.commits
async def test_pages_of_7_50_and_200_are_the_head_of_the_exact_ranking(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    rng = random.Random(86)
    team = await create(client, world.hr, "Team management", levels=5)
    customers = await create(client, world.hr, "Customer resource integration", levels=4)
    lines = await create(client, world.hr, "Line optimization", levels=3)
    await _model(client, world, world.chief.id, (team, 4, 60), (customers, 2, 40))
    await _model(client, world, world.clerk.id, (customers, 4, 50), (lines, 2, 50))
    posts = [world.chief, world.clerk, None]
    departments = [world.sales, world.sales_east, world.engineering, world.head_office]
    for n in range(60):
        person = await make_employee(
            runtime,
            world.hr.org_id,
            departments[n % 4],
            f"Person {n % 23:02d}",  # names repeat: people's order breaks ties by id
            manager=world.boss,
            position=posts[n % 3],
        )
        if n % 6 == 5:
            continue  # no evidence: people of one post tie
        scored = rng.sample([team, customers, lines], rng.randint(1, 3))
        values_ = [round(rng.choice([2.5, 5.0, rng.uniform(0, 10)]), 1) for _ in scored]
        await _evidence(runtime, world, person.id, *zip(scored, values_, strict=True))
    await run_burst(runtime)
    await _pool_member(client, world, world.member.id)
    whole = await make_assignment(
        client, world.hr, world.head_office.id, (team, 2), (customers, 1), (lines, 2)
    )
    in_sales = await make_assignment(client, world.hr, world.sales.id, (customers, 3), (team, 1))
    ok(
        await client.post(
            f"{URL}/{whole['id']}/assign",
            json={"employee_id": str(world.junior.id)},
            headers=world.hr.headers,
        ),
        201,
    )

    for assignment in (whole, in_sales):
        exact = await _exact(runtime, world.hr.org_id, assignment["id"], None, None)
        assert len({score for _e, score in exact}) < len(exact)  # ties a page may cut through
        for limit in (7, 50, 200):
            body = ok(
                await client.get(
                    f"{URL}/{assignment['id']}/matches?limit={limit}", headers=world.hr.headers
                )
            )
            assert body["candidates"] == len(exact)
            assert _page(body) == exact[:limit]

    # The sales head sees the sales subtree only: the same definition within their reach.
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        sales_people = await people.active_people_in(
            session,
            world.hr.org_id,
            await org.subtree_ids(session, world.hr.org_id, world.sales.id),
            None,
        )
    head = world.sales_head
    exact = await _exact(runtime, world.hr.org_id, in_sales["id"], None, sales_people.ids)
    for limit in (7, 50):
        body = ok(
            await client.get(f"{URL}/{in_sales['id']}/matches?limit={limit}", headers=head.headers)
        )
        assert _page(body) == exact[:limit]
    assert {world.engineer.id, world.boss.id}.isdisjoint(
        uuid.UUID(employee_id) for employee_id, _score in exact
    )


@pytest.mark.commits
async def test_the_roster_follows_hires_and_moves_through_the_worker(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management", levels=5)
    in_sales = await make_assignment(client, world.hr, world.sales.id, (team, 1))
    in_engineering = await make_assignment(client, world.hr, world.engineering.id, (team, 1))
    matches = f"{URL}/{in_sales['id']}/matches?limit=200"
    before = ok(await client.get(matches, headers=world.hr.headers))

    hired = ok(
        await client.post(
            f"{API}/employees",
            json={
                "employee_number": "E-ROSTER-1",
                "full_name": "Newcomer",
                "email": "newcomer@example.com",
                "department_id": str(world.sales_east.id),
                "hire_date": "2025-01-02",
            },
            headers=world.hr.headers,
        ),
        201,
    )
    await run_burst(runtime)
    after_hire = ok(await client.get(matches, headers=world.hr.headers))
    assert after_hire["candidates"] == before["candidates"] + 1
    assert hired["id"] in {item["employee_id"] for item in after_hire["items"]}

    transfer = {
        "kind": "transfer",
        "effective_date": "2025-06-02",
        "department_id": str(world.engineering.id),
    }
    ok(
        await client.post(
            f"{API}/employees/{hired['id']}/events", json=transfer, headers=world.hr.headers
        ),
        201,
    )
    await run_burst(runtime)
    moved = ok(await client.get(matches, headers=world.hr.headers))
    assert hired["id"] not in {item["employee_id"] for item in moved["items"]}
    assert moved["candidates"] == before["candidates"]
    there = ok(
        await client.get(
            f"{URL}/{in_engineering['id']}/matches?limit=200", headers=world.hr.headers
        )
    )
    assert hired["id"] in {item["employee_id"] for item in there["items"]}

    exit_event = {"kind": "exit", "effective_date": "2025-09-01"}
    ok(
        await client.post(
            f"{API}/employees/{hired['id']}/events", json=exit_event, headers=world.hr.headers
        ),
        201,
    )
    await run_burst(runtime)
    gone = ok(
        await client.get(
            f"{URL}/{in_engineering['id']}/matches?limit=200", headers=world.hr.headers
        )
    )
    assert hired["id"] not in {item["employee_id"] for item in gone["items"]}
