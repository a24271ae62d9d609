"""Each kind of automated evaluation reaches the person explained (PIPL Art. 24): competency
scores, stretch matches and live performance scores computed by the worker, a mentor's
effectiveness, and the screening of the pools the person is in — never another person named,
in the reader's language, at a fixed number of statements."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.mentoring import effectiveness
from hrcore.worker import run_burst
from tests.competencies.conftest import create
from tests.competencies.stretch_helpers import make_assignment
from tests.mentoring.effectiveness_helpers import make_mentor, make_pairing, rate
from tests.people.conftest import World, count_statements, world
from tests.performance.conftest import api_key, observation, post_scheme, scheme
from tests.privacy.test_automated import API, MINE, ZH, _mine, ok
from tests.talent.test_vacancies import POOLS, _member
from tests.training.needs_world import sales

__all__ = ["world"]

DECEMBER = datetime(2026, 12, 3, 9, tzinfo=UTC)
STARTS, ENDS = date(2025, 1, 10), date(2025, 12, 20)


@pytest.mark.commits
async def test_competency_stretch_and_performance_evaluations_explain_themselves(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    hr, member = world.hr, world.member_account
    team = await create(client, hr, "Team management")
    assessed = await client.post(
        f"{API}/competency-evidence",
        json={
            "employee_id": str(world.member.id),
            "competency_id": team["id"],
            "value": 6.2,
            "note": "Led the launch",
        },
        headers=world.lead_account.headers,
    )
    ok(assessed, 201)
    assignment = await make_assignment(client, hr, world.head_office.id, (team, 2))
    created = await post_scheme(client, hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, hr, "metrics:write")
    batch = {
        "items": [
            observation(world.member.id, "output", 80, DECEMBER, "o1"),
            observation(world.member.id, "quality", 95, DECEMBER, "q1"),
        ]
    }
    ok(await client.post(f"{API}/metric-observations", json=batch, headers=key))
    await run_burst(runtime)

    found = {e["kind"]: e for e in (await _mine(client, member))["items"]}
    assert set(found) == {"stretch_match", "competency_score", "performance_score"}

    score = found["competency_score"]
    assert score["id"] == f"competency_score:{team['id']}"
    assert (score["subject"]["name"], score["result"]["score"], score["result"]["out_of"]) == (
        "Team management",
        6.2,
        10,
    )
    [evidence] = score["factors"]
    assert evidence["factor"] == "manual"
    assert evidence["explanation"].startswith("an assessment of 6.2 on ")
    assert "Lead" not in str(score), "never who assessed"

    match = found["stretch_match"]
    assert match["id"] == f"stretch_match:{assignment['id']}"
    assert (match["result"]["rank"], match["subject"]["id"]) == (1, assignment["id"])
    assert [f["factor"] for f in match["factors"]] == ["gap_fit", "readiness", "load", "pool"]
    assert match["factors"][3]["explanation"].startswith("active membership of a talent pool: 0%")

    live = found["performance_score"]
    assert live["id"].startswith("performance_score:")
    assert live["id"].endswith(":2026-12")
    assert live["subject"] == {"id": created["id"], "name": "Sales value"}
    assert live["subject_type"] == "performance_scheme"
    output = next(f for f in live["factors"] if f["factor"] == "output")
    assert (output["value"], output["weight"], output["points"]) == (80.0, 30.0, 80.0)
    assert output["explanation"] == "Output: 80 count from 1 observations against a target of 100"

    objected = ok(
        await client.post(
            f"{MINE}/{live['id']}/objection",
            json={"message": "Two deals were booked late"},
            headers=member.headers,
        ),
        201,
    )
    assert objected["kind"] == "performance_score"
    assert objected["evaluation"]["factors"] == live["factors"]


async def _score_mentor(runtime: Runtime, world: World, program_id: uuid.UUID | None) -> Any:
    """Member mentors Junior (rated 3.0, then 3.6) in a program; the recompute scores it."""
    org_id = world.hr.org_id
    mentor = await make_mentor(runtime, org_id, world.member.id, program_id)
    await make_pairing(runtime, mentor, world.junior.id, starts_on=STARTS, ends_on=ENDS, goals=[])
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await effectiveness.recompute(
            session, org_id, runtime.settings, runtime.clock.now(), [mentor.id]
        )
    return mentor


async def test_a_mentors_effectiveness_is_theirs_to_see_and_object_to(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await rate(client, world.hr, world.junior.id, y2024=3.0, y2025=3.6)
    first = await _score_mentor(runtime, world, None)
    member = world.member_account
    with count_statements(runtime) as one:
        [scored] = (await _mine(client, member))["items"]
    assert scored["id"] == f"mentor_effectiveness:{first.program_id}"
    assert (scored["subject_type"], scored["subject"]["id"]) == (
        "mentoring_program",
        str(first.program_id),
    )
    assert scored["result"] == {"score": 100.0, "out_of": 100, "verdict": None, "rank": None}
    gain = next(f for f in scored["factors"] if f["factor"] == "performance_gain")
    assert gain["explanation"] == (
        "Mean gain of the mentees' performance rating, over 1 of 1 pairings rated before and since"
    )
    assert "Junior" not in str(scored), "never a mentee's name"
    assert ok(await client.get(MINE, headers=world.junior_account.headers))["items"] == []

    second = await _score_mentor(runtime, world, None)
    with count_statements(runtime) as two:
        both = (await _mine(client, member))["items"]
    assert {e["subject"]["id"] for e in both} == {str(first.program_id), str(second.program_id)}
    assert two.count == one.count
    objected = ok(
        await client.post(
            f"{MINE}/{scored['id']}/objection",
            json={"message": "Junior's rating came from another manager"},
            headers=member.headers,
        ),
        201,
    )
    assert objected["evaluation"]["result"]["score"] == 100.0


async def _pool(client: AsyncClient, world: World, name: str, rules: list[Any]) -> Any:
    body = {"name": name, "target_position_id": str(world.chief.id), "rules": rules}
    return ok(await client.post(POOLS, json=body, headers=world.hr.headers), 201)


async def test_the_screening_of_a_pool_the_person_is_in_is_explained_rule_by_rule(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    tenured = await _pool(client, world, "Tenured", [{"kind": "tenure", "min_years": 0}])
    nominated = await client.post(
        f"{POOLS}/{tenured['id']}/members",
        json={"employee_id": str(world.member.id), "reason": "Steady"},
        headers=world.hr.headers,
    )
    ok(nominated, 201)
    await _pool(client, world, "Not mine", [{"kind": "tenure", "min_years": 0}])
    member = world.member_account
    with count_statements(runtime) as one:
        [screened] = (await _mine(client, member))["items"]
    assert screened["id"] == f"pool_screening:{tenured['id']}"
    assert (screened["subject_type"], screened["subject"]["name"]) == ("talent_pool", "Tenured")
    assert screened["result"] == {
        "score": None,
        "out_of": None,
        "verdict": "passed",
        "rank": None,
    }
    [rule] = screened["factors"]
    assert rule["factor"] == "tenure"
    assert rule["explanation"].startswith("employed at least 0 years: met, found ")

    veterans = await _pool(
        client,
        world,
        "Veterans",
        [{"kind": "tenure", "min_years": 50}, {"kind": "management_experience", "min_events": 1}],
    )
    await _member(client, world.hr, veterans["id"], world.member.id)
    with count_statements(runtime) as two:
        both = (await _mine(client, member))["items"]
    assert two.count == one.count
    [veteran] = [e for e in both if e["subject"]["name"] == "Veterans"]
    assert veteran["result"]["verdict"] == "not_passed"
    assert [f["factor"] for f in veteran["factors"]] == ["tenure", "management_experience"]
    assert veteran["factors"][0]["explanation"].startswith("employed at least 50 years: not met")
    chinese = ok(await client.get(MINE, headers=member.headers | ZH))["items"]
    assert "employed" not in str(chinese)
    assert ok(await client.get(MINE, headers=world.junior_account.headers))["items"] == []
    ok(
        await client.post(
            f"{MINE}/pool_screening:{veterans['id']}/objection",
            json={"message": "I led the east team for two years"},
            headers=member.headers,
        ),
        201,
    )


async def test_a_training_need_names_its_evidence_and_the_courses_it_proposes(
    client: AsyncClient, runtime: Runtime
) -> None:
    sales_world = await sales(client, runtime)
    found = (await _mine(client, sales_world.an))["items"]
    [need] = [e for e in found if e["kind"] == "training_need"]
    assert need["subject"]["name"] == "Negotiation"
    assert need["id"] == f"training_need:{need['subject']['id']}"
    assert (need["result"]["score"], need["result"]["out_of"]) == (60.0, 100)
    evidence = [f for f in need["factors"] if f["factor"] != "course"]
    assert [f["factor"] for f in evidence] == ["position_model", "review"]
    assert evidence[1]["explanation"] == (
        "an item of your newest published review under the threshold: 60 against 70"
    )
    courses = [f["value"] for f in need["factors"] if f["factor"] == "course"]
    assert courses == ["Negotiation", "Negotiation exam"]
    assert "Du" not in str(need), "never another person of the department"
    objected = ok(
        await client.post(
            f"{MINE}/{need['id']}/objection",
            json={"message": "I passed a negotiation course elsewhere"},
            headers=sales_world.an.headers,
        ),
        201,
    )
    assert objected["evaluation"]["factors"] == need["factors"]
