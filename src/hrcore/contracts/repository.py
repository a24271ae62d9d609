"""Queries of contracts, amendments, templates and expiry alerts (tenant tables under RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, Uuid, bindparam, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement

from hrcore.contracts.models import (
    Amendment,
    AmendmentTemplate,
    AmendmentVersion,
    Contract,
    ExpiryAlert,
)
from hrcore.core.db import fetch_compiled, insert_new


async def lock_employee(session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID) -> None:
    """Serialize contract writes per employee until the transaction ends, so two concurrent
    requests cannot both pass the overlap check."""
    await session.execute(
        select(func.pg_advisory_xact_lock(func.hashtextextended(f"contracts:{employee_id}", 0)))
    )


async def contract_by_id(
    session: AsyncSession, org_id: uuid.UUID, contract_id: uuid.UUID, *, for_update: bool = False
) -> Contract | None:
    statement = select(Contract).where(Contract.org_id == org_id, Contract.id == contract_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


def contracts_query(
    org_id: uuid.UUID, *, employee_id: uuid.UUID | None = None, status: str | None = None
) -> Select[Any]:
    statement = select(Contract).where(Contract.org_id == org_id)
    if employee_id is not None:
        statement = statement.where(Contract.employee_id == employee_id)
    if status is not None:
        statement = statement.where(Contract.status == status)
    return statement


async def contract_terms_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[Any]:
    """(id, kind, status, start, end, grade, allowance, work location, pay terms) of every
    contract of one employee, oldest first; one query, compiled once (the profile reads it
    on every request)."""
    return await fetch_compiled(
        session,
        "contracts.contract_terms_of",
        _contract_terms_statement,
        org_id=org_id,
        employee_id=employee_id,
    )


def _contract_terms_statement() -> ClauseElement:
    return (
        select(
            Contract.id,
            Contract.kind,
            Contract.status,
            Contract.start_date,
            Contract.end_date,
            Contract.grade,
            Contract.allowance,
            Contract.work_location,
            Contract.pay_terms_ref,
        )
        .where(
            Contract.org_id == bindparam("org_id", type_=Uuid()),
            Contract.employee_id == bindparam("employee_id", type_=Uuid()),
        )
        .order_by(Contract.start_date, Contract.id)
    )


async def overlapping(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    start: date,
    end: date | None,
    *,
    exclude_id: uuid.UUID | None = None,
) -> Contract | None:
    """An active contract of the employee whose dates meet [start, end] (open ends: forever)."""
    statement = select(Contract).where(
        Contract.org_id == org_id,
        Contract.employee_id == employee_id,
        Contract.status == "active",
        (Contract.end_date.is_(None)) | (Contract.end_date >= start),
    )
    if end is not None:
        statement = statement.where(Contract.start_date <= end)
    if exclude_id is not None:
        statement = statement.where(Contract.id != exclude_id)
    return await session.scalar(statement.limit(1))


async def active_contract_on(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, on: date
) -> Contract | None:
    """The employee's active contract covering `on`, else their latest active one."""
    statement = (
        select(Contract)
        .where(
            Contract.org_id == org_id,
            Contract.employee_id == employee_id,
            Contract.status == "active",
        )
        .order_by((Contract.start_date <= on).desc(), Contract.start_date.desc())
        .limit(1)
    )
    return await session.scalar(statement)


