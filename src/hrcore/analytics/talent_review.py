"""The talent review meeting 「人才盘点」: HR opens a session over a department subtree or a
talent pool, each participant proposed on the 9-box where talent last placed them; leaders
move people with a reason (before → after kept); closing writes the outcome back to
talent (placements and readiness) and announces it."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import talent_review_access as access
from hrcore.analytics.talent_review_models import (
    TalentReviewMove,
    TalentReviewPlacement,
    TalentReviewSession,
)
from hrcore.analytics.talent_review_schemas import (
    TalentReviewCell,
    TalentReviewClosedOut,
    TalentReviewMoveIn,
    TalentReviewMoveOut,
    TalentReviewOpen,
    TalentReviewOut,
    TalentReviewPlacementOut,
    TalentReviewSummaryOut,
)
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.models import new_ids
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.talent import api as talent
from hrcore.webhooks import api as webhooks

LEVELS = ("high", "medium", "low")
OBJECT = "talent_review"


async def open_session(
    session: AsyncSession, principal: Principal, body: TalentReviewOpen
) -> TalentReviewOut:
    """HR only. The population is fixed when the session opens: the active people of the
    subtree, or the pool's nominated and active members."""
    await access.reach(session, principal)
    require_hr_admin(principal)
    if (body.department_id is None) == (body.pool_id is None):
        raise Unprocessable(
            _("Name exactly one: a department or a talent pool"),
            errors=[
                FieldError(field=f"body.{name}", message=_("give exactly one of these"))
                for name in ("department_id", "pool_id")
            ],
        )
    if body.department_id is not None:
        if await org.department_ref(session, principal.org_id, body.department_id) is None:
            raise NotFound(_("No such department"))
        employee_ids = await people.active_employees_in_subtree(
            session, principal.org_id, body.department_id
        )
    else:
        assert body.pool_id is not None
        if not await talent.pool_refs(session, principal.org_id, [body.pool_id]):
            raise NotFound(_("No such talent pool"))
        employee_ids = await talent.open_member_employee_ids(
            session, principal.org_id, body.pool_id
        )
    row = TalentReviewSession(
        org_id=principal.org_id,
        name=body.name,
        department_id=body.department_id,
        pool_id=body.pool_id,
        status="open",
        opened_by=principal.user_id,
    )
    session.add(row)
    await session.flush()
    await add_participants(session, row, employee_ids)
    audit.record(
        session,
        principal,
        "talent_review.opened",
        OBJECT,
        row.id,
        org_id=row.org_id,
        after={"name": row.name, "participants": len(employee_ids)}
        | {"department_id": str(body.department_id or ""), "pool_id": str(body.pool_id or "")},
    )
    return await _view(session, row, access.Reach(None))


async def add_participants(
    session: AsyncSession, row: TalentReviewSession, employee_ids: list[uuid.UUID]
) -> None:
    """Everyone in one statement, each proposed where talent's 9-box last placed them."""
    if not employee_ids:
        return
    boxes = await talent.current_nine_boxes(session, row.org_id, employee_ids)
    summaries = await people.employee_summaries(session, row.org_id, employee_ids)
    values = []
    for placement_id, employee_id in zip(new_ids(len(employee_ids)), employee_ids, strict=True):
        performance, potential = boxes.get(employee_id, (None, None))
        values.append(
            {
                "id": placement_id,
                "org_id": row.org_id,
                "session_id": row.id,
                "employee_id": employee_id,
                "department_id": summaries[employee_id].department_id,
                "proposed_performance": performance,
                "proposed_potential": potential,
                "performance": performance,
                "potential": potential,
            }
        )
    await session.execute(insert(TalentReviewPlacement), values)


async def list_sessions(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[TalentReviewSummaryOut], str | None]:
    """Newest first: HR every session, a department head those with people of their subtree."""
    caller = await access.reach(session, principal)
    statement = select(TalentReviewSession).where(*access.sessions_in_reach(principal, caller))
    rows, cursor = await paginate(
        session,
        statement,
        [TalentReviewSession.created_at, TalentReviewSession.id],
        page,
        descending=True,
    )
    return await _summaries(session, principal.org_id, rows), cursor


