"""Automated evaluations (PIPL Art. 24) over HTTP: the person reads each evaluation of them
explained, objects to a vacancy ranking, HR reviews it in a task and records the outcome,
the person is told; another person's evaluation or an unknown id is 404, a second open
objection 409, and the list costs a fixed number of statements."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_org, make_user
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.talent.test_vacancies import POOLS, VACANCIES, Succession, _member, succession
from tests.workflow.conftest import clock

__all__ = ["clock", "succession", "world"]
API = "/api/v1"
MINE = f"{API}/me/automated-evaluations"
OBJECTIONS = f"{API}/automated-evaluation-objections"
ZH = {"Accept-Language": "zh-CN"}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _mine(client: AsyncClient, account: Account, **params: Any) -> Any:
    return ok(await client.get(MINE, params=params, headers=account.headers))


async def _hr_with_record(runtime: Runtime, world: World) -> Account:
    """An HR admin linked to an employee record (Boss): HR's review tasks go to them."""
    return await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)


async def test_the_person_objects_to_a_ranking_and_gets_a_human_review(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    succession: Succession,
    clock: FrozenClock,
) -> None:
    reviewer = await _hr_with_record(runtime, world)
    member = world.member_account
    listed = await _mine(client, member)
    evaluation_id = f"vacancy_ranking:{succession.vacancy['id']}"
    [ranking] = [e for e in listed["items"] if e["kind"] == "vacancy_ranking"]
    assert ranking["id"] == evaluation_id
    assert (ranking["subject_type"], ranking["subject"]) == (
        "vacancy",
        {"id": succession.vacancy["id"], "name": "Sales chief"},
    )
    assert ranking["result"] == {"score": 76.0, "out_of": 100, "verdict": "eligible", "rank": None}
    assert (
        ranking["title"] == "Your ranking for the vacancy Sales chief, from the pool Reserve chiefs"
    )
    assert [f["factor"] for f in ranking["factors"]][:2] == ["readiness", "review_score"]
    assert ranking["factors"][0]["explanation"] == "readiness ready now"
    assert ranking["computed_at"] == clock.now().isoformat().replace("+00:00", "Z")
    assert ranking["objection"] is None
    assert "Peer" not in str(listed), "never another person"
    assert "Engineer" not in str(listed)

    chinese = ok(await client.get(MINE, headers=member.headers | ZH))["items"]
    [zh] = [e for e in chinese if e["id"] == evaluation_id]
    assert zh["title"] != ranking["title"]
    assert "Sales chief" in zh["title"]
    assert zh["factors"][0]["explanation"] != "readiness ready now"

    url = f"{MINE}/{evaluation_id}/objection"
    assert_problem(await client.get(url, headers=member.headers), 404, kind="not-found")
    filed = ok(
        await client.post(
            url,
            json={"message": " My readiness was assessed before my promotion "},
            headers=member.headers,
        ),
        201,
    )
    assert (filed["status"], filed["message"], filed["evaluation_id"]) == (
        "open",
        "My readiness was assessed before my promotion",
        evaluation_id,
    )
    assert filed["evaluation"]["result"]["score"] == 76.0, "kept as the person read it"
    assert filed["employee"] == {"id": str(world.member.id), "name": "Member"}
    assert_problem(
        await client.post(url, json={"message": "Again"}, headers=member.headers),
        409,
        kind="conflict",
    )
    relisted = await _mine(client, member)
    [again] = [e for e in relisted["items"] if e["id"] == evaluation_id]
    assert again["objection"]["id"] == filed["id"]
    assert again["objection"]["status"] == "open"

    tasks = ok(await client.get(f"{API}/me/tasks", headers=reviewer.headers))["items"]
    [task] = [t for t in tasks if t["kind"] == "privacy.automated_evaluation_review"]
    assert (task["id"], task["kind"], task["subject"]["id"]) == (
        filed["task_id"],
        "privacy.automated_evaluation_review",
        filed["id"],
    )
    assert task["subject_employee"]["name"] == "Member"
    assert (
        task["completed_by"]["path"]
        == f"/api/v1/automated-evaluation-objections/{filed['id']}/resolve"
    )
    due = datetime.fromisoformat(task["due_at"]).date()
    assert (due - clock.now().date()).days >= 15 + 2 * 2, "15 working days, weekends not counted"
    refused = await client.post(
        f"{API}/tasks/{task['id']}/complete", json={}, headers=reviewer.headers
    )
    assert_problem(refused, 422, kind="validation-error")
    hr_inbox = ok(await client.get(f"{API}/me/notifications", headers=world.hr.headers))["items"]
    assert [n["kind"] for n in hr_inbox] == ["privacy.automated_objection_filed"]

    resolve = f"{OBJECTIONS}/{filed['id']}/resolve"
    decision = {"outcome": "changed", "reason": "Readiness re-assessed: ready now confirmed"}
    for stranger in (member, world.lead_account, world.sales_head):
        assert_problem(await client.post(resolve, json=decision, headers=stranger.headers), 404)
        assert_problem(
            await client.get(f"{OBJECTIONS}/{filed['id']}", headers=stranger.headers), 404
        )
    for bad in ({}, {"outcome": "rejected", "reason": "x"}, {"outcome": "upheld", "reason": " "}):
        assert_problem(
            await client.post(resolve, json=bad, headers=reviewer.headers),
            422,
            kind="validation-error",
        )
    resolved = ok(await client.post(resolve, json=decision, headers=reviewer.headers))
    assert (resolved["status"], resolved["reason"], resolved["resolved_by_user"]["id"]) == (
        "changed",
        decision["reason"],
        str(reviewer.user_id),
    )
    assert_problem(
        await client.post(resolve, json=decision, headers=world.hr.headers), 409, kind="conflict"
    )
    completed = ok(
        await client.get(
            f"{API}/me/tasks", params={"status": "completed"}, headers=reviewer.headers
        )
    )["items"]
    [done] = [t for t in completed if t["kind"] == "privacy.automated_evaluation_review"]
    assert done["id"] == task["id"]

    seen = ok(await client.get(url, headers=member.headers))
    assert (seen["id"], seen["status"], seen["reason"]) == (
        filed["id"],
        "changed",
        decision["reason"],
    )
    inbox = ok(await client.get(f"{API}/me/notifications", headers=member.headers))["items"]
    [told] = [n for n in inbox if n["kind"] == "privacy.automated_objection_changed"]
    assert told["title"] == "Your objection was reviewed by a person: the result was changed"
    assert decision["reason"] in told["body"]

    audited = ok(
        await client.get(
            f"{API}/audit-events", params={"object_id": filed["id"]}, headers=world.hr.headers
        )
    )["items"]
    assert sorted(a["action"] for a in audited) == [
        "automated_evaluation.objected",
        "automated_evaluation.objection_changed",
    ]
    second = ok(
        await client.post(url, json={"message": "Still unclear"}, headers=member.headers), 201
    )
    assert second["id"] != filed["id"], "a reviewed objection leaves room for a new one"


