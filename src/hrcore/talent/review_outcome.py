"""What a talent review meeting (analytics' 「人才盘点」) reads and writes of talent: the
proposed 9-box of its participants, a pool's population, and the meeting's outcome written
back as each active membership's placement and readiness. Set-based: a fixed number of
statements for any number of people."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.talent import history, repository
from hrcore.talent.models import (
    ChangeSource,
    MemberStatus,
    NineBoxPlacement,
    Readiness,
    TalentPoolMember,
)
from hrcore.talent.schemas import NineBox


@dataclass(frozen=True)
class ReviewPlacement:
    """One person's box at the meeting's close (`performance`, `potential`: low/medium/high)."""

    employee_id: uuid.UUID
    performance: str
    potential: str


def readiness_of(performance: str, potential: str) -> Readiness:
    """The readiness a box stands for: the top box is ready now, its two neighbours one to
    two years, every other box three years or more."""
    if (performance, potential) == ("high", "high"):
        return Readiness.READY_NOW
    if {performance, potential} == {"high", "medium"}:
        return Readiness.ONE_TO_TWO_YEARS
    return Readiness.THREE_PLUS_YEARS


async def current_nine_boxes(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    """Each person's latest 9-box placement over their open memberships of any pool as
    `(performance, potential)`, in one statement; people never placed are absent."""
    if not employee_ids:
        return {}
    rows = await session.execute(
        select(
            TalentPoolMember.employee_id,
            NineBoxPlacement.performance,
            NineBoxPlacement.potential,
        )
        .join(NineBoxPlacement, NineBoxPlacement.member_id == TalentPoolMember.id)
        .where(
            TalentPoolMember.org_id == org_id,
            NineBoxPlacement.org_id == org_id,
            TalentPoolMember.status.in_(repository.OPEN_STATUSES),
            TalentPoolMember.employee_id.in_(list(employee_ids)),
        )
        .ext(distinct_on(TalentPoolMember.employee_id))
        .order_by(
            TalentPoolMember.employee_id,
            NineBoxPlacement.placed_at.desc(),
            NineBoxPlacement.id.desc(),
        )
    )
    return {row.employee_id: (row.performance, row.potential) for row in rows}


async def open_member_employee_ids(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID
) -> list[uuid.UUID]:
    """The nominated and active members of a pool, in one statement."""
    rows = await session.scalars(
        select(TalentPoolMember.employee_id).where(
            TalentPoolMember.org_id == org_id,
            TalentPoolMember.pool_id == pool_id,
            TalentPoolMember.status.in_(repository.OPEN_STATUSES),
        )
    )
    return list(rows)


async def record_review_outcome(
    session: AsyncSession,
    actor: Principal,
    placements: Sequence[ReviewPlacement],
    *,
    pool_id: uuid.UUID | None,
    reason: str,
    clock: Clock,
) -> int:
    """Write a closed meeting's boxes to the people's active memberships (of `pool_id`, or
    of every pool): a new 9-box placement where the box changed and the readiness the box
    stands for, each in the member's history and the audit log. Returns how many
    memberships changed."""
    boxes = {placement.employee_id: placement for placement in placements}
    if not boxes:
        return 0
    statement = select(TalentPoolMember).where(
        TalentPoolMember.org_id == actor.org_id,
        TalentPoolMember.status == MemberStatus.ACTIVE.value,
        TalentPoolMember.employee_id.in_(list(boxes)),
    )
    if pool_id is not None:
        statement = statement.where(TalentPoolMember.pool_id == pool_id)
    members = list(await session.scalars(statement.with_for_update()))
    latest = await repository.latest_placements(session, actor.org_id, [m.id for m in members])
    now = clock.now()
    changed: list[tuple[uuid.UUID, dict[str, object] | None]] = []
    for member in members:
        box = boxes[member.employee_id]
        after: dict[str, object] = {}
        current = latest.get(member.id)
        if current is None or (current.performance, current.potential) != (
            box.performance,
            box.potential,
        ):
            nine_box = NineBox(performance=box.performance, potential=box.potential)
            session.add(
                NineBoxPlacement(
                    org_id=member.org_id,
                    member_id=member.id,
                    performance=box.performance,
                    potential=box.potential,
                    reason=reason,
                    placed_by=actor.user_id,
                    placed_at=now,
                )
            )
            history.record(
                session,
                member,
                "placement",
                source=ChangeSource.HR,
                by=actor.user_id,
                at=now,
                reason=reason,
                nine_box=nine_box,
            )
            after["nine_box"] = nine_box.model_dump(mode="json")
        readiness = readiness_of(box.performance, box.potential).value
        if readiness != member.readiness:
            member.readiness = readiness
            history.record(
                session,
                member,
                "readiness",
                source=ChangeSource.HR,
                by=actor.user_id,
                at=now,
                reason=reason,
                readiness=readiness,
            )
            after["readiness"] = readiness
        if after:
            changed.append((member.id, after | {"reason": reason, "source": "talent_review"}))
    await session.flush()
    await audit.record_many(
        session, actor, "talent_member.updated", "talent_member", changed, org_id=actor.org_id
    )
    return len(changed)
