"""Measures of the pools (HR admin): promotion and attrition of members, and how vacancies
were filled, over a period of dates in the organization's time zone; two SQL statements."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.schemas import Ref, window_error
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.talent import repository
from hrcore.talent.schemas import PoolMeasuresOut


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def measures(
    session: AsyncSession,
    principal: Principal,
    clock: Clock,
    *,
    pool_id: uuid.UUID | None,
    period_from: date | None,
    period_to: date | None,
) -> PoolMeasuresOut:
    """Promotion rate, attrition, share filled from pools and median time to fill over a
    period (default: the last 365 days up to today), computed in SQL (HR admins)."""
    require_hr_admin(principal)
    pool = await repository.pool_by_id(session, principal.org_id, pool_id) if pool_id else None
    if pool_id is not None and pool is None:
        raise NotFound(_("No such talent pool"))
    to = period_to or await people.org_today(session, principal.org_id, clock)
    since = period_from or to - timedelta(days=365)
    problem = window_error(since, to)
    if problem:
        raise Unprocessable(
            _("The period is not one measures are computed over"),
            errors=[FieldError(field="query.to", message=_("{problem} (`from`)", problem=problem))],
        )
    zone = ZoneInfo(await identity.org_timezone(session, principal.org_id))
    start = datetime.combine(since, time(), zone)
    end = datetime.combine(to + timedelta(days=1), time(), zone)
    members, appointed, left = await repository.membership_measures(
        session, principal.org_id, start, end, pool_id
    )
    filled, from_pools, median = await repository.vacancy_measures(
        session, principal.org_id, start, end, pool_id
    )
    return PoolMeasuresOut(
        pool_id=pool_id,
        pool=Ref(id=pool.id, name=pool.name) if pool else None,
        period_from=since,
        period_to=to,
        members=members,
        appointed=appointed,
        left=left,
        promotion_rate=_ratio(appointed, members),
        attrition_rate=_ratio(left, members),
        vacancies_filled=filled,
        filled_from_pools=from_pools,
        filled_from_pools_share=_ratio(from_pools, filled),
        median_days_to_fill=round(median, 2) if median is not None else None,
    )
