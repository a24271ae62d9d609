"""Queries of approvals and their assignments: no rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals.models import Approval, ApprovalAssignment, parts_of, requested_by
from hrcore.core.db import among


async def assignments_of(
    session: AsyncSession, org_id: uuid.UUID, approval_id: uuid.UUID, *, for_update: bool = False
) -> list[ApprovalAssignment]:
    statement = (
        select(ApprovalAssignment)
        .where(ApprovalAssignment.org_id == org_id, ApprovalAssignment.approval_id == approval_id)
        .order_by(ApprovalAssignment.step, ApprovalAssignment.created_at, ApprovalAssignment.id)
    )
    if for_update:
        statement = statement.with_for_update()
    return list((await session.scalars(statement)).all())


async def pending_with_task(
    session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID
) -> ApprovalAssignment | None:
    found: ApprovalAssignment | None = await session.scalar(
        select(ApprovalAssignment).where(
            ApprovalAssignment.org_id == org_id,
            ApprovalAssignment.task_id == task_id,
            ApprovalAssignment.status == "pending",
        )
    )
    return found


async def latest_of_subject(
    session: AsyncSession, org_id: uuid.UUID, kind: str, subject_id: uuid.UUID
) -> Approval | None:
    """The subject's latest approval of the kind, locked until the transaction ends."""
    found: Approval | None = await session.scalar(
        select(Approval)
        .where(Approval.org_id == org_id, Approval.kind == kind, Approval.subject_id == subject_id)
        .order_by(Approval.created_at.desc(), Approval.id.desc())
        .limit(1)
        .with_for_update()
    )
    return found


def approvals_seen_by(
    org_id: uuid.UUID,
    employee_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    *,
    everyone: bool,
    status: str | None,
    subject_id: uuid.UUID | None = None,
    subject_employee_id: uuid.UUID | None = None,
) -> Select[Any]:
    """The organization's approvals (`everyone`), else those the employee or their account
    requested or is or was on; optionally only one subject's (the owning domain's object or
    the employee)."""
    statement = select(Approval).where(Approval.org_id == org_id)
    if not everyone:
        on_them = select(ApprovalAssignment.approval_id).where(
            ApprovalAssignment.org_id == org_id, parts_of(employee_id, user_id)
        )
        statement = statement.where(
            or_(requested_by(employee_id, user_id), Approval.id.in_(on_them))
        )
    if status is not None:
        statement = statement.where(Approval.status == status)
    if subject_id is not None:
        statement = statement.where(Approval.subject_id == subject_id)
    if subject_employee_id is not None:
        statement = statement.where(Approval.subject_employee_id == subject_employee_id)
    return statement


def awaiting(
    org_id: uuid.UUID, employee_id: uuid.UUID | None, user_id: uuid.UUID | None
) -> Select[Any]:
    """Pending approvals with a pending decision of the employee's or their account's."""
    mine = select(ApprovalAssignment.approval_id).where(
        ApprovalAssignment.org_id == org_id,
        parts_of(employee_id, user_id),
        ApprovalAssignment.status == "pending",
    )
    return select(Approval).where(
        Approval.org_id == org_id, Approval.status == "pending", Approval.id.in_(mine)
    )


async def assignments_of_many(
    session: AsyncSession, org_id: uuid.UUID, approval_ids: Sequence[uuid.UUID]
) -> list[ApprovalAssignment]:
    if not approval_ids:
        return []
    rows = await session.scalars(
        select(ApprovalAssignment)
        .where(
            ApprovalAssignment.org_id == org_id,
            among(ApprovalAssignment.approval_id, approval_ids),
        )
        .order_by(ApprovalAssignment.step, ApprovalAssignment.created_at, ApprovalAssignment.id)
    )
    return list(rows.all())


async def of_subject(
    session: AsyncSession, org_id: uuid.UUID, kind: str, subject_id: uuid.UUID
) -> list[Approval]:
    """Every approval of the kind about the subject, oldest first."""
    rows = await session.scalars(
        select(Approval)
        .where(Approval.org_id == org_id, Approval.kind == kind, Approval.subject_id == subject_id)
        .order_by(Approval.created_at, Approval.id)
    )
    return list(rows.all())


async def latest_statuses(
    session: AsyncSession, org_id: uuid.UUID, kind: str, subject_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The status of each subject's newest approval of the kind, in one query."""
    if not subject_ids:
        return {}
    rows = await session.execute(
        select(Approval.subject_id, Approval.status)
        .ext(distinct_on(Approval.subject_id))
        .where(
            Approval.org_id == org_id,
            Approval.kind == kind,
            among(Approval.subject_id, subject_ids),
        )
        .order_by(Approval.subject_id, Approval.created_at.desc(), Approval.id.desc())
    )
    return {row.subject_id: row.status for row in rows}
