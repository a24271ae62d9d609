"""A DingTalk approval never gets stuck and never starts twice, against the local DingTalk of
`tests.fake_dingtalk`, the real outbox and arq worker:

- DingTalk refusing every attempt: the approval runs on its chain in hrcore (or is withdrawn
  when nobody there could approve it), the requester and HR are told, it is audited;
- an answer lost after DingTalk created the instance: the retry finds it, none is made twice;
- nothing is locked while DingTalk works: a withdrawal during the creation goes through (and
  the new instance is terminated), and a callback reads its decider with no row locked.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.approvals import dingtalk_start
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.approvals.conftest import ACTED, ENDED, KIND
from tests.approvals.test_dingtalk_approvals import (
    API,
    APPROVALS,
    PROCESS,
    Ding,
    _get,
    _ok,
    _only_instance,
    _push,
    _submit,
    ding,
)
from tests.factories import Account
from tests.fake_dingtalk import fake_dingtalk
from tests.people.conftest import World, world

__all__ = ["ding", "fake_dingtalk", "world"]
NOTICE = "approval.dingtalk_start_failed"


async def _audit(client: AsyncClient, hr: Account, approval: Any) -> list[dict[str, Any]]:
    url = f"{API}/audit-events?object_type=approval&object_id={approval['id']}"
    items: list[dict[str, Any]] = _ok(await client.get(url, headers=hr.headers))["items"]
    return items


async def _told(client: AsyncClient, account: Account) -> list[dict[str, Any]]:
    inbox = _ok(await client.get(f"{API}/me/notifications", headers=account.headers))
    return [n for n in inbox["items"] if n["kind"] == NOTICE]


@pytest.mark.commits
async def test_dingtalk_refusing_every_attempt_runs_the_approval_on_its_chain_in_hrcore(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    chain = {"name": "Promotions", "kind": KIND, "steps": [{"approver": {"rule": "manager"}}]}
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    approval = await _submit(client, world.member_account, world.member.id)
    assert approval["runs_in"] == "dingtalk"
    ding.fake.instance_failures = 100
    await run_burst(runtime)
    assert ding.fake.instance_requests == dingtalk_start.MAX_TRIES
    assert len(ding.fake.instance_listings) == dingtalk_start.MAX_TRIES - 1, (
        "each retry looks for what an earlier attempt may have made"
    )

    shown = await _get(client, world.hr, approval)
    assert (shown["status"], shown["runs_in"]) == ("pending", "hrcore")
    assert shown["dingtalk"] == {"state": "failed", "instance_id": None, "process_code": PROCESS}
    assert [[a["name"] for a in s["approvers"]] for s in shown["steps"]] == [["Lead"]]
    assert [(a["approver"]["name"], a["status"]) for a in shown["assignments"]] == [
        ("Lead", "pending")
    ]
    [failed] = [e for e in await _audit(client, world.hr, approval) if e["action"] == NOTICE]
    assert failed["actor_id"] is None
    assert failed["after"]["runs_in"] == "hrcore"
    assert "503" in failed["after"]["error"]
    for account in (world.member_account, world.hr):
        [told] = await _told(client, account)
        assert told["title"] == "DingTalk could not start an approval"
        assert told["body"] == (
            "It runs in hrcore instead: its approvers have their decision tasks."
        )
        assert told["subject"] == {
            "type": "approval",
            "id": approval["id"],
            "name": "Promote to team lead",
        }
        assert told["employee"]["name"] == "Member"

    url = f"{APPROVALS}/{approval['id']}/approve"
    done = _ok(await client.post(url, json={}, headers=world.lead_account.headers))
    assert done["status"] == "approved"
    assert [a.approval_id for a in ACTED] == [uuid.UUID(approval["id"])]


@pytest.mark.commits
async def test_with_nobody_to_approve_in_hrcore_either_it_is_withdrawn_and_said_so(
    client: AsyncClient,
    world: World,
    ding: Ding,
    runtime: Runtime,
    schema_owner_engine: AsyncEngine,
) -> None:
    """The kind's default is any HR admin: with the organization's only HR admin demoted
    while DingTalk fails, the approval cannot run here and ends, as its domain's withdrawal."""
    approval = await _submit(client, world.member_account, world.member.id)
    ding.fake.instance_failures = 100
    roles = "UPDATE users SET roles = CAST(:roles AS text[]) WHERE id = :id"
    async with schema_owner_engine.begin() as connection:
        await connection.execute(text(roles), {"roles": ["employee"], "id": world.hr.user_id})
    await run_burst(runtime)
    async with schema_owner_engine.begin() as connection:
        await connection.execute(text(roles), {"roles": ["hr_admin"], "id": world.hr.user_id})
    shown = await _get(client, world.hr, approval)
    assert (shown["status"], shown["dingtalk"]["state"]) == ("withdrawn", "failed")
    assert list(ENDED) == [(uuid.UUID(approval["id"]), "withdrawn")]
    actions = [e["action"] for e in await _audit(client, world.hr, approval)]
    assert {NOTICE, "approval.withdrawn"} <= set(actions)
    [told] = await _told(client, world.member_account)
    assert told["body"] == (
        "Nobody in hrcore can approve it either, so it is withdrawn: submit it again."
    )


