"""An approval kind run in DingTalk's approval app, end to end over HTTP, the real outbox and
arq worker, against the local DingTalk of `tests.fake_dingtalk` (instances created through
its v1.0 API, outcomes pushed as signed, encrypted `bpms_instance_change` callbacks)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.integrations import directory_sync
from hrcore.integrations.config import config_from
from hrcore.settings import Settings
from hrcore.worker import run_burst
from tests.approvals.conftest import ACTED, ENDED, KIND, REFUSE
from tests.factories import Account, make_employee, make_org, make_tree, make_user
from tests.fake_dingtalk import FakeDingTalk, fake_dingtalk
from tests.integrations.conftest import DingTalkSender, configure
from tests.people.conftest import World, world

__all__ = ["fake_dingtalk", "world"]
API = "/api/v1"
APPROVALS = f"{API}/approvals"
INTEGRATION = f"{API}/integrations/dingtalk"
APP_KEY, APP_SECRET, PROCESS = "ding-approvals-app", "approvals-secret", "PROC-7E1A-PROMOTION"


@dataclass
class Ding:
    fake: FakeDingTalk
    sender: DingTalkSender


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _slug(engine: AsyncEngine, org_id: uuid.UUID) -> str:
    async with engine.connect() as connection:
        sql = text("SELECT slug FROM organizations WHERE id = :id")
        return str((await connection.execute(sql, {"id": org_id})).scalar_one())


async def _link(
    engine: AsyncEngine, table: str, row_id: uuid.UUID, column: str, value: str
) -> None:
    async with engine.begin() as connection:
        sql = text(f"UPDATE {table} SET {column} = :value WHERE id = :id")
        await connection.execute(sql, {"value": value, "id": row_id})


async def _enable(client: AsyncClient, hr: Account, engine: AsyncEngine) -> DingTalkSender:
    sender = await configure(client, hr, await _slug(engine, hr.org_id))
    body = {
        "receiver_id": sender.receiver_id,
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "approval_processes": {KIND: PROCESS},
    }
    _ok(await client.put(INTEGRATION, json=body, headers=hr.headers))
    return sender


@pytest.fixture
async def ding(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    fake_dingtalk: FakeDingTalk,
) -> AsyncIterator[Ding]:
    """The member (who requests) and the lead (who approves in DingTalk) are DingTalk users;
    sales east is DingTalk department 42."""
    original: Settings = runtime.settings
    runtime.settings = original.model_copy(
        update={
            "dingtalk_api_base": fake_dingtalk.base,
            "dingtalk_workflow_api_base": fake_dingtalk.base,
        }
    )
    fake_dingtalk.apps[APP_KEY] = APP_SECRET
    await _link(owner_engine, "employees", world.member.id, "dingtalk_user_id", "member-dt")
    await _link(owner_engine, "employees", world.lead.id, "dingtalk_user_id", "lead-dt")
    await _link(owner_engine, "departments", world.sales_east.id, "dingtalk_dept_id", "42")
    sender = await _enable(client, world.hr, owner_engine)
    yield Ding(fake_dingtalk, sender)
    runtime.settings = original


async def _submit(client: AsyncClient, account: Account, subject_id: uuid.UUID) -> Any:
    body = {
        "kind": KIND,
        "title": "Promote to team lead",
        "subject_employee_id": str(subject_id),
        "facts": {"grade": "M2"},
    }
    return _ok(await client.post(APPROVALS, json=body, headers=account.headers), 201)


async def _get(client: AsyncClient, hr: Account, approval: Any) -> Any:
    return _ok(await client.get(f"{APPROVALS}/{approval['id']}", headers=hr.headers))


async def _events(client: AsyncClient, hr: Account) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = _ok(
        await client.get(f"{INTEGRATION}/events", headers=hr.headers)
    )["items"]
    return items


async def _push(ding: Ding, runtime: Runtime, event: dict[str, Any]) -> None:
    ding.sender.check_reply(await ding.sender.send(event))
    await run_burst(runtime)


def _only_instance(fake: FakeDingTalk) -> str:
    [instance_id] = fake.instances
    return instance_id


async def test_the_process_code_mapping_is_validated_and_audited(
    client: AsyncClient, world: World, ding: Ding
) -> None:
    hr, receiver = world.hr, ding.sender.receiver_id
    shown = _ok(await client.get(INTEGRATION, headers=hr.headers))
    assert shown["approval_processes"] == {KIND: PROCESS}
    unknown = _ok(
        await client.put(
            INTEGRATION,
            json={"receiver_id": receiver, "approval_processes": {"no.such.kind": "PROC-1"}},
            headers=hr.headers,
        ),
        422,
    )
    assert [e["field"] for e in unknown["errors"]] == ["approval_processes.no.such.kind"]
    bad = await client.put(
        INTEGRATION,
        json={"receiver_id": receiver, "approval_processes": {KIND: "PROC 1; drop"}},
        headers=hr.headers,
    )
    assert bad.status_code == 422
    kept = _ok(await client.put(INTEGRATION, json={"receiver_id": receiver}, headers=hr.headers))
    assert kept["approval_processes"] == {KIND: PROCESS}
    audit = _ok(
        await client.get(f"{API}/audit-events?object_type=dingtalk_integration", headers=hr.headers)
    )
    assert any(
        e["after"]["approval_processes"] == {KIND: PROCESS}
        and e["before"]["approval_processes"] == {}
        for e in audit["items"]
        if e["before"]
    )


@pytest.mark.commits
async def test_a_kind_runs_in_dingtalk_approval_end_to_end_and_a_replay_is_applied_once(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    approval = await _submit(client, world.member_account, world.member.id)
    assert approval["status"] == "pending"
    assert approval["steps"] == []
    assert approval["assignments"] == []
    assert ding.fake.instances == {}  # nothing reaches DingTalk inside the request

    ding.fake.instance_failures = 1
    await run_burst(runtime)
    assert ding.fake.instance_requests == 2  # DingTalk failing once is retried
    instance_id = _only_instance(ding.fake)
    created = ding.fake.instances[instance_id]
    assert (created.process_code, created.originator, created.dept_id) == (
        PROCESS,
        "member-dt",
        42,
    )
    assert created.form == {
        "Title": "Promote to team lead",
        "Employee": "Member",
        "grade": "M2",
        "hrcore reference": approval["id"],
    }
    assert (await _get(client, world.hr, approval))["status"] == "pending"

    await _push(ding, runtime, ding.fake.started(instance_id))
    assert ACTED == []
    finish = ding.fake.decide(instance_id, "lead-dt", "agree", "Ready to lead")
    await _push(ding, runtime, finish)
    done = await _get(client, world.hr, approval)
    assert done["status"] == "approved"
    assert [(a["approver"]["name"], a["status"], a["comment"]) for a in done["assignments"]] == [
        ("Lead", "approved", "Ready to lead")
    ]
    assert [a.approval_id for a in ACTED] == [uuid.UUID(approval["id"])]

    await _push(ding, runtime, finish)  # the same callback again: one event row
    await _push(ding, runtime, {**finish, "eventId": uuid.uuid4().hex})  # retried anew
    assert len(ACTED) == 1
    events = await _events(client, world.hr)
    assert events[0]["error"] == "The DingTalk outcome is applied already"
    statuses = [(e["event_type"], e["status"]) for e in events]
    assert statuses == [
        ("bpms_instance_change", "ignored"),
        ("bpms_instance_change", "applied"),
        ("bpms_instance_change", "ignored"),
    ]
    audit = _ok(
        await client.get(
            f"{API}/audit-events?object_type=approval&object_id={approval['id']}",
            headers=world.hr.headers,
        )
    )
    decided = [e for e in audit["items"] if e["action"] == "approval.approved"]
    assert len(decided) == 1
    assert decided[0]["after"]["dingtalk_user_id"] == "lead-dt"
    assert decided[0]["after"]["employee_id"] == str(world.lead.id)
    assert decided[0]["after"]["instance_id"] == instance_id


@pytest.mark.commits
async def test_a_refusal_rejects_and_a_termination_withdraws(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    refused = await _submit(client, world.member_account, world.member.id)
    await run_burst(runtime)
    first = _only_instance(ding.fake)
    await _push(ding, runtime, ding.fake.decide(first, "lead-dt", "refuse", "Not yet"))
    shown = await _get(client, world.hr, refused)
    assert shown["status"] == "rejected"
    assert [(a["status"], a["comment"]) for a in shown["assignments"]] == [("rejected", "Not yet")]

    cancelled = await _submit(client, world.member_account, world.junior.id)
    await run_burst(runtime)
    [second] = [i for i in ding.fake.instances if i != first]
    await _push(ding, runtime, ding.fake.terminate(second))
    assert (await _get(client, world.hr, cancelled))["status"] == "withdrawn"
    assert ACTED == []
    ended = [(uuid.UUID(refused["id"]), "rejected"), (uuid.UUID(cancelled["id"]), "withdrawn")]
    assert list(ENDED) == ended, "the owning domain ends its subject as on its own decisions"


@pytest.mark.commits
async def test_an_unknown_instance_is_answered_and_ignored(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    approval = await _submit(client, world.member_account, world.member.id)
    await run_burst(runtime)
    event = {**ding.fake.decide(_only_instance(ding.fake), "lead-dt", "agree")}
    await _push(ding, runtime, {**event, "processInstanceId": "not-ours"})
    [ignored] = await _events(client, world.hr)
    assert ignored["status"] == "ignored"
    assert ignored["error"] == "DingTalk instance not-ours is not an hrcore approval"
    assert (await _get(client, world.hr, approval))["status"] == "pending"
    assert ACTED == []


@pytest.mark.commits
async def test_another_organizations_instance_is_never_applied(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    """Both organizations share one DingTalk app: an instance id arriving at the wrong
    organization's callback finds nothing there; its own organization applies it."""
    other_hr = await make_org(runtime, locale="zh-CN")
    tree = await make_tree(runtime, other_hr.org_id)
    theirs = await make_employee(runtime, other_hr.org_id, tree.sales, "王芳")
    await _link(owner_engine, "employees", theirs.id, "dingtalk_user_id", "wang-dt")
    their_account = await make_user(runtime, other_hr.org_id, employee_id=theirs.id)
    other_sender = await _enable(client, other_hr, owner_engine)
    approval = await _submit(client, their_account, theirs.id)
    await run_burst(runtime)
    instance_id = _only_instance(ding.fake)
    assert ding.fake.instances[instance_id].form["标题"] == "Promote to team lead"
    assert ding.fake.instances[instance_id].form["hrcore 编号"] == approval["id"]
    assert ding.fake.instances[instance_id].dept_id is None  # no DingTalk department linked

    finish = ding.fake.decide(instance_id, "lead-dt", "agree")
    await _push(ding, runtime, finish)  # at the first organization's callback
    [ignored] = await _events(client, world.hr)
    assert ignored["status"] == "ignored"
    assert (await _get(client, other_hr, approval))["status"] == "pending"
    assert ACTED == []

    other = Ding(ding.fake, other_sender)
    await _push(other, runtime, {**finish, "eventId": uuid.uuid4().hex})
    shown = await _get(client, other_hr, approval)
    assert shown["status"] == "approved"
    assert shown["assignments"] == []  # the DingTalk user is nobody in this organization
    assert len(ACTED) == 1


