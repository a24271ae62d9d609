"""Positions: descriptions, promotion paths, lists without N+1, and who may change them."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from tests.factories import make_department, make_org, make_position
from tests.org.conftest import World, api_key, recorded_statements
from tests.problems import problem_fields

POSITIONS = "/api/v1/positions"
COMPETENCY: dict[str, Any] = {
    "name": "Customer resource integration",
    "required_level": 7,
    "category": "professional",
}
DESCRIPTION: dict[str, Any] = {
    "summary": "Leads a regional sales section.",
    "responsibilities": ["Set section targets", "Coach representatives"],
    "core_competencies": [
        COMPETENCY,
        {"name": "Team management", "required_level": 6, "category": "management"},
    ],
}


def _new(world: World, code: str = "SALES-CHIEF", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "title": "Sales chief",
        "department_id": str(world.sales.id),
        "grade": "M1",
        "is_management": True,
        "description": DESCRIPTION,
    }
    return body | overrides


async def _create(client: AsyncClient, world: World, **overrides: Any) -> dict[str, Any]:
    response = await client.post(POSITIONS, json=_new(world, **overrides), headers=world.hr.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_hr_creates_a_position_with_description_and_promotion_path(
    client: AsyncClient, world: World
) -> None:
    manager = await _create(client, world, code="SALES-MGR", title="Sales manager")
    response = await client.post(
        POSITIONS, json=_new(world, next_position_ids=[manager["id"]]), headers=world.hr.headers
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["etag"].startswith(f'"{created["version"]}.')
    assert created["description"] == DESCRIPTION
    assert created["description_revision"] == 0
    assert created["next_position_ids"] == [manager["id"]]
    fetched = await client.get(f"{POSITIONS}/{created['id']}", headers=world.employee.headers)
    assert fetched.json() == created


async def test_descriptions_are_validated(client: AsyncClient, world: World) -> None:
    invalid = [
        {"core_competencies": [COMPETENCY | {"required_level": 11}]},
        {"core_competencies": [COMPETENCY | {"required_level": -1}]},
        {"core_competencies": [COMPETENCY | {"category": "magic"}]},
        {"core_competencies": [COMPETENCY, COMPETENCY]},
        {"responsibilities": [""]},
        {"summry": "typo"},
    ]
    for description in invalid:
        response = await client.post(
            POSITIONS, json=_new(world, description=description), headers=world.hr.headers
        )
        assert response.status_code == 422, description
    bare = await client.post(POSITIONS, json=_new(world, description={}), headers=world.hr.headers)
    assert bare.json()["description"] == {
        "summary": "",
        "responsibilities": [],
        "core_competencies": [],
    }


async def test_codes_are_unique_in_an_organization(client: AsyncClient, world: World) -> None:
    await _create(client, world)
    assert (
        await client.post(POSITIONS, json=_new(world), headers=world.hr.headers)
    ).status_code == 409
    other = await _create(client, world, code="OTHER")
    recode = await client.patch(
        f"{POSITIONS}/{other['id']}", json={"code": "SALES-CHIEF"}, headers=world.hr.headers
    )
    assert recode.status_code == 409


async def test_references_from_another_org_are_422_and_its_positions_404(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other = await make_org(runtime)
    foreign_department = await make_department(runtime, other.org_id, "Elsewhere")
    foreign = await make_position(runtime, other.org_id, foreign_department, "Foreign")
    elsewhere = await client.post(
        POSITIONS,
        json=_new(world, department_id=str(foreign_department.id)),
        headers=world.hr.headers,
    )
    assert (elsewhere.status_code, problem_fields(elsewhere)) == (422, {"department_id"})
    leads_out = await client.post(
        POSITIONS, json=_new(world, next_position_ids=[str(foreign.id)]), headers=world.hr.headers
    )
    assert (leads_out.status_code, problem_fields(leads_out)) == (422, {"next_position_ids"})
    mine = await _create(client, world)
    url = f"{POSITIONS}/{mine['id']}"
    moved_out = await client.patch(
        url, json={"department_id": str(foreign_department.id)}, headers=world.hr.headers
    )
    assert moved_out.status_code == 422
    itself = await client.patch(
        url, json={"next_position_ids": [mine["id"]]}, headers=world.hr.headers
    )
    assert (itself.status_code, problem_fields(itself)) == (422, {"next_position_ids"})
    foreign_url = f"{POSITIONS}/{foreign.id}"
    assert (await client.get(foreign_url, headers=world.hr.headers)).status_code == 404
    patched = await client.patch(foreign_url, json={"title": "Mine"}, headers=world.hr.headers)
    assert patched.status_code == 404


async def test_everyone_reads_only_hr_writes(client: AsyncClient, world: World) -> None:
    position = await _create(client, world)
    url = f"{POSITIONS}/{position['id']}"
    reader = await api_key(client, world.hr, "org:read")
    for headers in (world.sales_head.headers, world.employee.headers, reader):
        assert (await client.get(url, headers=headers)).status_code == 200
        assert (await client.get(POSITIONS, headers=headers)).status_code == 200
        created = await client.post(POSITIONS, json=_new(world, code="X"), headers=headers)
        assert created.status_code == 403
        assert (await client.patch(url, json={"title": "X"}, headers=headers)).status_code == 403
        direct = await client.patch(url, json={"description": {}}, headers=headers)
        assert direct.status_code == 403
    keyless = await api_key(client, world.hr, "metrics:write")
    assert (await client.get(url, headers=keyless)).status_code == 403


async def test_patch_replaces_the_promotion_path_and_bumps_the_version(
    client: AsyncClient, world: World
) -> None:
    chief = await _create(client, world)
    manager = await _create(client, world, code="MGR")
    director = await _create(client, world, code="DIR")
    url = f"{POSITIONS}/{chief['id']}"
    first = await client.patch(
        url,
        json={"next_position_ids": [director["id"], manager["id"], manager["id"]]},
        headers=world.hr.headers,
    )
    assert first.status_code == 200, first.text
    assert first.json()["next_position_ids"] == sorted([manager["id"], director["id"]])
    assert first.json()["version"] == chief["version"] + 1
    second = await client.patch(
        url, json={"next_position_ids": [director["id"]]}, headers=world.hr.headers
    )
    assert second.json()["next_position_ids"] == [director["id"]]
    stale = await client.patch(
        url,
        json={"next_position_ids": []},
        headers=world.hr.headers | {"If-Match": first.headers["etag"]},
    )
    assert stale.status_code == 412
    events = await client.get(
        f"/api/v1/audit-events?object_type=position&object_id={chief['id']}&action=position.updated",
        headers=world.hr.headers,
    )
    latest = events.json()["items"][0]
    assert latest["before"] == {"next_position_ids": sorted([manager["id"], director["id"]])}
    assert latest["after"] == {"next_position_ids": [director["id"]]}


async def test_hr_edits_a_description_directly_as_a_new_revision(
    client: AsyncClient, world: World
) -> None:
    position = await _create(client, world)
    url = f"{POSITIONS}/{position['id']}"
    changed = DESCRIPTION | {"summary": "Grows the eastern region."}
    edited = await client.patch(url, json={"description": changed}, headers=world.hr.headers)
    assert edited.json()["description"] == changed
    assert edited.json()["description_revision"] == 1
    same = await client.patch(url, json={"description": changed}, headers=world.hr.headers)
    assert same.json()["description_revision"] == 1
    renamed = await client.patch(url, json={"title": "Section chief"}, headers=world.hr.headers)
    assert (renamed.json()["title"], renamed.json()["description_revision"]) == ("Section chief", 1)


async def _titles(client: AsyncClient, world: World, query: str) -> list[str]:
    titles: list[str] = []
    cursor = ""
    while True:
        page = await client.get(f"{POSITIONS}?limit=2{query}{cursor}", headers=world.hr.headers)
        assert page.status_code == 200, page.text
        titles += [item["title"] for item in page.json()["items"]]
        if page.json()["next_cursor"] is None:
            return titles
        cursor = f"&cursor={page.json()['next_cursor']}"


async def test_list_pages_with_filters(client: AsyncClient, world: World) -> None:
    await _create(client, world, code="S-CHIEF", title="Sales chief")
    await _create(client, world, code="S-REP", title="Sales rep", is_management=False)
    await _create(
        client,
        world,
        code="ENG",
        title="Engineer",
        is_management=False,
        department_id=str(world.engineering.id),
    )
    await _create(
        client,
        world,
        code="ENG-LEAD",
        title="Engineering lead",
        department_id=str(world.engineering.id),
    )
    everything = ["Engineer", "Engineering lead", "Sales chief", "Sales rep"]
    assert await _titles(client, world, "") == everything
    assert await _titles(client, world, "&sort=code") == [
        "Engineer",
        "Engineering lead",
        "Sales chief",
        "Sales rep",
    ]
    assert await _titles(client, world, f"&department_id={world.sales.id}") == [
        "Sales chief",
        "Sales rep",
    ]
    assert await _titles(client, world, "&is_management=true") == [
        "Engineering lead",
        "Sales chief",
    ]
    assert await _titles(client, world, "&q=CHIEF") == ["Sales chief"]
    assert await _titles(client, world, "&q=s-") == ["Sales chief", "Sales rep"]
    assert await _titles(client, world, "&q=_") == []


async def _statements_for_a_page(
    client: AsyncClient, runtime: Runtime, world: World, limit: int
) -> int:
    with recorded_statements(runtime) as statements:
        page = await client.get(f"{POSITIONS}?limit={limit}", headers=world.hr.headers)
    assert page.status_code == 200
    assert len(page.json()["items"]) == limit
    assert all(item["next_position_ids"] for item in page.json()["items"])
    return len(statements)


async def test_a_page_costs_the_same_queries_whatever_its_size(
    client: AsyncClient, runtime: Runtime, owner_engine: AsyncEngine, world: World
) -> None:
    target = await make_position(runtime, world.hr.org_id, world.sales, "Target")
    for number in range(50):
        await make_position(runtime, world.hr.org_id, world.sales, f"Clerk {number:02d}")
    async with owner_engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO position_promotion_paths (org_id, from_position_id, to_position_id) "
                "SELECT org_id, id, :target FROM positions WHERE id <> :target"
            ),
            {"target": target.id},
        )
    small = await _statements_for_a_page(client, runtime, world, 5)
    large = await _statements_for_a_page(client, runtime, world, 50)
    assert small == large