async def _summaries(
    session: AsyncSession, org_id: uuid.UUID, rows: list[TalentReviewSession]
) -> list[TalentReviewSummaryOut]:
    departments = await org.department_refs(
        session, org_id, [r.department_id for r in rows if r.department_id]
    )
    pools = await talent.pool_refs(session, org_id, [r.pool_id for r in rows if r.pool_id])
    return [
        TalentReviewSummaryOut(
            id=row.id,
            name=row.name,
            status=row.status,
            department=departments.get(row.department_id) if row.department_id else None,
            pool=pools.get(row.pool_id) if row.pool_id else None,
            revision=row.revision,
            created_at=row.created_at,
            closed_at=row.closed_at,
        )
        for row in rows
    ]


async def get_session(
    session: AsyncSession, principal: Principal, review_id: uuid.UUID
) -> TalentReviewOut:
    row, caller = await access.readable_session(session, principal, review_id)
    return await _view(session, row, caller)


async def _view(
    session: AsyncSession, row: TalentReviewSession, caller: access.Reach
) -> TalentReviewOut:
    """The session with its 9-box counted over the people in the caller's reach."""
    counts = await session.execute(
        select(
            TalentReviewPlacement.performance,
            TalentReviewPlacement.potential,
            func.count(),
        )
        .where(
            TalentReviewPlacement.org_id == row.org_id,
            TalentReviewPlacement.session_id == row.id,
            *caller.placements(),
        )
        .group_by(TalentReviewPlacement.performance, TalentReviewPlacement.potential)
    )
    boxes = {(p, q): n for p, q, n in counts}
    moves = await session.scalar(
        select(func.count())
        .select_from(TalentReviewMove)
        .join(TalentReviewPlacement, TalentReviewPlacement.id == TalentReviewMove.placement_id)
        .where(
            TalentReviewMove.org_id == row.org_id,
            TalentReviewMove.session_id == row.id,
            *caller.placements(),
        )
    )
    (summary,) = await _summaries(session, row.org_id, [row])
    return TalentReviewOut(
        **summary.model_dump(),
        participants=sum(boxes.values()),
        unplaced=boxes.get((None, None), 0),
        moves=moves or 0,
        cells=[
            TalentReviewCell(
                performance=performance,
                potential=potential,
                count=boxes.get((performance, potential), 0),
            )
            for potential in LEVELS
            for performance in LEVELS
        ],
    )


async def list_placements(
    session: AsyncSession, principal: Principal, review_id: uuid.UUID, page: PageParams
) -> tuple[list[TalentReviewPlacementOut], str | None]:
    """The participants in the caller's reach, each with their moves (a fixed number of
    statements per page)."""
    row, caller = await access.readable_session(session, principal, review_id)
    statement = select(TalentReviewPlacement).where(
        TalentReviewPlacement.org_id == row.org_id,
        TalentReviewPlacement.session_id == row.id,
        *caller.placements(),
    )
    placements, cursor = await paginate(session, statement, [TalentReviewPlacement.id], page)
    note_reads(principal, [p.employee_id for p in placements], DataClass.EVALUATION, OBJECT)
    return await _placement_views(session, row.org_id, placements), cursor


async def _placement_views(
    session: AsyncSession, org_id: uuid.UUID, placements: list[TalentReviewPlacement]
) -> list[TalentReviewPlacementOut]:
    employees = await people.employee_summaries(
        session, org_id, [p.employee_id for p in placements]
    )
    departments = await org.department_refs(
        session, org_id, [p.department_id for p in placements if p.department_id]
    )
    moves: dict[uuid.UUID, list[TalentReviewMoveOut]] = {}
    if placements:
        for move in await session.scalars(
            select(TalentReviewMove)
            .where(
                TalentReviewMove.org_id == org_id,
                TalentReviewMove.placement_id.in_([p.id for p in placements]),
            )
            .order_by(TalentReviewMove.moved_at, TalentReviewMove.id)
        ):
            moves.setdefault(move.placement_id, []).append(
                TalentReviewMoveOut.model_validate(move, from_attributes=True)
            )
    return [
        TalentReviewPlacementOut(
            id=p.id,
            employee=employees[p.employee_id].ref,
            department=departments.get(p.department_id) if p.department_id else None,
            proposed_performance=p.proposed_performance,
            proposed_potential=p.proposed_potential,
            performance=p.performance,
            potential=p.potential,
            moves=moves.get(p.id, []),
        )
        for p in placements
    ]


