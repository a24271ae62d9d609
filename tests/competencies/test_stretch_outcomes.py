"""Outcomes of stretch assignments: figures, the supervisor's ratings and anonymous peers
become evidence that moves the profile in the worker; recording again replaces (audited as a
correction) and never doubles; a webhook event; who may record and read them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.stretch_helpers import ZH, audited, make_assignment
from tests.factories import make_org, make_user
from tests.people.conftest import count_statements
from tests.problems import assert_problem
from tests.webhooks.conftest import Configure, Receiver, configure, receiver

__all__ = ["configure", "receiver"]

URL = f"{API}/stretch-assignments"


async def _assigned(
    client: AsyncClient, world: World, *employees: Any
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An assignment in sales developing team management (start 2 of 5) and customer
    resource integration (start 1 of 4), with `employees` on it (Member by default)."""
    team = await create(client, world.hr, "Team management", levels=5)
    customers = await create(client, world.hr, "Customer resource integration", levels=4)
    assignment = await make_assignment(
        client, world.hr, world.sales.id, (team, 2), (customers, 1), slots=3
    )
    for employee in employees or (world.member,):
        response = await client.post(
            f"{URL}/{assignment['id']}/assign",
            json={"employee_id": str(employee.id)},
            headers=world.hr.headers,
        )
        ok(response, 201)
    return assignment, team, customers


def _outcome(
    world: World,
    team: dict[str, Any],
    customers: dict[str, Any],
    ratings: tuple[float, float],
    peers: dict[str, list[float]] | None = None,
    employee: Any = None,
) -> dict[str, Any]:
    return {
        "employee_id": str((employee or world.member).id),
        "figures": [
            {"name": "Revenue delivered", "value": 1_200_000, "unit": "CNY"},
            {"name": "Customers won", "value": 3},
        ],
        "ratings": [
            {"competency_id": team["id"], "rating": ratings[0]},
            {"competency_id": customers["id"], "rating": ratings[1]},
        ],
        "peer_feedback": [
            {"competency_id": competency_id, "ratings": answers}
            for competency_id, answers in (peers or {}).items()
        ],
        "note": "Opened the east region",
    }


def _figures(profile: dict[str, Any]) -> dict[str, tuple[float, int]]:
    return {c["competency"]["name"]: (c["score"], c["sources"]) for c in profile["competencies"]}


@pytest.mark.commits
async def test_an_outcome_moves_the_profile_and_a_correction_replaces_it(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    configure: Configure,
    receiver: Receiver,
) -> None:
    hook = await client.post(
        f"{API}/webhooks",
        json={"url": receiver.url, "event_types": ["stretch_assignment.outcome_recorded"]},
        headers=world.hr.headers,
    )
    receiver.secret = ok(hook, 201)["secret"]
    assignment, team, customers = await _assigned(client, world)
    url = f"{URL}/{assignment['id']}/outcomes"
    # Three peers rated team management (shown, as their mean only); two rated customer
    # resource integration (below the threshold of 3: left out of every figure).
    body = _outcome(
        world, team, customers, (8, 6), {team["id"]: [7, 8, 9], customers["id"]: [10, 10]}
    )
    first = ok(await client.post(url, json=body, headers=world.lead_account.headers), 201)
    lines = {line["competency"]["name"]: line for line in first["competencies"]}
    assert lines["Team management"] | {"competency": None, "competency_id": None} == {
        "competency": None,
        "competency_id": None,
        "supervisor_rating": 8.0,
        "peer_mean": 8.0,
        "peer_count": 3,
        "evidence": 8.0,
    }
    customer_line = lines["Customer resource integration"]
    assert (customer_line["peer_mean"], customer_line["peer_count"], customer_line["evidence"]) == (
        None,
        None,
        6.0,
    )
    assert (first["recorded_times"], first["figures"][0]["unit"]) == (1, "CNY")
    await run_burst(runtime)
    profile_url = f"{API}/employees/{world.member.id}/competency-profile"
    profile = ok(await client.get(profile_url, headers=world.hr.headers))
    assert _figures(profile) == {
        "Team management": (8.0, 1),
        "Customer resource integration": (6.0, 1),
    }
    assert {e["source_kind"] for c in profile["competencies"] for e in c["evidence"]} == {
        "stretch_assignment"
    }

    corrected = await client.post(
        url, json=_outcome(world, team, customers, (6, 4)), headers=world.hr.headers
    )
    assert ok(corrected)["recorded_times"] == 2
    await run_burst(runtime)
    profile = ok(await client.get(profile_url, headers=world.hr.headers))
    assert _figures(profile) == {
        "Team management": (6.0, 1),
        "Customer resource integration": (4.0, 1),
    }, "the correction replaces the evidence, never adds to it"

    read = ok(await client.get(f"{URL}/{assignment['id']}", headers=world.lead_account.headers))
    [assignee] = read["assignees"]
    assert assignee["status"] == "completed"
    assert assignee["outcome"]["recorded_times"] == 2
    outcome_task = ok(
        await client.get(f"{API}/tasks/{assignee['task_ids'][-1]}", headers=world.hr.headers)
    )
    assert outcome_task["status"] == "completed"
    events = await audited(client, world.hr, assignment["id"])
    assert [event["action"] for event in events][-2:] == [
        "stretch_assignment.outcome_recorded",
        "stretch_assignment.outcome_corrected",
    ]
    assert events[-1]["before"]["competencies"][0]["evidence"] == 8.0
    assert all(request.signature_ok for request in receiver.requests)
    delivered = [json.loads(request.body) for request in receiver.requests]
    assert [(d["type"], d["data"]["corrected"]) for d in delivered] == [
        ("stretch_assignment.outcome_recorded", False),
        ("stretch_assignment.outcome_recorded", True),
    ]
    assert delivered[0]["data"]["employee_id"] == str(world.member.id)
    assert "peer" not in json.dumps(delivered)


