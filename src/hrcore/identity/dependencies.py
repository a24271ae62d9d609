"""FastAPI dependencies other domains' routers use to know the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import masking
from hrcore.core.authz import Principal
from hrcore.core.db import DbSession
from hrcore.core.errors import Unauthorized
from hrcore.core.i18n import _
from hrcore.core.runtime import Runtime
from hrcore.identity import auth
from hrcore.identity.auth import Authenticated, PasswordChangeRequired, Services
from hrcore.identity.directory import Directory

_bearer = HTTPBearer(auto_error=False, description="An access token or an integration key.")


def services_of(request: Request) -> Services:
    runtime: Runtime = request.app.state.runtime
    return Services(
        settings=runtime.settings,
        redis=runtime.redis,
        clock=runtime.clock,
        sessionmaker=runtime.sessionmaker,
    )


async def identity_services(request: Request) -> Services:
    return services_of(request)


IdentityServices = Annotated[Services, Depends(identity_services)]


async def _directory(request: Request) -> Directory:
    directory: Directory | None = getattr(request.app.state, "identity_directory", None)
    if directory is None:
        raise RuntimeError("create_app sets app.state.identity_directory (people and org)")
    return directory


IdentityDirectory = Annotated[Directory, Depends(_directory)]
"""People and org as identity's account routes see them (identity does not import them)."""


Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def _authenticate(
    request: Request, session: AsyncSession, credentials: HTTPAuthorizationCredentials | None
) -> Authenticated:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized(
            _("Send `Authorization: Bearer <token>`"), headers={"WWW-Authenticate": "Bearer"}
        )
    authenticated = await auth.authenticate(session, services_of(request), credentials.credentials)
    masking.set_viewer(authenticated.principal, request.headers.get("x-purpose"))
    return authenticated


# Both dependencies below authenticate themselves instead of depending on a shared
# dependency: FastAPI solves every declared dependency on every request, and these two run
# on every authenticated one.


async def _principal_even_before_password_change(
    request: Request, session: DbSession, credentials: Bearer
) -> Principal:
    return (await _authenticate(request, session, credentials)).principal


async def _caller_even_before_password_change(
    request: Request, session: DbSession, credentials: Bearer
) -> Authenticated:
    return await _authenticate(request, session, credentials)


async def _principal(request: Request, session: DbSession, credentials: Bearer) -> Principal:
    authenticated = await _authenticate(request, session, credentials)
    if authenticated.must_change_password:
        raise PasswordChangeRequired(_("Change your one-time password at /api/v1/auth/password"))
    return authenticated.principal


CurrentPrincipal = Annotated[Principal, Depends(_principal)]
"""The caller; its session is already scoped to the caller's organization."""

PrincipalPendingPasswordChange = Annotated[
    Principal, Depends(_principal_even_before_password_change)
]
"""Also accepts a caller who still has to change a one-time password (/me, /auth/password)."""

CallerPendingPasswordChange = Annotated[Authenticated, Depends(_caller_even_before_password_change)]
"""The same, with whether this session must change the password first (`/me` says so)."""
