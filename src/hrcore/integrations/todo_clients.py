"""The organization's DingTalk app as a to-do client (`channels.Todos`): workflow turns tasks
into to-dos with it. The app is the one the integration names (`app_key`, write-only
`app_secret`); its access tokens come from the open API base, the to-dos from the v1.0 base
(`HRCORE_DINGTALK_WORKFLOW_API_BASE`)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import api as channels
from hrcore.integrations import repository
from hrcore.integrations.config import CallbackConfig
from hrcore.integrations.dingtalk_workflow import Workflow
from hrcore.integrations.models import DingTalkIntegration


async def has_app(session: AsyncSession, org_id: uuid.UUID) -> bool:
    """Whether the organization's DingTalk integration is active with an app: one statement."""
    found = await session.scalar(
        select(DingTalkIntegration.id).where(
            DingTalkIntegration.org_id == org_id,
            DingTalkIntegration.active.is_(True),
            DingTalkIntegration.app_key.is_not(None),
            DingTalkIntegration.app_secret.is_not(None),
        )
    )
    return found is not None


@asynccontextmanager
async def todos_of(
    session: AsyncSession, org_id: uuid.UUID, config: CallbackConfig
) -> AsyncIterator[channels.Todos | None]:
    """The organization's to-do client while the block runs; None without an active
    integration with an app key and secret."""
    integration = await repository.dingtalk_integration(session, org_id)
    async with httpx.AsyncClient(
        timeout=config.timeout_seconds, follow_redirects=False, trust_env=False
    ) as client:
        if integration is None or not (
            integration.active and integration.app_key and integration.app_secret
        ):
            yield None
        else:
            yield channels.Todos(
                client,
                config.api_base,
                config.workflow_api_base,
                integration.app_key,
                integration.app_secret,
            )


def todos_for(workflow: Workflow) -> channels.Todos:
    """The to-do client of the app an inbound event's handler already holds."""
    return channels.Todos(
        workflow.client,
        workflow.token_base,
        workflow.api_base,
        workflow.app_key,
        workflow.app_secret,
    )
