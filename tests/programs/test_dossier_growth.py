"""The dossier's stretch assignments done during the run (figures and the supervisor's
ratings, the peers only as a mean) and the participant's current development plan, in the
JSON and the PDF, at a fixed number of statements."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.stretch_helpers import make_assignment
from tests.contracts.conftest import storage_dir
from tests.factories import make_org
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.programs.test_dossier_competencies import Dossier, dossier
from tests.programs.test_dossier_pdf import _generated, _text
from tests.programs.test_programs import API, _get, _ok, _post

__all__ = ["dossier", "storage_dir", "world"]


async def _done_stretch(
    client: AsyncClient,
    world: World,
    dossier: Dossier,
    skill: dict[str, Any],
    title: str,
    peers: list[float],
    **window: str,
) -> None:
    """张伟 on a stretch assignment of sales developing `skill`, its outcome recorded by his
    manager with three figures' worth of results and the peers' answers."""
    assignment = await make_assignment(
        client, world.hr, world.sales.id, (skill, 1), title=title, **window
    )
    url = f"/stretch-assignments/{assignment['id']}"
    await _post(client, world.hr, f"{url}/assign", {"employee_id": str(dossier.zhang.id)})
    outcome = {
        "employee_id": str(dossier.zhang.id),
        "figures": [{"name": "新签客户", "value": 3, "unit": "家"}],
        "ratings": [{"competency_id": skill["id"], "rating": 8}],
        "peer_feedback": [{"competency_id": skill["id"], "ratings": peers}] if peers else [],
    }
    await _post(client, world.lead_account, f"{url}/outcomes", outcome)


async def _plan(client: AsyncClient, dossier: Dossier, goals: int) -> dict[str, Any]:
    """张伟's own plan for 2027: `goals` of his competencies, a course under way."""
    skills = list(dossier.skills.values())[:goals]
    body = {
        "period": "2027",
        "title": "走向科长岗位",
        "goals": [{"competency_id": skill["id"], "target_level": 4} for skill in skills],
        "actions": [{"kind": "course", "title": "带团队", "status": "in_progress"}],
    }
    return await _post(client, dossier.account, "/development-plans", body)


@pytest.mark.commits
async def test_the_dossier_shows_the_stretch_assignments_and_the_plan(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier
) -> None:
    team = dossier.skills["Team management"]
    await _done_stretch(client, world, dossier, team, "华东新客户攻坚", [6, 7, 8, 9])
    await _done_stretch(
        client,
        world,
        dossier,
        team,
        "旧项目",
        [5, 5, 5],
        starts_on="2026-09-01",
        ends_on="2026-12-31",
    )
    await _plan(client, dossier, goals=2)

    read = await _get(client, world.hr, dossier.path.removeprefix(API))

    [stretch] = read["stretch_assignments"]
    assert (stretch["title"], stretch["department"]["name"], stretch["status"]) == (
        "华东新客户攻坚",
        "Sales",
        "completed",
    ), "the one that ended before the run is not shown"
    assert (stretch["starts_on"], stretch["ends_on"]) == ("2027-01-04", "2027-03-31")
    assert stretch["figures"] == [{"name": "新签客户", "value": 3.0, "unit": "家"}]
    assert stretch["ratings"] == [
        {
            "competency": {"id": team["id"], "name": "Team management"},
            "supervisor_rating": 8.0,
            "peer_mean": 7.5,
            "peer_count": 4,
        }
    ]
    plan = read["development_plan"]
    assert (plan["period"], plan["title"], plan["status"]) == ("2027", "走向科长岗位", "draft")
    assert [(g["competency"]["name"], g["target_level"], g["required"]) for g in plan["goals"]] == [
        ("Team management", 4, 8.0),
        ("Customer resource integration", 4, 10.0),
    ]
    assert plan["goals"][1]["current"] == 6.0
    assert [(a["title"], a["kind"], a["status"]) for a in plan["actions"]] == [
        ("带团队", "course", "in_progress")
    ]
    own = await _get(client, dossier.account, dossier.path.removeprefix(API))
    assert (own["stretch_assignments"], own["development_plan"]) == (
        read["stretch_assignments"],
        plan,
    ), "the participant reads the same sections"
    stranger = await make_org(runtime)
    outside = await client.get(
        dossier.path, headers=stranger.headers | {"Accept-Language": "zh-CN"}
    )
    assert assert_problem(outside, 404)["detail"] == "培养项目不存在"


@pytest.mark.commits
async def test_the_pdf_shows_them_in_the_readers_language(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier, storage_dir: Path
) -> None:
    team = dossier.skills["Team management"]
    await _done_stretch(client, world, dossier, team, "华东新客户攻坚", [6, 7, 8, 9])
    await _plan(client, dossier, goals=1)
    await run_burst(runtime)  # the outcome's evidence moves the profile first

    chinese_reader = replace(world.hr, headers=world.hr.headers | {"Accept-Language": "zh-CN"})
    chinese = _text(await _generated(client, runtime, chinese_reader, dossier.path))
    english = _text(await _generated(client, runtime, world.hr, dossier.path))

    assert "部门内任务" in chinese
    assert "华东新客户攻坚（Sales）· 2027年1月4日 至 2027年3月31日 · 已完成" in chinese
    assert "新签客户: 3 家" in chinese
    assert "Team management：上级评分 8，同事均分 7.5（4 人）" in chinese
    assert "个人发展计划" in chinese
    assert "走向科长岗位（2027）· 草稿" in chinese
    assert "行动 带团队（课程）：进行中" in chinese
    assert "Stretch assignments" in english
    assert "Team management: supervisor 8, peers 7.5 (4 peers)" in english
    assert "Development plan" in english
    assert "Action 带团队 (course): in progress" in english
    assert "部门内任务" not in english


@pytest.mark.commits
async def test_the_sections_cost_the_same_however_many_assignments_and_goals(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier
) -> None:
    team = dossier.skills["Team management"]
    customers = dossier.skills["Customer resource integration"]
    with count_statements(runtime) as bare:
        await _ok(await client.get(dossier.path, headers=world.hr.headers))
    await _done_stretch(client, world, dossier, team, "华东新客户攻坚", [6, 7, 8])
    plan = await _plan(client, dossier, goals=1)
    with count_statements(runtime) as few:
        await _ok(await client.get(dossier.path, headers=world.hr.headers))
    await _done_stretch(client, world, dossier, customers, "大客户复盘", [7, 7, 7])
    await _done_stretch(client, world, dossier, team, "新人带教", [])
    goals = [{"competency_id": s["id"], "target_level": 3} for s in dossier.skills.values()]
    edited = await client.patch(
        f"{API}/development-plans/{plan['id']}",
        json={"goals": goals},
        headers=dossier.account.headers | {"If-Match": f'"{plan["version"]}"'},
    )
    await _ok(edited)
    with count_statements(runtime) as more:
        read = await _ok(await client.get(dossier.path, headers=world.hr.headers))

    assert len(read["stretch_assignments"]) == 3
    assert len(read["development_plan"]["goals"]) == 2
    assert more.count == few.count
    # Without either section: the stretch rows and the current plan's id; with both, five
    # more: the competencies' and departments' names, the plan, its goals' competencies and
    # the profile snapshot.
    assert few.count - bare.count == 5