async def test_an_evaluation_that_is_not_the_callers_is_unknown(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> None:
    ranking = f"vacancy_ranking:{succession.vacancy['id']}"
    body = {"message": "Not fair"}
    for account, evaluation_id in (
        (world.junior_account, ranking),
        (world.member_account, f"vacancy_ranking:{uuid.uuid4()}"),
        (world.member_account, "nonsense"),
        (world.member_account, f"competency_score:{uuid.uuid4()}"),
    ):
        refused = await client.post(
            f"{MINE}/{evaluation_id}/objection", json=body, headers=account.headers
        )
        assert_problem(refused, 404, kind="not-found")
    assert ok(await client.get(MINE, headers=world.junior_account.headers))["items"] == []
    assert ok(await client.get(MINE, headers=world.hr.headers))["items"] == [], "no employee"
    assert_problem(
        await client.post(f"{MINE}/{ranking}/objection", json=body, headers=world.hr.headers), 404
    )
    url = f"{MINE}/{ranking}/objection"
    for bad in ({}, {"message": "  "}, {"message": "x", "score": 90}):
        assert_problem(
            await client.post(url, json=bad, headers=world.member_account.headers),
            422,
            kind="validation-error",
        )
    assert_problem(
        await client.get(MINE, params={"cursor": "garbage"}, headers=world.member_account.headers),
        400,
    )
    filed = ok(await client.post(url, json=body, headers=world.member_account.headers), 201)
    assert filed["task_id"] is None, "no HR admin with an employee record: the inbox only"
    assert_problem(
        await client.get(f"{MINE}/{ranking}/objection", headers=world.junior_account.headers), 404
    )


async def test_the_list_pages_and_costs_a_fixed_number_of_statements(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> None:
    member = world.member_account
    with count_statements(runtime) as one:
        first = await _mine(client, member, limit=1)
    assert [e["kind"] for e in first["items"]] == ["vacancy_ranking"]
    assert first["next_cursor"] is None

    clerks = ok(
        await client.post(
            POOLS,
            json={"name": "Reserve clerks", "target_position_id": str(world.clerk.id)},
            headers=world.hr.headers,
        ),
        201,
    )
    await _member(client, world.hr, clerks["id"], world.member.id, readiness="one_to_two_years")
    clerk = ok(
        await client.post(
            VACANCIES, json={"position_id": str(world.clerk.id)}, headers=world.hr.headers
        ),
        201,
    )
    ok(
        await client.post(
            f"{MINE}/vacancy_ranking:{clerk['id']}/objection",
            json={"message": "Why 1–2 years?"},
            headers=member.headers,
        ),
        201,
    )
    with count_statements(runtime) as two:
        page = await _mine(client, member, limit=1)
    assert two.count == one.count
    rest = await _mine(client, member, limit=5, cursor=page["next_cursor"])
    ids = {e["id"] for e in page["items"] + rest["items"]}
    assert ids == {
        f"vacancy_ranking:{succession.vacancy['id']}",
        f"vacancy_ranking:{clerk['id']}",
    }
    assert rest["next_cursor"] is None
    [objected] = [e for e in page["items"] + rest["items"] if e["objection"]]
    assert objected["id"] == f"vacancy_ranking:{clerk['id']}"
    assert objected["result"]["verdict"] == "not_eligible"


async def test_hr_lists_the_objections_newest_first_and_nobody_else_does(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> None:
    member, hr = world.member_account, world.hr
    chief = f"vacancy_ranking:{succession.vacancy['id']}"
    first = ok(
        await client.post(
            f"{MINE}/{chief}/objection", json={"message": "First"}, headers=member.headers
        ),
        201,
    )
    ok(
        await client.post(
            f"{OBJECTIONS}/{first['id']}/resolve",
            json={"outcome": "upheld", "reason": "Readiness stands"},
            headers=hr.headers,
        )
    )
    second = ok(
        await client.post(
            f"{MINE}/{chief}/objection", json={"message": "Second"}, headers=member.headers
        ),
        201,
    )
    with count_statements(runtime) as two:
        listed = ok(await client.get(OBJECTIONS, headers=hr.headers))
    assert [(o["id"], o["status"]) for o in listed["items"]] == [
        (second["id"], "open"),
        (first["id"], "upheld"),
    ]
    assert listed["items"][1]["resolved_by_user"]["id"] == str(hr.user_id)
    assert listed["items"][0]["employee"] == {"id": str(world.member.id), "name": "Member"}
    upheld = ok(await client.get(OBJECTIONS, params={"status": "upheld"}, headers=hr.headers))
    assert [o["id"] for o in upheld["items"]] == [first["id"]]
    paged = ok(await client.get(OBJECTIONS, params={"limit": 1}, headers=hr.headers))
    rest = ok(
        await client.get(
            OBJECTIONS, params={"limit": 1, "cursor": paged["next_cursor"]}, headers=hr.headers
        )
    )
    assert [o["id"] for o in paged["items"] + rest["items"]] == [second["id"], first["id"]]

    ok(
        await client.post(
            f"{OBJECTIONS}/{second['id']}/resolve",
            json={"outcome": "changed", "reason": "Re-assessed"},
            headers=hr.headers,
        )
    )
    ok(
        await client.post(
            f"{MINE}/{chief}/objection", json={"message": "Third"}, headers=member.headers
        ),
        201,
    )
    with count_statements(runtime) as three:
        assert len(ok(await client.get(OBJECTIONS, headers=hr.headers))["items"]) == 3
    assert three.count == two.count

    for stranger in (member, world.lead_account, world.sales_head):
        assert_problem(await client.get(OBJECTIONS, headers=stranger.headers), 404)
    assert_problem(
        await client.get(OBJECTIONS, params={"status": "rejected"}, headers=hr.headers),
        422,
        kind="validation-error",
    )
    other = await make_org(runtime)
    assert ok(await client.get(OBJECTIONS, headers=other.headers))["items"] == []
    assert_problem(await client.get(f"{OBJECTIONS}/{first['id']}", headers=other.headers), 404)
