"""Bench strength as a response: the key positions in the caller's scope, read from
talent, joined to the rollup cells by position (a position without cells has no
successor)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import access, bench_strength, reading
from hrcore.analytics.bench_strength_schemas import BenchCounts, BenchPosition, BenchStrengthOut
from hrcore.core.authz import Principal
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.talent import api as talent

STEPS = bench_strength.FIGURE.step_names


async def bench_strength_now(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID | None
) -> BenchStrengthOut:
    """The facts are the state of the last refresh (they carry its day), so every month's
    cells are summed."""
    scope = await access.readable_scope(session, principal, department_id)
    positions = await talent.key_positions(session, principal.org_id, scope.department_ids)
    cells, refreshed_at = await reading.cells(
        session, principal.org_id, bench_strength.FIGURE, scope, date.min, date.max
    )
    counts = {(cell.dimension, cell.step): cell.count for cell in cells}
    departments = await org.department_refs(
        session, principal.org_id, list({p.department_id for p in positions})
    )
    rows = [
        _position(p, departments[p.department_id], [counts.get((str(p.id), s), 0) for s in STEPS])
        for p in positions
    ]
    total = _counts([sum(getattr(row, step) for row in rows) for step in STEPS])
    return BenchStrengthOut(
        department=scope.department,
        refreshed_at=refreshed_at,
        positions=rows,
        positions_without_successor=sum(row.no_successor for row in rows),
        total=total,
    )


def _counts(by_step: list[int]) -> BenchCounts:
    ready_now, one_to_two, three_plus, not_assessed = by_step
    return BenchCounts(
        ready_now=ready_now,
        one_to_two_years=one_to_two,
        three_plus_years=three_plus,
        not_assessed=not_assessed,
        successors=sum(by_step),
    )


def _position(position: talent.KeyPosition, department: Ref, by_step: list[int]) -> BenchPosition:
    counts = _counts(by_step)
    return BenchPosition(
        position=Ref(id=position.id, name=position.title),
        department=department,
        no_successor=counts.successors == 0,
        no_ready_now=counts.ready_now == 0,
        **counts.model_dump(),
    )
