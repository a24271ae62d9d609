"""A membership's history: every status, readiness and 9-box change, written by the use
case that makes it (nominating, HR's decisions, a program's decision, leaving) and read on
the member by whoever may see the member — the audit log is HR's alone."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.talent import access, repository
from hrcore.talent.models import ChangeSource, MemberChange, TalentPoolMember
from hrcore.talent.schemas import MemberChangeOut, NineBox


def record(
    session: AsyncSession,
    member: TalentPoolMember,
    kind: str,
    *,
    source: ChangeSource,
    by: uuid.UUID | None,
    at: datetime,
    reason: str | None,
    status: str | None = None,
    readiness: str | None = None,
    nine_box: NineBox | None = None,
) -> None:
    """Add one change to the member's history (flushed with the change itself)."""
    session.add(
        MemberChange(
            org_id=member.org_id,
            member_id=member.id,
            kind=kind,
            status=status,
            readiness=readiness,
            performance=nine_box.performance if nine_box else None,
            potential=nine_box.potential if nine_box else None,
            reason=reason,
            source=source.value,
            changed_by=by,
            changed_at=at,
        )
    )


def record_hr_status(
    session: AsyncSession,
    member: TalentPoolMember,
    status: str,
    *,
    by: uuid.UUID | None,
    at: datetime,
    reason: str,
) -> None:
    """HR's act ended or changed the membership (an appointment, the loop after it)."""
    record(
        session,
        member,
        "status",
        source=ChangeSource.HR,
        by=by,
        at=at,
        reason=reason,
        status=status,
    )


async def member_history(
    session: AsyncSession,
    principal: Principal,
    pool_id: uuid.UUID,
    member_id: uuid.UUID,
    page: PageParams,
) -> tuple[list[MemberChangeOut], str | None]:
    """Oldest first, for those who see the member (HR, heads in reach, the employee)."""
    await access.readable_pool(session, principal, pool_id)
    principal.require_key_scope(None)
    member = await access.member_in_reach(session, principal, pool_id, member_id)
    note_read(principal, member.employee_id, DataClass.EVALUATION, "talent_pool_member")
    statement = repository.changes_query(principal.org_id, member.id)
    rows, cursor = await paginate(
        session, statement, [MemberChange.changed_at, MemberChange.id], page
    )
    return [_view(row) for row in rows], cursor


def _view(change: MemberChange) -> MemberChangeOut:
    placed = change.performance is not None and change.potential is not None
    return MemberChangeOut.model_validate(
        {
            "kind": change.kind,
            "status": change.status,
            "readiness": change.readiness,
            "nine_box": {"performance": change.performance, "potential": change.potential}
            if placed
            else None,
            "reason": change.reason,
            "source": change.source,
            "changed_at": change.changed_at,
        }
    )
