"""A development plan through the approval engine over HTTP and the real worker: submitted
to the employee's manager, returned for changes and submitted again, approved into an active
plan whose progress comes from the profile and the program it names, closed; rejected and
withdrawn plans; the caller's current plan."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.competencies import api as competencies
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, ok
from tests.competencies.plans import PLANS, ZH, goal, library, new_plan, patch
from tests.factories import Account, make_user
from tests.people.conftest import count_statements
from tests.problems import assert_problem
from tests.programs.test_programs import Setup, setup
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered

__all__ = ["configure", "receiver", "setup"]


async def _submit(client: AsyncClient, account: Account, plan: dict[str, Any]) -> Any:
    return await client.post(f"{PLANS}/{plan['id']}/submit", headers=account.headers)


async def _decide(
    client: AsyncClient, account: Account, plan: dict[str, Any], verb: str, **body: Any
) -> Any:
    approval = plan["approvals"][-1]
    return ok(
        await client.post(
            f"{API}/approvals/{approval['id']}/{verb}", json=body, headers=account.headers
        )
    )


async def _read(client: AsyncClient, account: Account, plan: dict[str, Any]) -> Any:
    return ok(await client.get(f"{PLANS}/{plan['id']}", headers=account.headers))


async def _dossier(client: AsyncClient, world: World) -> Any:
    """The member's current plan as their panoramic profile shows it to their manager."""
    profile = await client.get(
        f"{API}/employees/{world.member.id}/profile", headers=world.lead_account.headers
    )
    return ok(profile)["development_plan"]


async def _member_plan(client: AsyncClient, world: World) -> Any:
    team, _ = await library(client, world)
    return await new_plan(
        client,
        world.member_account,
        goals=[goal(team, 3)],
        actions=[{"kind": "mentoring", "title": "Monthly talks with the boss"}],
    )


@pytest.mark.commits
async def test_returned_then_approved_into_an_active_plan_then_closed(
    client: AsyncClient, world: World
) -> None:
    plan = await _member_plan(client, world)
    submitted = ok(await _submit(client, world.member_account, plan))
    assert submitted["status"] == "submitted"
    [approval] = submitted["approvals"]
    assert (approval["kind"], approval["requester"]["id"], approval["status"]) == (
        "competencies.development_plan",
        str(world.member.id),
        "pending",
    )
    assert approval["steps"][0]["approvers"][0]["id"] == str(world.lead.id)
    # a submitted plan is not edited nor submitted again
    locked = await patch(client, world.member_account, submitted, title="Changed")
    assert "submitted" in assert_problem(locked, 409)["detail"]
    again = await client.post(
        f"{PLANS}/{plan['id']}/submit", headers=world.member_account.headers | ZH
    )
    assert "已提交" in assert_problem(again, 409)["detail"]
    # the manager returns it: editable again, the return and its comment on the plan
    await _decide(client, world.lead_account, submitted, "return", comment="Add a program")
    returned = await _read(client, world.member_account, plan)
    assert returned["status"] == "returned"
    assert returned["approvals"][0]["assignments"][0]["comment"] == "Add a program"
    listed = ok(await client.get(PLANS, headers=world.member_account.headers))
    assert [p["status"] for p in listed["items"]] == ["returned"]
    assert (await _dossier(client, world))["status"] == "returned"
    edited = ok(await patch(client, world.lead_account, returned, title="With a program"))
    assert edited["version"] == 2
    resubmitted = ok(await _submit(client, world.member_account, edited))
    [approval] = resubmitted["approvals"]
    assert (resubmitted["status"], approval["round"], approval["status"]) == (
        "submitted",
        2,
        "pending",
    )
    await _decide(client, world.lead_account, resubmitted, "approve", comment="Good plan")
    active = await _read(client, world.member_account, plan)
    assert (active["status"], active["approved_at"] is not None) == ("active", True)
    mine = ok(await client.get(f"{API}/me/development-plan", headers=world.member_account.headers))
    assert (mine["id"], mine["status"]) == (plan["id"], "active")
    dossier = await _dossier(client, world)
    assert (dossier["id"], dossier["status"], dossier["goals"], dossier["actions"]) == (
        plan["id"],
        "active",
        1,
        1,
    )
    # an active plan changes only its actions' statuses, then is closed
    assert_problem(await patch(client, world.member_account, active, title="Other"), 409)
    action = active["actions"][0]
    done = ok(
        await patch(client, world.member_account, active, actions=[{**action, "status": "done"}])
    )
    assert (done["version"], done["progress"]["actions"][0]["status"]) == (3, "done")
    assert done["progress"]["percent"] == 50.0
    closed = ok(await patch(client, world.lead_account, done, status="closed"))
    assert (closed["status"], closed["version"], closed["closed_at"] is not None) == (
        "closed",
        3,
        True,
    )
    assert_problem(await patch(client, world.lead_account, closed, status="closed"), 409)
    assert await _dossier(client, world) is None
    none = await client.get(f"{API}/me/development-plan", headers=world.member_account.headers | ZH)
    assert "current" not in assert_problem(none, 404)["detail"]
    assert_problem(
        await client.get(f"{API}/me/development-plan", headers=world.hr.headers),
        404,
        detail="no current development plan",
    )


