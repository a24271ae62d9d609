"""Accounts, organizations, integration keys and the audit log; what other domains ask of
identity. Authentication (login, tokens, passwords) is in identity/auth.py."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, i18n, links, security
from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Principal, Role, require_hr_admin
from hrcore.core.db import SessionMaker, get_or_404, set_tenant, tenant_transaction
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.references import refs_by_ids
from hrcore.core.schemas import Ref
from hrcore.identity import repository
from hrcore.identity.auth import API_KEY_KIND, Services, principal_of
from hrcore.identity.directory import Directory
from hrcore.identity.models import ApiKey, Organization, User
from hrcore.identity.schemas import ApiKeyCreate, UserCreate, UserPatch

logger = logging.getLogger("hrcore.identity")

# --- organizations ----------------------------------------------------------------------


async def create_organization(
    session: AsyncSession,
    *,
    slug: str,
    name: str,
    admin_email: str,
    timezone: str = "Asia/Shanghai",
    locale: str = "zh-CN",
) -> tuple[Organization, User, str]:
    """A tenant and its first HR admin with a one-time password (returned once)."""
    if await repository.org_by_slug(session, slug) is not None:
        raise Conflict(_("Organization '{slug}' exists", slug=slug))
    org = Organization(slug=slug, name=name, timezone=timezone, locale=locale)
    session.add(org)
    await session.flush()
    await set_tenant(session, org.id)
    password = security.new_secret(12)
    admin = User(
        org_id=org.id,
        email=admin_email.lower(),
        display_name=admin_email.split("@", maxsplit=1)[0],
        password_hash=await security.hash_password_async(password),
        roles=[Role.HR_ADMIN.value],
        must_change_password=True,
    )
    session.add(admin)
    await session.flush()
    audit.record(
        session,
        None,
        "organization.created",
        "organization",
        org.id,
        org_id=org.id,
        after={"slug": slug, "name": name},
    )
    audit.record(
        session,
        None,
        "user.created",
        "user",
        admin.id,
        org_id=org.id,
        after={"email": admin.email, "roles": admin.roles},
    )
    return org, admin, password


# --- users --------------------------------------------------------------------------------


def _user_snapshot(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "employee_id": str(user.employee_id) if user.employee_id else None,
        "department_scope_id": str(user.department_scope_id) if user.department_scope_id else None,
        "is_active": user.is_active,
    }


async def list_users(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    role: Role | None,
    active: bool | None,
) -> tuple[list[User], str | None]:
    require_hr_admin(principal)
    statement = repository.users_query(
        principal.org_id, role=role.value if role else None, active=active
    )
    rows, cursor = await paginate(session, statement, [User.id], page)
    return rows, cursor


async def get_user(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> User:
    if principal.user_id != user_id:
        require_hr_admin(principal, hide=True)
    return await get_or_404(session, User, principal.org_id, user_id, what=N_("user"))


def _check_scope(roles: list[str], department_scope_id: uuid.UUID | None) -> None:
    if Role.DEPT_HEAD.value in roles and department_scope_id is None:
        raise Unprocessable(_("A department head needs department_scope_id"))


async def create_user(
    session: AsyncSession, principal: Principal, body: UserCreate
) -> tuple[User, str]:
    """HR creates an account with a one-time password. References are checked by the caller."""
    require_hr_admin(principal)
    roles = [role.value for role in body.roles]
    _check_scope(roles, body.department_scope_id)
    if await repository.user_by_email(session, principal.org_id, body.email) is not None:
        raise Conflict(_("A user with this email exists"))
    password = security.new_secret(12)
    user = User(
        org_id=principal.org_id,
        email=body.email.lower(),
        display_name=body.display_name,
        password_hash=await security.hash_password_async(password),
        roles=roles,
        employee_id=body.employee_id,
        department_scope_id=body.department_scope_id,
        must_change_password=True,
    )
    session.add(user)
    await session.flush()
    audit.record(
        session,
        principal,
        "user.created",
        "user",
        user.id,
        org_id=principal.org_id,
        after=_user_snapshot(user),
    )
    return user, password


async def update_user(
    session: AsyncSession, principal: Principal, user: User, body: UserPatch
) -> User:
    require_hr_admin(principal)
    before = _user_snapshot(user)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    if "roles" in fields:
        user.roles = sorted({role.value for role in body.roles or []})
    for name in ("display_name", "employee_id", "department_scope_id", "is_active"):
        if name in fields and (fields[name] is not None or name.endswith("_id")):
            setattr(user, name, fields[name])
    _check_scope(user.roles, user.department_scope_id)
    if user.id == principal.user_id and (
        Role.HR_ADMIN.value not in user.roles or not user.is_active
    ):
        raise Unprocessable(_("You cannot remove your own HR admin role or deactivate yourself"))
    await session.flush()
    changed_before, changed_after = audit.changes(before, _user_snapshot(user))
    if changed_after:
        audit.record(
            session,
            principal,
            "user.updated",
            "user",
            user.id,
            org_id=principal.org_id,
            before=changed_before,
            after=changed_after,
        )
    return user


# --- API keys -----------------------------------------------------------------------------


async def create_api_key(
    session: AsyncSession, principal: Principal, body: ApiKeyCreate, directory: Directory
) -> tuple[ApiKey, str]:
    """`department_ids`, when given, must be departments of the organization (422 naming
    each other one)."""
    require_hr_admin(principal)
    departments = list(dict.fromkeys(body.department_ids)) if body.department_ids else None
    if departments:
        found = await directory.org.department_refs(session, principal.org_id, departments)
        unknown = [
            FieldError(field=f"department_ids.{index}", message=_("no such department"))
            for index, department in enumerate(body.department_ids or [])
            if department not in found
        ]
        if unknown:
            raise Unprocessable(
                _("The key names departments not in the organization"), errors=unknown
            )
    secret = security.new_secret()
    key = ApiKey(
        org_id=principal.org_id,
        name=body.name,
        prefix=secret[:8],
        token_hash=security.hash_token(secret),
        scopes=sorted({scope.value for scope in body.scopes}),
        department_ids=departments,
        created_by=principal.user_id,
    )
    session.add(key)
    await session.flush()
    audit.record(
        session,
        principal,
        "api_key.created",
        "api_key",
        key.id,
        org_id=principal.org_id,
        after={
            "name": key.name,
            "scopes": key.scopes,
            "department_ids": [str(d) for d in departments] if departments else None,
        },
    )
    return key, security.compose_token(API_KEY_KIND, principal.org_id, secret)


async def list_api_keys(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ApiKey], str | None]:
    require_hr_admin(principal)
    return await paginate(session, repository.api_keys_query(principal.org_id), [ApiKey.id], page)


async def revoke_api_key(
    session: AsyncSession, services: Services, principal: Principal, key_id: uuid.UUID
) -> None:
    require_hr_admin(principal)
    key = await get_or_404(session, ApiKey, principal.org_id, key_id, what=N_("API key"))
    if key.revoked_at is None:
        key.revoked_at = services.clock.now()
        audit.record(
            session, principal, "api_key.revoked", "api_key", key.id, org_id=principal.org_id
        )


# --- audit --------------------------------------------------------------------------------


def require_audit_reader(principal: Principal) -> None:
    """The audit log, as a page or an export, is for HR admins."""
    require_hr_admin(principal)


async def list_audit_events(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    object_type: str | None,
    object_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    action: str | None,
) -> tuple[list[AuditEvent], str | None]:
    require_audit_reader(principal)
    statement = repository.audit_query(
        principal.org_id,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor_id,
        action=action,
    )
    return await paginate(session, statement, [AuditEvent.id], page, descending=True)


async def principal_for_user(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID
) -> Principal | None:
    """The principal a background job acts for (None when the user is gone or disabled)."""
    user = await repository.user_by_id(session, org_id, user_id)
    return principal_of(user) if user is not None and user.is_active else None


async def org_timezone(session: AsyncSession, org_id: uuid.UUID) -> str:
    """The organization's IANA time zone: deadlines and "today" are computed in it. Read
    only when the session does not have it yet (an authenticated request has it from the
    caller row)."""
    known = repository.known_timezone(session, org_id)
    if known is not None:
        return known
    org = await repository.org_by_id(session, org_id)
    if org is None:
        raise NotFound(_("No such organization"))
    return org.timezone


async def org_locale(session: AsyncSession, org_id: uuid.UUID) -> str:
    """The organization's language: what background work no single reader owns (a DingTalk
    event's notes, for instance) is written in it."""
    org = await repository.org_by_id(session, org_id)
    return i18n.supported(org.locale if org else None) or i18n.DEFAULT_LOCALE


