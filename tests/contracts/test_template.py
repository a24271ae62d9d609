"""The organization's amendment template: checked when saved, failures shown and retried."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import World, make_contract, stored

pytestmark = pytest.mark.usefixtures("storage_dir")
URL = "/api/v1/amendment-template"


async def test_unknown_placeholders_and_bad_syntax_are_refused_at_save_time(
    client: AsyncClient, world: World
) -> None:
    default = await client.get(URL, headers=world.hr.headers)
    assert default.status_code == 200
    assert default.json()["version"] == 0
    for body, hint in (
        ("{{ employee.name }} earns {{ salary }}", "salary"),
        ("{% for x in changes %}{{ x }}", "line 1"),
        ("{{ ''.__class__ }}{{ os }}", "os"),
    ):
        response = await client.put(URL, json={"body": body}, headers=world.hr.headers)
        assert response.status_code == 422, response.text
        assert hint in response.json()["errors"][0]["message"]
    assert (await client.get(URL, headers=world.hr.headers)).json()["version"] == 0
    employee = await client.put(URL, json={"body": "x"}, headers=world.member_account.headers)
    assert employee.status_code == 403


@pytest.mark.commits
async def test_a_failing_generation_is_shown_and_retried_after_the_fix(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock, storage_dir: Path
) -> None:
    hr = world.hr
    broken = "# {{ organization.name }}\n{{ changes[1].label }}\n"
    saved = await client.put(URL, json={"body": broken}, headers=hr.headers)
    assert saved.status_code == 200, "names are known; the data decides at render time"
    contract = await make_contract(client, hr, world.member.id)
    created = await client.post(
        f"/api/v1/contracts/{contract['id']}/amendments",
        json={"effective_date": "2027-04-01", "allowance": "800.00"},
        headers=hr.headers,
    )
    amendment_id = created.json()["id"]
    await run_burst(runtime)

    amendment = await client.get(f"/api/v1/amendments/{amendment_id}", headers=hr.headers)
    document = amendment.json()["current"]["document"]
    assert document["status"] == "failed"
    assert "UndefinedError" in document["error"]
    assert document["sha256"] is None
    fetched = await client.get(f"/api/v1/amendments/{amendment_id}/document", headers=hr.headers)
    assert fetched.status_code == 409
    assert stored(storage_dir, "*") == {}, "no file, not even a partial one"
    tasks = await client.get("/api/v1/me/tasks", headers=world.member_account.headers)
    assert tasks.json()["items"] == [], "nothing to confirm yet"

    fixed = "# {{ organization.name }}\n{% for c in changes %}{{ c.label }}{% endfor %}\n"
    response = await client.put(
        URL, json={"body": fixed, "version": saved.json()["version"]}, headers=hr.headers
    )
    assert response.status_code == 200, response.text
    await run_burst(runtime)
    amendment = await client.get(f"/api/v1/amendments/{amendment_id}", headers=hr.headers)
    document = amendment.json()["current"]["document"]
    assert (document["status"], document["error"]) == ("ready", None)
    assert len(stored(storage_dir, "*.pdf")) == 1
    stale = await client.put(URL, json={"body": fixed, "version": 1}, headers=hr.headers)
    assert stale.status_code in (409, 412)
