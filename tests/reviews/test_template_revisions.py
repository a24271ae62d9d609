"""Every revision of a review form is kept and readable; a cycle's revision resolves to one."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import Account, make_org
from tests.people.conftest import World
from tests.problems import assert_problem
from tests.reviews.conftest import API, FORM, TEAMWORK, Setup, post_ok

ONLY_TEAMWORK = [TEAMWORK | {"weight": 100}]


async def _revise(
    client: AsyncClient, hr: Account, template: dict[str, Any], **change: Any
) -> dict[str, Any]:
    response = await client.patch(
        f"{API}/review-templates/{template['id']}",
        json={**FORM, **change, "version": template["version"]},
        headers=hr.headers,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _get(client: AsyncClient, account: Account, path: str) -> Any:
    response = await client.get(f"{API}{path}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_revision_is_kept_with_its_content(client: AsyncClient, world: World) -> None:
    hr = world.hr
    first = await post_ok(client, hr, "/review-templates", FORM)
    second = await _revise(client, hr, first, name="Annual review 2027")
    third = await _revise(client, hr, second, indicators=ONLY_TEAMWORK)
    assert third["revision"] == 3
    url = f"/review-templates/{first['id']}/revisions"
    stale = await client.patch(
        f"{API}/review-templates/{first['id']}",
        json={**FORM, "version": first["version"]},
        headers=hr.headers,
    )
    assert_problem(stale, 409, detail="The object is at version 3, not 1")
    etag = await client.patch(
        f"{API}/review-templates/{first['id']}", json=FORM, headers=hr.headers | {"If-Match": '"1"'}
    )
    assert_problem(etag, 412)

    listed = await _get(client, hr, url)
    assert [r["revision"] for r in listed["items"]] == [1, 2, 3], "stale edits store nothing"
    assert listed["next_cursor"] is None
    by_revision = {r["revision"]: r for r in listed["items"]}
    for number in (1, 2, 3):
        assert await _get(client, hr, f"{url}/{number}") == by_revision[number]
    assert [by_revision[n]["name"] for n in (1, 2, 3)] == [
        "Annual review",
        "Annual review 2027",
        "Annual review",
    ]
    assert by_revision[1]["indicators"] == first["indicators"]
    assert by_revision[3]["indicators"] == third["indicators"]
    assert [i["key"] for i in by_revision[3]["indicators"]] == ["teamwork"]
    assert by_revision[1]["kind_weights"] == first["kind_weights"]
    assert {r["template_id"] for r in listed["items"]} == {first["id"]}

    page = await _get(client, hr, f"{url}?limit=2")
    assert [r["revision"] for r in page["items"]] == [1, 2]
    rest = await _get(client, hr, f"{url}?limit=2&cursor={page['next_cursor']}")
    assert [r["revision"] for r in rest["items"]] == [3]

    unknown = await client.get(f"{API}{url}/4", headers=hr.headers)
    assert_problem(unknown, 404, kind="not-found", detail="No revision 4 of this review template")
    for impossible in ("0", str(2**31), "first"):
        refused = await client.get(f"{API}{url}/{impossible}", headers=hr.headers)
        assert_problem(refused, 422, fields={"path.revision"})


async def test_revisions_are_read_as_the_form_is(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    form = await post_ok(client, world.hr, "/review-templates", FORM)
    url = f"{API}/review-templates/{form['id']}/revisions"
    head = await client.get(f"{url}/1", headers=world.sales_head.headers)
    assert head.status_code == 200, "department heads read forms and their revisions"
    for path in (url, f"{url}/1"):
        refused = await client.get(path, headers=world.member_account.headers)
        assert_problem(refused, 403, detail="Only HR admins and department heads")
    stranger = await make_org(runtime)
    for path in (url, f"{url}/1"):
        hidden = await client.get(path, headers=stranger.headers)
        assert_problem(hidden, 404, detail="No such review template")


async def test_a_cycle_keeps_its_revision_and_it_resolves(
    client: AsyncClient, setup: Setup
) -> None:
    hr, cycle = setup.world.hr, setup.cycle
    template = await _get(client, hr, f"/review-templates/{cycle['template_id']}")
    revised = await _revise(client, hr, template, indicators=ONLY_TEAMWORK)
    await _revise(client, hr, revised, name="Renamed")

    after = await _get(client, hr, f"/review-cycles/{cycle['id']}")
    assert after["template_revision"] == cycle["template_revision"] == 1
    kept = await _get(
        client,
        hr,
        f"/review-templates/{cycle['template_id']}/revisions/{after['template_revision']}",
    )
    mine = await _get(client, setup.world.lead_account, "/me/review-assignments")
    form = mine["items"][0]
    assert form["indicators"] == kept["indicators"], "the cycle runs on the revision it names"
    assert [i["key"] for i in kept["indicators"]] == ["sales", "teamwork", "leadership"]
    assert kept["department_overrides"] == template["department_overrides"]
