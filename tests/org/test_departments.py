"""The department tree: create, move, delete, list, and who may do which."""

from __future__ import annotations

import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from tests.factories import make_department, make_employee, make_org, make_position
from tests.org.conftest import World, api_key, recorded_statements
from tests.problems import assert_problem

DEPARTMENTS = "/api/v1/departments"


async def _create(
    client: AsyncClient, world: World, name: str, parent: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = {
        "name": name,
        "code": name.upper().replace(" ", "-"),
        "parent_id": parent["id"] if parent else None,
    }
    response = await client.post(DEPARTMENTS, json=body, headers=world.hr.headers)
    assert response.status_code == 201, response.text
    assert response.headers["etag"].startswith(f'"{response.json()["version"]}.')
    created: dict[str, Any] = response.json()
    return created


async def _paths(owner_engine: AsyncEngine, org_id: uuid.UUID) -> dict[str, str]:
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT code, path FROM departments WHERE org_id = :org"), {"org": org_id}
        )
        return dict(rows.all())


async def test_moving_a_subtree_rewrites_every_descendant_path_in_one_update(
    client: AsyncClient, runtime: Runtime, owner_engine: AsyncEngine, world: World
) -> None:
    a = await _create(client, world, "a")
    b = await _create(client, world, "b", a)
    c = await _create(client, world, "c", b)
    d = await _create(client, world, "d", c)
    e = await _create(client, world, "e")
    assert (d["ancestor_ids"], d["depth"]) == ([a["id"], b["id"], c["id"]], 3)
    assert (await _paths(owner_engine, world.hr.org_id))[
        "D"
    ] == f"/{a['id']}/{b['id']}/{c['id']}/{d['id']}/"

    with recorded_statements(runtime) as statements:
        moved = await client.patch(
            f"{DEPARTMENTS}/{b['id']}", json={"parent_id": e["id"]}, headers=world.hr.headers
        )
    assert moved.status_code == 200, moved.text
    assert moved.json()["ancestor_ids"] == [e["id"]]
    assert sum("SET path=" in s for s in statements) == 1
    paths = await _paths(owner_engine, world.hr.org_id)
    assert paths["B"] == f"/{e['id']}/{b['id']}/"
    assert paths["C"] == f"/{e['id']}/{b['id']}/{c['id']}/"
    assert paths["D"] == f"/{e['id']}/{b['id']}/{c['id']}/{d['id']}/"
    assert paths["A"] == f"/{a['id']}/"
    moved_d = (await client.get(f"{DEPARTMENTS}/{d['id']}", headers=world.hr.headers)).json()
    assert moved_d["ancestor_ids"] == [e["id"], b["id"], c["id"]]
    assert moved_d["version"] == d["version"] + 1, "descendants' representation changed"

    to_top = await client.patch(
        f"{DEPARTMENTS}/{b['id']}", json={"parent_id": None}, headers=world.hr.headers
    )
    assert (to_top.json()["parent_id"], to_top.json()["depth"]) == (None, 0)
    assert (await _paths(owner_engine, world.hr.org_id))["D"] == f"/{b['id']}/{c['id']}/{d['id']}/"


async def test_a_move_under_itself_or_a_descendant_is_refused(
    client: AsyncClient, world: World
) -> None:
    for target in (world.sales, world.sales_east):
        response = await client.patch(
            f"{DEPARTMENTS}/{world.sales.id}",
            json={"parent_id": str(target.id)},
            headers=world.hr.headers,
        )
        assert_problem(response, 422, kind="validation-error", fields={"parent_id"})
    unchanged = await client.get(f"{DEPARTMENTS}/{world.sales.id}", headers=world.hr.headers)
    assert unchanged.json()["parent_id"] == str(world.head_office.id)


