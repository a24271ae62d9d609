"""Development plans' stretch-assignment actions: an action names an assignment the plan's
employee is on or may read (422 naming the field otherwise), and its progress reads the
employee's part in it — in progress while active, done with the outcome once recorded."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.plans import PLANS, ZH, goal, library, new_plan
from tests.competencies.stretch_helpers import make_assignment
from tests.factories import make_department, make_org
from tests.people.conftest import count_statements
from tests.problems import assert_problem

URL = f"{API}/stretch-assignments"


def _action(assignment: dict[str, Any], title: str = "Lead the launch") -> dict[str, Any]:
    return {"kind": "stretch_assignment", "reference_id": assignment["id"], "title": title}


@pytest.mark.commits
async def test_an_action_names_an_assignment_within_reach_and_reads_its_state(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team, _ = await library(client, world)
    sales = await make_assignment(client, world.hr, world.sales.id, (team, 1))
    office = await make_assignment(client, world.hr, world.head_office.id, (team, 1))
    engineering = await make_assignment(client, world.hr, world.engineering.id, (team, 1))
    other = await make_org(runtime)
    theirs = await make_assignment(
        client,
        other,
        (await make_department(runtime, other.org_id, "Their sales")).id,
        (await create(client, other, "Theirs"), 1),
    )

    # Another department's assignment (the member is in sales east, under sales), another
    # organization's and none: 422 naming each field, in the reader's language.
    refused = await client.post(
        PLANS,
        json={
            "period": "2027",
            "title": "Plan",
            "goals": [goal(team, 3)],
            "actions": [
                _action(engineering),
                _action(theirs),
                {"kind": "stretch_assignment", "title": "Unnamed"},
            ],
        },
        headers=world.member_account.headers,
    )
    problem = assert_problem(
        refused,
        422,
        fields={"actions.0.reference_id", "actions.1.reference_id", "actions.2.reference_id"},
    )
    assert problem["errors"][0]["message"] == (
        "not a stretch assignment the employee is on or may take on"
    )
    chinese = await client.post(
        PLANS,
        json={"period": "2027", "title": "Plan", "actions": [_action(engineering)]},
        headers=world.member_account.headers | ZH,
    )
    assert assert_problem(chinese, 422)["errors"][0]["message"] == (
        "不是该员工已参与或可承担的部门内任务"
    )

    # Their department's and one above it: accepted, as the editors set them until the
    # member is on one.
    plan = await new_plan(
        client,
        world.member_account,
        goals=[goal(team, 3)],
        actions=[_action(sales), _action(office, "Key accounts")],
    )
    lines = plan["progress"]["actions"]
    assert [(a["status"], a["source"], a["outcome"]) for a in lines] == [
        ("planned", "plan", None)
    ] * 2

    assign = f"{URL}/{sales['id']}/assign"
    ok(
        await client.post(
            assign, json={"employee_id": str(world.member.id)}, headers=world.hr.headers
        ),
        201,
    )
    read_url = f"{PLANS}/{plan['id']}"
    with count_statements(runtime) as counter:
        read = ok(await client.get(read_url, headers=world.lead_account.headers))
    assert counter.count == 10, counter.statements  # nine, and one for both assignments
    sales_line, office_line = read["progress"]["actions"]
    assert (sales_line["status"], sales_line["source"], sales_line["outcome"]) == (
        "in_progress",
        "stretch_assignment",
        None,
    )
    assert (office_line["status"], office_line["source"]) == ("planned", "plan")

    outcome = {
        "employee_id": str(world.member.id),
        "figures": [{"name": "Customers won", "value": 3}],
        "ratings": [{"competency_id": team["id"], "rating": 8}],
    }
    ok(
        await client.post(
            f"{URL}/{sales['id']}/outcomes", json=outcome, headers=world.lead_account.headers
        ),
        201,
    )
    done = ok(await client.get(read_url, headers=world.member_account.headers))
    sales_line = done["progress"]["actions"][0]
    assert (sales_line["status"], sales_line["source"]) == ("done", "stretch_assignment")
    assert sales_line["outcome"]["figures"] == [
        {"name": "Customers won", "value": 3.0, "unit": None}
    ]
    assert sales_line["outcome"]["competencies"] == [{"competency_id": team["id"], "evidence": 8.0}]
    assert done["progress"]["percent"] == 33.3  # one of two actions done, the goal unmet
    # The action keeps the status its editors set; progress reads the assignment's.
    assert done["actions"][0]["status"] == "planned"
    assert_problem(await client.get(read_url, headers=other.headers), 404)
