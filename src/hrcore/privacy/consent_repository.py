"""Consent's queries: texts by purpose and version, a person's consents with their texts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.privacy.consent_models import Consent, ConsentText


async def latest_version(session: AsyncSession, org_id: uuid.UUID, purpose: str) -> int:
    """The purpose's newest version number; 0 before the first."""
    found = await session.scalar(
        select(func.max(ConsentText.text_version)).where(
            ConsentText.org_id == org_id, ConsentText.purpose == purpose
        )
    )
    return int(found or 0)


async def latest_versions(session: AsyncSession, org_id: uuid.UUID) -> dict[str, int]:
    """Each purpose's newest version number, in one statement."""
    rows = await session.execute(
        select(ConsentText.purpose, func.max(ConsentText.text_version))
        .where(ConsentText.org_id == org_id)
        .group_by(ConsentText.purpose)
    )
    return {purpose: int(version) for purpose, version in rows.all()}


def texts_statement(org_id: uuid.UUID, purpose: str | None) -> Select[Any]:
    statement = select(ConsentText).where(ConsentText.org_id == org_id)
    if purpose is not None:
        statement = statement.where(ConsentText.purpose == purpose)
    return statement


def consents_statement(org_id: uuid.UUID, employee_id: uuid.UUID) -> Select[Any]:
    return select(Consent).where(Consent.org_id == org_id, Consent.employee_id == employee_id)


async def texts_by_ids(
    session: AsyncSession, org_id: uuid.UUID, text_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ConsentText]:
    """The texts of a page of consents, in one statement (none asked: none sent)."""
    if not text_ids:
        return {}
    found = await session.scalars(
        select(ConsentText).where(ConsentText.org_id == org_id, ConsentText.id.in_(text_ids))
    )
    return {text.id: text for text in found}


async def consents_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> Sequence[Any]:
    """Every consent of the employee with its text, oldest first (the export)."""
    result = await session.execute(
        select(Consent, ConsentText)
        .join(ConsentText, ConsentText.id == Consent.text_id)
        .where(Consent.org_id == org_id, Consent.employee_id == employee_id)
        .order_by(Consent.given_at, Consent.id)
    )
    return list(result.all())


async def consent_in_force(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    text_id: uuid.UUID,
) -> Consent | None:
    return await session.scalar(
        select(Consent).where(
            Consent.org_id == org_id,
            Consent.employee_id == employee_id,
            Consent.text_id == text_id,
            Consent.withdrawn_at.is_(None),
        )
    )


async def consents_current_text(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, purpose: str
) -> tuple[bool, bool]:
    """Whether the purpose has a text at all, and whether the employee's consent to its
    newest version is in force; one statement."""
    newest = (
        select(func.max(ConsentText.text_version))
        .where(ConsentText.org_id == org_id, ConsentText.purpose == purpose)
        .scalar_subquery()
    )
    in_force = (
        select(Consent.id)
        .join(ConsentText, ConsentText.id == Consent.text_id)
        .where(
            Consent.org_id == org_id,
            Consent.employee_id == employee_id,
            Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None),
            ConsentText.text_version == newest,
        )
        .exists()
    )
    row = (await session.execute(select(newest.is_not(None), in_force))).one()
    return bool(row[0]), bool(row[1])