async def test_only_an_empty_department_is_deleted(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    with_child = await client.delete(f"{DEPARTMENTS}/{world.sales.id}", headers=world.hr.headers)
    assert_problem(with_child, 409, kind="conflict", detail="sub departments")

    staffed = await make_department(runtime, org_id, "Staffed")
    await make_employee(runtime, org_id, staffed, "Wang Wei")
    with_people = await client.delete(f"{DEPARTMENTS}/{staffed.id}", headers=world.hr.headers)
    assert_problem(with_people, 409, kind="conflict", detail="employees")

    posted = await make_department(runtime, org_id, "Posted")
    await make_position(runtime, org_id, posted, "Clerk")
    with_position = await client.delete(f"{DEPARTMENTS}/{posted.id}", headers=world.hr.headers)
    assert_problem(with_position, 409, kind="conflict", detail="positions")

    empty = await client.delete(f"{DEPARTMENTS}/{world.sales_east.id}", headers=world.hr.headers)
    assert empty.status_code == 204
    gone = await client.get(f"{DEPARTMENTS}/{world.sales_east.id}", headers=world.hr.headers)
    assert_problem(gone, 404, kind="not-found")


async def test_codes_are_unique_in_an_organization(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _create(client, world, "ops")
    again = await client.post(
        DEPARTMENTS, json={"name": "Ops 2", "code": "OPS"}, headers=world.hr.headers
    )
    assert_problem(again, 409, kind="conflict")
    recode = await client.patch(
        f"{DEPARTMENTS}/{world.sales.id}", json={"code": "OPS"}, headers=world.hr.headers
    )
    assert_problem(recode, 409, kind="conflict")
    other = await make_org(runtime)
    elsewhere = await client.post(
        DEPARTMENTS, json={"name": "Ops", "code": "OPS"}, headers=other.headers
    )
    assert elsewhere.status_code == 201


async def test_another_orgs_departments_are_422_in_bodies_and_404_in_paths(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other = await make_org(runtime)
    foreign = await make_department(runtime, other.org_id, "Elsewhere")
    created = await client.post(
        DEPARTMENTS,
        json={"name": "X", "code": "X", "parent_id": str(foreign.id)},
        headers=world.hr.headers,
    )
    assert_problem(created, 422, kind="validation-error", fields={"parent_id"})
    moved = await client.patch(
        f"{DEPARTMENTS}/{world.sales.id}",
        json={"parent_id": str(foreign.id)},
        headers=world.hr.headers,
    )
    assert_problem(moved, 422, kind="validation-error", fields={"parent_id"})
    url = f"{DEPARTMENTS}/{foreign.id}"
    for response in (
        await client.get(url, headers=world.hr.headers),
        await client.patch(url, json={"name": "Mine"}, headers=world.hr.headers),
        await client.delete(url, headers=world.hr.headers),
    ):
        assert_problem(response, 404, kind="not-found")


async def test_everyone_reads_only_hr_writes(client: AsyncClient, world: World) -> None:
    url = f"{DEPARTMENTS}/{world.sales.id}"
    for account in (world.sales_head, world.employee):
        assert (await client.get(url, headers=account.headers)).status_code == 200
        listed = await client.get(DEPARTMENTS, headers=account.headers)
        assert len(listed.json()["items"]) == 4
        body = {"name": "Mine", "code": "MINE"}
        for response in (
            await client.post(DEPARTMENTS, json=body, headers=account.headers),
            await client.patch(url, json=body, headers=account.headers),
            await client.delete(url, headers=account.headers),
        ):
            assert_problem(response, 403, kind="forbidden")


async def test_integration_keys_read_with_org_read_and_never_write(
    client: AsyncClient, world: World
) -> None:
    reader = await api_key(client, world.hr, "org:read")
    writer = await api_key(client, world.hr, "employees:write")
    url = f"{DEPARTMENTS}/{world.sales.id}"
    assert (await client.get(url, headers=reader)).status_code == 200
    assert (await client.get(DEPARTMENTS, headers=reader)).status_code == 200
    assert_problem(await client.get(url, headers=writer), 403, kind="forbidden")
    assert_problem(await client.get(DEPARTMENTS, headers=writer), 403, kind="forbidden")
    for headers in (reader, writer):
        body = {"name": "Bot", "code": "BOT"}
        posted = await client.post(DEPARTMENTS, json=body, headers=headers)
        assert_problem(posted, 403, kind="forbidden")
        assert_problem(await client.patch(url, json=body, headers=headers), 403, kind="forbidden")


async def test_updates_need_the_current_version(client: AsyncClient, world: World) -> None:
    url = f"{DEPARTMENTS}/{world.engineering.id}"
    read = await client.get(url, headers=world.hr.headers)
    etag = read.headers["etag"]
    renamed = await client.patch(
        url, json={"name": "R&D"}, headers=world.hr.headers | {"If-Match": etag}
    )
    assert renamed.status_code == 200
    assert renamed.headers["etag"] != etag
    stale = await client.patch(
        url, json={"name": "Research"}, headers=world.hr.headers | {"If-Match": etag}
    )
    assert_problem(stale, 412, kind="precondition-failed")
    stale_body = await client.patch(
        url, json={"name": "Research", "version": read.json()["version"]}, headers=world.hr.headers
    )
    assert_problem(stale_body, 409, kind="conflict", detail="reload and retry")
    stale_delete = await client.delete(url, headers=world.hr.headers | {"If-Match": etag})
    assert_problem(stale_delete, 412, kind="precondition-failed")


async def test_patch_refuses_null_for_required_fields(client: AsyncClient, world: World) -> None:
    response = await client.patch(
        f"{DEPARTMENTS}/{world.sales.id}", json={"name": None}, headers=world.hr.headers
    )
    assert_problem(response, 422, kind="validation-error", fields={"body"}, detail="invalid fields")


async def _all_pages(client: AsyncClient, world: World, query: str) -> list[str]:
    names: list[str] = []
    cursor = ""
    while True:
        page = await client.get(f"{DEPARTMENTS}?limit=2{query}{cursor}", headers=world.hr.headers)
        assert page.status_code == 200, page.text
        names += [item["name"] for item in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            return names
        cursor = f"&cursor={page.json()['next_cursor']}"


async def test_list_pages_in_tree_or_name_order_with_filters(
    client: AsyncClient, world: World
) -> None:
    tree = ["Head office", "Sales", "Sales East", "Engineering"]
    assert await _all_pages(client, world, "") == tree
    assert await _all_pages(client, world, "&sort=name") == sorted(tree)
    assert await _all_pages(client, world, f"&root_id={world.sales.id}") == ["Sales", "Sales East"]
    children = await _all_pages(client, world, f"&parent_id={world.head_office.id}")
    assert children == ["Sales", "Engineering"]
    assert await _all_pages(client, world, "&q=sAL") == ["Sales", "Sales East"]
    assert await _all_pages(client, world, "&q=%25") == []
    assert await _all_pages(client, world, f"&root_id={uuid.uuid4()}") == []
    bad = await client.get(f"{DEPARTMENTS}?sort=path", headers=world.hr.headers)
    assert_problem(bad, 422, kind="validation-error", fields={"query.sort"})
    typo = await client.get(f"{DEPARTMENTS}?parent={world.sales.id}", headers=world.hr.headers)
    assert_problem(typo, 400)


async def test_changes_are_audited(client: AsyncClient, world: World) -> None:
    created = await _create(client, world, "audit me")
    url = f"{DEPARTMENTS}/{created['id']}"
    await client.patch(url, json={"name": "Audited"}, headers=world.hr.headers)
    await client.patch(url, json={"parent_id": str(world.sales.id)}, headers=world.hr.headers)
    await client.delete(url, headers=world.hr.headers)
    events = await client.get(
        f"/api/v1/audit-events?object_type=department&object_id={created['id']}",
        headers=world.hr.headers,
    )
    by_action = {event["action"]: event for event in events.json()["items"]}
    assert set(by_action) == {
        "department.created",
        "department.updated",
        "department.moved",
        "department.deleted",
    }
    assert by_action["department.updated"]["before"] == {"name": "audit me"}
    assert by_action["department.updated"]["after"] == {"name": "Audited"}
    moved = by_action["department.moved"]
    assert moved["before"]["parent_id"] is None
    assert moved["after"]["parent_id"] == str(world.sales.id)
    assert moved["actor_id"] == str(world.hr.user_id)
    assert by_action["department.deleted"]["before"]["name"] == "Audited"
