"""The vacancy ranking counts the competency match against the position's model: its share
in each explanation (match, attainment, model version, the largest gaps), not counted — and
said so — without a model or an assessment, in a fixed number of statements."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from tests.competencies.conftest import competency
from tests.factories import Account, make_employee, make_org
from tests.people.conftest import World, count_statements
from tests.problems import assert_problem
from tests.talent.test_vacancies import (
    VACANCIES,
    Succession,
    _candidates,
    _factors,
    _member,
    clock,
    storage_dir,
    succession,
    world,
)

__all__ = ["clock", "storage_dir", "succession", "world"]
API = "/api/v1"
SCALED = "the other factors' weights are scaled to sum to 100"


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _competency(client: AsyncClient, hr: Account, name: str, levels: int) -> Any:
    body = competency(name, levels)
    return await _ok(await client.post(f"{API}/competencies", json=body, headers=hr.headers), 201)


async def _model(
    client: AsyncClient, world: World, *entries: tuple[Any, int, int], query: str = ""
) -> None:
    body = {
        "entries": [
            {"competency_id": c["id"], "required_level": level, "weight": weight}
            for c, level, weight in entries
        ]
    }
    url = f"{API}/positions/{world.chief.id}/competency-model{query}"
    await _ok(await client.put(url, json=body, headers=world.hr.headers))


async def _assess(
    client: AsyncClient, hr: Account, employee: Employee, competency: Any, value: float
) -> None:
    body = {
        "employee_id": str(employee.id),
        "competency_id": competency["id"],
        "value": value,
        "note": "Observed in the quarterly review",
    }
    await _ok(await client.post(f"{API}/competency-evidence", json=body, headers=hr.headers), 201)


def _match_factor(candidate: Any) -> Any:
    [factor] = [f for f in candidate["factors"] if f["factor"] == "competency_match"]
    return factor


@pytest.fixture
async def modelled(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> dict[str, Any]:
    """The chief post needs Team management 4 of 5 (weight 60) and Customer resource
    integration 2 of 4 (weight 40). Peer meets both; Member has Team management 6 and no
    customer assessment; Engineer has no assessment."""
    team = await _competency(client, world.hr, "Team management", 5)
    customers = await _competency(client, world.hr, "Customer resource integration", 4)
    await _model(client, world, (team, 4, 60), (customers, 2, 40))
    await _assess(client, world.hr, world.peer, team, 8.0)
    await _assess(client, world.hr, world.peer, customers, 6.0)
    await _assess(client, world.hr, world.member, team, 6.0)
    await run_burst(runtime)
    return {"team": team, "customers": customers}


@pytest.mark.commits
async def test_the_ranking_counts_the_competency_match_with_its_share_explained(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    succession: Succession,
    modelled: dict[str, Any],
) -> None:
    ranked = await _candidates(client, world.hr, succession.vacancy["id"])

    assert [(c["employee"]["name"], c["score"]) for c in ranked] == [
        ("Member", 69.8),
        ("Peer", 66.8),
        ("Engineer", 6.0),
    ], "the match outweighs Member's review, not their readiness"
    member, peer, engineer = ranked
    assert _factors(member) == [
        ("readiness", 24.0, "ready_now", 100.0, 24.0),
        ("review_score", 16.0, 80.0, 80.0, 12.8),
        ("review_recommendation", 8.0, "promote", 100.0, 8.0),
        ("nine_box", 16.0, "high performance, high potential", 100.0, 16.0),
        ("time_in_pool", 4.0, 0.0, 0.0, 0.0),
        ("program_completion", 12.0, None, 0.0, 0.0),
        ("competency_match", 20.0, 45.0, 45.0, 9.0),
    ]
    assert member["score"] == round(sum(f["contribution"] for f in member["factors"]), 2)
    match = _match_factor(member)
    assert match["explanation"] == (
        "competency match 45% (model version 1); largest gaps: "
        "Customer resource integration 0 of 5, Team management 6 of 8"
    )
    details = match["competencies"]
    assert (details["model_version"], details["department_id"]) == (1, None)
    assert (details["match"], details["attained"]) == (45.0, False)
    assert details["profile_computed_at"] is not None
    assert [
        (g["competency"]["name"], g["required"], g["current"], g["gap"])
        for g in details["largest_gaps"]
    ] == [("Customer resource integration", 5.0, None, 5.0), ("Team management", 8.0, 6.0, 2.0)]

    peer_match = _match_factor(peer)
    assert (peer_match["points"], peer_match["contribution"]) == (100.0, 20.0)
    assert peer_match["explanation"] == "competency match 100% (model version 1): every level met"
    assert peer_match["competencies"]["largest_gaps"] == []

    assert _factors(engineer)[0] == ("readiness", 30.0, "three_plus_years", 20.0, 6.0)
    absent = _match_factor(engineer)
    assert (absent["weight"], absent["points"], absent["competencies"]) == (0.0, None, None)
    assert absent["explanation"] == (
        f"not counted: no competency of the position's model assessed yet; {SCALED}"
    )

    chinese = await _ok(
        await client.get(
            f"{VACANCIES}/{succession.vacancy['id']}/candidates",
            headers=world.hr.headers | {"Accept-Language": "zh-CN"},
        )
    )
    member_zh, _peer_zh, engineer_zh = chinese["items"]
    assert _match_factor(member_zh)["explanation"] == (
        "能力匹配度 45%（能力模型第 1 版）；主要差距："
        "Customer resource integration 0（要求 5）、Team management 6（要求 8）"
    )
    assert _match_factor(engineer_zh)["explanation"] == (
        "不计入：岗位能力模型中的能力项均未评估；其余因素的权重按比例折算为合计 100"
    )
    stranger = await make_org(runtime)
    assert_problem(
        await client.get(
            f"{VACANCIES}/{succession.vacancy['id']}/candidates", headers=stranger.headers
        ),
        404,
    )


@pytest.mark.commits
async def test_the_vacancys_department_variant_and_the_own_explanation(
    client: AsyncClient, world: World, succession: Succession, modelled: dict[str, Any]
) -> None:
    """The seat is in sales: sales' variant of the model (Team management 3 of 5 alone) is
    the one a candidate is measured against, in the ranking and in their own explanation."""
    await _model(
        client, world, (modelled["team"], 3, 100), query=f"?department_id={world.sales.id}"
    )

    ranked = await _candidates(client, world.hr, succession.vacancy["id"])

    member = next(c for c in ranked if c["employee"]["name"] == "Member")
    match = _match_factor(member)
    assert (match["points"], match["competencies"]["attained"]) == (100.0, True)
    assert match["competencies"]["department_id"] == str(world.sales.id)
    mine = await _ok(
        await client.get(f"{API}/me/vacancy-rankings", headers=world.member_account.headers)
    )
    [own] = mine["items"]
    assert _match_factor(own) == match, "the candidate reads the same share of their score"
    assert own["score"] == member["score"]
    assert "Peer" not in str(mine)


@pytest.mark.commits
async def test_a_pool_ranks_its_bands_against_its_target_positions_model(
    client: AsyncClient, world: World, succession: Succession, modelled: dict[str, Any]
) -> None:
    page = await _ok(
        await client.get(
            f"{API}/talent-pools/{succession.pool['id']}/members?sort=readiness",
            headers=world.hr.headers,
        )
    )

    matches = {m["employee"]["name"]: _match_factor(m["ranking"])["points"] for m in page["items"]}
    assert matches == {"Member": 45.0, "Peer": 100.0, "Engineer": None}


@pytest.mark.commits
async def test_the_ranking_with_competencies_costs_a_fixed_number_of_statements(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    succession: Succession,
    modelled: dict[str, Any],
) -> None:
    url = f"{VACANCIES}/{succession.vacancy['id']}/candidates"
    with count_statements(runtime) as few:
        await _ok(await client.get(url, headers=world.hr.headers))

    extra = await make_employee(runtime, world.hr.org_id, world.sales, "Extra")
    await _member(client, world.hr, succession.pool["id"], extra.id, readiness="ready_now")
    more_skills = await _competency(client, world.hr, "Negotiation", 5)
    await _model(client, world, (modelled["team"], 4, 50), (more_skills, 3, 50))
    await _assess(client, world.hr, extra, more_skills, 7.0)
    await _assess(client, world.hr, world.engineer, modelled["team"], 5.0)
    await run_burst(runtime)
    with count_statements(runtime) as more:
        ranked = (await _ok(await client.get(url, headers=world.hr.headers)))["items"]

    assert len(ranked) == 4
    assert all(_match_factor(c)["points"] is not None for c in ranked)
    assert more.count == few.count