async def test_peers_below_the_threshold_change_nothing_anyone_reads(
    client: AsyncClient, world: World
) -> None:
    """The same outcome with different hidden peer answers (two peers, below 3) reads the
    same everywhere: no mean, no count, the evidence the supervisor's rating alone."""
    assignment, team, customers = await _assigned(client, world, world.member, world.peer)
    url = f"{URL}/{assignment['id']}/outcomes"
    low = _outcome(world, team, customers, (7, 5), {team["id"]: [0, 1]})
    high = _outcome(world, team, customers, (7, 5), {team["id"]: [10, 9]}, employee=world.peer)
    seen = []
    for body in (low, high):
        outcome = ok(await client.post(url, json=body, headers=world.hr.headers), 201)
        seen.append(outcome["competencies"])
    assert seen[0] == seen[1]
    assert {line["peer_mean"] for line in seen[0]} == {None}


async def test_bad_outcomes_are_refused_naming_the_field(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    assignment, team, customers = await _assigned(client, world)
    other = await create(client, world.hr, "Line optimization")
    url = f"{URL}/{assignment['id']}/outcomes"
    missing = _outcome(world, team, customers, (8, 6))
    missing["ratings"] = missing["ratings"][:1]
    assert_problem(
        await client.post(url, json=missing, headers=world.hr.headers), 422, fields={"ratings"}
    )
    foreign = _outcome(world, team, customers, (8, 6))
    foreign["ratings"][1]["competency_id"] = other["id"]
    foreign["peer_feedback"] = [{"competency_id": team["id"], "ratings": [5]}] * 2
    refused = await client.post(url, json=foreign, headers=world.hr.headers | ZH)
    problem = assert_problem(
        refused, 422, fields={"ratings.1.competency_id", "peer_feedback.1.competency_id"}
    )
    assert "不是" in problem["errors"][0]["message"]
    assert_problem(
        await client.post(
            url,
            json=_outcome(world, team, customers, (8, 6), employee=world.peer),
            headers=world.hr.headers,
        ),
        422,
        fields={"employee_id"},
    )
    assert_problem(
        await client.post(
            url, json=_outcome(world, team, customers, (11, 6)), headers=world.hr.headers
        ),
        422,
        fields={"body.ratings.0.rating"},
    )
    # The assignee does not rate themself; their report reads the assignment but not them
    # (404), another organization nothing.
    themself = await client.post(
        url, json=_outcome(world, team, customers, (9, 9)), headers=world.member_account.headers
    )
    assert_problem(themself, 403)
    assert_problem(
        await client.post(
            url, json=_outcome(world, team, customers, (9, 9)), headers=world.junior_account.headers
        ),
        404,
    )
    stranger = await make_org(runtime)
    assert_problem(
        await client.post(
            url, json=_outcome(world, team, customers, (9, 9)), headers=stranger.headers
        ),
        404,
    )
    read = ok(await client.get(f"{URL}/{assignment['id']}", headers=world.hr.headers))
    assert read["assignees"][0]["outcome"] is None, "nothing of the refused outcomes was kept"


async def test_who_reads_an_outcome_and_what_the_read_costs(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    assignment, team, customers = await _assigned(client, world, world.member)
    url = f"{URL}/{assignment['id']}"
    ok(
        await client.post(
            f"{url}/outcomes",
            json=_outcome(world, team, customers, (8, 6)),
            headers=world.hr.headers,
        ),
        201,
    )
    with count_statements(runtime) as one:
        read = ok(await client.get(url, headers=world.hr.headers))
    assert read["assignees"][0]["outcome"]["figures"][1]["name"] == "Customers won"
    for account in (world.member_account, world.lead_account, world.sales_head):
        shown = ok(await client.get(url, headers=account.headers))
        assert shown["assignees"][0]["outcome"] is not None
    # Junior reads the assignment (their department's parent) but not Member's outcome.
    hidden = ok(await client.get(url, headers=world.junior_account.headers))
    assert hidden["assignees"][0]["outcome"] is None
    ok(
        await client.post(
            f"{url}/assign", json={"employee_id": str(world.peer.id)}, headers=world.hr.headers
        ),
        201,
    )
    ok(
        await client.post(
            f"{url}/outcomes",
            json=_outcome(world, team, customers, (5, 5), employee=world.peer),
            headers=world.hr.headers,
        ),
        201,
    )
    with count_statements(runtime) as two:
        read = ok(await client.get(url, headers=world.hr.headers))
    assert [a["outcome"]["employee"]["name"] for a in read["assignees"]] == ["Member", "Peer"]
    assert one.count == two.count


async def test_a_supervisor_from_another_department_reads_and_records(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    customers = await create(client, world.hr, "Customer resource integration")
    assignment = await make_assignment(
        client, world.hr, world.sales_east.id, (team, 1), (customers, 1)
    )
    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    url = f"{URL}/{assignment['id']}"
    assert_problem(await client.get(url, headers=engineer.headers), 404)
    ok(
        await client.post(
            f"{url}/assign",
            json={"employee_id": str(world.junior.id), "supervisor_id": str(world.engineer.id)},
            headers=world.hr.headers,
        ),
        201,
    )
    assert ok(await client.get(url, headers=engineer.headers))["assignees"][0]["outcome"] is None
    body = _outcome(world, team, customers, (7, 7), employee=world.junior)
    recorded = ok(await client.post(f"{url}/outcomes", json=body, headers=engineer.headers), 201)
    assert recorded["employee"]["name"] == "Junior"
    read = ok(await client.get(url, headers=engineer.headers))
    assert read["assignees"][0]["outcome"]["id"] == recorded["id"]
