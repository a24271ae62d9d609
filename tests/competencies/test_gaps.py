"""Gap analysis against a position's model: required, current, gap, attainment 「达标」 and
the model version it was measured against."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.competencies import api as competencies
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.factories import make_department, make_org, make_position
from tests.people.conftest import count_statements
from tests.problems import assert_problem

REVIEW = uuid.uuid4()


async def _evidence(
    runtime: Runtime, world: World, competency: dict[str, Any], value: float
) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await competencies.record_evidence(
            session,
            world.hr.org_id,
            employee_id=world.lead.id,
            competency_id=uuid.UUID(competency["id"]),
            value=value,
            source_kind="review",
            source_id=REVIEW,
            observed_at=datetime.now(UTC),
        )


async def _model(
    client: AsyncClient, world: World, *pairs: tuple[dict[str, Any], int, int], query: str = ""
) -> dict[str, Any]:
    body = {
        "entries": [
            {"competency_id": c["id"], "required_level": level, "weight": weight}
            for c, level, weight in pairs
        ]
    }
    url = f"{API}/positions/{world.chief.id}/competency-model{query}"
    return dict(ok(await client.put(url, json=body, headers=world.hr.headers)))


@pytest.mark.commits
async def test_gaps_against_the_own_position_until_every_level_is_met(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management", levels=5)
    customers = await create(client, world.hr, "Customer resource integration", levels=4)
    await _model(client, world, (team, 4, 60), (customers, 2, 40))
    await _evidence(runtime, world, team, 6.0)
    await _evidence(runtime, world, customers, 6.0)
    await run_burst(runtime)
    url = f"{API}/employees/{world.lead.id}/competency-gaps"
    report = ok(await client.get(url, headers=world.lead_account.headers))
    assert (report["position"]["name"], report["model_version"], report["department_id"]) == (
        "Sales chief",
        1,
        None,
    )
    lines = {line["competency"]["name"]: line for line in report["competencies"]}
    team_line = lines["Team management"]
    assert (team_line["required"], team_line["current"], team_line["gap"], team_line["met"]) == (
        8.0,
        6.0,
        2.0,
        False,
    )
    assert lines["Customer resource integration"]["met"] is True
    assert (report["attained"], report["match"]) == (False, 85.0)

    await _evidence(runtime, world, team, 9.0)  # the review corrected: replaces, never adds
    await run_burst(runtime)
    report = ok(await client.get(url, headers=world.hr.headers))
    assert (report["attained"], report["match"]) == (True, 100.0)

    await _model(
        client, world, (team, 4, 50), (customers, 2, 50), query=f"?department_id={world.sales.id}"
    )
    variant = ok(await client.get(url, headers=world.hr.headers))
    assert (variant["department_id"], variant["model_version"]) == (str(world.sales.id), 1)


async def test_no_position_no_model_and_outside_reach(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    await _model(client, world, (team, 3, 100))
    fresh = ok(
        await client.get(
            f"{API}/employees/{world.lead.id}/competency-gaps", headers=world.hr.headers
        )
    )
    assert (fresh["attained"], fresh["match"], fresh["competencies"][0]["current"]) == (
        False,
        0.0,
        None,
    )
    no_post = await client.get(
        f"{API}/employees/{world.member.id}/competency-gaps", headers=world.hr.headers
    )
    assert_problem(no_post, 422, fields={"position_id"})
    chinese = await client.get(
        f"{API}/employees/{world.member.id}/competency-gaps",
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    assert "position" not in assert_problem(chinese, 422)["detail"]
    target = await client.get(
        f"{API}/employees/{world.member.id}/competency-gaps?position_id={world.chief.id}",
        headers=world.member_account.headers,
    )
    assert ok(target)["position_id"] == str(world.chief.id)
    assert_problem(
        await client.get(
            f"{API}/employees/{world.member.id}/competency-gaps?position_id={world.clerk.id}",
            headers=world.hr.headers,
        ),
        404,
        detail="No competency model",
    )
    other = await make_org(runtime)
    their_department = await make_department(runtime, other.org_id, "Theirs")
    theirs = await make_position(runtime, other.org_id, their_department, "Theirs")
    assert_problem(
        await client.get(
            f"{API}/employees/{world.lead.id}/competency-gaps?position_id={theirs.id}",
            headers=world.hr.headers,
        ),
        404,
        detail="No such position",
    )
    assert_problem(
        await client.get(
            f"{API}/employees/{world.engineer.id}/competency-gaps",
            headers=world.junior_account.headers,
        ),
        404,
        detail="No such employee",
    )


@pytest.mark.commits
async def test_profile_and_gap_reads_cost_a_fixed_number_of_statements(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    await _model(client, world, (team, 3, 100))
    await _evidence(runtime, world, team, 5.0)
    await run_burst(runtime)
    profile = f"{API}/employees/{world.lead.id}/competency-profile"
    gaps = f"{API}/employees/{world.lead.id}/competency-gaps"
    with count_statements(runtime) as small_profile:
        ok(await client.get(profile, headers=world.hr.headers))
    with count_statements(runtime) as small_gaps:
        ok(await client.get(gaps, headers=world.hr.headers))
    others = [await create(client, world.hr, f"Skill {n}") for n in range(4)]
    await _model(client, world, (team, 3, 20), *((c, 2, 20) for c in others))
    for competency in others:
        await _evidence(runtime, world, competency, 7.0)
    await run_burst(runtime)
    with count_statements(runtime) as large_profile:
        assert len(ok(await client.get(profile, headers=world.hr.headers))["competencies"]) == 5
    with count_statements(runtime) as large_gaps:
        assert len(ok(await client.get(gaps, headers=world.hr.headers))["competencies"]) == 5
    assert (large_profile.count, large_gaps.count) == (small_profile.count, small_gaps.count)
