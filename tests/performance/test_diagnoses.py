"""Diagnosis: a department below target on an indicator three ended months in a row opens
one diagnosis with its bundle and a task for the department's head; the head records the
root cause and an action plan (tasks); HR lists open and resolved ones; scope, bad input and
a second resolution are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.performance import jobs
from tests.factories import make_org, make_user
from tests.performance.conftest import (
    API,
    ZH,
    World,
    api_key,
    observation,
    ok,
    post_scheme,
    scheme,
)
from tests.problems import assert_problem


def _department(world: World, key: str, value: float, month: int) -> dict[str, Any]:
    at = datetime(2026, month, 12, 9, tzinfo=UTC)
    return observation(
        None, key, value, at, f"{key}-{month}", department_id=str(world.sales_east.id)
    )


@pytest.mark.commits
async def test_three_missed_months_open_a_diagnosis_the_head_resolves(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    head = await make_user(
        runtime,
        world.hr.org_id,
        Role.DEPT_HEAD,
        Role.EMPLOYEE,
        employee_id=world.lead.id,
        department_scope_id=world.sales.id,
    )
    elsewhere = await make_user(
        runtime, world.hr.org_id, Role.DEPT_HEAD, department_scope_id=world.engineering.id
    )
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    items = [_department(world, "quality", v, m) for v, m in ((99, 7), (90, 8), (80, 9), (85, 10))]
    items += [_department(world, "output", 100, m) for m in (7, 8, 9, 10)]
    ok(await client.post(f"{API}/metric-observations", json={"items": items}, headers=key))

    assert await jobs.open_diagnoses({"runtime": runtime}) == 1
    assert await jobs.open_diagnoses({"runtime": runtime}) == 0, "one per streak"
    [diagnosis] = ok(await client.get(f"{API}/diagnoses", headers=world.hr.headers))["items"]
    assert diagnosis["department"] == {"id": str(world.sales_east.id), "name": "Sales East"}
    assert (diagnosis["indicator"], diagnosis["status"], diagnosis["periods"]) == (
        "quality",
        "open",
        3,
    )
    assert (diagnosis["streak_from"], diagnosis["streak_to"]) == ("2026-08", "2026-10")
    bundle = diagnosis["bundle"]
    assert [(p["period"], p["value"], p["below"]) for p in bundle["series"]] == [
        ("2026-07", 99, False),
        ("2026-08", 90, True),
        ("2026-09", 80, True),
        ("2026-10", 85, True),
    ]
    [context] = bundle["context"]
    assert (context["key"], len(context["series"])) == ("output", 4)
    assert bundle["team"] == []
    assert diagnosis["head_employee_id"] == str(world.lead.id)
    tasks = ok(await client.get(f"{API}/me/tasks", headers=head.headers))["items"]
    [task] = [t for t in tasks if t["id"] == diagnosis["task_id"]]
    assert task["title"] == "Find why Sales East missed Quality 3 periods in a row"

    url = f"{API}/diagnoses/{diagnosis['id']}"
    assert ok(await client.get(url, headers=head.headers))["id"] == diagnosis["id"]
    assert_problem(await client.get(url, headers=elsewhere.headers | ZH), 404)
    assert_problem(await client.get(url, headers=world.lead_account.headers), 403)
    assert_problem(await client.get(f"{API}/diagnoses", headers=world.member_account.headers), 403)
    assert ok(await client.get(f"{API}/diagnoses", headers=elsewhere.headers))["items"] == []
    other = await make_org(runtime, slug="far-away")
    assert_problem(await client.get(url, headers=other.headers), 404)
    document = await client.get(url, headers=world.hr.headers | {"Accept": "application/pdf"})
    assert document.status_code == 200, document.text
    assert document.content.startswith(b"%PDF")

    plan = [
        {"title": "Retrain the team on the checklist", "due_on": "2027-01-15"},
        {
            "title": "Audit returns with the supplier",
            "due_on": "2027-01-31",
            "assignee_employee_id": str(world.member.id),
        },
    ]
    shortcut = f"{API}/tasks/{diagnosis['task_id']}/complete"
    assert_problem(await client.post(shortcut, json={}, headers=head.headers | ZH), 422)
    resolve = f"{url}/resolve"
    missing = {"action_plan": plan, "root_cause_category": "process"}
    problem = assert_problem(
        await client.post(resolve, json=missing, headers=head.headers | ZH), 422
    )
    assert {e["field"] for e in problem["errors"]} == {"body.root_cause"}
    body = {
        "root_cause_category": "process",
        "root_cause": "Checklist skipped",
        "action_plan": plan,
    }
    assert_problem(await client.post(resolve, json=body, headers=elsewhere.headers), 404)
    wrong = body | {"root_cause_category": "weather"}
    assert_problem(await client.post(resolve, json=wrong, headers=head.headers), 422)
    resolved = ok(await client.post(resolve, json=body, headers=head.headers))
    assert (resolved["status"], resolved["root_cause_category"]) == ("resolved", "process")
    assignees = [a["assignee_employee_id"] for a in resolved["action_plan"]]
    assert assignees == [str(world.lead.id), str(world.member.id)]
    assert_problem(await client.post(resolve, json=body, headers=head.headers), 409)

    mine = ok(await client.get(f"{API}/me/tasks", headers=world.member_account.headers))["items"]
    assert [t["title"] for t in mine if t["kind"] == "performance.diagnosis_action"] == [
        "Audit returns with the supplier"
    ]
    done = ok(await client.get(f"{API}/tasks/{diagnosis['task_id']}", headers=head.headers))
    assert done["status"] == "completed"
    listed = f"{API}/diagnoses?status="
    assert ok(await client.get(f"{listed}open", headers=world.hr.headers))["items"] == []
    resolved_page = ok(await client.get(f"{listed}resolved&limit=1", headers=world.hr.headers))
    assert ([d["id"] for d in resolved_page["items"]], resolved_page["next_cursor"]) == (
        [diagnosis["id"]],
        None,
    )
    audited = ok(
        await client.get(
            f"{API}/audit-events?object_id={diagnosis['id']}", headers=world.hr.headers
        )
    )
    assert {e["action"] for e in audited["items"]} == {
        "performance_diagnosis.opened",
        "performance_diagnosis.resolved",
    }
