"""The dossier's competency profile: per competency the score at the run's start and now,
against the model of the pool's target position, in the JSON and in the PDF, at a fixed
number of statements."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from tests.competencies.conftest import competency
from tests.contracts.conftest import storage_dir
from tests.factories import Account, make_employee, make_org, make_user
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.programs.test_dossier_pdf import _generated, _text
from tests.programs.test_programs import API, _ok, _post, add_active_member

__all__ = ["storage_dir", "world"]
STAGES = [{"key": "training", "name": "管理培训", "kind": "training", "duration_days": 30}]


@dataclass(frozen=True)
class Dossier:
    path: str
    zhang: Employee
    account: Account
    skills: dict[str, Any]


async def _assess(
    client: AsyncClient, hr: Account, employee: Employee, skill: Any, value: float
) -> None:
    body = {
        "employee_id": str(employee.id),
        "competency_id": skill["id"],
        "value": value,
        "note": "带队完成华东区上线",
    }
    await _post(client, hr, "/competency-evidence", body)


async def _started_run(client: AsyncClient, hr: Account, pool: Any, zhang: Employee) -> str:
    """A started run of the pool with 张伟: the path of his dossier."""
    template = await _post(client, hr, "/program-templates", {"name": "储备科长", "stages": STAGES})
    body = {"name": "2027 储备科长", "template_id": template["id"], "pool_id": pool["id"]}
    run = await _post(client, hr, "/programs", body | {"starts_on": "2027-01-04"})
    await _post(
        client, hr, f"/programs/{run['id']}/participants", {"employee_ids": [str(zhang.id)]}
    )
    await _post(client, hr, f"/programs/{run['id']}/start")
    participants = await client.get(f"{API}/programs/{run['id']}/participants", headers=hr.headers)
    [participant] = (await _ok(participants))["items"]
    return f"{API}/programs/{run['id']}/participants/{participant['id']}/dossier"


@pytest.fixture
async def dossier(client: AsyncClient, runtime: Runtime, world: World) -> Dossier:
    """张伟 (sales) in a pool for the sales chief post, whose model needs Team management 4 of
    5 (weight 60) and Customer resource integration 2 of 4 (weight 40). Assessed 6.2 in team
    management before the run started; after it, 8.1 in team management and 6.0 in customers."""
    hr = world.hr
    zhang = await make_employee(runtime, hr.org_id, world.sales, "张伟", manager=world.lead)
    account = await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=zhang.id)
    skills = {
        name: await _post(client, hr, "/competencies", competency(name, levels))
        for name, levels in (("Team management", 5), ("Customer resource integration", 4))
    }
    entries = [
        {"competency_id": skills["Team management"]["id"], "required_level": 4, "weight": 60},
        {
            "competency_id": skills["Customer resource integration"]["id"],
            "required_level": 2,
            "weight": 40,
        },
    ]
    model = await client.put(
        f"{API}/positions/{world.chief.id}/competency-model",
        json={"entries": entries},
        headers=hr.headers,
    )
    await _ok(model)
    pool = await _post(
        client,
        hr,
        "/talent-pools",
        {"name": "储备科长", "target_position_id": str(world.chief.id), "rules": []},
    )
    await add_active_member(client, hr, pool["id"], zhang.id)
    await _assess(client, hr, zhang, skills["Team management"], 6.2)
    await run_burst(runtime)
    path = await _started_run(client, hr, pool, zhang)
    await _assess(client, hr, zhang, skills["Team management"], 8.1)
    await _assess(client, hr, zhang, skills["Customer resource integration"], 6.0)
    await run_burst(runtime)
    return Dossier(path, zhang, account, skills)


def _lines(profile: Any) -> list[tuple[Any, ...]]:
    return [
        (
            line["competency"]["name"],
            line["before"],
            line["after"],
            line["required_level"],
            line["required"],
            line["met"],
        )
        for line in profile["competencies"]
    ]


@pytest.mark.commits
async def test_the_dossier_shows_the_profile_at_the_start_and_now(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier
) -> None:
    read = await _ok(await client.get(dossier.path, headers=world.hr.headers))

    profile = read["competency_profile"]
    assert (profile["position"]["name"], profile["model_version"]) == ("Sales chief", 1)
    started = datetime.fromisoformat(profile["started_at"])
    assert datetime.fromisoformat(profile["before_computed_at"]) <= started
    assert datetime.fromisoformat(profile["after_computed_at"]) > started
    current = await _ok(
        await client.get(
            f"{API}/employees/{dossier.zhang.id}/competency-profile", headers=world.hr.headers
        )
    )
    team_now = next(
        f["score"] for f in current["competencies"] if f["competency"]["name"] == "Team management"
    )
    assert 6.2 < team_now < 8.1, "the recent 8.1 and the earlier 6.2 both count"
    assert _lines(profile) == [
        ("Team management", 6.2, team_now, 4, 8.0, False),
        ("Customer resource integration", None, 6.0, 2, 5.0, True),
    ]
    own = await _ok(await client.get(dossier.path, headers=dossier.account.headers))
    assert own["competency_profile"] == profile, "the participant reads their own profile"

    peer = await make_user(runtime, world.hr.org_id, employee_id=world.peer.id)
    outside = await client.get(dossier.path, headers=peer.headers | {"Accept-Language": "zh-CN"})
    assert assert_problem(outside, 404)["detail"] == "参与人不存在"
    stranger = await make_org(runtime)
    assert_problem(await client.get(dossier.path, headers=stranger.headers), 404)


@pytest.mark.commits
async def test_the_pdf_shows_the_profile_in_the_readers_language(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier, storage_dir: Path
) -> None:
    chinese_reader = replace(world.hr, headers=world.hr.headers | {"Accept-Language": "zh-CN"})
    chinese = _text(await _generated(client, runtime, chinese_reader, dossier.path))
    english = _text(await _generated(client, runtime, world.hr, dossier.path))

    assert "能力画像" in chinese
    assert "对照岗位“Sales chief”的能力模型（第 1 版）" in chinese
    assert "Customer resource integration：— → 6（要求 5，已达标）" in chinese
    assert "Team management：6.2 → " in chinese
    assert "Competency profile" in english
    assert "Customer resource integration: — → 6 (required 5, met)" in english
    assert "能力画像" not in english


@pytest.mark.commits
async def test_a_pool_without_a_target_position_shows_the_profile_without_requirements(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    hr = world.hr
    skill = await _post(client, hr, "/competencies", competency("Team management", 5))
    pool = await _post(client, hr, "/talent-pools", {"name": "储备人才", "rules": []})
    await add_active_member(client, hr, pool["id"], world.member.id)
    path = await _started_run(client, hr, pool, world.member)
    fresh = (await _ok(await client.get(path, headers=hr.headers)))["competency_profile"]
    assert (fresh["position"], fresh["model_version"], fresh["competencies"]) == (None, None, [])

    await _assess(client, hr, world.member, skill, 7.0)
    await run_burst(runtime)
    profile = (await _ok(await client.get(path, headers=hr.headers)))["competency_profile"]

    assert profile["before_computed_at"] is None
    assert _lines(profile) == [("Team management", None, 7.0, None, None, None)]


@pytest.mark.commits
async def test_the_dossier_costs_the_same_however_many_competencies(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier
) -> None:
    with count_statements(runtime) as few:
        await _ok(await client.get(dossier.path, headers=world.hr.headers))
    for name in ("Negotiation", "Coaching", "Planning"):
        skill = await _post(client, world.hr, "/competencies", competency(name, 5))
        await _assess(client, world.hr, dossier.zhang, skill, 5.0)
    await run_burst(runtime)
    with count_statements(runtime) as more:
        read = await _ok(await client.get(dossier.path, headers=world.hr.headers))

    assert len(read["competency_profile"]["competencies"]) == 5
    assert more.count == few.count
