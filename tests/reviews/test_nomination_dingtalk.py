"""Peer nominations approved in DingTalk 「钉钉审批」: an organization that maps
`reviews.peer_nomination` to a DingTalk process decides them there, not through hrcore's
decision endpoint, DingTalk's refusal rejects the nomination, and closing the cycle
terminates a nomination's running DingTalk instance (the real outbox, arq worker and the
local DingTalk of `tests.fake_dingtalk`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.fake_dingtalk import FakeDingTalk, fake_dingtalk
from tests.integrations.conftest import DingTalkSender, configure
from tests.reviews.conftest import API, Setup, post_ok
from tests.reviews.test_nomination_approvals import KIND, _nominate, _nomination_status

__all__ = ["fake_dingtalk"]
APP_KEY, APP_SECRET = "ding-nominations-app", "nominations-secret"


@pytest.fixture
async def in_dingtalk(
    client: AsyncClient,
    setup: Setup,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    fake_dingtalk: FakeDingTalk,
) -> AsyncIterator[DingTalkSender]:
    """The organization approves peer nominations in the local DingTalk; Lead (who
    nominates) has a DingTalk account."""
    world = setup.world
    original = runtime.settings
    runtime.settings = original.model_copy(
        update={
            "dingtalk_api_base": fake_dingtalk.base,
            "dingtalk_workflow_api_base": fake_dingtalk.base,
        }
    )
    try:
        fake_dingtalk.apps[APP_KEY] = APP_SECRET
        async with owner_engine.begin() as connection:
            slug = (
                await connection.execute(
                    text("SELECT slug FROM organizations WHERE id = :id"),
                    {"id": world.hr.org_id},
                )
            ).scalar_one()
            await connection.execute(
                text("UPDATE employees SET dingtalk_user_id = 'lead-dt' WHERE id = :id"),
                {"id": world.lead.id},
            )
        sender = await configure(client, world.hr, slug)
        mapped = await client.put(
            f"{API}/integrations/dingtalk",
            json={
                "receiver_id": sender.receiver_id,
                "app_key": APP_KEY,
                "app_secret": APP_SECRET,
                "approval_processes": {KIND: "PROC-PEER-NOMINATION"},
            },
            headers=world.hr.headers,
        )
        assert mapped.status_code == 200, mapped.text
        yield sender
    finally:
        runtime.settings = original


@pytest.mark.commits
async def test_a_nomination_refused_in_dingtalk_is_rejected(
    client: AsyncClient,
    setup: Setup,
    runtime: Runtime,
    fake_dingtalk: FakeDingTalk,
    in_dingtalk: DingTalkSender,
) -> None:
    world = setup.world
    _, made = await _nominate(client, setup, world.peer)
    nomination = made[str(world.peer.id)]
    decided_here = await client.post(
        f"{API}/review-nominations/{nomination['id']}/decision",
        json={"approve": True},
        headers=world.hr.headers,
    )
    assert decided_here.status_code == 409, "decided in DingTalk, not here"
    await run_burst(runtime)
    [instance] = fake_dingtalk.instances
    in_dingtalk.check_reply(
        await in_dingtalk.send(fake_dingtalk.decide(instance, "boss-dt", "refuse"))
    )
    await run_burst(runtime)
    assert await _nomination_status(client, setup, nomination["participant_id"]) == {
        str(world.peer.id): "rejected"
    }


@pytest.mark.commits
async def test_closing_the_cycle_terminates_a_nominations_dingtalk_instance(
    client: AsyncClient,
    setup: Setup,
    runtime: Runtime,
    fake_dingtalk: FakeDingTalk,
    in_dingtalk: DingTalkSender,
) -> None:
    world = setup.world
    cycle_id, made = await _nominate(client, setup, world.peer)
    await run_burst(runtime)
    [instance] = fake_dingtalk.instances
    await post_ok(client, world.hr, f"/review-cycles/{cycle_id}/close")
    assert fake_dingtalk.terminations == []  # nothing reaches DingTalk inside the request

    await run_burst(runtime)
    assert fake_dingtalk.terminations == [
        {
            "processInstanceId": instance,
            "isSystem": False,
            "operatingUserId": "lead-dt",
            "remark": "Withdrawn in hrcore",
        }
    ]
    assert fake_dingtalk.instances[instance].status == "TERMINATED"
    in_dingtalk.check_reply(await in_dingtalk.send(fake_dingtalk.terminate(instance)))
    await run_burst(runtime)
    assert await _nomination_status(client, setup, made[str(world.peer.id)]["participant_id"]) == {
        str(world.peer.id): "nominated"
    }, "the cycle closed with it undecided; DingTalk's echo changes nothing"
