"""Performance ratings: one per employee and period, written by whoever manages them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, Scope
from hrcore.core.db import fetch
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.core.models import new_id
from hrcore.core.pagination import PageParams, paginate_rows
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.core.schemas import Ref
from hrcore.people import access, relations, repository
from hrcore.people.models import PerformanceRating
from hrcore.people.schemas import PerformanceRatingCreate, PerformanceRatingOut


def rating_out(row: Mapping[str, Any]) -> PerformanceRatingOut:
    """A rating read with its rater's display name (`rated_by_name`), the rater linked."""
    rater = (
        Ref(id=row["rated_by"], name=row["rated_by_name"])
        if row["rated_by"] is not None and row["rated_by_name"] is not None
        else None
    )
    return PerformanceRatingOut.model_validate({**row, "rated_by_user": rater})


async def list_ratings(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, page: PageParams
) -> tuple[list[PerformanceRatingOut], str | None]:
    """By period, each rater named in the page's one statement; open beyond the reach to a
    relation (a mentor whose approved plan names a rating goal), audited."""
    await relations.ensure_can_view_for(
        session, principal, employee_id, relations.PERFORMANCE_RATINGS, key_scope=Scope.RATINGS_READ
    )
    note_read(principal, employee_id, DataClass.EVALUATION, "performance_ratings")
    statement = repository.named_ratings_query(principal.org_id, employee_id)
    keys = [PerformanceRating.period, PerformanceRating.id]
    rows, cursor = await paginate_rows(session, statement, keys, page)
    return [rating_out(row._mapping) for row in rows], cursor


async def add_rating(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    body: PerformanceRatingCreate,
) -> PerformanceRatingOut:
    """One rating per period: a second one is a 409 (ratings are not silently overwritten)."""
    employee = await access.find_for_write(session, principal, employee_id)
    await access.ensure_can_manage(session, principal, employee.id)
    existing = await repository.rating_for_period(
        session, principal.org_id, employee_id, body.period
    )
    if existing is not None:
        raise Conflict(_("The employee already has a rating for {period}", period=body.period))
    rating = PerformanceRating(
        org_id=principal.org_id, employee_id=employee_id, rated_by=principal.user_id
    )
    for name, value in body.model_dump().items():
        setattr(rating, name, value)
    session.add(rating)
    await session.flush()
    audit.record(
        session,
        principal,
        "performance_rating.created",
        "performance_rating",
        rating.id,
        org_id=principal.org_id,
        after=body.model_dump(mode="json") | {"employee_id": str(employee_id)},
    )
    named = repository.named_ratings_query(principal.org_id, employee_id)
    row = (await session.execute(named.where(PerformanceRating.id == rating.id))).one()
    return rating_out(row._mapping)


@dataclass(frozen=True)
class PeriodRating:
    """A rating another domain writes for a whole period (performance's period close)."""

    employee_id: uuid.UUID
    letter: str
    score: Decimal


WRITE_PERIOD_RATINGS = """
INSERT INTO performance_ratings (
    id, org_id, employee_id, period, letter, score, rated_by, version
)
SELECT t.id, $1, t.employee_id, $2, t.letter, t.score, $3, 1
FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::numeric[]) AS t(id, employee_id, letter, score)
ON CONFLICT (org_id, employee_id, period) DO UPDATE
SET letter = excluded.letter, score = excluded.score, comment = NULL,
    rated_by = excluded.rated_by, version = performance_ratings.version + 1,
    updated_at = now()
"""

REMOVE_PERIOD_RATINGS = """
DELETE FROM performance_ratings
WHERE org_id = $1 AND period = $2 AND employee_id = ANY($3::uuid[])
"""


async def write_period_ratings(
    session: AsyncSession,
    org_id: uuid.UUID,
    period: str,
    ratings: Sequence[PeriodRating],
    rated_by: uuid.UUID | None,
) -> None:
    """Set these employees' ratings of `period` in one statement: a rating already there for
    the period is replaced (the caller audits what it writes)."""
    if ratings:
        await fetch(
            session,
            WRITE_PERIOD_RATINGS,
            org_id,
            period,
            rated_by,
            [new_id() for _ in ratings],
            [r.employee_id for r in ratings],
            [r.letter for r in ratings],
            [r.score for r in ratings],
        )


async def remove_period_ratings(
    session: AsyncSession, org_id: uuid.UUID, period: str, employee_ids: Sequence[uuid.UUID]
) -> None:
    """Remove these employees' ratings of `period` (one statement; none: nothing sent)."""
    if employee_ids:
        await fetch(session, REMOVE_PERIOD_RATINGS, org_id, period, list(employee_ids))
