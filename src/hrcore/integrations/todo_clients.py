"""The organization's DingTalk app as a to-do client (`channels.Todos`): workflow turns tasks
into to-dos with it. The app is the one the integration names (`app_key`, write-only
`app_secret`); its access tokens come from the open API base, the to-dos from the v1.0 base
(`HRCORE_DINGTALK_WORKFLOW_API_BASE`).

When an integration comes to act with an app it did not act with before (configured,
switched back on, or another app key), `DINGTALK_APP_READY` is emitted: tasks opened
meanwhile have no to-do yet, and workflow's subscriber gives them theirs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import api as channels
from hrcore.core import events
from hrcore.integrations.config import CallbackConfig
from hrcore.integrations.dingtalk_workflow import Workflow, workflow_of
from hrcore.integrations.models import DingTalkIntegration

DINGTALK_APP_READY = "dingtalk_app.ready"
"""The organization's DingTalk integration now acts with an app it did not before (`{}`)."""


def acting_app(integration: DingTalkIntegration | None) -> str | None:
    """The app key the integration acts with: None when inactive or without key and secret."""
    if integration is None or not integration.active:
        return None
    return integration.app_key if integration.app_key and integration.app_secret else None


def announce_app(session: AsyncSession, integration: DingTalkIntegration, was: str | None) -> None:
    """Emit `DINGTALK_APP_READY` in the caller's transaction when the integration acts with
    an app it did not act with before (`was`: `acting_app` before the change)."""
    now = acting_app(integration)
    if now is not None and now != was:
        events.emit(session, DINGTALK_APP_READY, {}, org_id=integration.org_id)


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
    integration with an app key and secret (the same app and client as `workflow_of`)."""
    async with workflow_of(session, org_id, config) as workflow:
        yield todos_for(workflow) if workflow is not None else None


def todos_for(workflow: Workflow) -> channels.Todos:
    """The to-do client of the app an inbound event's handler already holds."""
    return channels.Todos(
        workflow.client,
        workflow.token_base,
        workflow.api_base,
        workflow.app_key,
        workflow.app_secret,
    )
