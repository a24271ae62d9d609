"""Every paginated list of the app answers a forged cursor with 400 naming `cursor`.

The routes are read from the OpenAPI document, so a new list is covered without editing this
test; path parameters are filled with the first item of the parent list (the demo
organization has one of each, its performance periods once the worker scored them), so the
cursor reaches the query, not a 404.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from hrcore.approvals import kinds
from hrcore.core.runtime import Runtime
from hrcore.seed import DEMO_PASSWORD, DEMO_SLUG, seed_demo
from hrcore.worker import run_burst
from tests.approvals.conftest import KIND, SPEC


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


FORGED = {
    "nulls": _b64([None, None]),
    "one null": _b64([None]),
    "object": _b64({"a": 1}),
    "objects in a list": _b64([{"a": 1}, {"b": 2}]),
    "object in a list": _b64([{"a": 1}]),
    "lists in a list": _b64([[1], [2]]),
    "wrong types": _b64([True, 1.5]),
    "a fraction": _b64([1.5]),
    "a huge number": _b64([10**40, 10**40]),
    "infinity": base64.urlsafe_b64encode(b"[1e999,1e999]").decode(),
    "negative": _b64([-1]),
    "a string": _b64("x"),
    "wrong arity": _b64(["a", "b", "c"]),
    "empty list": _b64([]),
    "naive and far timestamps": _b64(["9999-12-31T23:59:59-12:00", "2020-01-01T00:00:00"]),
    "nul byte": _b64(["\u0000", "\u0000"]),
    "garbage": base64.urlsafe_b64encode(b"\xff\xfe\x00garbage").decode(),
    "not base64": "%%%not-base64%%%",
}


NAMED_PARAMETERS = {"figure": "on-time"}
"""Path parameters that name something rather than take an id from the parent list."""


async def _paginated_paths(client: AsyncClient, app: FastAPI, headers: dict[str, str]) -> list[str]:
    """Each GET taking `cursor`, with path parameters taken from the parent list."""
    paths = []
    for template, operations in app.openapi()["paths"].items():
        parameters = operations.get("get", {}).get("parameters", [])
        if not any(parameter["name"] == "cursor" for parameter in parameters):
            continue
        path = template
        for name, value in NAMED_PARAMETERS.items():
            path = path.replace(f"{{{name}}}", value)
        while match := re.search(r"\{[a-z_]+\}", path):
            parent = path[: match.start()].rstrip("/")
            listed = (await client.get(parent, headers=headers)).json()
            assert listed["items"], f"the demo organization has no item under {parent}"
            path = path.replace(match.group(0), listed["items"][0]["id"], 1)
        paths.append(path)
    return paths


@pytest.mark.commits
async def test_a_forged_cursor_is_400_on_every_list(
    client: AsyncClient, app: FastAPI, runtime: Runtime
) -> None:
    await seed_demo(runtime)
    await run_burst(runtime)  # the live scores, so the performance periods list one
    login = await client.post(
        "/api/v1/auth/token",
        json={"org": DEMO_SLUG, "email": "hr@demo.example", "password": DEMO_PASSWORD},
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    department = (await client.get("/api/v1/departments", headers=headers)).json()["items"][0]
    indicator = {
        "key": "output",
        "name": "Output",
        "unit": "count",
        "direction": "higher",
        "weight": 100,
        "target": 10,
        "formula": {"kind": "ratio"},
        "aggregation": "sum",
    }
    with kinds.declared_for_test(SPEC):  # as a domain declares one, for this test
        for kind, payload in [
            (
                "approval-chains",
                {"name": "Chain", "kind": KIND, "steps": [{"approver": {"rule": "manager"}}]},
            ),
            (
                "competencies",
                {"name": "Team management", "category": "management", "levels": [{"name": "L1"}]},
            ),
            (
                "performance-schemes",
                {
                    "name": "Output",
                    "period": "month",
                    "department_ids": [department["id"]],
                    "indicators": [indicator],
                },
            ),
            (
                "mentee-templates",
                {
                    "name": "New graduates",
                    "role": "new_graduate",
                    "duration_months": 12,
                    "goals": [
                        {"kind": "skill_test_score", "key": "skills", "title": "Test", "target": 80}
                    ],
                },
            ),
            ("webhooks", {"url": "https://93.184.216.34/hook", "event_types": ["task.completed"]}),
            (
                "notification-channels",
                {
                    "kind": "dingtalk_robot",
                    "name": "Group",
                    "config": {"webhook_url": "https://93.184.216.34/robot/send?access_token=t"},
                    "secret": "SECrobot-secret-value",
                },
            ),
        ]:
            created = await client.post(f"/api/v1/{kind}", json=payload, headers=headers)
            assert created.status_code == 201, created.text
        paths = await _paginated_paths(client, app, headers)
        assert len(paths) >= 30
        failures = []
        # A list that analyses one scope is asked for one: the needs of a department.
        scoped = {"/api/v1/training-needs": {"department_id": department["id"]}}
        for path in paths:
            scope = scoped.get(path, {})
            listed = await client.get(path, params=scope, headers=headers)
            assert listed.status_code == 200, path
            for name, cursor in FORGED.items():
                response = await client.get(
                    path, params={**scope, "cursor": cursor}, headers=headers
                )
                body = response.json()
                named = [error["field"] for error in body.get("errors", [])]
                if response.status_code != 400 or named != ["query.cursor"]:
                    failures.append(f"{path} {name}: {response.status_code} {named}")
        assert not failures, "\n".join(failures)