@pytest.mark.commits
async def test_concurrent_callbacks_apply_the_outcome_once(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    await _submit(client, world.member_account, world.member.id)
    await run_burst(runtime)
    finish = ding.fake.decide(_only_instance(ding.fake), "lead-dt", "agree")
    for _ in range(2):  # two deliveries, stored but not yet applied
        ding.sender.check_reply(await ding.sender.send({**finish, "eventId": uuid.uuid4().hex}))
    event_ids = [uuid.UUID(e["id"]) for e in await _events(client, world.hr)]
    config = config_from(runtime.settings)

    async def apply(event_id: uuid.UUID) -> None:
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, world.hr.org_id)
            await directory_sync.apply_event(
                session, world.hr.org_id, event_id, clock=runtime.clock, config=config
            )

    await asyncio.gather(*(apply(event_id) for event_id in event_ids))
    assert len(ACTED) == 1
    statuses = sorted(e["status"] for e in await _events(client, world.hr))
    assert statuses == ["applied", "ignored"]


@pytest.mark.commits
async def test_the_kinds_act_refusing_undoes_the_outcome(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    """The act runs in the outcome's transaction: refused, nothing is applied and the event
    says why; a later delivery of the outcome applies it."""
    approval = await _submit(client, world.member_account, world.member.id)
    await run_burst(runtime)
    REFUSE.add(uuid.UUID(approval["subject_id"]))
    finish = ding.fake.decide(_only_instance(ding.fake), "lead-dt", "agree")
    await _push(ding, runtime, finish)
    [failed] = await _events(client, world.hr)
    assert failed["status"] == "failed"
    assert failed["error"]
    shown = await _get(client, world.hr, approval)
    assert shown["status"] == "pending"
    assert shown["assignments"] == []
    assert ACTED == []

    REFUSE.clear()
    await _push(ding, runtime, {**finish, "eventId": uuid.uuid4().hex})
    assert (await _get(client, world.hr, approval))["status"] == "approved"
    assert len(ACTED) == 1


@pytest.mark.commits
async def test_a_dingtalk_approval_shows_as_one_and_is_decided_only_in_dingtalk(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    body = {"kind": KIND, "subject_employee_id": str(world.member.id), "facts": {"grade": "M2"}}
    preview = _ok(
        await client.post(f"{API}/approval-chains/preview", json=body, headers=world.hr.headers)
    )
    assert (preview["runs_in"], preview["dingtalk_process_code"], preview["steps"]) == (
        "dingtalk",
        PROCESS,
        [],
    )
    assert preview["note"] == f"Approved in DingTalk's approval app, on process {PROCESS}"

    approval = await _submit(client, world.member_account, world.member.id)
    assert approval["runs_in"] == "dingtalk"
    assert approval["dingtalk"] == {
        "state": "starting",
        "instance_id": None,
        "process_code": PROCESS,
    }
    await run_burst(runtime)
    shown = await _get(client, world.hr, approval)
    assert shown["dingtalk"]["state"] == "running"
    assert shown["dingtalk"]["instance_id"] == _only_instance(ding.fake)
    [listed] = _ok(await client.get(APPROVALS, headers=world.member_account.headers))["items"]
    assert (listed["runs_in"], listed["dingtalk"]) == ("dingtalk", shown["dingtalk"])

    url = f"{APPROVALS}/{approval['id']}"
    for account in (world.hr, world.member_account):
        for verb, extra in [
            ("approve", {}),
            ("reject", {"comment": "No"}),
            ("return", {"comment": "Fix it"}),
            ("delegate", {"employee_id": str(world.lead.id)}),
        ]:
            refused = await client.post(f"{url}/{verb}", json=extra, headers=account.headers)
            assert _ok(refused, 409)["detail"] == (
                "This approval is decided in DingTalk: approve or reject it in DingTalk's app"
            ), verb
    zh = world.hr.headers | {"Accept-Language": "zh-CN"}
    assert "钉钉" in _ok(await client.post(f"{url}/approve", json={}, headers=zh), 409)["detail"]
    assert (
        await client.post(f"{url}/approve", json={}, headers=world.junior_account.headers)
    ).status_code == 404
    assert (await _get(client, world.hr, approval))["status"] == "pending"


@pytest.mark.commits
async def test_withdrawing_in_hrcore_terminates_the_dingtalk_instance_and_its_echo_is_a_no_op(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    approval = await _submit(client, world.member_account, world.member.id)
    await run_burst(runtime)
    instance_id = _only_instance(ding.fake)
    ding.fake.terminate_failures = 1
    withdrawn = _ok(
        await client.post(
            f"{APPROVALS}/{approval['id']}/withdraw", json={}, headers=world.member_account.headers
        )
    )
    assert (withdrawn["status"], withdrawn["dingtalk"]["state"]) == ("withdrawn", "closed")
    assert ding.fake.terminations == []  # nothing reaches DingTalk inside the request

    await run_burst(runtime)
    assert len(ding.fake.terminations) == 2  # DingTalk failing once is retried
    assert ding.fake.terminations[-1] == {
        "processInstanceId": instance_id,
        "isSystem": False,
        "operatingUserId": "member-dt",
        "remark": "Withdrawn in hrcore",
    }
    assert ding.fake.instances[instance_id].status == "TERMINATED"

    await _push(ding, runtime, ding.fake.terminate(instance_id))  # DingTalk's echo
    [echo] = await _events(client, world.hr)
    assert (echo["status"], echo["error"]) == ("ignored", "The DingTalk outcome is applied already")
    assert (await _get(client, world.hr, approval))["status"] == "withdrawn"
    audit = _ok(
        await client.get(
            f"{API}/audit-events?object_type=approval&object_id={approval['id']}",
            headers=world.hr.headers,
        )
    )
    assert [e["action"] for e in audit["items"]].count("approval.withdrawn") == 1
    assert ACTED == []


@pytest.mark.commits
async def test_withdrawn_before_the_worker_started_it_never_reaches_dingtalk(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    approval = await _submit(client, world.member_account, world.member.id)
    withdrawn = await client.post(
        f"{APPROVALS}/{approval['id']}/withdraw", json={}, headers=world.member_account.headers
    )
    assert _ok(withdrawn)["dingtalk"]["state"] == "closed"
    await run_burst(runtime)
    assert (ding.fake.instances, ding.fake.terminations) == ({}, [])
