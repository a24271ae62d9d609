"""Department variants of a form over HTTP: single indicator weights (R&D: leadership 80),
checked against the form, kept per revision, applied by aggregation to the participants of
that subtree and explained on the result."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import make_user
from tests.people.conftest import World
from tests.problems import assert_problem
from tests.reviews.conftest import API, FORM, answer_as, post_ok

ANSWERS = {"sales": {"actual": 50}, "teamwork": {"score": 5}, "leadership": {"score": 3}}
"""Scored 50, 100 and 50."""


def _form(world: World) -> dict[str, Any]:
    return FORM | {
        "department_overrides": [
            {
                "department_id": str(world.engineering.id),
                "indicator_weights": {"teamwork": 20, "leadership": 80},
            },
            {
                "department_id": str(world.head_office.id),
                "indicator_weights": {"teamwork": 50, "leadership": 50},
            },
            {
                "department_id": str(world.sales.id),
                "kind_weights": {"quantitative": 70, "qualitative": 30},
            },
        ]
    }


async def test_indicator_weights_of_a_variant_are_checked_against_the_form(
    client: AsyncClient, world: World
) -> None:
    hr, engineering = world.hr, str(world.engineering.id)

    async def refused(override: dict[str, Any], language: str = "en") -> dict[str, Any]:
        response = await client.post(
            f"{API}/review-templates",
            json=FORM | {"department_overrides": [{"department_id": engineering} | override]},
            headers=hr.headers | {"Accept-Language": language},
        )
        return assert_problem(response, 422)

    unknown = await refused({"indicator_weights": {"charm": 100}})
    assert "no indicator charm" in str(unknown["errors"])
    wrong_sum = await refused({"indicator_weights": {"leadership": 80}})
    assert "qualitative indicator weights must sum to 100, not 140" in str(wrong_sum["errors"])
    in_chinese = await refused({"indicator_weights": {"leadership": 80}}, "zh-CN")
    assert "qualitative 指标权重之和必须为 100" in str(in_chinese["errors"])
    nothing = await refused({})
    assert "sets kind weights or indicator weights" in str(nothing["errors"])
    zero = await refused({"indicator_weights": {"teamwork": 0, "leadership": 100}})
    assert zero["errors"][0]["field"].endswith("indicator_weights.teamwork")
    listed = await client.get(f"{API}/review-templates", headers=hr.headers)
    assert listed.json()["items"] == [], "nothing refused was stored"


async def test_a_variant_is_revisioned_with_the_form(client: AsyncClient, world: World) -> None:
    hr = world.hr
    first = await post_ok(client, hr, "/review-templates", FORM)
    response = await client.patch(
        f"{API}/review-templates/{first['id']}",
        json=_form(world) | {"version": first["version"]},
        headers=hr.headers,
    )
    assert response.status_code == 200, response.text
    [rnd, _head, sales] = response.json()["department_overrides"]
    assert rnd["indicator_weights"] == {"teamwork": 20, "leadership": 80}
    assert rnd["kind_weights"] is None, "the form's split"
    assert sales["indicator_weights"] == {}
    url = f"{API}/review-templates/{first['id']}/revisions"
    before = await client.get(f"{url}/1", headers=hr.headers)
    assert before.json()["department_overrides"] == []
    after = await client.get(f"{url}/2", headers=hr.headers)
    assert after.json()["department_overrides"] == response.json()["department_overrides"]


@pytest.mark.commits
async def test_aggregation_applies_and_explains_the_variant_of_the_participants_department(
    client: AsyncClient, world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    hr = world.hr
    boss = await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=world.boss.id)
    engineer = await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id)
    template = await post_ok(client, hr, "/review-templates", _form(world))
    cycle = await post_ok(
        client,
        hr,
        "/review-cycles",
        {
            "name": "2026 year-end",
            "kind": "year_end",
            "template_id": template["id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
            "relationship_weights": {"self": 50, "supervisor": 50, "peer": 0, "subordinate": 0},
        },
    )
    people = [str(world.engineer.id), str(world.lead.id), str(world.boss.id)]
    added = {"employee_ids": people}
    await post_ok(client, hr, f"/review-cycles/{cycle['id']}/participants", added)
    await post_ok(client, hr, f"/review-cycles/{cycle['id']}/open")
    for name in ("Engineer", "Lead"):
        await answer_as(client, boss, name, ANSWERS)
    await answer_as(client, boss, "Boss", ANSWERS)  # their self-assessment: all they have
    await post_ok(client, hr, f"/review-cycles/{cycle['id']}/close")
    await run_burst(runtime)
    listed = await client.get(f"{API}/review-cycles/{cycle['id']}/results", headers=hr.headers)
    results = {r["employee"]["name"]: r for r in listed.json()["items"]}

    rnd = results["Engineer"]
    assert rnd["overall"] == pytest.approx((50 * 60 + 100 * 8 + 50 * 32) / 100)
    assert rnd["weights_department"] == {"id": str(world.engineering.id), "name": "Engineering"}
    weighting = {i["key"]: i["weighting"] for i in rnd["indicators"]}
    assert weighting["leadership"] == {
        "weight": 32,
        "kind_weight": 40,
        "kind_weight_from": "form",
        "indicator_weight": 80,
        "indicator_weight_from": "department",
    }
    assert weighting["sales"]["indicator_weight_from"] == "form"

    sales = results["Lead"]
    assert sales["weights_department"]["id"] == str(world.sales.id), "the most specific wins"
    weighting = {i["key"]: i["weighting"] for i in sales["indicators"]}
    assert weighting["teamwork"]["kind_weight_from"] == "department"
    assert weighting["teamwork"]["indicator_weight"] == 60, "head office's is not mixed in"
    assert weighting["teamwork"]["indicator_weight_from"] == "form"
    assert sales["overall"] == pytest.approx((50 * 70 + 100 * 18 + 50 * 12) / 100)

    head = results["Boss"]
    assert head["weights_department"]["id"] == str(world.head_office.id)
    assert head["overall"] == pytest.approx((50 * 60 + 100 * 20 + 50 * 20) / 100)

    await post_ok(client, hr, f"/review-results/{rnd['id']}/publish")
    mine = await client.get(f"{API}/me/review-results", headers=engineer.headers)
    [own] = mine.json()["items"]
    assert own["weights_department"]["name"] == "Engineering"
    assert own["overall"] == rnd["overall"]
