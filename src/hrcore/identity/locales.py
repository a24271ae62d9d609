"""Which language a person reads: their own choice, else the request's `Accept-Language`,
else their organization's locale (docs/platform.md, "Text and languages")."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, i18n
from hrcore.core.authz import Principal
from hrcore.core.errors import FieldError, Forbidden, Unauthorized, Unprocessable
from hrcore.core.i18n import _
from hrcore.identity import repository


def settle_caller_locale(user_locale: str | None, org_locale: str | None) -> None:
    """Settle the request's locale once the user is known, from their row (the caller
    statement reads the organization's locale with it)."""
    preference = i18n.request_preference()
    if preference is not None and not preference.prefer_user(user_locale):
        preference.fall_back_to(org_locale)


async def settle_request_locale(session: AsyncSession, org_id: uuid.UUID) -> None:
    """Settle the request's locale of a caller without a user (an API key): the
    organization's locale is read only when `Accept-Language` does not decide."""
    preference = i18n.request_preference()
    if preference is None or preference.prefer_user(None):
        return
    org = await repository.org_by_id(session, org_id)  # kept for org_timezone, /me
    preference.fall_back_to(org.locale if org else None)


async def reader_locales(
    session: AsyncSession, org_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Each user's language for background work (notifications, documents): theirs, else
    their organization's. Users not found read the organization's (one statement)."""
    chosen = await repository.user_locales(session, org_id, user_ids)
    return {user_id: i18n.supported(locale) or i18n.DEFAULT_LOCALE for user_id, locale in chosen}


async def employee_locales(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The language of each employee's account (one who chose wins), else the
    organization's: tasks are written for the employee they are assigned to."""
    linked, org_locale = await repository.employee_locales(session, org_id, employee_ids)
    fallback = i18n.supported(org_locale) or i18n.DEFAULT_LOCALE
    chosen: dict[uuid.UUID, str] = {}
    for employee_id, locale in linked:
        chosen.setdefault(employee_id, i18n.supported(locale) or fallback)
    return {employee_id: chosen.get(employee_id, fallback) for employee_id in employee_ids}


async def set_own_locale(
    session: AsyncSession, principal: Principal, locale: str | None
) -> str | None:
    """The caller chooses their language (None: follow the request and the organization)."""
    if principal.user_id is None:
        raise Forbidden(_("Only users choose a language"))
    chosen = i18n.supported(locale)
    if locale is not None and chosen is None:
        raise Unprocessable(
            _(
                "Unsupported locale; choose one of {locales}",
                locales=", ".join(i18n.SUPPORTED_LOCALES),
            ),
            errors=[FieldError(field="body.locale", message=_("unsupported locale"))],
        )
    user = await repository.user_by_id(session, principal.org_id, principal.user_id)
    if user is None:
        raise Unauthorized()
    before = user.locale
    user.locale = chosen
    audit.record(
        session,
        principal,
        "user.locale_changed",
        "user",
        user.id,
        org_id=user.org_id,
        before={"locale": before},
        after={"locale": chosen},
    )
    await session.flush()
    preference = i18n.request_preference()
    if preference is not None and chosen is not None:
        preference.prefer_user(chosen)
    return chosen
