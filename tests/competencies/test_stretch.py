"""Stretch assignments 「部门内任务」: who creates, edits and reads them, the checks on what
they develop, the list's filters and its statement count, and another organization."""

from __future__ import annotations

import uuid

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.stretch_helpers import ZH, audited, body, make_assignment
from tests.factories import make_department, make_org, make_user
from tests.people.conftest import count_statements
from tests.problems import assert_problem

URL = f"{API}/stretch-assignments"


async def test_hr_department_heads_and_managers_create_within_their_scope(
    client: AsyncClient, world: World
) -> None:
    team = await create(client, world.hr, "Team management")
    created = await make_assignment(client, world.hr, world.sales.id, (team, 3), slots=2)
    assert (created["status"], created["taken"], created["slots"], created["team_size"]) == (
        "open",
        0,
        2,
        4,
    )
    assert created["department"] == {"id": str(world.sales.id), "name": "Sales"}
    assert created["duration_days"] == 87
    [developed] = created["competencies"]
    assert (developed["competency"]["name"], developed["start_level"], developed["start"]) == (
        "Team management",
        3,
        6.0,
    )
    head = await make_assignment(client, world.sales_head, world.sales_east.id, (team, 2))
    assert head["department_id"] == str(world.sales_east.id)
    manager = await make_assignment(client, world.lead_account, world.sales.id, (team, 2))
    assert manager["department_id"] == str(world.sales.id)

    outside = await client.post(
        URL, json=body(world.engineering.id, (team, 2)), headers=world.sales_head.headers
    )
    assert_problem(outside, 404, detail="No such department")
    chinese = await client.post(
        URL, json=body(world.engineering.id, (team, 2)), headers=world.sales_head.headers | ZH
    )
    assert "department" not in assert_problem(chinese, 404)["detail"]
    # A manager edits only their own department (a department below it is out of their
    # reach); someone without reports reads their department but edits nothing.
    not_own = await client.post(
        URL, json=body(world.sales_east.id, (team, 2)), headers=world.lead_account.headers
    )
    assert_problem(not_own, 404)
    no_reports = await client.post(
        URL, json=body(world.sales_east.id, (team, 2)), headers=world.junior_account.headers
    )
    assert_problem(no_reports, 403, detail="Only HR")
    [event] = await audited(client, world.hr, created["id"])
    assert (event["action"], event["after"]["slots"]) == ("stretch_assignment.created", 2)