async def move(
    session: AsyncSession,
    principal: Principal,
    review_id: uuid.UUID,
    body: TalentReviewMoveIn,
    clock: Clock,
) -> TalentReviewPlacementOut:
    """Move a participant in the caller's reach (404 otherwise) while the session is open
    (409 once closed); the session row is locked, so a move and the close never cross."""
    row, caller = await access.readable_session(session, principal, review_id, for_update=True)
    if row.status != "open":
        raise Conflict(_("The talent review is closed; nobody can be moved"))
    placement = await session.scalar(
        select(TalentReviewPlacement).where(
            TalentReviewPlacement.org_id == row.org_id,
            TalentReviewPlacement.session_id == row.id,
            TalentReviewPlacement.employee_id == body.employee_id,
            *caller.placements(),
        )
    )
    if placement is None:
        raise NotFound(_("No such participant in this talent review"))
    before = (placement.performance, placement.potential)
    if before == (body.performance, body.potential):
        raise Unprocessable(
            _("The participant is already in that box"),
            errors=[FieldError(field="body.performance", message=_("already in that box"))],
        )
    record = TalentReviewMove(
        org_id=row.org_id,
        session_id=row.id,
        placement_id=placement.id,
        employee_id=placement.employee_id,
        from_performance=before[0],
        from_potential=before[1],
        to_performance=body.performance,
        to_potential=body.potential,
        reason=body.reason,
        moved_by=principal.user_id,
        moved_at=clock.now(),
    )
    session.add(record)
    placement.performance, placement.potential = body.performance, body.potential
    row.revision += 1
    await session.flush()
    audit.record(
        session,
        principal,
        "talent_review.placement_moved",
        "talent_review_placement",
        placement.id,
        org_id=row.org_id,
        before={"performance": before[0], "potential": before[1]},
        after={
            "performance": body.performance,
            "potential": body.potential,
            "reason": body.reason,
            "session_id": str(row.id),
        },
    )
    (view,) = await _placement_views(session, row.org_id, [placement])
    return view


async def close(
    session: AsyncSession, principal: Principal, review_id: uuid.UUID, clock: Clock
) -> TalentReviewClosedOut:
    """HR only; 409 when already closed. Every participant on the 9-box has it written to
    their active memberships (the session's pool's, or any pool's) with the readiness the
    box stands for (the session's name is the change's reason), then
    `talent_review.closed` is published."""
    row, caller = await access.readable_session(session, principal, review_id, for_update=True)
    require_hr_admin(principal)
    if row.status != "open":
        raise Conflict(_("The talent review is already closed"))
    placed = await session.execute(
        select(
            TalentReviewPlacement.employee_id,
            TalentReviewPlacement.performance,
            TalentReviewPlacement.potential,
        ).where(
            TalentReviewPlacement.org_id == row.org_id,
            TalentReviewPlacement.session_id == row.id,
            TalentReviewPlacement.performance.is_not(None),
            TalentReviewPlacement.potential.is_not(None),
        )
    )
    outcome = [talent.ReviewPlacement(e, str(p), str(q)) for e, p, q in placed]
    updated = await talent.record_review_outcome(
        session,
        principal,
        outcome,
        pool_id=row.pool_id,
        reason=row.name,
        clock=clock,
    )
    row.status, row.closed_by, row.closed_at = "closed", principal.user_id, clock.now()
    row.revision += 1
    await session.flush()
    audit.record(
        session,
        principal,
        "talent_review.closed",
        OBJECT,
        row.id,
        org_id=row.org_id,
        before={"status": "open"},
        after={"status": "closed", "placed": len(outcome), "memberships_updated": updated},
    )
    await webhooks.publish(
        session,
        org_id=row.org_id,
        event_type=webhooks.EventType.TALENT_REVIEW_CLOSED,
        payload={
            "talent_review_id": str(row.id),
            "placed": len(outcome),
            "memberships_updated": updated,
        },
    )
    return TalentReviewClosedOut(
        session=await _view(session, row, caller), memberships_updated=updated
    )
