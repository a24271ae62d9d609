"""DingTalk integration: its configuration (HR admin) and the inbound event callback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppRuntime, IfMatch, Pagination
from hrcore.core.errors import Unauthorized
from hrcore.core.http import HrcoreRoute
from hrcore.core.i18n import _
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, STALE, problem
from hrcore.identity import api as identity
from hrcore.identity.dependencies import CurrentPrincipal, IdentityServices
from hrcore.integrations import app, callback, registration, sign_in
from hrcore.integrations.config import config_from
from hrcore.integrations.models import DingTalkIntegration, EventStatus
from hrcore.integrations.schemas import (
    DingTalkAppIn,
    DingTalkAppOut,
    DingTalkCallback,
    DingTalkEventOut,
    DingTalkIntegrationIn,
    DingTalkIntegrationOut,
    DingTalkReply,
    DingTalkSignIn,
)

router = APIRouter(route_class=HrcoreRoute)


def _out(integration: DingTalkIntegration, path: str) -> DingTalkIntegrationOut:
    return DingTalkIntegrationOut(
        receiver_id=integration.receiver_id,
        active=integration.active,
        callback_path=path,
        token_set=bool(integration.token),
        aes_key_set=bool(integration.aes_key),
        app_key=integration.app_key,
        app_secret_set=bool(integration.app_secret),
        approval_processes=dict(integration.approval_processes),
        created_at=integration.created_at,
        updated_at=integration.updated_at,
        version=integration.version,
    )


@router.get(
    "/integrations/dingtalk",
    tags=["integrations"],
    operation_id="get_dingtalk_integration",
    summary="The DingTalk callback registration (secrets are never returned)",
    responses={**FORBIDDEN, **problem(404, "Not configured yet")},
)
async def get_dingtalk_integration(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> DingTalkIntegrationOut:
    """For HR admins (signed in, not an integration key): the organization's DingTalk callback
    registration, with the callback path to register in DingTalk and which secrets are set, never
    their values; 404 until configured."""
    integration, path = await registration.get_dingtalk(session, principal)
    set_etag(response, integration.version)
    return _out(integration, path)


@router.put(
    "/integrations/dingtalk",
    tags=["integrations"],
    operation_id="put_dingtalk_integration",
    summary="Configure the DingTalk callback (token and AES key are write-only)",
    responses={**FORBIDDEN, **problem(422, "Invalid input")},
)
async def put_dingtalk_integration(
    body: DingTalkIntegrationIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> DingTalkIntegrationOut:
    """For HR admins. Creates or replaces the registration: receiver id, active flag, callback
    token and AES key (required the first time, kept when omitted later, write-only) and the app
    key and secret used to read the directory and start DingTalk approvals, and the DingTalk
    process code of each approval kind run in DingTalk (422 for a kind nobody declares, or
    without an app)."""
    integration, path = await registration.put_dingtalk(session, principal, body)
    set_etag(response, integration.version)
    return _out(integration, path)


@router.get(
    "/integrations/dingtalk/events",
    tags=["integrations"],
    operation_id="list_dingtalk_events",
    summary="DingTalk events received, newest first, with what became of them (HR admin)",
    responses=FORBIDDEN,
)
async def list_dingtalk_events(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[EventStatus | None, Query(description="Only events in this state.")] = None,
) -> Page[DingTalkEventOut]:
    """For HR admins: the DingTalk events received, newest first, cursor-paginated, with what
    became of each (`received`, `applied`, `partial`, `ignored` or `failed`, with the error);
    filter by `status`."""
    rows, cursor = await registration.list_events(session, principal, page, status=status)
    return Page(items=[DingTalkEventOut.model_validate(row) for row in rows], next_cursor=cursor)


@router.post(
    "/integrations/dingtalk/events",
    tags=["integrations"],
    operation_id="receive_dingtalk_event",
    summary="Inbound DingTalk callback (signature-verified, encrypted)",
    description="Register `/api/v1/integrations/dingtalk/events?org=<slug>` in DingTalk. "
    "The event is verified and stored, then applied by the worker; the answer is the "
    "encrypted `success` DingTalk expects.",
    responses={
        **problem(400, "Verified, but the event is not a JSON object"),
        **problem(
            401,
            "Unknown org or integration, bad signature or payload, or a timestamp outside "
            "the replay window",
        ),
    },
)
async def receive_dingtalk_event(
    body: DingTalkCallback,
    session: DbSession,
    runtime: AppRuntime,
    org: Annotated[str, Query(max_length=64, description="The organization's slug.")],
    timestamp: Annotated[str, Query(max_length=32, description="Milliseconds since the epoch.")],
    nonce: Annotated[str, Query(max_length=128)],
    signature: Annotated[str | None, Query(max_length=128)] = None,
    msg_signature: Annotated[
        str | None, Query(max_length=128, description="The same, as newer callbacks name it.")
    ] = None,
) -> DingTalkReply:
    signed = signature or msg_signature
    if signed is None:
        raise Unauthorized(_("The callback is not signed"))
    reply = await callback.receive_dingtalk(
        session,
        org_slug=org,
        signature=signed,
        timestamp=timestamp,
        nonce=nonce,
        encrypt=body.encrypt,
        clock=runtime.clock,
        config=config_from(runtime.settings),
    )
    return DingTalkReply.model_validate(reply)


def _app_out(integration: DingTalkIntegration) -> DingTalkAppOut:
    return DingTalkAppOut(
        corp_id=integration.corp_id,
        agent_id=integration.agent_id,
        app_key=integration.app_key,
        app_secret_set=bool(integration.app_secret),
        sign_in_enabled=integration.sign_in_enabled,
        sign_in_ready=app.sign_in_ready(integration),
        sign_in_path=app.SIGN_IN_PATH,
        updated_at=integration.updated_at,
        version=integration.version,
    )


@router.get(
    "/integrations/dingtalk/app",
    tags=["integrations"],
    operation_id="get_dingtalk_app",
    summary="The DingTalk micro-app people sign in through (the secret is never returned)",
    responses={**FORBIDDEN, **problem(404, "Not configured yet")},
)
async def get_dingtalk_app(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> DingTalkAppOut:
    """For HR admins (signed in, not an integration key): the micro-app's corp id, agent id and
    app key, whether its secret is set (never its value) and whether sign-in is ready; 404 until
    configured."""
    integration = await app.get_app(session, principal)
    set_etag(response, integration.version)
    return _app_out(integration)


@router.put(
    "/integrations/dingtalk/app",
    tags=["integrations"],
    operation_id="put_dingtalk_app",
    summary="Configure the DingTalk micro-app for sign-in 「免登」 (the secret is write-only)",
    responses={**FORBIDDEN, **STALE, **problem(422, "Invalid input")},
)
async def put_dingtalk_app(
    body: DingTalkAppIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> DingTalkAppOut:
    """For HR admins. Sets the enterprise-internal app people open hrcore in: corp id, agent id,
    app key and secret (required while none is set or with a new key, kept when omitted, never
    returned). It is the same app as the integration's directory and approvals app, so its key
    and secret are shared with `PUT /integrations/dingtalk`. Guarded by `If-Match` or a body
    `version` (412/409 when stale); audited without the secret."""
    integration = await app.put_app(session, principal, body, if_match=if_match)
    set_etag(response, integration.version)
    return _app_out(integration)


@router.post(
    "/auth/dingtalk",
    tags=["authentication"],
    operation_id="login_dingtalk",
    summary="Sign in with a DingTalk auth code 「免登」",
    responses={
        **problem(
            401,
            "Not available for the organization, a forged or expired code, another "
            "organization's DingTalk account, no linked employee or account, an employee who "
            "left, a disabled account (the detail says which)",
        ),
        **problem(429, "Too many failed sign-ins; retry after `Retry-After` seconds"),
        **problem(503, "DingTalk could not be reached or is busy (not a failed sign-in)"),
    },
)
async def login_dingtalk(
    body: DingTalkSignIn,
    request: Request,
    session: DbSession,
    services: IdentityServices,
    runtime: AppRuntime,
) -> identity.TokenPair:
    """No authentication: exchanges the temporary auth code the DingTalk client gave the
    micro-app for the same token pair as `POST /auth/token` (same rotation, refresh and logout).
    The person is the employee the directory sync linked to the DingTalk user, signing in to
    that employee's account; a one-time password of the account does not gate this session.
    Refusals are 401 with the reason, create nothing and are audited, as is every sign-in and
    every 503; failures are throttled per address and per DingTalk user."""
    address = request.client.host if request.client else "unknown"
    return await sign_in.sign_in(
        session,
        services,
        body,
        client_address=address,
        config=config_from(runtime.settings),
    )