@pytest.mark.commits
async def test_a_lost_answer_is_found_on_retry_and_never_created_twice(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    approval = await _submit(client, world.member_account, world.member.id)
    ding.fake.instance_lost_answers = 1  # DingTalk makes it, hrcore never hears the id
    await run_burst(runtime)
    instance_id = _only_instance(ding.fake)
    assert ding.fake.instance_requests == 1
    [looked] = ding.fake.instance_listings
    assert (looked["processCode"], looked["userIds"], looked["nextToken"]) == (
        PROCESS,
        ["member-dt"],
        0,
    )
    shown = await _get(client, world.hr, approval)
    assert shown["dingtalk"]["state"] == "running"
    assert shown["dingtalk"]["instance_id"] == instance_id

    await _push(ding, runtime, ding.fake.decide(instance_id, "lead-dt", "agree"))
    assert (await _get(client, world.hr, approval))["status"] == "approved"
    assert len(ACTED) == 1


@pytest.mark.commits
async def test_another_approvals_instance_is_not_taken_for_ones_own(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    """The same requester's earlier instance of the process is listed, but its reference is
    another approval's: the retry creates its own."""
    first = await _submit(client, world.member_account, world.member.id)
    await run_burst(runtime)
    second = await _submit(client, world.member_account, world.junior.id)
    ding.fake.instance_failures = 1
    await run_burst(runtime)
    assert len(ding.fake.instances) == 2
    ids = {(await _get(client, world.hr, a))["dingtalk"]["instance_id"] for a in (first, second)}
    assert ids == set(ding.fake.instances)


@pytest.mark.commits
async def test_withdrawing_while_dingtalk_creates_it_waits_on_nothing_and_ends_the_instance(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    approval = await _submit(client, world.member_account, world.member.id)
    withdrawals: list[int] = []

    async def withdraw_meanwhile(call: str) -> None:
        if call.startswith("POST") and not withdrawals:
            url = f"{APPROVALS}/{approval['id']}/withdraw"
            sent = client.post(url, json={}, headers=world.member_account.headers)
            withdrawals.append((await asyncio.wait_for(sent, timeout=30)).status_code)

    ding.fake.on_instance_call = withdraw_meanwhile
    await run_burst(runtime)
    assert withdrawals == [200], "the start job held no lock the withdrawal needed"
    instance_id = _only_instance(ding.fake)
    assert ding.fake.instances[instance_id].status == "TERMINATED"
    [terminated] = ding.fake.terminations
    assert terminated["processInstanceId"] == instance_id
    shown = await _get(client, world.hr, approval)
    assert (shown["status"], shown["dingtalk"]["state"]) == ("withdrawn", "closed")
    assert shown["dingtalk"]["instance_id"] == instance_id

    await _push(ding, runtime, ding.fake.terminate(instance_id))  # DingTalk's echo
    assert (await _get(client, world.hr, approval))["status"] == "withdrawn"


@pytest.mark.commits
async def test_the_decider_is_read_from_dingtalk_with_no_row_locked(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    approval = await _submit(client, world.member_account, world.member.id)
    await run_burst(runtime)
    locked: dict[str, bool] = {}

    async def try_locks(call: str) -> None:
        for table in ("approvals", "approval_dingtalk_instances"):
            column = "id" if table == "approvals" else "approval_id"
            sql = text(f"SELECT 1 FROM {table} WHERE {column} = :id FOR UPDATE NOWAIT")
            try:
                async with owner_engine.begin() as connection:
                    await connection.execute(sql, {"id": uuid.UUID(approval["id"])})
                locked[table] = False
            except DBAPIError:
                locked[table] = True

    ding.fake.on_instance_call = try_locks
    finish = ding.fake.decide(_only_instance(ding.fake), "lead-dt", "agree", "Ready")
    await _push(ding, runtime, finish)
    assert locked == {"approvals": False, "approval_dingtalk_instances": False}
    shown = await _get(client, world.hr, approval)
    assert shown["status"] == "approved"
    assert [(a["approver"]["name"], a["comment"]) for a in shown["assignments"]] == [
        ("Lead", "Ready")
    ]
