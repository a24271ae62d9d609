"""Point rules and the points settings over HTTP: the defaults in the organization's
language, HR's writes (a code taken, a stale version, another organization's rule), edits
that apply forward only, and settings whose weights must sum to 100."""

from __future__ import annotations

import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy import func, select

from hrcore.core.audit import AuditEvent
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training.models import TrainingSettings
from tests.factories import Account, make_org
from tests.org.conftest import api_key
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.training.points_helpers import LEDGER, RULES, SETTINGS

__all__ = ["world"]
DEFAULTS = {
    "action_plan": ("outcome", 20),
    "adopted": ("outcome", 50),
    "article": ("sharing", 15),
    "attendance": ("participation", 10),
    "late": ("participation", -2),
    "online_course": ("participation", 5),
    "teaching": ("sharing", 30),
}


async def _rules(client: AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get(RULES, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    return {rule["code"]: rule for rule in response.json()["items"]}


async def test_everyone_reads_the_defaults_added_once(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    rules = await _rules(client, world.junior_account.headers)
    assert {code: (r["category"], r["points"]) for code, r in rules.items()} == DEFAULTS
    assert rules["attendance"]["name"] == "Attended an offline class"
    assert all(rule["active"] and rule["version"] == 1 for rule in rules.values())
    with count_statements(runtime) as counter:
        assert await _rules(client, world.hr.headers) == rules
    # the tests' savepoint, tenant reset and release; tenant, caller, the page
    assert counter.count == 6
    page = await client.get(RULES, params={"limit": 4}, headers=world.hr.headers)
    rest = await client.get(
        RULES, params={"limit": 4, "cursor": page.json()["next_cursor"]}, headers=world.hr.headers
    )
    codes = [rule["code"] for rule in page.json()["items"] + rest.json()["items"]]
    assert codes == sorted(DEFAULTS)


async def test_default_names_are_in_the_organizations_language(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime, locale="zh-CN")
    rules = await _rules(client, hr.headers | {"Accept-Language": "en"})
    assert rules["attendance"]["name"] == "参加线下课程"
    assert rules["article"]["name"] == "发表文章"


async def test_hr_adds_a_rule_and_a_code_is_taken_once(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    body = {"code": "mentoring", "name": "Mentored a colleague", "category": "sharing"}
    created = await client.post(RULES, json=body | {"points": 12}, headers=world.hr.headers)
    assert created.status_code == 201, created.text
    assert created.headers["ETag"].startswith('"1')
    rule = created.json()
    assert (rule["code"], rule["points"], rule["active"]) == ("mentoring", 12, True)
    assert set(await _rules(client, world.hr.headers)) == {*DEFAULTS, "mentoring"}
    again = await client.post(RULES, json=body | {"points": 3}, headers=world.hr.headers)
    assert_problem(again, 409, detail="mentoring")
    taken = await client.post(
        RULES, json=body | {"code": "article", "points": 3}, headers=world.hr.headers
    )
    assert_problem(taken, 409, detail="article")
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        audited = await session.scalar(
            select(func.count()).where(
                AuditEvent.object_id == uuid.UUID(rule["id"]),
                AuditEvent.action == "point_rule.created",
            )
        )
    assert audited == 1


async def test_bad_rules_and_writers_who_are_not_hr(client: AsyncClient, world: World) -> None:
    good = {"code": "quiz", "name": "Quiz", "category": "outcome", "points": 5}
    refused = await client.post(RULES, json=good, headers=world.lead_account.headers)
    assert_problem(refused, 403)
    for field, value in (("code", "Not A Code"), ("category", "fun"), ("points", 5000)):
        bad = await client.post(RULES, json=good | {field: value}, headers=world.hr.headers)
        assert_problem(bad, 422, fields={f"body.{field}"})
    assert "quiz" not in await _rules(client, world.hr.headers)
    key = await api_key(client, world.hr, "org:read")
    assert_problem(await client.get(RULES, headers=key), 403)


async def _award_article(client: AsyncClient, hr: Account, employee_id: uuid.UUID) -> Any:
    body = {"employee_id": str(employee_id), "code": "article", "source_type": "article"}
    response = await client.post(
        LEDGER, json=body | {"source_id": str(uuid.uuid4())}, headers=hr.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_edit_applies_forward_and_past_entries_keep_their_value(
    client: AsyncClient, world: World
) -> None:
    first = await _award_article(client, world.hr, world.member.id)
    rule = (await _rules(client, world.hr.headers))["article"]
    edited = await client.patch(
        f"{RULES}/{rule['id']}",
        json={"points": 25, "name": "Article published", "version": 1},
        headers=world.hr.headers,
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["points"], edited.json()["version"]) == (25, 2)
    second = await _award_article(client, world.hr, world.member.id)
    assert (first["points"], second["points"]) == (15, 25)
    entries = await client.get(
        LEDGER, params={"employee_id": str(world.member.id)}, headers=world.hr.headers
    )
    by_id = {entry["id"]: entry for entry in entries.json()["items"]}
    assert by_id[first["id"]]["points"] == 15
    assert by_id[second["id"]]["rule"] == {"id": rule["id"], "name": "Article published"}

    stale = await client.patch(
        f"{RULES}/{rule['id']}", json={"points": 1, "version": 1}, headers=world.hr.headers
    )
    assert_problem(stale, 409)
    stale_tag = await client.patch(
        f"{RULES}/{rule['id']}", json={"points": 1}, headers=world.hr.headers | {"If-Match": '"1"'}
    )
    assert_problem(stale_tag, 412)
    off = await client.patch(
        f"{RULES}/{rule['id']}", json={"active": False}, headers=world.hr.headers
    )
    assert off.json()["active"] is False
    body = {"employee_id": str(world.member.id), "code": "article", "source_id": str(uuid.uuid4())}
    refused = await client.post(LEDGER, json=body, headers=world.hr.headers)
    assert_problem(refused, 422, fields={"code"})


async def test_rules_of_another_organization_are_invisible(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    rule = (await _rules(client, world.hr.headers))["late"]
    other = await make_org(runtime)
    hidden = await client.patch(f"{RULES}/{rule['id']}", json={"points": -5}, headers=other.headers)
    assert_problem(hidden, 404)
    unknown = await client.patch(f"{RULES}/{uuid.uuid4()}", json={}, headers=world.hr.headers)
    assert_problem(unknown, 404)
    not_hr = await client.patch(
        f"{RULES}/{rule['id']}", json={"points": -5}, headers=world.member_account.headers
    )
    assert_problem(not_hr, 403)
    assert (await _rules(client, world.hr.headers))["late"]["points"] == -2


async def test_settings_weights_sum_to_100_and_badges_are_ordered(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    read = await client.get(SETTINGS, headers=world.junior_account.headers)
    assert read.status_code == 200, read.text
    assert read.json() == {
        "category_weights": {"participation": 30, "outcome": 40, "sharing": 30},
        "badges": [],
        "version": 1,
    }
    weights = {"participation": 20, "outcome": 50, "sharing": 30}
    badges = [{"points": 100, "name": "Gold"}, {"points": 50, "name": "Silver"}]
    written = await client.put(
        SETTINGS,
        json={"category_weights": weights, "badges": badges, "version": 1},
        headers=world.hr.headers,
    )
    assert written.status_code == 200, written.text
    assert written.json() == {
        "category_weights": weights,
        "badges": [badges[1], badges[0]],
        "version": 2,
    }

    uneven = {"participation": 20, "outcome": 50, "sharing": 20}
    for body, field in (
        ({"category_weights": uneven, "badges": []}, "category_weights"),
        ({"category_weights": weights, "badges": badges + badges[:1]}, "badges"),
    ):
        refused = await client.put(SETTINGS, json=body, headers=world.hr.headers)
        assert_problem(refused, 422, fields={field})
    stale = await client.put(
        SETTINGS,
        json={"category_weights": uneven | {"sharing": 30}, "badges": [], "version": 1},
        headers=world.hr.headers,
    )
    assert_problem(stale, 409)
    not_hr = await client.put(
        SETTINGS,
        json={"category_weights": weights, "badges": []},
        headers=world.lead_account.headers,
    )
    assert_problem(not_hr, 403)
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        row = await session.scalar(select(TrainingSettings))
    assert row is not None
    assert (row.category_weights, row.version) == (weights, 2)
