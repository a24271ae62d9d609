"""Queries of the identity domain. Tenant tables are also filtered by RLS."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.util import identity_key

from hrcore.core.audit import AuditEvent
from hrcore.core.db import fetch
from hrcore.identity.models import ApiKey, Organization, RefreshToken, User


async def org_by_slug(session: AsyncSession, slug: str) -> Organization | None:
    return await session.scalar(select(Organization).where(Organization.slug == slug))


async def org_by_id(session: AsyncSession, org_id: uuid.UUID) -> Organization | None:
    return await session.get(Organization, org_id)


_CALLER_TIMEZONE = "hrcore.caller_timezone"


def note_caller_timezone(session: AsyncSession, org_id: uuid.UUID, timezone: str) -> None:
    """Keep the caller's organization's time zone (from the caller row) for this session."""
    session.info[_CALLER_TIMEZONE] = (org_id, timezone)


def known_timezone(session: AsyncSession, org_id: uuid.UUID) -> str | None:
    """The organization's time zone if this session already has it, without I/O: its row
    loaded (and perhaps changed), else the caller row's."""
    org = session.identity_map.get(identity_key(Organization, org_id))
    if isinstance(org, Organization):
        return org.timezone
    noted = session.info.get(_CALLER_TIMEZONE)
    return noted[1] if noted is not None and noted[0] == org_id else None


async def user_by_email(session: AsyncSession, org_id: uuid.UUID, email: str) -> User | None:
    return await session.scalar(
        select(User).where(User.org_id == org_id, User.email == email.lower())
    )


async def user_by_id(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
    return await session.scalar(select(User).where(User.org_id == org_id, User.id == user_id))


async def user_for_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> User | None:
    """The account linked to an employee; an active one first when there are several."""
    return await session.scalar(
        select(User)
        .where(User.org_id == org_id, User.employee_id == employee_id)
        .order_by(User.is_active.desc(), User.id)
        .limit(1)
    )


CALLER = (
    "SELECT u.id, u.employee_id, u.roles, u.department_scope_id, u.is_active,"
    " u.must_change_password, u.token_version, u.locale, o.locale AS org_locale,"
    " o.timezone AS org_timezone"
    " FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.org_id = $1 AND u.id = $2"
)


async def caller_row(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> Any:
    """What authenticating an access token needs of its user, by a statement prepared once
    per connection (every authenticated request runs it). The organization's locale and time
    zone come along, so settling the request's language or its "today" never costs a round
    trip of its own."""
    rows = await fetch(session, CALLER, org_id, user_id)
    return rows[0] if rows else None


def users_query(org_id: uuid.UUID, *, role: str | None, active: bool | None) -> Select[Any]:
    statement = select(User).where(User.org_id == org_id)
    if role is not None:
        statement = statement.where(User.roles.contains([role]))
    if active is not None:
        statement = statement.where(User.is_active.is_(active))
    return statement


async def refresh_token_for_update(
    session: AsyncSession, org_id: uuid.UUID, token_hash: str
) -> RefreshToken | None:
    return await session.scalar(
        select(RefreshToken)
        .where(RefreshToken.org_id == org_id, RefreshToken.token_hash == token_hash)
        .with_for_update()
    )


async def revoke_family(
    session: AsyncSession, org_id: uuid.UUID, family_id: uuid.UUID, at: datetime
) -> None:
    await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.org_id == org_id,
            RefreshToken.family_id == family_id,
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )


async def end_access_tokens(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Raise the user's token version: every access token issued before is refused."""
    await session.execute(
        update(User)
        .where(User.org_id == org_id, User.id == user_id)
        .values(token_version=User.token_version + 1)
        .execution_options(synchronize_session=False)
    )


async def revoke_user_tokens(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, at: datetime
) -> None:
    await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.org_id == org_id,
            RefreshToken.user_id == user_id,
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )


async def end_sessions_of_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[uuid.UUID]:
    """Raise the token version of the employee's accounts and revoke their refresh tokens;
    answers the accounts' ids."""
    user_ids = list(
        await session.scalars(
            update(User)
            .where(User.org_id == org_id, User.employee_id == employee_id)
            .values(token_version=User.token_version + 1)
            .returning(User.id)
            .execution_options(synchronize_session=False)
        )
    )
    if user_ids:
        await session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.org_id == org_id,
                RefreshToken.user_id.in_(user_ids),
                RefreshToken.revoked_at.is_(None),
            )
            .values(revoked_at=func.now())
        )
    return user_ids


