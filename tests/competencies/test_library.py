"""The competency library: HR admins write (audited, versioned), everyone reads, nothing
crosses organizations."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.competencies.conftest import API, World, competency, create, ok
from tests.factories import make_org
from tests.people.conftest import count_statements
from tests.problems import assert_problem


async def test_hr_builds_the_library_and_everyone_reads_it(
    client: AsyncClient, world: World
) -> None:
    created = await create(client, world.hr, "Team management")
    assert created["revision"] == 1
    assert created["category"] == "management"
    assert [(level["level"], level["name"]) for level in created["levels"]] == [
        (number, f"L{number}") for number in range(1, 6)
    ]
    assert created["levels"][2]["indicators"] == ["Team management at level 3"]

    listed = ok(await client.get(f"{API}/competencies", headers=world.junior_account.headers))
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    one = await client.get(
        f"{API}/competencies/{created['id']}", headers=world.member_account.headers
    )
    assert ok(one) == created
    assert one.headers["etag"].strip('"').startswith("1")

    audit = ok(
        await client.get(
            f"{API}/audit-events?object_type=competency&object_id={created['id']}",
            headers=world.hr.headers,
        )
    )
    assert [event["action"] for event in audit["items"]] == ["competency.created"]


async def test_a_change_is_a_new_revision_guarded_by_the_version(
    client: AsyncClient, world: World
) -> None:
    created = await create(client, world.hr, "Line optimization", levels=3)
    body = competency("Line optimization", levels=4, category="professional")
    changed = ok(
        await client.patch(
            f"{API}/competencies/{created['id']}",
            json=body,
            headers=world.hr.headers | {"If-Match": '"1"'},
        )
    )
    assert (changed["revision"], len(changed["levels"]), changed["category"]) == (
        2,
        4,
        "professional",
    )
    stale = await client.patch(
        f"{API}/competencies/{created['id']}",
        json=body,
        headers=world.hr.headers | {"If-Match": '"1"'},
    )
    assert_problem(stale, 412, kind="precondition-failed")
    first = ok(
        await client.get(
            f"{API}/competencies/{created['id']}/revisions/1", headers=world.member_account.headers
        )
    )
    assert len(first["levels"]) == 3


async def test_only_hr_admins_write(client: AsyncClient, world: World) -> None:
    refused = await client.post(
        f"{API}/competencies", json=competency("Coaching"), headers=world.sales_head.headers
    )
    assert_problem(refused, 403)


async def test_a_duplicate_name_is_409_in_the_readers_language(
    client: AsyncClient, world: World
) -> None:
    await create(client, world.hr, "Customer resource integration")
    again = competency("Customer resource integration")
    assert_problem(
        await client.post(f"{API}/competencies", json=again, headers=world.hr.headers),
        409,
        detail="named 'Customer resource integration' exists",
    )
    chinese = await client.post(
        f"{API}/competencies", json=again, headers=world.hr.headers | {"Accept-Language": "zh-CN"}
    )
    body = assert_problem(chinese, 409)
    assert "Customer resource integration" in body["detail"]
    assert "exists" not in body["detail"]


async def test_levels_are_one_to_ten(client: AsyncClient, world: World) -> None:
    for levels in (0, 11):
        refused = await client.post(
            f"{API}/competencies", json=competency("Too many", levels), headers=world.hr.headers
        )
        assert_problem(refused, 422, fields={"body.levels"})
    wrong = competency("Wrong category") | {"category": "magic"}
    refused = await client.post(f"{API}/competencies", json=wrong, headers=world.hr.headers)
    assert_problem(refused, 422, fields={"body.category"})


async def test_another_organizations_competency_is_404(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    created = await create(client, world.hr, "Negotiation")
    other = await make_org(runtime)
    for reply in (
        await client.get(f"{API}/competencies/{created['id']}", headers=other.headers),
        await client.patch(
            f"{API}/competencies/{created['id']}",
            json=competency("Negotiation"),
            headers=other.headers,
        ),
    ):
        assert_problem(reply, 404, detail="No such competency")
    chinese = await client.get(
        f"{API}/competencies/{created['id']}",
        headers=other.headers | {"Accept-Language": "zh-CN"},
    )
    assert "competency" not in assert_problem(chinese, 404)["detail"]
    listed = ok(await client.get(f"{API}/competencies", headers=other.headers))
    assert listed["items"] == []


async def test_the_list_costs_the_same_whatever_its_size(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    url = f"{API}/competencies"
    await create(client, world.hr, "First")
    with count_statements(runtime) as one:
        assert len(ok(await client.get(url, headers=world.member_account.headers))["items"]) == 1
    for name in ("Second", "Third", "Fourth"):
        await create(client, world.hr, name)
    with count_statements(runtime) as four:
        assert len(ok(await client.get(url, headers=world.member_account.headers))["items"]) == 4
    assert four.count == one.count
