"""The organization's privacy deadlines: working days to answer a request, days an export
stays downloadable. Defaults until HR sets its own (audited)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin, require_user
from hrcore.core.concurrency import check_version
from hrcore.privacy import requests_repository as repository
from hrcore.privacy.requests_models import (
    DEFAULT_DEADLINE_DAYS,
    DEFAULT_EXPORT_LINK_DAYS,
    PrivacyPolicy,
)
from hrcore.privacy.requests_schemas import PrivacySettingsIn, PrivacySettingsOut

SUBJECT = "privacy_settings"


@dataclass(frozen=True)
class Deadlines:
    request_deadline_days: int
    export_link_days: int
    version: int


async def deadlines(session: AsyncSession, org_id: uuid.UUID) -> Deadlines:
    """The organization's deadlines, the defaults while it set none."""
    row = await repository.policy(session, org_id)
    if row is None:
        return Deadlines(DEFAULT_DEADLINE_DAYS, DEFAULT_EXPORT_LINK_DAYS, 0)
    return Deadlines(row.request_deadline_days, row.export_link_days, row.version)


async def read(session: AsyncSession, principal: Principal) -> PrivacySettingsOut:
    require_hr_admin(principal)
    found = await deadlines(session, principal.org_id)
    return PrivacySettingsOut(
        request_deadline_days=found.request_deadline_days,
        export_link_days=found.export_link_days,
        version=found.version,
    )


async def replace(
    session: AsyncSession, principal: Principal, body: PrivacySettingsIn, *, if_match: str | None
) -> PrivacySettingsOut:
    """Both deadlines at once; requests already made keep their due date, exports already
    built their expiry."""
    require_user(principal)
    require_hr_admin(principal)
    row = await repository.policy(session, principal.org_id, for_update=True)
    before = await deadlines(session, principal.org_id)
    check_version(row.version if row is not None else 0, if_match=if_match, body_version=None)
    if row is None:
        row = PrivacyPolicy(org_id=principal.org_id, **body.model_dump())
        session.add(row)
    else:
        row.request_deadline_days = body.request_deadline_days
        row.export_link_days = body.export_link_days
    await session.flush()
    audit.record(
        session,
        principal,
        "privacy_settings.replaced",
        SUBJECT,
        row.id,
        org_id=row.org_id,
        before={
            "request_deadline_days": before.request_deadline_days,
            "export_link_days": before.export_link_days,
        },
        after=body.model_dump(),
    )
    return PrivacySettingsOut(**body.model_dump(), version=row.version)