async def amendment_by_id(
    session: AsyncSession, org_id: uuid.UUID, amendment_id: uuid.UUID, *, for_update: bool = False
) -> Amendment | None:
    statement = select(Amendment).where(Amendment.org_id == org_id, Amendment.id == amendment_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def amendment_by_event(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID
) -> Amendment | None:
    """The amendment drafted from the event (not those restating it for an early end)."""
    return await session.scalar(
        select(Amendment).where(
            Amendment.org_id == org_id, Amendment.event_id == event_id, Amendment.source == "event"
        )
    )


async def amendments_of_event(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID
) -> list[Amendment]:
    """Every amendment naming the event, oldest first, locked."""
    statement = (
        select(Amendment)
        .where(Amendment.org_id == org_id, Amendment.event_id == event_id)
        .order_by(Amendment.id)
        .with_for_update()
    )
    return list((await session.scalars(statement)).all())


def amendments_query(org_id: uuid.UUID, contract_id: uuid.UUID) -> Select[Any]:
    return select(Amendment).where(Amendment.org_id == org_id, Amendment.contract_id == contract_id)


async def drafts_awaiting_confirmation(
    session: AsyncSession, org_id: uuid.UUID, contract_id: uuid.UUID
) -> list[Amendment]:
    """The contract's draft amendments with a confirmation task, locked."""
    statement = (
        amendments_query(org_id, contract_id)
        .where(Amendment.status == "draft", Amendment.confirm_task_id.is_not(None))
        .order_by(Amendment.id)
        .with_for_update()
    )
    return list((await session.scalars(statement)).all())


async def confirmed_not_applied(
    session: AsyncSession, org_id: uuid.UUID, contract_id: uuid.UUID
) -> Amendment | None:
    """The contract's confirmed amendment still waiting for its effective date, if any (one
    whose temporary post was withdrawn waits for nothing)."""
    statement = (
        select(Amendment)
        .where(Amendment.org_id == org_id, Amendment.contract_id == contract_id)
        .where(Amendment.status == "confirmed", Amendment.applied_at.is_(None))
        .where(Amendment.withdrawn_at.is_(None))
        .limit(1)
    )
    return await session.scalar(statement)


async def confirmed_due(
    session: AsyncSession, org_id: uuid.UUID, today: date
) -> list[tuple[Amendment, AmendmentVersion]]:
    """Confirmed amendments not applied yet whose confirmed version takes effect by `today`
    (not those whose temporary post was withdrawn), locked (a concurrent run skips them), in
    the order they take effect."""
    rows = await session.execute(
        select(Amendment, AmendmentVersion)
        .join(
            AmendmentVersion,
            (AmendmentVersion.amendment_id == Amendment.id)
            & (AmendmentVersion.number == Amendment.confirmed_version),
        )
        .where(
            Amendment.org_id == org_id,
            Amendment.status == "confirmed",
            Amendment.applied_at.is_(None),
            Amendment.withdrawn_at.is_(None),
            AmendmentVersion.effective_date <= today,
        )
        .order_by(AmendmentVersion.effective_date, Amendment.id)
        .with_for_update(of=Amendment, skip_locked=True)
    )
    return [(amendment, version) for amendment, version in rows]


async def version(
    session: AsyncSession,
    org_id: uuid.UUID,
    amendment_id: uuid.UUID,
    number: int,
    *,
    for_update: bool = False,
) -> AmendmentVersion | None:
    statement = select(AmendmentVersion).where(
        AmendmentVersion.org_id == org_id,
        AmendmentVersion.amendment_id == amendment_id,
        AmendmentVersion.number == number,
    )
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def current_versions(
    session: AsyncSession, org_id: uuid.UUID, amendments: Sequence[Amendment]
) -> dict[uuid.UUID, AmendmentVersion]:
    """The current version of each amendment, in one query."""
    if not amendments:
        return {}
    keys = [(amendment.id, amendment.current_version) for amendment in amendments]
    rows = await session.scalars(
        select(AmendmentVersion).where(
            AmendmentVersion.org_id == org_id,
            tuple_(AmendmentVersion.amendment_id, AmendmentVersion.number).in_(keys),
        )
    )
    return {row.amendment_id: row for row in rows}


async def failed_current_versions(
    session: AsyncSession, org_id: uuid.UUID
) -> list[AmendmentVersion]:
    """Current versions whose document failed: regenerated when the template is fixed."""
    statement = (
        select(AmendmentVersion)
        .join(
            Amendment,
            (Amendment.id == AmendmentVersion.amendment_id)
            & (Amendment.current_version == AmendmentVersion.number),
        )
        .where(
            AmendmentVersion.org_id == org_id,
            Amendment.org_id == org_id,
            AmendmentVersion.document_status == "failed",
        )
    )
    return list((await session.scalars(statement)).all())


async def template(session: AsyncSession, org_id: uuid.UUID) -> AmendmentTemplate | None:
    return await session.scalar(select(AmendmentTemplate).where(AmendmentTemplate.org_id == org_id))


def expiring_query(org_id: uuid.UUID, today: date, until: date) -> Select[Any]:
    """Active contracts ending in [today, until]; served by `ix_contracts_org_active_end`."""
    return select(Contract).where(
        Contract.org_id == org_id,
        Contract.status == "active",
        Contract.end_date.is_not(None),
        Contract.end_date >= today,
        Contract.end_date <= until,
    )


async def expiring(
    session: AsyncSession, org_id: uuid.UUID, today: date, until: date
) -> list[Contract]:
    statement = expiring_query(org_id, today, until).order_by(Contract.end_date, Contract.id)
    return list((await session.scalars(statement)).all())


async def record_alerts(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Insert alerts not raised yet; returns (alert id, contract id) of the new ones."""
    new = await insert_new(
        session,
        ExpiryAlert,
        rows,
        unique=["org_id", "contract_id", "end_date"],
        returning=[ExpiryAlert.id, ExpiryAlert.contract_id],
    )
    return [(alert_id, contract_id) for alert_id, contract_id in new]


async def alerts_by_ids(
    session: AsyncSession, org_id: uuid.UUID, alert_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ExpiryAlert]:
    rows = await session.scalars(
        select(ExpiryAlert).where(ExpiryAlert.org_id == org_id, ExpiryAlert.id.in_(list(alert_ids)))
    )
    return {alert.id: alert for alert in rows}


async def alerts_for(
    session: AsyncSession, org_id: uuid.UUID, contracts: Sequence[Contract]
) -> dict[uuid.UUID, ExpiryAlert]:
    """The alert raised for each contract's current end date, in one query."""
    keys = [(c.id, c.end_date) for c in contracts if c.end_date is not None]
    if not keys:
        return {}
    rows = await session.scalars(
        select(ExpiryAlert).where(
            ExpiryAlert.org_id == org_id,
            tuple_(ExpiryAlert.contract_id, ExpiryAlert.end_date).in_(keys),
        )
    )
    return {row.contract_id: row for row in rows}


async def cover_ends(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, date | None]:
    """Per employee with an active contract, the last day active contracts cover (a renewal
    counts); None when one of them is open-ended. One query."""
    statement = (
        select(
            Contract.employee_id,
            func.max(Contract.end_date),
            func.bool_or(Contract.end_date.is_(None)),
        )
        .where(
            Contract.org_id == org_id,
            Contract.employee_id.in_(employee_ids),
            Contract.status == "active",
        )
        .group_by(Contract.employee_id)
    )
    rows = (await session.execute(statement)).all()
    return {
        employee_id: None if open_ended or end in (None, date.max) else end
        for employee_id, end, open_ended in rows
    }
