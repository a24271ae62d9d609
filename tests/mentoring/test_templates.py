"""Mentee templates over HTTP: HR writes them as revisions, everyone in the organization reads
them, goals name competencies and levels the library has; every bad input is 422."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_org
from tests.mentoring.pairing_helpers import API, TEMPLATES, ZH, make_template, template_body
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]


async def _competency(client: AsyncClient, world: World, levels: int = 3) -> Any:
    response = await client.post(
        f"{API}/competencies",
        json={
            "name": "Team management",
            "category": "management",
            "levels": [{"name": f"L{n}"} for n in range(1, levels + 1)],
        },
        headers=world.hr.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _level_goal(competency_id: str, level: int) -> dict[str, Any]:
    return {
        "kind": "competency_level",
        "key": "management",
        "title": "Lead a team",
        "competency_id": competency_id,
        "level": level,
    }


async def test_hr_writes_a_template_as_revisions_and_everyone_reads_it(
    client: AsyncClient, world: World
) -> None:
    competency = await _competency(client, world)
    template = await make_template(
        client, world.hr, goals=[_level_goal(competency["id"], 3)], role="transfer"
    )
    assert (template["role"], template["revision"], template["duration_months"]) == (
        "transfer",
        1,
        12,
    )
    assert template["schedule"] == [
        {"kind": "one_on_one", "every_months": 1},
        {"kind": "skill_test", "every_months": 3},
        {"kind": "progress_report", "every_months": 6},
    ]
    read = await client.get(f"{TEMPLATES}/{template['id']}", headers=world.junior_account.headers)
    assert read.status_code == 200, read.text
    assert read.json()["goals"] == [_level_goal(competency["id"], 3)]
    changed = await client.patch(
        f"{TEMPLATES}/{template['id']}",
        json=template_body(
            duration_months=6,
            schedule=[{"kind": "one_on_one", "every_months": 2}],
            version=template["version"],
        ),
        headers=world.hr.headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["revision"], changed.json()["schedule"]) == (
        2,
        [{"kind": "one_on_one", "every_months": 2}],
    )
    revisions = await client.get(
        f"{TEMPLATES}/{template['id']}/revisions", headers=world.junior_account.headers
    )
    assert [r["duration_months"] for r in revisions.json()["items"]] == [12, 6]
    listed = await client.get(TEMPLATES, headers=world.junior_account.headers)
    assert [item["id"] for item in listed.json()["items"]] == [template["id"]]


async def test_only_hr_writes_keys_read_nothing_and_other_organizations_see_nothing(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    template = await make_template(client, world.hr)
    denied = await client.post(
        TEMPLATES, json=template_body(name="Mine"), headers=world.sales_head.headers
    )
    assert_problem(denied, 403)
    other = await make_org(runtime)
    assert_problem(await client.get(f"{TEMPLATES}/{template['id']}", headers=other.headers), 404)
    assert (await client.get(TEMPLATES, headers=other.headers)).json()["items"] == []
    key = await client.post(
        f"{API}/api-keys", json={"name": "CRM", "scopes": ["org:read"]}, headers=world.hr.headers
    )
    assert key.status_code == 201, key.text
    bearer = {"Authorization": f"Bearer {key.json()['key']}"}
    assert_problem(await client.get(TEMPLATES, headers=bearer), 403)
    assert_problem(await client.get(f"{TEMPLATES}/{template['id']}", headers=bearer), 403)


async def test_unknown_competencies_and_levels_are_422_in_both_languages(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    competency = await _competency(client, world, levels=3)
    foreign = await client.post(
        f"{API}/competencies",
        json={"name": "Theirs", "category": "general", "levels": [{"name": "L1"}]},
        headers=(await make_org(runtime)).headers,
    )
    goals = [
        _level_goal(competency["id"], 4),
        _level_goal(foreign.json()["id"], 1) | {"key": "theirs"},
    ]
    for headers, words in ((world.hr.headers, "levels"), (world.hr.headers | ZH, "能力")):
        refused = await client.post(TEMPLATES, json=template_body(goals=goals), headers=headers)
        body = assert_problem(refused, 422, fields={"goals.0.level", "goals.1.competency_id"})
        assert words in body["errors"][0]["message"] + body["detail"]
    assert (await client.get(TEMPLATES, headers=world.hr.headers)).json()["items"] == []


async def test_duplicate_keys_and_bad_intervals_are_422(client: AsyncClient, world: World) -> None:
    goal = template_body()["goals"][0]
    bad: dict[str, dict[str, Any]] = {
        "duplicate goal keys": {"goals": [goal, goal]},
        "duplicate checklist keys": {"checklist": [{"key": "a", "title": "A"}] * 2},
        "a kind scheduled twice": {
            "schedule": [{"kind": "skill_test", "every_months": 3}] * 2,
        },
        "an interval above the duration": {
            "duration_months": 6,
            "schedule": [{"kind": "progress_report", "every_months": 12}],
        },
        "an interval of 0": {"schedule": [{"kind": "one_on_one", "every_months": 0}]},
        "no goal": {"goals": []},
        "a skill target above 100": {"goals": [goal | {"target": 101}]},
        "an unknown role": {"role": "intern"},
        "an unknown goal kind": {"goals": [goal | {"kind": "vibes"}]},
    }
    for case, fields in bad.items():
        refused = await client.post(
            TEMPLATES, json=template_body(**fields), headers=world.hr.headers
        )
        assert refused.status_code == 422, case
        assert_problem(refused, 422)
    zh = await client.post(
        TEMPLATES, json=template_body(goals=[goal, goal]), headers=world.hr.headers | ZH
    )
    assert "唯一" in assert_problem(zh, 422)["errors"][0]["message"]
