"""The 9-box of a pool: performance × potential, from each open member's latest placement.

HR admins and department heads read it; a head sees the members in their reach.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.core.schemas import Ref
from hrcore.talent import access, repository
from hrcore.talent.membership import member_views
from hrcore.talent.models import TalentPoolMember
from hrcore.talent.schemas import NineBoxCell, NineBoxOut

LEVELS = ("high", "medium", "low")


async def nine_box(session: AsyncSession, principal: Principal, pool_id: uuid.UUID) -> NineBoxOut:
    """Current placements of the nominated and active members the caller may see."""
    access.require_screener(principal)
    pool = await access.readable_pool(session, principal, pool_id)
    statement = repository.members_query(
        principal.org_id,
        pool.id,
        status=None,
        employee_ids=await access.member_employee_ids(session, principal),
    ).where(TalentPoolMember.status.in_(repository.OPEN_STATUSES))
    members = list((await session.scalars(statement.order_by(TalentPoolMember.id))).all())
    note_reads(
        principal, [m.employee_id for m in members], DataClass.EVALUATION, "talent_pool_member"
    )
    views = await member_views(session, principal.org_id, members)
    cells: dict[tuple[str, str], list[Ref]] = {(p, q): [] for p in LEVELS for q in LEVELS}
    unplaced: list[Ref] = []
    for view in views:
        if view.nine_box is None:
            unplaced.append(view.employee)
        else:
            cells[(view.nine_box.potential, view.nine_box.performance)].append(view.employee)
    return NineBoxOut(
        pool_id=pool.id,
        pool=Ref(id=pool.id, name=pool.name),
        cells=[
            NineBoxCell(potential=potential, performance=performance, members=refs)
            for (potential, performance), refs in cells.items()
        ],
        unplaced=unplaced,
    )
