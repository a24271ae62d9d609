"""Putting people on stretch assignments: the tasks it creates on the organization's working
days, capacity (409 with the reason), assigning twice, reach, and nothing half-written."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.stretch_helpers import ZH, audited, make_assignment
from tests.problems import assert_problem

URL = f"{API}/stretch-assignments"


async def _assign(
    client: AsyncClient, headers: dict[str, str], assignment: dict[str, Any], employee: Any
) -> Any:
    return await client.post(
        f"{URL}/{assignment['id']}/assign",
        json={"employee_id": str(employee.id)},
        headers=headers,
    )


async def _task(client: AsyncClient, world: World, task_id: str) -> dict[str, Any]:
    return dict(ok(await client.get(f"{API}/tasks/{task_id}", headers=world.hr.headers)))


async def test_assigning_creates_the_three_tasks_on_working_days(
    client: AsyncClient, world: World
) -> None:
    policy = {"reminder": {"days_are": "working"}, "escalation": {"days_are": "working"}}
    ok(await client.put(f"{API}/task-policy-defaults", json=policy, headers=world.hr.headers))
    team = await create(client, world.hr, "Team management")
    # Friday 8 January 2027 to Tuesday 9 March: the kick-off is due three working days on.
    assignment = await make_assignment(
        client, world.hr, world.sales.id, (team, 2), starts_on="2027-01-08", ends_on="2027-03-09"
    )
    assignee = ok(await _assign(client, world.sales_head.headers, assignment, world.member), 201)
    assert (assignee["employee"]["name"], assignee["supervisor"]["name"]) == ("Member", "Lead")
    assert (assignee["status"], assignee["outcome"]) == ("active", None)
    kickoff, midpoint, outcome = [
        await _task(client, world, task_id) for task_id in assignee["task_ids"]
    ]
    assert [(t["kind"], t["assignee"]["name"]) for t in (kickoff, midpoint, outcome)] == [
        ("stretch_assignment.kickoff", "Member"),
        ("stretch_assignment.midpoint_check", "Lead"),
        ("stretch_assignment.outcome", "Lead"),
    ]
    assert kickoff["due_at"][:10] == "2027-01-13"
    assert midpoint["due_at"][:10] == "2027-02-07"
    assert outcome["due_at"][:10] == "2027-03-16"
    assert kickoff["policy"]["reminder"]["days_are"] == "working"
    assert all(t["subject_employee"]["name"] == "Member" for t in (kickoff, midpoint, outcome))
    assert (
        outcome["completed_by"]["path"]
        == f"/api/v1/stretch-assignments/{assignment['id']}/outcomes"
    )
    assert kickoff["title"] == "Kick off the stretch assignment “Lead the new-customer project”"
    # The outcome task closes only by recording the outcome.
    lead = world.lead_account.headers
    refused = await client.post(f"{API}/tasks/{outcome['id']}/complete", json={}, headers=lead)
    assert_problem(refused, 422, fields={"task"})

    read = ok(await client.get(f"{URL}/{assignment['id']}", headers=world.junior_account.headers))
    assert (read["status"], read["taken"]) == ("assigned", 1)
    assert [a["employee"]["name"] for a in read["assignees"]] == ["Member"]
    events = await audited(client, world.hr, assignment["id"])
    assert events[-1]["action"] == "stretch_assignment.assigned"
    assert events[-1]["after"]["employee_id"] == str(world.member.id)


async def test_someone_at_capacity_is_refused_with_the_reason(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    original = runtime.settings
    runtime.settings = original.model_copy(update={"stretch_max_concurrent_assignments": 1})
    try:
        team = await create(client, world.hr, "Team management")
        first = await make_assignment(client, world.hr, world.sales.id, (team, 2), slots=3)
        second = await make_assignment(client, world.hr, world.sales.id, (team, 2))
        ok(await _assign(client, world.hr.headers, first, world.member), 201)
        at_capacity = await _assign(client, world.hr.headers, second, world.member)
        assert_problem(at_capacity, 409, detail="Member is at capacity: already on 1 open")
        chinese = await _assign(client, world.hr.headers | ZH, second, world.member)
        assert "任务已满" in assert_problem(chinese, 409)["detail"]
        twice = await _assign(client, world.hr.headers, first, world.member)
        assert_problem(twice, 409, detail="Member is already on this stretch assignment")
        # Nothing of the refused assignments was written: no row, no task.
        read = ok(await client.get(f"{URL}/{second['id']}", headers=world.hr.headers))
        assert (read["taken"], read["status"], read["assignees"]) == (0, "open", [])
        tasks = ok(await client.get(f"{API}/tasks?limit=200", headers=world.hr.headers))
        assert len(tasks["items"]) == 3
        # Closing the first assignment frees the person for another.
        ok(
            await client.patch(
                f"{URL}/{first['id']}", json={"status": "closed"}, headers=world.hr.headers
            )
        )
        ok(await _assign(client, world.hr.headers, second, world.member), 201)
    finally:
        runtime.settings = original


async def test_full_closed_and_fewer_slots_than_people(client: AsyncClient, world: World) -> None:
    team = await create(client, world.hr, "Team management")
    assignment = await make_assignment(client, world.hr, world.sales.id, (team, 2), slots=1)
    ok(await _assign(client, world.hr.headers, assignment, world.member), 201)
    full = await _assign(client, world.hr.headers, assignment, world.peer)
    assert_problem(full, 409, detail="Every slot")
    url = f"{URL}/{assignment['id']}"
    more = ok(await client.patch(url, json={"slots": 2}, headers=world.hr.headers))
    assert more["status"] == "open"
    ok(await _assign(client, world.hr.headers, assignment, world.peer), 201)
    fewer = await client.patch(url, json={"slots": 1}, headers=world.hr.headers)
    assert_problem(fewer, 409, detail="2 people are on this assignment")
    closed = await make_assignment(client, world.hr, world.sales.id, (team, 2))
    ok(
        await client.patch(
            f"{URL}/{closed['id']}", json={"status": "closed"}, headers=world.hr.headers
        )
    )
    assert_problem(
        await _assign(client, world.hr.headers, closed, world.junior),
        409,
        detail="The stretch assignment is closed",
    )


async def test_who_may_be_assigned_and_by_whom(client: AsyncClient, world: World) -> None:
    team = await create(client, world.hr, "Team management")
    sales = await make_assignment(client, world.hr, world.sales.id, (team, 2), slots=5)
    # Someone of another department: 422 on the field.
    elsewhere = await _assign(client, world.hr.headers, sales, world.engineer)
    assert_problem(elsewhere, 422, fields={"employee_id"})
    # The lead (a manager in sales) assigns their report, not themself, not someone beyond
    # their reach.
    ok(await _assign(client, world.lead_account.headers, sales, world.member), 201)
    assert_problem(await _assign(client, world.lead_account.headers, sales, world.lead), 403)
    assert_problem(await _assign(client, world.lead_account.headers, sales, world.peer), 404)
    # Junior reads the assignment but edits nothing of it.
    assert_problem(await _assign(client, world.junior_account.headers, sales, world.junior), 403)
    # No manager and no supervisor named: 422 naming the field; a supervisor named works.
    office = await make_assignment(client, world.hr, world.head_office.id, (team, 2))
    nobody = await _assign(client, world.hr.headers, office, world.boss)
    assert_problem(nobody, 422, fields={"supervisor_id"})
    named = await client.post(
        f"{URL}/{office['id']}/assign",
        json={"employee_id": str(world.boss.id), "supervisor_id": str(world.peer.id)},
        headers=world.hr.headers,
    )
    assert ok(named, 201)["supervisor"]["name"] == "Peer"
    assert_problem(
        await client.post(f"{URL}/{office['id']}/assign", json={}, headers=world.hr.headers),
        422,
        fields={"body.employee_id"},
    )
