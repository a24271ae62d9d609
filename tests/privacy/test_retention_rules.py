"""Retention rules over HTTP: HR admins only, one rule per kind, the action the kind offers,
periods bounded, another organization invisible, changes guarded by version and audited."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_org
from tests.org.conftest import api_key
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]
API = "/api/v1"
RULES = f"{API}/retention-rules"
IDENTITY = {
    "subject_kind": "departed_employee_identity",
    "period": {"amount": 3, "unit": "years"},
    "action": "anonymise",
}


async def _create(client: AsyncClient, world: World, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(RULES, json=body, headers=world.hr.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_hr_creates_lists_and_changes_a_rule(client: AsyncClient, world: World) -> None:
    rule = await _create(client, world, IDENTITY)
    assert rule["data_classes"] == ["basic", "contact"]
    assert rule["event"] == "employee_exit"
    assert rule["enabled"] is True
    assert rule["version"] == 1
    assert "anonymised" in rule["description"]

    listed = await client.get(RULES, headers=world.hr.headers)
    assert [r["id"] for r in listed.json()["items"]] == [rule["id"]]

    changed = await client.patch(
        f"{RULES}/{rule['id']}",
        json={"period": {"amount": 30, "unit": "months"}, "enabled": False, "version": 1},
        headers=world.hr.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["period"] == {"amount": 30, "unit": "months"}
    assert changed.json()["enabled"] is False
    assert changed.json()["version"] == 2
    stale = await client.patch(
        f"{RULES}/{rule['id']}", json={"enabled": True, "version": 1}, headers=world.hr.headers
    )
    assert_problem(stale, 409, detail="version 2")

    unchanged = await client.patch(f"{RULES}/{rule['id']}", json={}, headers=world.hr.headers)
    assert unchanged.json()["version"] == 2

    audit = await client.get(
        f"{API}/audit-events", params={"object_id": rule["id"]}, headers=world.hr.headers
    )
    events = {e["action"]: e for e in audit.json()["items"]}
    assert sorted(e["action"] for e in audit.json()["items"]) == [
        "retention_rule.changed",
        "retention_rule.created",
    ], "a change to nothing is not audited"
    assert events["retention_rule.changed"]["before"] == {
        "period": {"amount": 3, "unit": "years"},
        "enabled": True,
    }


async def test_bad_rules_are_refused_and_nothing_is_written(
    client: AsyncClient, world: World
) -> None:
    wrong_action = await client.post(
        RULES, json=IDENTITY | {"action": "delete"}, headers=world.hr.headers
    )
    body = assert_problem(wrong_action, 422, fields={"body.action"})
    assert "anonymise" in body["errors"][0]["message"]
    too_long = await client.post(
        RULES,
        json=IDENTITY | {"period": {"amount": 101, "unit": "years"}},
        headers=world.hr.headers,
    )
    assert_problem(too_long, 422, fields={"body.period"})
    for period in ({"amount": 0, "unit": "days"}, {"amount": 3, "unit": "weeks"}):
        refused = await client.post(
            RULES, json=IDENTITY | {"period": period}, headers=world.hr.headers
        )
        assert refused.status_code == 422, refused.text
    unknown = await client.post(
        RULES, json=IDENTITY | {"subject_kind": "audit_events"}, headers=world.hr.headers
    )
    assert_problem(unknown, 422, fields={"body.subject_kind"})
    extra = await client.post(RULES, json=IDENTITY | {"org_id": "x"}, headers=world.hr.headers)
    assert_problem(extra, 422, fields={"body.org_id"})
    assert (await client.get(RULES, headers=world.hr.headers)).json()["items"] == []

    await _create(client, world, IDENTITY)
    twice = await client.post(
        RULES, json=IDENTITY | {"period": {"amount": 5, "unit": "years"}}, headers=world.hr.headers
    )
    assert_problem(twice, 409, kind="conflict", detail="departed_employee_identity")
    [rule] = (await client.get(RULES, headers=world.hr.headers)).json()["items"]
    patched = await client.patch(
        f"{RULES}/{rule['id']}", json={"action": "delete"}, headers=world.hr.headers
    )
    assert_problem(patched, 422, fields={"body.action"})


async def test_only_hr_admins_and_never_another_organization(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    rule = await _create(client, world, IDENTITY)
    key = await api_key(client, world.hr, "org:read")
    for headers in (world.member_account.headers, world.sales_head.headers, key):
        assert_problem(await client.get(RULES, headers=headers), 403)
        assert_problem(await client.post(RULES, json=IDENTITY, headers=headers), 403)
        assert_problem(
            await client.patch(f"{RULES}/{rule['id']}", json={"enabled": False}, headers=headers),
            403,
        )
        assert_problem(await client.post(f"{RULES}/dry-run", json={}, headers=headers), 403)

    other = await make_org(runtime)
    assert (await client.get(RULES, headers=other.headers)).json()["items"] == []
    hidden = await client.patch(
        f"{RULES}/{rule['id']}", json={"enabled": False}, headers=other.headers
    )
    assert_problem(hidden, 404, kind="not-found")
    dry = await client.post(f"{RULES}/dry-run", json={"rule_id": rule["id"]}, headers=other.headers)
    assert_problem(dry, 404, kind="not-found")
    own = await client.post(RULES, json=IDENTITY, headers=other.headers)
    assert own.status_code == 201, "one rule per kind and organization"
