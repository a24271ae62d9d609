"""Tasks over HTTP: mine, one, complete, lists in scope, policy defaults."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.runtime import Runtime
from hrcore.workflow import api as workflow
from hrcore.workflow import hooks
from hrcore.workflow.models import Task
from hrcore.workflow.schemas import Submission
from tests.factories import make_department, make_employee, make_org, make_user
from tests.workflow.conftest import World, count_statements, make_task

DUE = date(2027, 3, 4)


async def test_a_completion_reads_the_task_once_locked(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    with count_statements(runtime) as sent:
        done = await client.post(
            f"/api/v1/tasks/{task.id}/complete", json={}, headers=world.junior_account.headers
        )
    assert done.status_code == 200, done.text
    reads = [s for s in sent.statements if s.startswith("SELECT") and "FROM tasks" in s]
    assert len(reads) == 1
    assert reads[0].endswith("FOR UPDATE")


async def test_the_assignee_completes_on_time(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    headers = world.junior_account.headers
    shown = await client.get(f"/api/v1/tasks/{task.id}", headers=headers)
    assert shown.status_code == 200, shown.text
    assert shown.headers["ETag"].startswith('"1.')
    body = shown.json()
    assert body["status"] == "open"
    assert body["overdue"] is False
    assert body["subject"]["type"] == "program_stage"
    assert body["policy"]["reminder"] == {
        "before_due_days": [3],
        "repeat_every_days": 2,
        "days_are": "calendar",
        "hold_on_non_working_days": True,
    }

    done = await client.post(
        f"/api/v1/tasks/{task.id}/complete",
        json={"submission": {"text": "Learned a lot", "links": ["https://example.com/r"]}},
        headers=headers,
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    assert done.json()["on_time"] is True
    assert done.json()["completed_at"] == "2027-03-01T02:00:00Z"
    assert done.json()["submission"]["links"] == ["https://example.com/r"]

    again = await client.post(f"/api/v1/tasks/{task.id}/complete", json={}, headers=headers)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"

    audit = await client.get(
        "/api/v1/audit-events", params={"object_id": str(task.id)}, headers=world.hr.headers
    )
    assert {event["action"] for event in audit.json()["items"]} == {
        "task.created",
        "task.completed",
    }


async def test_polling_a_task_sees_it_turn_overdue_with_the_clock(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    """The version does not move when a task falls due, the tag does: a poll is 304 only
    while the body is the same."""
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    url, headers = f"/api/v1/tasks/{task.id}", world.junior_account.headers
    shown = await client.get(url, headers=headers)
    tag = shown.headers["ETag"]
    polled = await client.get(url, headers=headers | {"If-None-Match": tag})
    assert (polled.status_code, polled.content) == (304, b"")

    clock.advance(timedelta(days=5))
    late = await client.get(url, headers=headers | {"If-None-Match": tag})
    assert late.status_code == 200
    assert (late.json()["overdue"], late.json()["version"]) == (True, shown.json()["version"])
    assert late.headers["ETag"] != tag


async def test_completing_late_is_not_on_time(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    clock.advance(timedelta(days=5))
    shown = await client.get(f"/api/v1/tasks/{task.id}", headers=world.junior_account.headers)
    assert shown.json()["overdue"] is True
    done = await client.post(
        f"/api/v1/tasks/{task.id}/complete", json={}, headers=world.junior_account.headers
    )
    assert done.json()["on_time"] is False
    assert done.json()["overdue"] is False


async def test_a_required_submission_is_checked_by_shape_rule_and_its_domain(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    async def no_acme(_session: object, _task: Task, submission: Submission | None) -> None:
        if submission is not None and "ACME" in (submission.text or ""):
            raise Unprocessable(
                "Not that customer", errors=[FieldError(field="submission.text", message="ACME")]
            )

    task = await make_task(runtime, world.hr.org_id, world.junior, DUE, kind="workflow.report")
    url, headers = f"/api/v1/tasks/{task.id}/complete", world.junior_account.headers
    assert (await client.post(url, json={}, headers=headers)).status_code == 422
    empty = await client.post(url, json={"submission": {"text": "  "}}, headers=headers)
    assert empty.status_code == 422
    bad_link = await client.post(
        url, json={"submission": {"links": ["not a url"]}}, headers=headers
    )
    assert bad_link.status_code == 422
    only_link = await client.post(
        url, json={"submission": {"links": ["https://crm.example/visit/1"]}}, headers=headers
    )
    assert only_link.status_code == 422
    assert only_link.json()["errors"] == [
        {"field": "submission.text", "message": "at least 1 chars"}
    ]
    workflow.register_submission_validator("workflow.report", no_acme)
    try:
        refused = await client.post(url, json={"submission": {"text": "ACME"}}, headers=headers)
        assert refused.json()["errors"] == [{"field": "submission.text", "message": "ACME"}]
    finally:
        hooks._VALIDATORS.pop("workflow.report")
    ok = await client.post(url, json={"submission": {"text": "Visited Initech"}}, headers=headers)
    assert ok.status_code == 200, ok.text


async def test_who_may_see_and_complete_a_task(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    url = f"/api/v1/tasks/{task.id}"
    peer = await make_user(runtime, world.hr.org_id, employee_id=world.peer.id)
    engineering_head = await make_user(
        runtime, world.hr.org_id, Role.DEPT_HEAD, department_scope_id=world.engineering.id
    )
    for stranger in (peer, engineering_head):
        assert (await client.get(url, headers=stranger.headers)).status_code == 404
        completed = await client.post(f"{url}/complete", json={}, headers=stranger.headers)
        assert completed.status_code == 404
    for insider in (world.member_account, world.lead_account, world.sales_head, world.hr):
        assert (await client.get(url, headers=insider.headers)).status_code == 200
        completed = await client.post(f"{url}/complete", json={}, headers=insider.headers)
        assert completed.status_code == 403

    other = await make_org(runtime)
    assert (await client.get(url, headers=other.headers)).status_code == 404
    assert (await client.post(f"{url}/complete", json={}, headers=other.headers)).status_code == 404
    assert (await client.get(url)).status_code == 401


async def test_my_tasks_with_filters(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    org_id = world.hr.org_id
    soon = await make_task(runtime, org_id, world.junior, DUE)
    later = await make_task(
        runtime, org_id, world.junior, DUE + timedelta(days=30), kind="workflow.report"
    )
    await make_task(runtime, org_id, world.member, DUE)
    headers = world.junior_account.headers

    async def ids(**params: str) -> list[str]:
        response = await client.get("/api/v1/me/tasks", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids() == [str(soon.id), str(later.id)]
    assert await ids(kind="workflow.report") == [str(later.id)]
    assert await ids(due_before="2027-03-10T00:00:00+08:00") == [str(soon.id)]
    await client.post(f"/api/v1/tasks/{soon.id}/complete", json={}, headers=headers)
    assert await ids(status="open") == [str(later.id)]
    assert await ids(status="completed") == [str(soon.id)]
    first = await client.get("/api/v1/me/tasks", params={"limit": 1}, headers=headers)
    cursor = first.json()["next_cursor"]
    assert await ids(limit="1", cursor=cursor) == [str(later.id)]

    typo = await client.get("/api/v1/me/tasks", params={"stauts": "open"}, headers=headers)
    assert typo.status_code == 400
    hr_has_no_employee = await client.get("/api/v1/me/tasks", headers=world.hr.headers)
    assert hr_has_no_employee.status_code == 404


async def test_task_lists_in_scope_with_filters(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    org_id = world.hr.org_id
    junior = await make_task(runtime, org_id, world.junior, DUE)
    member = await make_task(runtime, org_id, world.member, DUE + timedelta(days=10))
    engineer = await make_task(runtime, org_id, world.engineer, DUE + timedelta(days=20))

    async def ids(account: object, **params: str) -> set[str]:
        response = await client.get(
            "/api/v1/tasks",
            params=params,
            headers=account.headers,  # type: ignore[attr-defined]
        )
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    everyone = {str(junior.id), str(member.id), str(engineer.id)}
    assert await ids(world.hr) == everyone
    assert await ids(world.sales_head) == {str(junior.id), str(member.id)}
    assert await ids(world.member_account) == {str(junior.id), str(member.id)}
    assert await ids(world.junior_account) == {str(junior.id)}

    assert await ids(world.hr, department_id=str(world.engineering.id)) == {str(engineer.id)}
    assert await ids(world.hr, assignee_employee_id=str(world.member.id)) == {str(member.id)}
    assert await ids(world.hr, subject_type="program_stage", subject_id=str(junior.subject_id)) == {
        str(junior.id)
    }
    assert await ids(world.hr, subject_type="contract") == set()
    clock.advance(timedelta(days=5))  # only the junior's task is past due
    assert await ids(world.hr, overdue="true") == {str(junior.id)}
    assert await ids(world.hr, overdue="false") == {str(member.id), str(engineer.id)}
    assert await ids(world.sales_head, overdue="false") == {str(member.id)}
    assert await ids(world.hr, status="cancelled") == set()


async def test_a_list_page_costs_the_same_whatever_its_size(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    org_id = world.hr.org_id
    department = await make_department(runtime, org_id, "Ops")
    staff = [await make_employee(runtime, org_id, department, f"Ops {i}") for i in range(3)]
    for index in range(30):
        await make_task(runtime, org_id, staff[index % 3], DUE + timedelta(days=index))

    async def statements(account: object, limit: int) -> int:
        with count_statements(runtime) as counter:
            response = await client.get(
                "/api/v1/tasks",
                params={"limit": limit},
                headers=account.headers,  # type: ignore[attr-defined]
            )
        assert response.status_code == 200
        assert len(response.json()["items"]) == min(limit, 30) or account is not world.hr
        return counter.count

    for account in (world.hr, world.sales_head):
        assert await statements(account, 2) == await statements(account, 30)


async def test_policy_defaults_apply_to_new_tasks_only(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    url, headers = "/api/v1/task-policy-defaults", world.hr.headers
    initial = await client.get(url, headers=headers)
    assert initial.status_code == 200
    assert initial.json() == {
        "reminder": {
            "before_due_days": [3],
            "repeat_every_days": 2,
            "days_are": "calendar",
            "hold_on_non_working_days": True,
        },
        "escalation": {
            "manager_after_days": 3,
            "hr_after_days": 7,
            "days_are": "calendar",
            "hold_on_non_working_days": True,
        },
        "version": 0,
    }
    before = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    body = {
        "reminder": {"before_due_days": [1, 5], "repeat_every_days": 1},
        "escalation": {"manager_after_days": 2, "hr_after_days": None},
        "version": 0,
    }
    saved = await client.put(url, json=body, headers=headers)
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1
    assert saved.json()["reminder"]["before_due_days"] == [5, 1]
    stale = await client.put(url, json=body, headers=headers)
    assert stale.status_code == 409
    assert (
        await client.put(url, json=body | {"version": None}, headers=headers | {"If-Match": '"0"'})
    ).status_code == 412

    after = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    assert after.policy["escalation"] == {
        "manager_after_days": 2,
        "hr_after_days": None,
        "days_are": "calendar",
        "hold_on_non_working_days": True,
    }
    assert before.policy["escalation"] == {
        "manager_after_days": 3,
        "hr_after_days": 7,
        "days_are": "calendar",
        "hold_on_non_working_days": True,
    }
    shown = await client.get(f"/api/v1/tasks/{before.id}", headers=headers)
    assert shown.json()["policy"]["reminder"]["before_due_days"] == [3]

    assert (await client.get(url, headers=world.junior_account.headers)).status_code == 403
    invalid = {"reminder": {"before_due_days": [0]}, "escalation": {}}
    assert (await client.put(url, json=invalid, headers=headers)).status_code == 422


async def test_domains_get_422_for_an_assignee_of_another_org(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    other = await make_org(runtime)
    department = await make_department(runtime, other.org_id, "Elsewhere")
    outsider = await make_employee(runtime, other.org_id, department, "Outsider")
    with pytest.raises(Unprocessable):
        await make_task(runtime, world.hr.org_id, outsider, DUE)
