"""A pairing's plan over HTTP: the mentor edits and submits it, HR approves or returns it on
the approval engine, an edit after approval needs approval again, and approval emits
`PLAN_APPROVED` for the schedule."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.mentoring import events
from tests.factories import Account, make_user
from tests.mentoring.pairing_helpers import (
    API,
    MENTORSHIPS,
    ZH,
    Setup,
    emitted,
    listener,
    pair,
    setup,
)
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["listener", "world"]


def _plan_body(plan: Any, **fields: Any) -> dict[str, Any]:
    kept = {name: plan[name] for name in ("goals", "checklist", "schedule", "starts_on", "ends_on")}
    return kept | fields


async def _paired(client: AsyncClient, world: World) -> tuple[Setup, Any, str]:
    ready = await setup(client, world)
    pairing = await pair(client, world.hr, ready, world.junior.id)
    return ready, pairing, f"{MENTORSHIPS}/{pairing['id']}/plan"


async def _put(client: AsyncClient, account: Account, url: str, **fields: Any) -> Any:
    plan = (await client.get(url, headers=account.headers)).json()
    response = await client.put(url, json=_plan_body(plan, **fields), headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _decide(client: AsyncClient, url: str, account: Account, **body: Any) -> Any:
    response = await client.post(f"{url}/approve", json=body, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _approvals(client: AsyncClient, world: World, plan_id: str) -> list[Any]:
    listed = await client.get(
        f"{API}/approvals", params={"subject_id": plan_id}, headers=world.hr.headers
    )
    assert listed.status_code == 200, listed.text
    items: list[Any] = listed.json()["items"]
    return items


async def test_the_mentor_submits_and_hr_approves_on_the_engine(
    client: AsyncClient, world: World, owner_engine: AsyncEngine, listener: None
) -> None:
    _, pairing, url = await _paired(client, world)
    draft = (await client.get(url, headers=world.lead_account.headers)).json()
    goals = [draft["goals"][0] | {"target": 90}, draft["goals"][1]]
    submitted = await _put(
        client, world.lead_account, url, goals=goals, ends_on="2027-10-04", submit=True
    )
    assert (submitted["status"], submitted["goals"][0]["target"]) == ("submitted", 90)
    read = (await client.get(f"{MENTORSHIPS}/{pairing['id']}", headers=world.hr.headers)).json()
    assert (read["ends_on"], read["plan_status"]) == ("2027-10-04", "submitted")
    [approval] = await _approvals(client, world, submitted["id"])
    assert (approval["status"], approval["kind"]) == ("pending", "mentoring.mentorship_plan")
    assert await emitted(owner_engine) == []
    approved = await _decide(client, url, world.hr, decision="approve", comment="Good plan")
    assert (approved["status"], approved["decision_comment"]) == ("approved", "Good plan")
    assert approved["approved_at"] is not None
    [approval] = await _approvals(client, world, submitted["id"])
    assert approval["status"] == "approved"
    assert await emitted(owner_engine) == [
        {"event": events.PLAN_APPROVED, "mentorship_id": pairing["id"]}
    ]


async def test_hr_returns_with_a_comment_and_the_mentor_sends_it_again(
    client: AsyncClient, world: World
) -> None:
    _, _, url = await _paired(client, world)
    submitted = await _put(client, world.lead_account, url, submit=True)
    no_comment = await client.post(
        f"{url}/approve", json={"decision": "return"}, headers=world.hr.headers | ZH
    )
    assert_problem(no_comment, 422)
    returned = await _decide(client, url, world.hr, decision="return", comment="Add a checklist")
    assert (returned["status"], returned["decision_comment"]) == ("returned", "Add a checklist")
    assert_problem(
        await client.post(f"{url}/approve", json={"decision": "approve"}, headers=world.hr.headers),
        409,
    )
    checklist = [*submitted["checklist"], {"key": "customers", "title": "Key customers"}]
    again = await _put(client, world.lead_account, url, checklist=checklist, submit=True)
    assert again["status"] == "submitted"
    [approval] = await _approvals(client, world, submitted["id"])
    assert (approval["status"], approval["round"]) == ("pending", 2)
    approved = await _decide(client, url, world.hr, decision="approve")
    assert approved["status"] == "approved"


async def test_a_plan_edited_after_approval_is_not_approved_without_approval_again(
    client: AsyncClient, world: World, owner_engine: AsyncEngine, listener: None
) -> None:
    _, pairing, url = await _paired(client, world)
    await _put(client, world.lead_account, url, submit=True)
    approved = await _decide(client, url, world.hr, decision="approve")
    unchanged = await _put(client, world.lead_account, url, submit=True)
    assert (unchanged["status"], unchanged["version"]) == ("approved", approved["version"])
    edited = await _put(client, world.lead_account, url, starts_on="2027-02-01")
    assert (edited["status"], edited["approved_at"]) == ("submitted", None)
    read = (await client.get(url, headers=world.junior_account.headers)).json()
    assert (read["status"], read["starts_on"]) == ("submitted", "2027-02-01")
    approvals = await _approvals(client, world, edited["id"])
    assert [a["status"] for a in approvals] == ["approved", "pending"]
    assert len(await emitted(owner_engine)) == 1
    again = await _decide(client, url, world.hr, decision="approve")
    assert again["status"] == "approved"
    assert (
        await emitted(owner_engine)
        == [{"event": events.PLAN_APPROVED, "mentorship_id": pairing["id"]}] * 2
    )


async def test_a_return_on_the_approval_itself_reads_returned(
    client: AsyncClient, world: World
) -> None:
    _, _, url = await _paired(client, world)
    submitted = await _put(client, world.lead_account, url, submit=True)
    [approval] = await _approvals(client, world, submitted["id"])
    returned = await client.post(
        f"{API}/approvals/{approval['id']}/return",
        json={"comment": "Dates please"},
        headers=world.hr.headers,
    )
    assert returned.status_code == 200, returned.text
    assert (await client.get(url, headers=world.hr.headers)).json()["status"] == "returned"
    again = await _put(client, world.lead_account, url, submit=True)
    assert again["status"] == "submitted"
    [approval] = await _approvals(client, world, submitted["id"])
    assert approval["round"] == 2


async def test_who_edits_and_decides_and_what_is_refused(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    _, pairing, url = await _paired(client, world)
    plan = (await client.get(url, headers=world.hr.headers)).json()
    body = _plan_body(plan)
    assert_problem(await client.put(url, json=body, headers=world.junior_account.headers), 403)
    peer = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.peer.id)
    assert_problem(await client.put(url, json=body, headers=peer.headers), 404)
    assert_problem(await client.get(url, headers=peer.headers), 404)
    assert_problem(
        await client.post(f"{url}/approve", json={"decision": "approve"}, headers=world.hr.headers),
        409,
    )
    stale = await client.put(
        url, json=body | {"version": plan["version"] + 5}, headers=world.hr.headers
    )
    assert_problem(stale, 409, detail="version")
    backwards = await client.put(
        url, json=body | {"ends_on": body["starts_on"]}, headers=world.hr.headers
    )
    assert_problem(backwards, 422, fields={"ends_on"})
    unknown = await client.put(
        url,
        json=body
        | {
            "goals": [
                {
                    "kind": "competency_level",
                    "key": "lead",
                    "title": "Lead",
                    "competency_id": pairing["id"],
                    "level": 1,
                }
            ]
        },
        headers=world.hr.headers,
    )
    assert_problem(unknown, 422, fields={"goals.0.competency_id"})
    by_hr = await client.put(url, json=body | {"submit": True}, headers=world.hr.headers)
    assert by_hr.status_code == 200, by_hr.text
    waiting = await client.put(url, json=body, headers=world.lead_account.headers)
    assert_problem(waiting, 409, detail="awaits approval")
    assert_problem(
        await client.post(
            f"{url}/approve", json={"decision": "approve"}, headers=world.sales_head.headers
        ),
        403,
    )


async def test_ending_the_pairing_withdraws_the_plan_s_approval(
    client: AsyncClient, world: World
) -> None:
    _, pairing, url = await _paired(client, world)
    submitted = await _put(client, world.lead_account, url, submit=True)
    ended = await client.post(
        f"{MENTORSHIPS}/{pairing['id']}/end",
        json={"outcome": "completed"},
        headers=world.hr.headers,
    )
    assert ended.status_code == 200, ended.text
    [approval] = await _approvals(client, world, submitted["id"])
    assert approval["status"] == "withdrawn"
    assert_problem(
        await client.post(f"{url}/approve", json={"decision": "approve"}, headers=world.hr.headers),
        409,
    )
    refused = await client.put(url, json=_plan_body(submitted), headers=world.lead_account.headers)
    assert_problem(refused, 409)


async def test_a_rejection_reads_returned_and_the_mentor_s_withdrawal_draft(
    client: AsyncClient, world: World, owner_engine: AsyncEngine, listener: None
) -> None:
    _, _, url = await _paired(client, world)
    submitted = await _put(client, world.lead_account, url, submit=True)
    [approval] = await _approvals(client, world, submitted["id"])
    rejected = await client.post(
        f"{API}/approvals/{approval['id']}/reject",
        json={"comment": "Not this program"},
        headers=world.hr.headers,
    )
    assert rejected.status_code == 200, rejected.text
    plan = (await client.get(url, headers=world.lead_account.headers)).json()
    assert (plan["status"], plan["decision_comment"]) == ("returned", "Not this program")
    await _put(client, world.lead_account, url, submit=True)
    approvals = await _approvals(client, world, submitted["id"])
    assert [a["status"] for a in approvals] == ["rejected", "pending"]
    withdrawn = await client.post(
        f"{API}/approvals/{approvals[1]['id']}/withdraw", headers=world.lead_account.headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert (await client.get(url, headers=world.lead_account.headers)).json()["status"] == "draft"
    assert await emitted(owner_engine) == []
