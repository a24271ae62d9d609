"""DingTalk registration (HR admin): the organization's receiver, app keys and event log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin_user
from hrcore.core.errors import (
    FieldError,
    NotFound,
    Unprocessable,
)
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.identity import api as identity
from hrcore.integrations import hooks, repository
from hrcore.integrations.config import CALLBACK_PATH
from hrcore.integrations.models import DingTalkEvent, DingTalkIntegration, EventStatus
from hrcore.integrations.schemas import DingTalkIntegrationIn
from hrcore.integrations.todo_clients import acting_app, announce_app


def callback_path(slug: str) -> str:
    return f"{CALLBACK_PATH}?org={slug}"


async def get_dingtalk(
    session: AsyncSession, principal: Principal
) -> tuple[DingTalkIntegration, str]:
    """The org's registration and its callback path; 404 before it is configured."""
    require_hr_admin_user(principal)
    integration = await repository.dingtalk_integration(session, principal.org_id)
    if integration is None:
        raise NotFound(_("DingTalk is not configured for this organization"))
    return integration, callback_path(await identity.org_slug(session, principal.org_id) or "")


def _snapshot(integration: DingTalkIntegration) -> dict[str, Any]:
    """Audited fields: never the secrets themselves."""
    return {
        "receiver_id": integration.receiver_id,
        "app_key": integration.app_key,
        "active": integration.active,
        "approval_processes": dict(integration.approval_processes),
    }


def _check_processes(body: DingTalkIntegrationIn, has_app: bool) -> None:
    """422 for a kind no domain declares, or for process codes without an app to start
    them with."""
    if not body.approval_processes:
        return
    known = hooks.approval_kinds()
    errors = [
        FieldError(field=f"approval_processes.{kind}", message=_("not an approval kind"))
        for kind in body.approval_processes
        if kind not in known
    ]
    if errors:
        raise Unprocessable(_("Only declared approval kinds run in DingTalk"), errors=errors)
    if not has_app:
        raise Unprocessable(
            _("DingTalk approvals need the app key and secret"),
            errors=[FieldError(field="app_key", message=_("required"))],
        )


async def put_dingtalk(
    session: AsyncSession, principal: Principal, body: DingTalkIntegrationIn
) -> tuple[DingTalkIntegration, str]:
    """Create or replace the registration; omitted secrets are kept (required at first). An
    app it did not act with before is announced (`DINGTALK_APP_READY`)."""
    require_hr_admin_user(principal)
    integration = await repository.dingtalk_integration(session, principal.org_id)
    was = acting_app(integration)
    # Required while unset: a row set up through `PUT /integrations/dingtalk/app` has none.
    missing = [
        name
        for name in ("token", "aes_key")
        if getattr(body, name) is None and not (integration and getattr(integration, name))
    ]
    if missing:
        raise Unprocessable(
            _("The token and AES key are required the first time"),
            errors=[FieldError(field=name, message=_("required")) for name in missing],
        )
    if integration is None:
        _check_processes(body, bool(body.app_key and body.app_secret))
        integration = DingTalkIntegration(
            org_id=principal.org_id,
            receiver_id=body.receiver_id,
            token=body.token or "",
            aes_key=body.aes_key or "",
            app_key=body.app_key,
            app_secret=body.app_secret,
            active=body.active,
            approval_processes=body.approval_processes or {},
        )
        session.add(integration)
        await session.flush()
        action, before = "dingtalk_integration.created", None
    else:
        before = _snapshot(integration)
        _check_processes(
            body,
            bool(
                (body.app_key or integration.app_key)
                and (body.app_secret or integration.app_secret)
            ),
        )
        integration.receiver_id = body.receiver_id
        integration.active = body.active
        if body.token is not None:
            integration.token = body.token
        if body.aes_key is not None:
            integration.aes_key = body.aes_key
        if body.app_key is not None:
            integration.app_key = body.app_key
        if body.app_secret is not None:
            integration.app_secret = body.app_secret
        if body.approval_processes is not None:
            integration.approval_processes = body.approval_processes
        await session.flush()
        await session.refresh(integration)  # `updated_at` is set by the database
        action = "dingtalk_integration.updated"
    after = {
        **_snapshot(integration),
        "token_changed": body.token is not None,
        "aes_key_changed": body.aes_key is not None,
        "app_secret_changed": body.app_secret is not None,
    }
    audit.record(
        session,
        principal,
        action,
        "dingtalk_integration",
        integration.id,
        org_id=principal.org_id,
        before=before,
        after=after,
    )
    announce_app(session, integration, was)
    return integration, callback_path(await identity.org_slug(session, principal.org_id) or "")


async def list_events(
    session: AsyncSession, principal: Principal, page: PageParams, *, status: EventStatus | None
) -> tuple[list[DingTalkEvent], str | None]:
    """Received events, newest first (HR admin)."""
    require_hr_admin_user(principal)
    statement = repository.events_query(principal.org_id, status=status.value if status else None)
    return await paginate(session, statement, [DingTalkEvent.id], page, descending=True)
