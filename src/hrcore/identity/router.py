"""Authentication, the caller, accounts, integration keys and the audit log."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from hrcore.core.authz import Principal, Role
from hrcore.core.concurrency import check_version, set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, problem
from hrcore.identity import audit_export, auth, locales, service, views
from hrcore.identity.audit_export import AuditExportFormat
from hrcore.identity.dependencies import (
    CallerPendingPasswordChange,
    CurrentPrincipal,
    IdentityDirectory,
    IdentityServices,
    PrincipalPendingPasswordChange,
)
from hrcore.identity.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    AuditEventOut,
    LocaleChoice,
    MeOut,
    PasswordChange,
    RefreshRequest,
    TokenPair,
    TokenRequest,
    UserCreate,
    UserCreated,
    UserOut,
    UserPatch,
)

router = APIRouter(route_class=HrcoreRoute)
BAD_REFRESH_TOKEN = problem(401, "Invalid, expired or already used refresh token")


@router.post(
    "/auth/token",
    tags=["authentication"],
    operation_id="login",
    summary="Log in with a password",
    responses=problem(401, "Invalid organization, email or password")
    | problem(429, "Too many failed logins; retry after `Retry-After` seconds"),
)
async def login(
    body: TokenRequest, request: Request, session: DbSession, services: IdentityServices
) -> TokenPair:
    """No authentication: exchanges organization slug, email and password for a 15-minute access
    token and a 30-day refresh token. An unknown organization or email, a wrong password and a
    disabled account all answer the same 401; repeated failures are throttled per account and
    address (429 with `Retry-After`). An account with a one-time password gets
    `must_change_password: true` and may call only `/me` and `/auth/password` until it changes it.
    """
    # The peer, or the client a trusted proxy names (HRCORE_TRUSTED_PROXIES, see main.py).
    address = request.client.host if request.client else "unknown"
    return await auth.login(session, services, body, address)


@router.post(
    "/auth/refresh",
    tags=["authentication"],
    operation_id="refresh_token",
    summary="Rotate a refresh token",
    responses=BAD_REFRESH_TOKEN,
)
async def refresh(
    body: RefreshRequest, session: DbSession, services: IdentityServices
) -> TokenPair:
    """No access token needed: rotates a refresh token into a new token pair. Each refresh token
    works once; presenting a spent one again revokes every token descended from the same login
    (401)."""
    return await auth.refresh(session, services, body.refresh_token)


@router.post(
    "/auth/logout",
    tags=["authentication"],
    operation_id="logout",
    summary="Revoke the refresh token's family",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=BAD_REFRESH_TOKEN,
)
async def logout(body: RefreshRequest, session: DbSession, services: IdentityServices) -> None:
    """Revokes the refresh token's family (the login it descends from) and invalidates the user's
    access tokens issued before; the user's other devices must refresh once."""
    await auth.logout(session, services, body.refresh_token)


@router.post(
    "/auth/password",
    tags=["authentication"],
    operation_id="change_password",
    summary="Change my password (ends every session; returns a new one)",
)
async def change_password(
    body: PasswordChange,
    principal: PrincipalPendingPasswordChange,
    session: DbSession,
    services: IdentityServices,
) -> TokenPair:
    """For a signed-in user, also while a one-time password must be changed: checks the current
    password, refuses a weak new one (422 naming `body.new_password` and why), ends every session
    of the user and returns a fresh token pair for this one."""
    return await auth.change_password(session, services, principal, body)


@router.get("/me", tags=["authentication"], operation_id="get_me", summary="The caller")
async def me(
    caller: CallerPendingPasswordChange, session: DbSession, directory: IdentityDirectory
) -> MeOut:
    """Who the caller is: account, roles, organization, department scope and linked employee (`{id,
    name}`), the language chosen and whether the password must be changed. Works with a one-time
    password too; a session DingTalk signed in never has to change it."""
    principal = caller.principal
    employee = (
        await directory.people.employee_ref(session, principal.org_id, principal.employee_id)
        if principal.employee_id
        else None
    )
    scope = (
        await directory.org.department_ref(session, principal.org_id, principal.department_scope)
        if principal.department_scope
        else None
    )
    return await auth.me(session, principal, employee, scope, caller.must_change_password)


@router.put(
    "/me/locale",
    tags=["authentication"],
    operation_id="set_my_locale",
    summary="Choose the language I read (errors, notifications, documents)",
    responses=FORBIDDEN,
)
async def set_my_locale(
    body: LocaleChoice, principal: PrincipalPendingPasswordChange, session: DbSession
) -> LocaleChoice:
    """For a signed-in user (an integration key gets 403): the language (`zh-CN` or `en`) of their
    problems, notifications and documents; `null` follows `Accept-Language`, then the
    organization's. An unsupported locale answers 422. Audited."""
    return LocaleChoice(locale=await locales.set_own_locale(session, principal, body.locale))


async def _check_user_refs(
    session: DbSession,
    directory: IdentityDirectory,
    principal: Principal,
    body: UserCreate | UserPatch,
) -> None:
    if body.employee_id is not None:
        await directory.people.require_employee(session, principal.org_id, body.employee_id)
    if body.department_scope_id is not None:
        await directory.org.require_department(session, principal.org_id, body.department_scope_id)


