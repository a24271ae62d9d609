"""The DingTalk micro-app (HR admin): the app people open hrcore in and sign in through
「免登」 (`integrations.sign_in`).

One enterprise-internal app reads the directory, starts approvals and signs people in, so
its key and secret are the integration's own (`app_key`, `app_secret`): set here or through
`PUT /integrations/dingtalk`, they are the same values. This page adds what only sign-in
needs — the corp id its auth codes belong to, the micro-app's agent id, an on/off switch.
Configured here first, the integration's row exists without a callback (token and AES key
unset): callbacks are refused until `PUT /integrations/dingtalk` sets them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin_user
from hrcore.core.concurrency import check_version
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.integrations import repository
from hrcore.integrations.models import DingTalkIntegration
from hrcore.integrations.schemas import DingTalkAppIn
from hrcore.integrations.todo_clients import acting_app, announce_app

SIGN_IN_PATH = "/api/v1/auth/dingtalk"


def sign_in_ready(integration: DingTalkIntegration) -> bool:
    """Whether auth codes can be exchanged: switched on, with corp id, key and secret."""
    return bool(
        integration.sign_in_enabled
        and integration.corp_id
        and integration.app_key
        and integration.app_secret
    )


async def get_app(session: AsyncSession, principal: Principal) -> DingTalkIntegration:
    """The micro-app's settings; 404 before a corp id was set."""
    require_hr_admin_user(principal)
    integration = await repository.dingtalk_integration(session, principal.org_id)
    if integration is None or integration.corp_id is None:
        raise NotFound(_("The DingTalk micro-app is not configured for this organization"))
    return integration


def _snapshot(integration: DingTalkIntegration) -> dict[str, Any]:
    """Audited fields: never the secret."""
    return {
        "corp_id": integration.corp_id,
        "agent_id": integration.agent_id,
        "app_key": integration.app_key,
        "sign_in_enabled": integration.sign_in_enabled,
    }


def _secret_required() -> Unprocessable:
    return Unprocessable(
        _("The app secret is required with a new app key"),
        errors=[FieldError(field="body.app_secret", message=_("required"))],
    )


async def put_app(
    session: AsyncSession, principal: Principal, body: DingTalkAppIn, *, if_match: str | None
) -> DingTalkIntegration:
    """Create or replace the micro-app's settings (audited without the secret). A new app key
    needs its secret: the old secret never belongs to another app. An app the integration did
    not act with before is announced (`DINGTALK_APP_READY`)."""
    require_hr_admin_user(principal)
    integration = await repository.dingtalk_integration(session, principal.org_id)
    was = acting_app(integration)
    before: dict[str, Any] | None = None
    if integration is None:
        if body.app_secret is None:
            raise _secret_required()
        integration = DingTalkIntegration(
            org_id=principal.org_id, receiver_id="", token="", aes_key="", active=True
        )
        session.add(integration)
        action = "dingtalk_app.created"
    else:
        check_version(integration.version, if_match=if_match, body_version=body.version)
        if body.app_secret is None and body.app_key != integration.app_key:
            raise _secret_required()
        if body.app_secret is None and not integration.app_secret:
            raise _secret_required()
        before = _snapshot(integration)
        action = "dingtalk_app.updated"
    integration.corp_id = body.corp_id
    integration.agent_id = body.agent_id
    integration.app_key = body.app_key
    integration.sign_in_enabled = body.sign_in_enabled
    if body.app_secret is not None:
        integration.app_secret = body.app_secret
    await session.flush()
    await session.refresh(integration)  # `updated_at` is set by the database
    audit.record(
        session,
        principal,
        action,
        "dingtalk_integration",
        integration.id,
        org_id=principal.org_id,
        before=before,
        after={**_snapshot(integration), "app_secret_changed": body.app_secret is not None},
    )
    announce_app(session, integration, was)
    return integration
