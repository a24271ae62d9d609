"""Peer nominations approved in DingTalk 「钉钉审批」: an organization that maps
`reviews.peer_nomination` to a DingTalk process decides them there, not through hrcore's
decision endpoint, and DingTalk's refusal rejects the nomination (the real outbox, arq
worker and the local DingTalk of `tests.fake_dingtalk`)."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.fake_dingtalk import FakeDingTalk, fake_dingtalk
from tests.integrations.conftest import configure
from tests.reviews.conftest import API, Setup
from tests.reviews.test_nomination_approvals import KIND, _nominate, _nomination_status

__all__ = ["fake_dingtalk"]
APP_KEY, APP_SECRET = "ding-nominations-app", "nominations-secret"


@pytest.mark.commits
async def test_a_nomination_refused_in_dingtalk_is_rejected(
    client: AsyncClient,
    setup: Setup,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    fake_dingtalk: FakeDingTalk,
) -> None:
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

        _, made = await _nominate(client, setup, world.peer)
        nomination = made[str(world.peer.id)]
        in_dingtalk = await client.post(
            f"{API}/review-nominations/{nomination['id']}/decision",
            json={"approve": True},
            headers=world.hr.headers,
        )
        assert in_dingtalk.status_code == 409, "decided in DingTalk, not here"
        await run_burst(runtime)
        [instance] = fake_dingtalk.instances
        sender.check_reply(await sender.send(fake_dingtalk.decide(instance, "boss-dt", "refuse")))
        await run_burst(runtime)
        assert await _nomination_status(client, setup, nomination["participant_id"]) == {
            str(world.peer.id): "rejected"
        }
    finally:
        runtime.settings = original