async def test_what_it_develops_is_checked_field_by_field(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management", levels=4)
    unknown = {"id": str(uuid.uuid4())}
    assert_problem(
        await client.post(URL, json=body(world.sales.id, (unknown, 1)), headers=world.hr.headers),
        404,
        detail="No such competency",
    )
    twice = await client.post(
        URL, json=body(world.sales.id, (team, 1), (team, 5)), headers=world.hr.headers
    )
    assert_problem(
        twice, 422, fields={"competencies.1.competency_id", "competencies.1.start_level"}
    )
    backwards = await client.post(
        URL,
        json=body(world.sales.id, (team, 1), starts_on="2027-03-01", ends_on="2027-02-01"),
        headers=world.hr.headers | ZH,
    )
    problem = assert_problem(backwards, 422, fields={"ends_on"})
    assert problem["errors"][0]["message"] != "must not be before the start"
    other = await make_org(runtime)
    theirs = await make_department(runtime, other.org_id, "Theirs")
    assert_problem(
        await client.post(URL, json=body(theirs.id, (team, 1)), headers=world.hr.headers),
        422,
        fields={"department_id"},
    )
    assert_problem(
        await client.post(
            URL, json=body(world.sales.id, (team, 1), team_size=0), headers=world.hr.headers
        ),
        422,
        fields={"body.team_size"},
    )


async def test_readers_in_scope_and_404_outside_it(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    in_sales = await make_assignment(client, world.hr, world.sales.id, (team, 2))
    in_east = await make_assignment(client, world.hr, world.sales_east.id, (team, 2))
    in_engineering = await make_assignment(client, world.hr, world.engineering.id, (team, 2))
    # Junior (sales east) reads their department's and the one above it.
    for assignment in (in_sales, in_east):
        read = ok(
            await client.get(f"{URL}/{assignment['id']}", headers=world.junior_account.headers)
        )
        assert read["assignees"] == []
    hidden = await client.get(f"{URL}/{in_engineering['id']}", headers=world.junior_account.headers)
    assert_problem(hidden, 404, detail="No such stretch assignment")
    chinese = await client.get(
        f"{URL}/{in_engineering['id']}", headers=world.junior_account.headers | ZH
    )
    assert "stretch" not in assert_problem(chinese, 404)["detail"]
    listed = ok(await client.get(URL, headers=world.junior_account.headers))
    assert {item["id"] for item in listed["items"]} == {in_sales["id"], in_east["id"]}
    # The sales head reads their subtree, not engineering.
    head = ok(await client.get(URL, headers=world.sales_head.headers))
    assert {item["id"] for item in head["items"]} == {in_sales["id"], in_east["id"]}
    other = await make_org(runtime)
    assert_problem(await client.get(f"{URL}/{in_sales['id']}", headers=other.headers), 404)
    assert ok(await client.get(URL, headers=other.headers))["items"] == []
    key = ok(
        await client.post(
            f"{API}/api-keys",
            json={"name": "CRM", "scopes": ["org:read"]},
            headers=world.hr.headers,
        ),
        201,
    )
    refused = await client.get(URL, headers={"Authorization": f"Bearer {key['key']}"})
    assert_problem(refused, 403)


async def test_editing_closing_and_stale_versions(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    customers = await create(client, world.hr, "Customer resource integration")
    assignment = await make_assignment(client, world.hr, world.sales_east.id, (team, 2))
    url = f"{URL}/{assignment['id']}"
    changed = ok(
        await client.patch(
            url,
            json={
                "title": "Lead the key-account project",
                "competencies": [{"competency_id": customers["id"], "start_level": 3}],
                "version": 1,
            },
            headers=world.sales_head.headers,
        )
    )
    assert (changed["title"], changed["version"]) == ("Lead the key-account project", 2)
    assert [c["competency"]["name"] for c in changed["competencies"]] == [
        "Customer resource integration"
    ]
    stale = await client.patch(
        url, json={"team_size": 5}, headers=world.hr.headers | {"If-Match": '"1"'}
    )
    assert_problem(stale, 412)
    closed = ok(await client.patch(url, json={"status": "closed"}, headers=world.hr.headers))
    assert closed["status"] == "closed"
    reopened = ok(await client.patch(url, json={"status": "open"}, headers=world.hr.headers))
    assert reopened["status"] == "open"
    assert_problem(
        await client.patch(url, json={"status": "assigned"}, headers=world.hr.headers),
        422,
        fields={"body.status"},
    )
    assert_problem(
        await client.patch(
            url, json={"department_id": str(world.sales.id)}, headers=world.hr.headers
        ),
        422,
        fields={"body.department_id"},
    )
    assert_problem(
        await client.patch(url, json={"ends_on": "2026-01-01"}, headers=world.hr.headers),
        422,
        fields={"ends_on"},
    )
    # Junior reads it (their department) but may not edit it; engineering's engineer sees
    # nothing of it.
    assert_problem(
        await client.patch(url, json={"team_size": 2}, headers=world.junior_account.headers), 403
    )
    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    assert_problem(await client.patch(url, json={"team_size": 2}, headers=engineer.headers), 404)
    events = await audited(client, world.hr, assignment["id"])
    assert [event["action"] for event in events] == ["stretch_assignment.created"] + [
        "stretch_assignment.updated"
    ] * 3
    assert events[1]["before"]["title"] == "Lead the new-customer project"
    assert events[1]["after"]["title"] == "Lead the key-account project"


async def test_the_list_filters_and_costs_a_fixed_number_of_statements(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    customers = await create(client, world.hr, "Customer resource integration")
    first = await make_assignment(client, world.hr, world.sales.id, (team, 2))
    with count_statements(runtime) as one:
        ok(await client.get(URL, headers=world.junior_account.headers))
    await make_assignment(client, world.hr, world.sales_east.id, (team, 2), (customers, 1))
    await make_assignment(client, world.hr, world.head_office.id, (customers, 3))
    closed = await make_assignment(client, world.hr, world.sales_east.id, (customers, 3))
    ok(
        await client.patch(
            f"{URL}/{closed['id']}", json={"status": "closed"}, headers=world.hr.headers
        )
    )
    with count_statements(runtime) as four:
        page = ok(await client.get(URL, headers=world.junior_account.headers))
    assert len(page["items"]) == 4
    assert one.count == four.count
    east = ok(
        await client.get(
            f"{URL}?department_id={world.sales_east.id}&status=open",
            headers=world.hr.headers,
        )
    )
    assert [item["department"]["name"] for item in east["items"]] == ["Sales East"]
    paged = ok(await client.get(f"{URL}?limit=3", headers=world.hr.headers))
    rest = ok(
        await client.get(f"{URL}?limit=3&cursor={paged['next_cursor']}", headers=world.hr.headers)
    )
    assert [item["id"] for item in rest["items"]] == [first["id"]]
