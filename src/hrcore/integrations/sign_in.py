"""Sign-in through DingTalk 「免登」: an auth code from the DingTalk client, exchanged for the
person's DingTalk user id, mapped to the synced employee and their hrcore account.

The micro-app calls `dd.getAuthCode` (or `dd.runtime.permission.requestAuthCode`) with the
organization's corp id and posts the code here. hrcore exchanges it with the integration's
directory client (`channels.DingTalkDirectory.user_by_code`: `topapi/v2/user/getuserinfo`
with the app's token from the one per-app token cache every DingTalk call uses), which
answers the person's `userid`. A code lives five minutes and works once; DingTalk answers a
forged, spent or expired one — or one issued in another corp, since the app's token belongs
to its own corp — with `40078` ("不存在的临时授权码"), the person's failure. Anything else that
fails (unreachable, busy `-1`, a refused token, another errcode) is DingTalk's: a 503. The
user id must be linked to an employee (`employees.dingtalk_user_id`, set by the directory
sync) who has not left; identity (`external_login`) then checks the account, audits and
answers the token pair. DingTalk is asked with no database transaction open: the app is
read, the transaction ends, the code is exchanged, then a short transaction maps the person
and issues the tokens.
"""

from __future__ import annotations

import logging
import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import api as channels
from hrcore.core.i18n import N_, _
from hrcore.identity import api as identity
from hrcore.integrations import repository
from hrcore.integrations.app import sign_in_ready
from hrcore.integrations.config import CallbackConfig
from hrcore.integrations.schemas import DingTalkSignIn
from hrcore.people import api as people

logger = logging.getLogger("hrcore.integrations")

METHOD = "dingtalk"
NOT_AVAILABLE = N_("DingTalk sign-in is not available for this organization")
UNAVAILABLE = "dingtalk_unavailable"
"""The audited reason of a 503: DingTalk unreachable, busy, or refusing the app itself."""


def _unreachable() -> identity.SignInUnavailable:
    return identity.SignInUnavailable(
        UNAVAILABLE, _("DingTalk could not be asked who this is; try again shortly")
    )


async def exchange_code(directory: channels.DingTalkDirectory, code: str) -> str:
    """The DingTalk user id behind an auth code. A code DingTalk does not know is a
    `SignInRefused`; DingTalk unreachable, busy or refusing the app itself is
    `SignInUnavailable` (a 503, not the person's failure)."""
    try:
        user = await directory.user_by_code(code)
    except channels.DingTalkError as exc:
        logger.warning("dingtalk sign-in: %s", exc)
        raise _unreachable() from exc
    if user is None:
        raise identity.SignInRefused(
            "invalid_code", _("The DingTalk auth code is invalid or has expired")
        )
    user_id = user.get("userid")
    if not isinstance(user_id, str) or not user_id:
        logger.warning("dingtalk sign-in: getuserinfo named no userid")
        raise _unreachable()
    return user_id


def provider(body: DingTalkSignIn, config: CallbackConfig) -> identity.ExternalProvider:
    """DingTalk as identity's provider for one `POST /auth/dingtalk`."""

    async def prepare(session: AsyncSession, org_id: uuid.UUID) -> identity.Exchange:
        integration = await repository.dingtalk_integration(session, org_id)
        if integration is None or not sign_in_ready(integration):
            raise identity.SignInRefused("not_configured", _(NOT_AVAILABLE))
        if body.corp_id is not None and body.corp_id != integration.corp_id:
            raise identity.SignInRefused(
                "other_corp", _("This DingTalk account belongs to another organization")
            )
        app_key, app_secret = integration.app_key or "", integration.app_secret or ""

        async def exchange() -> str:
            async with httpx.AsyncClient(
                timeout=config.timeout_seconds, follow_redirects=False, trust_env=False
            ) as client:
                directory = channels.DingTalkDirectory(client, config.api_base, app_key, app_secret)
                return await exchange_code(directory, body.code)

        return exchange

    async def resolve(
        session: AsyncSession, org_id: uuid.UUID, user_id: str
    ) -> identity.ExternalIdentity:
        employee_id = (await people.employees_by_dingtalk_id(session, org_id, [user_id])).get(
            user_id
        )
        if employee_id is None:
            raise identity.SignInRefused(
                "unmapped",
                _("No employee of this organization is linked to this DingTalk account"),
                subject=user_id,
            )
        employee = await people.require_employee(session, org_id, employee_id)
        if employee.status == "exited":
            raise identity.SignInRefused(
                "left", _("This employee has left the organization"), subject=user_id
            )
        return identity.ExternalIdentity(employee_id=employee_id, subject=user_id)

    return identity.ExternalProvider(method=METHOD, prepare=prepare, resolve=resolve)


async def sign_in(
    session: AsyncSession,
    services: identity.Services,
    body: DingTalkSignIn,
    *,
    client_address: str,
    config: CallbackConfig,
) -> identity.TokenPair:
    """`POST /auth/dingtalk`: the token pair for the person behind the code, a 401 that says
    why, or a 503 when DingTalk cannot answer (audited either way, throttled like password
    logins). DingTalk is asked with no transaction open (`identity.external_login`)."""
    return await identity.external_login(
        session,
        services,
        org=body.org,
        provider=provider(body, config),
        client_address=client_address,
        unavailable=_(NOT_AVAILABLE),
    )