async def user_ids_for_employees(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The active user accounts of each employee (employees without one are absent)."""
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for employee_id, user_id in await repository.active_user_ids_for_employees(
        session, org_id, employee_ids
    ):
        found.setdefault(employee_id, []).append(user_id)
    return found


async def hr_admin_user_ids(session: AsyncSession, org_id: uuid.UUID) -> list[uuid.UUID]:
    """The active HR admins of the organization."""
    holders = await repository.active_role_holders(session, org_id, Role.HR_ADMIN.value)
    return [user_id for user_id, _employee, _scope in holders]


async def department_heads(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[uuid.UUID, uuid.UUID | None]]]:
    """The active accounts heading each of these departments (scoped to it exactly;
    departments without one are absent), each with the employee it is linked to (None: an
    account without an employee record), in one query."""
    if not department_ids:
        return {}
    found: dict[uuid.UUID, list[tuple[uuid.UUID, uuid.UUID | None]]] = {}
    for user_id, employee_id, scope in await repository.active_role_holders(
        session, org_id, Role.DEPT_HEAD.value, department_ids
    ):
        if scope is not None:
            found.setdefault(scope, []).append((user_id, employee_id))
    return found


async def organization_ids(session: AsyncSession) -> list[uuid.UUID]:
    """Every organization's id: for cross-tenant jobs, which then scope each write."""
    return await repository.organization_ids(session)


async def for_each_organization(
    sessionmaker: SessionMaker,
    work: Callable[[AsyncSession, uuid.UUID], Awaitable[int]],
    *,
    label: str,
) -> int:
    """Run a cron's `work` once per organization, each in its own transaction with the
    tenant set (row-level security); one organization's failure is logged and does not stop
    the others. Returns the sum of what `work` returns."""
    async with sessionmaker() as session:
        org_ids = await repository.organization_ids(session)
    total = 0
    for org_id in org_ids:
        try:
            async with tenant_transaction(sessionmaker, org_id) as session:
                total += await work(session, org_id)
        except Exception:
            logger.exception("%s failed for organization %s", label, org_id)
    return total


async def employee_ids_for_users(
    session: AsyncSession, org_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The employee each active user account is linked to (unlinked users are absent)."""
    return dict(await repository.employee_ids_for_users(session, org_id, user_ids))


async def user_refs(
    session: AsyncSession, org_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Ref]:
    """Links to these users (`{id, name}`: their display name) in one query, none without
    ids: what a response shows beside a `…_by` user id."""
    return await refs_by_ids(session, User.display_name, org_id, user_ids)


async def org_id_by_slug(session: AsyncSession, slug: str) -> uuid.UUID | None:
    """For unauthenticated callbacks that name their organization (not under RLS)."""
    org = await repository.org_by_slug(session, slug)
    return org.id if org else None


async def org_slug(session: AsyncSession, org_id: uuid.UUID) -> str | None:
    org = await repository.org_by_id(session, org_id)
    return org.slug if org else None


_link_slugs: dict[uuid.UUID, str] = {}


async def link_org_slug(session: AsyncSession, org_id: uuid.UUID) -> str | None:
    """The slug deep links carry when the template names `{org_slug}` (else None, read
    nothing). A slug never changes, so each process reads it once per organization."""
    if not links.needs_org_slug():
        return None
    slug = _link_slugs.get(org_id)
    if slug is None:
        slug = await org_slug(session, org_id)
        if slug is not None:
            _link_slugs[org_id] = slug
    return slug


async def org_name(session: AsyncSession, org_id: uuid.UUID) -> str:
    """The organization's display name: documents are issued in it."""
    org = await repository.org_by_id(session, org_id)
    if org is None:
        raise NotFound(_("No such organization"))
    return org.name


async def end_sessions_of_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, *, reason: str
) -> None:
    """A person who left keeps no session: every refresh token of the employee's accounts is
    revoked and their access tokens refused, in the caller's transaction, audited."""
    for user_id in await repository.end_sessions_of_employee(session, org_id, employee_id):
        audit.record(
            session,
            None,
            "user.sessions_revoked",
            "user",
            user_id,
            org_id=org_id,
            after={"reason": reason},
        )