async def api_key_by_hash(
    session: AsyncSession, org_id: uuid.UUID, token_hash: str
) -> ApiKey | None:
    return await session.scalar(
        select(ApiKey).where(ApiKey.org_id == org_id, ApiKey.token_hash == token_hash)
    )


def api_keys_query(org_id: uuid.UUID) -> Select[Any]:
    return select(ApiKey).where(ApiKey.org_id == org_id)


def audit_query(
    org_id: uuid.UUID,
    *,
    object_type: str | None,
    object_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    action: str | None,
) -> Select[Any]:
    statement = select(AuditEvent).where(AuditEvent.org_id == org_id)
    if object_type is not None:
        statement = statement.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        statement = statement.where(AuditEvent.object_id == object_id)
    if actor_id is not None:
        statement = statement.where(AuditEvent.actor_id == actor_id)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    return statement


async def active_user_ids_for_employees(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(employee id, user id) of the active accounts linked to these employees."""
    if not employee_ids:
        return []
    rows = await session.execute(
        select(User.employee_id, User.id)
        .where(
            User.org_id == org_id,
            User.employee_id.in_(list(employee_ids)),
            User.is_active.is_(True),
        )
        .order_by(User.id)
    )
    return [(employee_id, user_id) for employee_id, user_id in rows.all() if employee_id]


async def active_role_holders(
    session: AsyncSession,
    org_id: uuid.UUID,
    role: str,
    department_ids: Sequence[uuid.UUID] | None = None,
) -> list[tuple[uuid.UUID, uuid.UUID | None, uuid.UUID | None]]:
    """(user id, employee id, department scope) of the active accounts holding `role`,
    only those scoped to one of `department_ids` when given."""
    statement = select(User.id, User.employee_id, User.department_scope_id).where(
        User.org_id == org_id, User.roles.contains([role]), User.is_active.is_(True)
    )
    if department_ids is not None:
        statement = statement.where(User.department_scope_id.in_(list(department_ids)))
    rows = await session.execute(statement.order_by(User.id))
    return [(row.id, row.employee_id, row.department_scope_id) for row in rows]


async def organization_ids(session: AsyncSession) -> list[uuid.UUID]:
    """Every organization (the table is not under row-level security)."""
    rows = await session.scalars(select(Organization.id).order_by(Organization.id))
    return list(rows.all())


async def employee_ids_for_users(
    session: AsyncSession, org_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(user id, employee id) of these active users that are linked to an employee."""
    if not user_ids:
        return []
    rows = await session.execute(
        select(User.id, User.employee_id).where(
            User.org_id == org_id,
            User.id.in_(list(user_ids)),
            User.is_active.is_(True),
            User.employee_id.is_not(None),
        )
    )
    return [
        (user_id, employee_id) for user_id, employee_id in rows.all() if employee_id is not None
    ]


async def user_locales(
    session: AsyncSession, org_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, str]]:
    """(user, their locale or else their organization's) for each user found."""
    rows = await session.execute(
        select(User.id, func.coalesce(User.locale, Organization.locale))
        .join(Organization, Organization.id == User.org_id)
        .where(User.org_id == org_id, User.id.in_(list(set(user_ids))))
    )
    return [(user_id, locale) for user_id, locale in rows]


async def employee_locales(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> tuple[list[tuple[uuid.UUID, str | None]], str | None]:
    """(employee, the locale a user linked to them chose) for each linked employee, and the
    organization's locale, in one statement (the organization outer-joined to its users)."""
    rows = (
        await session.execute(
            select(User.employee_id, User.locale, Organization.locale)
            .select_from(Organization)
            .outerjoin(
                User,
                and_(User.org_id == Organization.id, User.employee_id.in_(list(set(employee_ids)))),
            )
            .where(Organization.id == org_id)
            .order_by(User.employee_id, User.locale.is_(None), User.id)
        )
    ).all()
    org_locale = rows[0][2] if rows else None
    linked = [(employee, locale) for employee, locale, _org in rows if employee is not None]
    return linked, org_locale