@router.get("/users", tags=["users"], operation_id="list_users", summary="Accounts (HR admin)")
async def list_users(
    principal: CurrentPrincipal,
    session: DbSession,
    directory: IdentityDirectory,
    page: Pagination,
    role: Annotated[Role | None, Query(description="Only accounts with this role.")] = None,
    active: Annotated[bool | None, Query(description="Only (in)active accounts.")] = None,
) -> Page[UserOut]:
    """For HR admins: the organization's accounts, cursor-paginated, optionally by role or active
    state; each names its linked employee and department scope (`{id, name}`) beside the ids."""
    rows, cursor = await service.list_users(session, principal, page, role=role, active=active)
    items = await views.user_views(session, directory, principal.org_id, rows)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/users",
    tags=["users"],
    operation_id="create_user",
    summary="Create an account with a one-time password (HR admin)",
    status_code=status.HTTP_201_CREATED,
)
async def create_user(
    body: UserCreate,
    principal: CurrentPrincipal,
    session: DbSession,
    directory: IdentityDirectory,
    response: Response,
) -> UserCreated:
    """For HR admins. Creates an account with a random one-time password, returned once in this
    response; the user must change it at the first login. A linked employee or department scope of
    another organization answers 422; an email already in use 409. Audited."""
    await _check_user_refs(session, directory, principal, body)
    user, password = await service.create_user(session, principal, body)
    set_etag(response, user.version)
    [view] = await views.user_views(session, directory, principal.org_id, [user])
    return UserCreated(**view.model_dump(), one_time_password=password)


@router.get("/users/{user_id}", tags=["users"], operation_id="get_user", summary="One account")
async def get_user(
    user_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    directory: IdentityDirectory,
    response: Response,
) -> UserOut:
    """One account: HR admins read any of the organization's, a user their own; otherwise 404."""
    user = await service.get_user(session, principal, user_id)
    set_etag(response, user.version)
    [view] = await views.user_views(session, directory, principal.org_id, [user])
    return view


@router.patch(
    "/users/{user_id}",
    tags=["users"],
    operation_id="update_user",
    summary="Change roles, scope, link or status (HR admin)",
)
async def update_user(
    user_id: uuid.UUID,
    body: UserPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    directory: IdentityDirectory,
    response: Response,
    if_match: IfMatch = None,
) -> UserOut:
    """For HR admins. Changes roles, department scope, the linked employee or the active state
    (only the fields sent). Guarded by `If-Match` or a body `version` (412/409 when stale);
    audited."""
    user = await service.get_user(session, principal, user_id)
    check_version(user.version, if_match=if_match, body_version=body.version)
    await _check_user_refs(session, directory, principal, body)
    user = await service.update_user(session, principal, user, body)
    set_etag(response, user.version)
    [view] = await views.user_views(session, directory, principal.org_id, [user])
    return view


@router.get(
    "/api-keys", tags=["api keys"], operation_id="list_api_keys", summary="Integration keys"
)
async def list_api_keys(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    directory: IdentityDirectory,
) -> Page[ApiKeyOut]:
    """For HR admins: the organization's integration keys with their scopes, the departments
    a key is limited to (named) and revocation; never the secret."""
    rows, cursor = await service.list_api_keys(session, principal, page)
    items = await views.api_key_views(session, directory, principal.org_id, rows)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/api-keys",
    tags=["api keys"],
    operation_id="create_api_key",
    summary="Create an integration key (shown once)",
    status_code=status.HTTP_201_CREATED,
)
async def create_api_key(
    body: ApiKeyCreate,
    principal: CurrentPrincipal,
    session: DbSession,
    directory: IdentityDirectory,
) -> ApiKeyCreated:
    """For HR admins. Creates an integration key with the scopes it may use; the secret (`hk_…`,
    sent as `Authorization: Bearer`) is in this response only and stored hashed. A key never acts
    as an HR admin. A key whose one scope is `metrics:write` may be limited to department
    subtrees (`department_ids`: 422 naming a department not in the organization, or with other
    scopes). Audited, with its scopes and departments."""
    key, secret = await service.create_api_key(session, principal, body, directory)
    [shown] = await views.api_key_views(session, directory, principal.org_id, [key])
    return ApiKeyCreated(**shown.model_dump(), key=secret)


@router.delete(
    "/api-keys/{key_id}",
    tags=["api keys"],
    operation_id="revoke_api_key",
    summary="Revoke an integration key",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def revoke_api_key(
    key_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, services: IdentityServices
) -> None:
    """For HR admins. Revokes a key at once (revoking it again changes nothing); audited."""
    await service.revoke_api_key(session, services, principal, key_id)


@router.get(
    "/audit-events",
    tags=["audit"],
    operation_id="list_audit_events",
    summary="Who changed what (HR admin), newest first",
    response_model=Page[AuditEventOut],
    responses=audit_export.CSV_RESPONSE,
)
async def list_audit_events(
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    object_type: Annotated[str | None, Query(max_length=64)] = None,
    object_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    export_format: Annotated[
        AuditExportFormat,
        Query(alias="format", description="json (a page), or csv: every match, for an auditor."),
    ] = AuditExportFormat.JSON,
) -> Page[AuditEventOut] | Response:
    """For HR admins: who changed what, newest first, cursor-paginated, with the changed fields
    before and after and the request id, and who acted (`actor`: `{id, name}` beside
    `actor_id`); filter by `object_type`, `object_id`, `actor_id` or `action`. Each event
    carries its place in the organization's hash chain (`seq`, `hash`). With `format=csv`,
    every matching event in chain order, streamed, with the previous event's hash beside
    each, so an auditor can check the chain outside hrcore (docs/privacy.md)."""
    only = audit_export.AuditFilter(object_type, object_id, actor_id, action)
    if export_format is AuditExportFormat.CSV:
        service.require_audit_reader(principal)
        sessionmaker = request.app.state.sessionmaker
        return await audit_export.csv_response(session, sessionmaker, principal.org_id, only)
    rows, cursor = await service.list_audit_events(
        session,
        principal,
        page,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor_id,
        action=action,
    )
    items = await views.audit_views(session, principal.org_id, rows)
    return Page(items=items, next_cursor=cursor)
