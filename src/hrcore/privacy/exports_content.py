"""What an own-data export holds: the panoramic profile as the person sees it, then every
section a domain declares (`core.personal_data.PersonalDataSection`), each read for the
person alone. Plain JSON data, in the order of the section names."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import personal_data
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.people import api as people
from hrcore.privacy import consent_repository, requests_repository
from hrcore.privacy.consent import consent_out
from hrcore.privacy.requests import request_out


async def gather(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, clock: Clock
) -> dict[str, Any]:
    """Everything about the employee, as `principal` (the employee) reads it."""
    profile = await people.panoramic_profile(session, principal, employee_id, clock)
    sections: dict[str, Any] = {}
    for section in personal_data.sections():
        sections[section.name] = await section.read(session, principal.org_id, employee_id)
    return {
        "employee_id": str(employee_id),
        "generated_at": clock.now().isoformat(),
        "profile": profile,
        "sections": sections,
    }


async def consents_section(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    """Privacy's own section: every consent given, withdrawn ones included."""
    rows = await consent_repository.consents_of(session, org_id, employee_id)
    return [consent_out(consent, text).model_dump(mode="json") for consent, text in rows]


async def requests_section(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    """Privacy's own section: every privacy request and how it was answered."""
    rows = await requests_repository.requests_of(session, org_id, employee_id)
    return [
        request_out(row, "").model_dump(mode="json", exclude={"employee", "version"})
        for row in rows
    ]
