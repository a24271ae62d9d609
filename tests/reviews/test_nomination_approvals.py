"""Peer nominations run on the approval engine (`reviews.peer_nomination`), over HTTP.

The default chain is the participant's direct manager, who finds the nomination in
`/me/approvals`; the supervisor chain, the department head and HR still decide it through
`/review-nominations/{id}/decision`. An organization's own chain (manager, then HR) runs
step by step and the nominee is asked to rate only when it completes; a rejection or a
withdrawal on `/approvals` ends the nomination, a return waits on the participant.
"""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_employee, make_user
from tests.reviews.conftest import API, Setup, post_ok

KIND = "reviews.peer_nomination"


async def _nominate(
    client: AsyncClient, setup: Setup, *nominees: Any
) -> tuple[str, dict[str, dict[str, Any]]]:
    """A 360 cycle with peer nomination over Lead, who nominates `nominees`: the cycle id
    and Lead's nominations by nominee id."""
    world = setup.world
    cycle = await post_ok(
        client,
        world.hr,
        "/review-cycles",
        {
            "name": "2027 360",
            "kind": "campaign_360",
            "template_id": setup.cycle["template_id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
            "peer_nomination": True,
            "min_raters": {"peer": 1},
        },
    )
    await post_ok(
        client,
        world.hr,
        f"/review-cycles/{cycle['id']}/participants",
        {"employee_ids": [str(world.lead.id)]},
    )
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/open")
    mine = await client.get(f"{API}/me/review-assignments", headers=world.lead_account.headers)
    [own] = [
        a
        for a in mine.json()["items"]
        if a["cycle_id"] == cycle["id"] and a["relationship"] == "self"
    ]
    made = await post_ok(
        client,
        world.lead_account,
        f"/review-participants/{own['participant_id']}/nominations",
        {"employee_ids": [str(n.id) for n in nominees]},
    )
    return cycle["id"], {n["nominee"]["id"]: n for n in made}


async def _awaiting(client: AsyncClient, account: Account) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/me/approvals", headers=account.headers)
    assert response.status_code == 200, response.text
    return [a for a in response.json()["items"] if a["kind"] == KIND]


async def _asked(client: AsyncClient, account: Account, cycle_id: str) -> list[str]:
    work = await client.get(f"{API}/me/review-assignments", headers=account.headers)
    return [a["participant"]["name"] for a in work.json()["items"] if a["cycle_id"] == cycle_id]


async def _nomination_status(
    client: AsyncClient, setup: Setup, participant_id: str
) -> dict[str, str]:
    listed = await client.get(
        f"{API}/review-participants/{participant_id}/nominations", headers=setup.world.hr.headers
    )
    assert listed.status_code == 200, listed.text
    return {n["nominee"]["id"]: n["status"] for n in listed.json()}


async def test_the_default_chain_asks_the_direct_manager_and_keeps_todays_deciders(
    client: AsyncClient, setup: Setup
) -> None:
    world, accounts = setup.world, setup.accounts
    cycle_id, made = await _nominate(client, setup, world.peer, world.engineer, world.junior)
    participant_id = made[str(world.peer.id)]["participant_id"]

    waiting = await _awaiting(client, accounts["boss"])
    assert len(waiting) == 3, "the direct manager decides each nomination"
    assert all(a["requester"]["name"] == "Lead" for a in waiting)
    assert not await _awaiting(client, world.lead_account), "never one's own nomination"
    peer_approval = next(a for a in waiting if "Peer" in a["title"])
    engineer_approval = next(a for a in waiting if "Engineer" in a["title"])
    junior_approval = next(a for a in waiting if "Junior" in a["title"])

    assert await _asked(client, accounts["peer"], cycle_id) == []
    await post_ok(client, accounts["boss"], f"/approvals/{peer_approval['id']}/approve", {})
    assert await _asked(client, accounts["peer"], cycle_id) == ["Lead"]
    await post_ok(
        client,
        accounts["boss"],
        f"/approvals/{engineer_approval['id']}/reject",
        {"comment": "Engineer has never worked with Lead"},
    )
    assert await _asked(client, accounts["engineer"], cycle_id) == []

    # HR, with no employee record, decides on the default chain as before the engine
    junior = made[str(world.junior.id)]
    decided = await client.post(
        f"{API}/review-nominations/{junior['id']}/decision",
        json={"approve": True},
        headers=world.hr.headers,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    shown = await client.get(f"{API}/approvals/{junior_approval['id']}", headers=world.hr.headers)
    assert shown.json()["status"] == "approved"
    assert [(p["status"], p["approver_user"]) for p in shown.json()["assignments"]] == [
        ("cancelled", None),
        ("approved", {"id": str(world.hr.user_id), "name": "hr"}),
    ], "HR's decision is kept as the account's part"
    assert not await _awaiting(client, accounts["boss"]), "the decided ones leave the manager"

    assert await _nomination_status(client, setup, participant_id) == {
        str(world.peer.id): "approved",
        str(world.engineer.id): "rejected",
        str(world.junior.id): "approved",
    }


async def test_a_withdrawn_nomination_is_taken_back_and_may_be_made_again(
    client: AsyncClient, setup: Setup
) -> None:
    world, accounts = setup.world, setup.accounts
    _, made = await _nominate(client, setup, world.peer, world.engineer)
    participant_id = made[str(world.peer.id)]["participant_id"]
    [approval] = [a for a in await _awaiting(client, accounts["boss"]) if "Engineer" in a["title"]]

    by_boss = await client.post(
        f"{API}/approvals/{approval['id']}/withdraw", headers=accounts["boss"].headers
    )
    assert by_boss.status_code == 403, "only the participant who nominated withdraws"
    await post_ok(client, world.lead_account, f"/approvals/{approval['id']}/withdraw")
    assert await _nomination_status(client, setup, participant_id) == {
        str(world.peer.id): "nominated"
    }
    gone = await client.post(
        f"{API}/review-nominations/{made[str(world.engineer.id)]['id']}/decision",
        json={"approve": True},
        headers=world.hr.headers,
    )
    assert gone.status_code == 404

    again = await post_ok(
        client,
        world.lead_account,
        f"/review-participants/{participant_id}/nominations",
        {"employee_ids": [str(world.engineer.id)]},
    )
    assert {n["nominee"]["name"]: n["status"] for n in again} == {
        "Peer": "nominated",
        "Engineer": "nominated",
    }
    assert len(await _awaiting(client, accounts["boss"])) == 2


async def test_an_organizations_chain_manager_then_hr_runs_before_the_peer_is_asked(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world, accounts = setup.world, setup.accounts
    org_id = world.hr.org_id
    partner = await make_employee(runtime, org_id, world.head_office, "HR Partner")
    hr_partner = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=partner.id)
    await post_ok(
        client,
        world.hr,
        "/approval-chains",
        {
            "name": "Peer nominations",
            "kind": KIND,
            "steps": [
                {"approver": {"rule": "manager", "level": 1}, "mode": "any"},
                {"approver": {"rule": "hr_admins"}, "mode": "any"},
            ],
        },
    )
    preview = await post_ok(
        client,
        world.hr,
        "/approval-chains/preview",
        {"kind": KIND, "subject_employee_id": str(world.lead.id)},
    )
    assert [[a["name"] for a in step["approvers"]] for step in preview["steps"]] == [
        ["Boss"],
        ["HR Partner"],
    ]
    cycle_id, made = await _nominate(client, setup, world.peer, world.engineer)
    participant_id = made[str(world.peer.id)]["participant_id"]
    peer_decision = f"{API}/review-nominations/{made[str(world.peer.id)]['id']}/decision"
    outsider = await client.post(
        peer_decision, json={"approve": True}, headers=accounts["peer2"].headers
    )
    assert outsider.status_code == 404

    assert not await _awaiting(client, hr_partner), "HR's step comes second"
    by_hr = await client.post(peer_decision, json={"approve": True}, headers=world.hr.headers)
    assert by_hr.status_code == 404, "on the organization's chain only the step's approvers"
    first = await client.post(
        peer_decision, json={"approve": True}, headers=accounts["boss"].headers
    )
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "nominated", "one step of two"
    twice = await client.post(
        peer_decision, json={"approve": True}, headers=accounts["boss"].headers
    )
    assert twice.status_code == 404, "the manager's step is closed"
    assert await _asked(client, accounts["peer"], cycle_id) == []

    [at_hr] = [a for a in await _awaiting(client, hr_partner) if "Peer" in a["title"]]
    hidden = await client.get(f"{API}/approvals/{at_hr['id']}", headers=accounts["peer"].headers)
    assert hidden.status_code == 404, "the nominee does not see who asked for them"
    await post_ok(client, hr_partner, f"/approvals/{at_hr['id']}/approve", {})
    assert await _asked(client, accounts["peer"], cycle_id) == ["Lead"]

    [engineer] = [a for a in await _awaiting(client, accounts["boss"]) if "Engineer" in a["title"]]
    await post_ok(
        client,
        accounts["boss"],
        f"/approvals/{engineer['id']}/return",
        {"comment": "Why Engineer?"},
    )
    assert await _nomination_status(client, setup, participant_id) == {
        str(world.peer.id): "approved",
        str(world.engineer.id): "nominated",
    }, "returned, not ended: the participant may resubmit it"
    engineer_decision = f"{API}/review-nominations/{made[str(world.engineer.id)]['id']}/decision"
    waiting = await client.post(
        engineer_decision, json={"approve": True}, headers=accounts["boss"].headers
    )
    assert waiting.status_code == 409, "it waits on the participant"
    await post_ok(
        client,
        world.lead_account,
        f"/approvals/{engineer['id']}/resubmit",
        {"comment": "We ran the Q3 launch together"},
    )
    assert [a["id"] for a in await _awaiting(client, accounts["boss"])] == [engineer["id"]]
    rejected = await client.post(
        engineer_decision,
        json={"approve": False, "reason": "Still not convinced"},
        headers=accounts["boss"].headers,
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert not await _awaiting(client, hr_partner)
    assert await _asked(client, accounts["engineer"], cycle_id) == []


async def test_closing_the_cycle_withdraws_the_undecided_nominations_approvals(
    client: AsyncClient, setup: Setup
) -> None:
    world, accounts = setup.world, setup.accounts
    cycle_id, made = await _nominate(client, setup, world.peer)
    [approval] = await _awaiting(client, accounts["boss"])
    open_tasks = f"{API}/me/tasks?kind=approvals.decision&status=open"
    tasks = await client.get(open_tasks, headers=accounts["boss"].headers)
    [task] = tasks.json()["items"]
    assert task["confidential"] is True, "it says who would rate whom"
    assert task["title"] == "Approve: Peer nomination: Peer to rate Lead"
    await post_ok(client, world.hr, f"/review-cycles/{cycle_id}/close")

    assert not await _awaiting(client, accounts["boss"])
    tasks = await client.get(open_tasks, headers=accounts["boss"].headers)
    assert tasks.json()["items"] == [], "no reminders about a closed cycle"
    shown = await client.get(f"{API}/approvals/{approval['id']}", headers=world.hr.headers)
    assert shown.json()["status"] == "withdrawn"
    late = await client.post(
        f"{API}/approvals/{approval['id']}/approve", json={}, headers=accounts["boss"].headers
    )
    assert late.status_code == 409, late.text
    assert late.headers["content-type"].startswith("application/problem+json")
    nomination = made[str(world.peer.id)]
    by_hr = await client.post(
        f"{API}/review-nominations/{nomination['id']}/decision",
        json={"approve": True},
        headers=world.hr.headers,
    )
    assert by_hr.status_code == 409, "the cycle is closed, as before the engine"
    assert await _nomination_status(client, setup, nomination["participant_id"]) == {
        str(world.peer.id): "nominated"
    }
    assert await _asked(client, accounts["peer"], cycle_id) == []


async def test_a_participant_without_a_manager_is_approved_by_hr_never_stuck(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world, accounts = setup.world, setup.accounts
    cycle = await post_ok(
        client,
        world.hr,
        "/review-cycles",
        {
            "name": "Top 360",
            "kind": "campaign_360",
            "template_id": setup.cycle["template_id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
            "peer_nomination": True,
            "min_raters": {"peer": 1},
        },
    )
    await post_ok(
        client,
        world.hr,
        f"/review-cycles/{cycle['id']}/participants",
        {"employee_ids": [str(world.boss.id)]},
    )
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/open")
    mine = await client.get(f"{API}/me/review-assignments", headers=accounts["boss"].headers)
    [own] = [a for a in mine.json()["items"] if a["cycle_id"] == cycle["id"]]
    url = f"{API}/review-participants/{own['participant_id']}/nominations"
    body = {"employee_ids": [str(world.member.id)]}

    made = await client.post(url, json=body, headers=accounts["boss"].headers)
    assert made.status_code == 200, made.text
    [approval] = await _awaiting(client, world.hr)
    shown = await client.get(f"{API}/approvals/{approval['id']}", headers=world.hr.headers)
    assert shown.json()["fallback"] is True, "no manager: the HR admin with only an account"
    inbox = await client.get(f"{API}/me/notifications", headers=world.hr.headers)
    [notice] = [n for n in inbox.json()["items"] if n["kind"] == "approvals.decision_requested"]
    assert notice["title"] == "An approval awaits your decision", "confidential: who rates whom"
    await post_ok(client, world.hr, f"/approvals/{approval['id']}/approve", {})
    assert await _asked(client, world.member_account, cycle["id"]) == ["Boss"]