@pytest.mark.commits
async def test_rejected_or_withdrawn_plans(client: AsyncClient, world: World) -> None:
    plan = await _member_plan(client, world)
    submitted = ok(await _submit(client, world.member_account, plan))
    await _decide(client, world.member_account, submitted, "withdraw")
    withdrawn = await _read(client, world.member_account, plan)
    assert withdrawn["status"] == "draft"
    submitted = ok(await _submit(client, world.member_account, withdrawn))
    assert [a["status"] for a in submitted["approvals"]] == ["withdrawn", "pending"]
    await _decide(client, world.lead_account, submitted, "reject", comment="Not now")
    rejected = await _read(client, world.member_account, plan)
    assert rejected["status"] == "rejected"
    assert_problem(await patch(client, world.member_account, rejected, title="Again"), 409)
    # the period is open for another plan
    await new_plan(client, world.member_account)


@pytest.mark.commits
async def test_an_empty_plan_is_not_submitted(client: AsyncClient, world: World) -> None:
    plan = await new_plan(client, world.member_account)
    response = await client.post(
        f"{PLANS}/{plan['id']}/submit", headers=world.member_account.headers | ZH
    )
    assert "plan" not in assert_problem(response, 422, fields={"goals"})["detail"]
    assert_problem(
        await client.post(
            f"{PLANS}/{plan['id']}/submit",
            headers=world.member_account.headers | {"If-Match": '"7"'},
        ),
        412,
    )


@pytest.mark.commits
async def test_the_manager_submitting_is_skipped_and_hr_approves(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    hr_boss = await make_user(
        runtime, world.hr.org_id, Role.HR_ADMIN, Role.EMPLOYEE, employee_id=world.boss.id
    )
    plan = await _member_plan(client, world)
    submitted = ok(await _submit(client, world.lead_account, plan))
    [approval] = submitted["approvals"]
    assert (approval["requester"]["id"], approval["fallback"]) == (str(world.lead.id), True)
    assert approval["steps"][0]["skipped"] is True
    await _decide(client, hr_boss, submitted, "approve")
    assert (await _read(client, world.member_account, plan))["status"] == "active"


async def _evidence(runtime: Runtime, world: World, competency_id: str, value: float) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await competencies.record_evidence(
            session,
            world.hr.org_id,
            employee_id=world.member.id,
            competency_id=uuid.UUID(competency_id),
            value=value,
            source_kind="review",
            source_id=uuid.uuid4(),
            observed_at=datetime.now(UTC),
        )


@pytest.mark.commits
async def test_progress_from_the_profile_and_the_program(
    client: AsyncClient, world: World, runtime: Runtime, setup: Setup
) -> None:
    run = await setup.run(client, [world.member.id])
    team, customers = await library(client, world)
    plan = await new_plan(
        client,
        world.member_account,
        goals=[goal(team, 5), goal(customers, 2)],
        actions=[
            {"kind": "program", "reference_id": run["id"], "title": "Reserve chiefs"},
            {"kind": "course", "title": "Negotiation", "status": "dropped"},
        ],
    )
    progress = plan["progress"]
    assert [(a["status"], a["source"]) for a in progress["actions"]] == [
        ("planned", "program"),
        ("dropped", "plan"),
    ]
    await _evidence(runtime, world, team["id"], 5.0)
    await _evidence(runtime, world, customers["id"], 6.0)
    await run_burst(runtime)
    ok(await client.post(f"{API}/programs/{run['id']}/start", headers=world.hr.headers))
    read = await _read(client, world.lead_account, plan)
    goals = [(g["required"], g["current"], g["met"]) for g in read["progress"]["goals"]]
    assert goals == [(10.0, 5.0, False), (5.0, 6.0, True)]
    assert read["progress"]["actions"][0]["status"] == "in_progress"
    # goals 0.5 and 1, the program not done; the dropped course left out
    assert read["progress"]["percent"] == 50.0
    with count_statements(runtime) as counter:
        ok(await client.get(f"{PLANS}/{plan['id']}", headers=world.lead_account.headers))
    assert counter.count == 10, counter.statements
    submitted = ok(await _submit(client, world.member_account, plan))
    with count_statements(runtime) as counter:
        ok(await client.get(f"{PLANS}/{submitted['id']}", headers=world.lead_account.headers))
    assert counter.count == 13, counter.statements


@pytest.mark.commits
async def test_an_approved_plan_reaches_webhook_subscribers(
    client: AsyncClient, world: World, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    subscribed = await client.post(
        f"{API}/webhooks",
        json={"url": receiver.url, "event_types": ["development_plan.approved"]},
        headers=world.hr.headers,
    )
    receiver.secret = ok(subscribed, 201)["secret"]
    plan = await _member_plan(client, world)
    submitted = ok(await _submit(client, world.member_account, plan))
    await _decide(client, world.lead_account, submitted, "approve")
    await run_burst(runtime)
    assert delivered(receiver) == [
        (
            "development_plan.approved",
            {
                "plan_id": plan["id"],
                "employee_id": str(world.member.id),
                "period": "2027",
                "version": 1,
                "approval_id": submitted["approvals"][0]["id"],
            },
        )
    ]
