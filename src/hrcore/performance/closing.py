"""Period close 「绩效周期关闭」, reopen and calibration 「绩效校准」.

A period is named by what the schemes score (`2026-11`, `2026-Q4`) and closed for the whole
organization, by an HR admin or by the cron `grace_days` after its end (the rating policy,
in the organization's time zone). Closing freezes its scores (the recompute no longer
writes them, ingestion refuses observations inside it), keeps each scored employee's result
and writes the period's `performance_ratings` through `people.api`. Calibration comes after
the close: HR sets an employee's calibrated overall with a reason, the computed one stays
beside it, and the rating follows the calibrated value at once. Reopening (with a reason)
unfreezes the period; the ratings stay until it is closed again, which replaces them (and
keeps the calibrations: HR's decision outlives a correction of the data).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.models import new_id
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.performance import closing_queries as queries
from hrcore.performance.closing_models import PerformancePeriod
from hrcore.performance.closing_policy import effective, letter_of, rating_score
from hrcore.performance.closing_reading import bounds, period_detail, scored_period
from hrcore.performance.closing_schemas import (
    CalibrationIn,
    PerformancePeriodDetailOut,
    PeriodReopenIn,
)
from hrcore.performance.periods import start_moment
from hrcore.webhooks import api as webhooks

PERIOD = "performance_period"
RESULT = "performance_period_result"


async def _locked(
    session: AsyncSession, org_id: uuid.UUID, period: str
) -> PerformancePeriod | None:
    """The period's row, if any, once no other transaction writes the period."""
    await queries.lock_period(session, org_id, period)
    return await session.scalar(
        select(PerformancePeriod)
        .where(PerformancePeriod.org_id == org_id, PerformancePeriod.period == period)
        .with_for_update()
    )


async def close_period(
    session: AsyncSession, principal: Principal, period: str, clock: Clock
) -> PerformancePeriodDetailOut:
    """HR closes a period (404 without scores, 409 when already closed)."""
    require_hr_admin(principal)
    await scored_period(session, principal.org_id, period)
    await close(session, principal.org_id, period, clock.now(), principal)
    return await period_detail(session, principal.org_id, period)


async def close(
    session: AsyncSession,
    org_id: uuid.UUID,
    period: str,
    now: datetime,
    principal: Principal | None,
) -> None:
    """Freeze the period, keep its results and write its ratings; `principal` None: the cron."""
    row = await _locked(session, org_id, period)
    if row is not None and row.state == "closed":
        raise Conflict(_("The performance period {period} is already closed", period=period))
    if row is None:
        zone = ZoneInfo(await identity.org_timezone(session, org_id))
        _kind, starts, ends = bounds(period)
        row = PerformancePeriod(
            org_id=org_id,
            period=period,
            starts_on=starts,
            ends_on=ends,
            starts_at=start_moment(starts, zone),
            ends_at=start_moment(ends, zone),
        )
        session.add(row)
    row.state, row.closed_at = "closed", now
    row.closed_by = principal.id if principal else None
    await session.flush()
    policy = await effective(session, org_id)
    scores = await queries.period_scores(session, org_id, period)
    results, ratings = [], []
    for score in scores:
        final = score["overall"] if score["calibrated"] is None else score["calibrated"]
        letter, value = letter_of(final, policy), rating_score(final)
        results.append(
            (
                new_id(),
                score["employee_id"],
                score["overall"],
                letter_of(score["overall"], policy),
                letter,
                value,
            )
        )
        ratings.append(people.PeriodRating(score["employee_id"], letter, Decimal(str(value))))
    kept = [r[1] for r in results]
    stale = await queries.drop_stale_results(session, org_id, period, kept)
    await people.remove_period_ratings(session, org_id, period, [r["employee_id"] for r in stale])
    saved = await queries.save_results(session, org_id, period, results)
    user = principal.user_id if principal else None
    await people.write_period_ratings(session, org_id, period, ratings, user)
    by_employee = {r[1]: r for r in results}
    await audit.record_many(
        session,
        principal,
        f"{RESULT}.written",
        RESULT,
        [
            (
                s["id"],
                {
                    "period": period,
                    "employee_id": str(s["employee_id"]),
                    "overall": by_employee[s["employee_id"]][2],
                    "letter": by_employee[s["employee_id"]][4],
                    "score": by_employee[s["employee_id"]][5],
                },
            )
            for s in saved
        ],
        org_id=org_id,
    )
    await audit.record_many(
        session,
        principal,
        f"{RESULT}.removed",
        RESULT,
        [(s["id"], {"period": period, "employee_id": str(s["employee_id"])}) for s in stale],
        org_id=org_id,
    )
    audit.record(
        session,
        principal,
        f"{PERIOD}.closed",
        PERIOD,
        row.id,
        org_id=org_id,
        after={"period": period, "ratings": len(ratings), "removed": len(stale)},
    )
    await webhooks.publish(
        session,
        org_id=org_id,
        event_type=webhooks.EventType.PERFORMANCE_PERIOD_CLOSED,
        payload={
            "period": period,
            "starts_on": row.starts_on.isoformat(),
            "ends_on": row.ends_on.isoformat(),
            "closed_at": now.isoformat(),
            "by_cron": principal is None,
            "ratings": len(ratings),
        },
    )


async def reopen(
    session: AsyncSession, principal: Principal, period: str, body: PeriodReopenIn, clock: Clock
) -> PerformancePeriodDetailOut:
    """HR reopens a closed period with a reason (409 when it is open)."""
    require_hr_admin(principal)
    await scored_period(session, principal.org_id, period)
    row = await _locked(session, principal.org_id, period)
    if row is None or row.state != "closed":
        raise Conflict(_("The performance period {period} is not closed", period=period))
    row.state, row.reopened_at = "open", clock.now()
    row.reopened_by, row.reopen_reason = principal.id, body.reason
    await session.flush()
    audit.record(
        session,
        principal,
        f"{PERIOD}.reopened",
        PERIOD,
        row.id,
        org_id=principal.org_id,
        before={"state": "closed"},
        after={"period": period, "state": "open", "reason": body.reason},
    )
    return await period_detail(session, principal.org_id, period)


async def calibrate(
    session: AsyncSession, principal: Principal, period: str, body: CalibrationIn, clock: Clock
) -> PerformancePeriodDetailOut:
    """HR sets calibrated overalls of a closed period's people, each with its reason; their
    ratings follow. An open period: 409; someone without a result in the period: 422."""
    require_hr_admin(principal)
    org_id = principal.org_id
    await scored_period(session, org_id, period)
    row = await _locked(session, org_id, period)
    if row is None or row.state != "closed":
        raise Conflict(
            _("Close the performance period {period} before calibrating it", period=period)
        )
    wanted = [a.employee_id for a in body.adjustments]
    kept = {r["employee_id"]: r for r in await queries.results_of(session, org_id, period, wanted)}
    missing = [
        FieldError(
            field=f"body.adjustments.{index}.employee_id",
            message=_("no result of this employee in the period"),
        )
        for index, adjustment in enumerate(body.adjustments)
        if adjustment.employee_id not in kept
    ]
    if missing:
        raise Unprocessable(
            _("Only people with a result in the period are calibrated"), errors=missing
        )
    policy = await effective(session, org_id)
    now = clock.now()
    rows, ratings, events = [], [], []
    for adjustment in body.adjustments:
        letter, value = letter_of(adjustment.overall, policy), rating_score(adjustment.overall)
        rows.append((adjustment.employee_id, adjustment.overall, adjustment.reason, letter, value))
        ratings.append(people.PeriodRating(adjustment.employee_id, letter, Decimal(str(value))))
        before = kept[adjustment.employee_id]
        events.append(
            (
                before["id"],
                {
                    "calibrated": before["calibrated"],
                    "reason": before["calibration_reason"],
                    "letter": before["letter"],
                    "score": before["score"],
                },
                {
                    "period": period,
                    "employee_id": str(adjustment.employee_id),
                    "overall": before["overall"],
                    "calibrated": adjustment.overall,
                    "reason": adjustment.reason,
                    "letter": letter,
                    "score": value,
                },
            )
        )
    await queries.calibrate(session, org_id, period, principal.id, now, rows)
    await people.write_period_ratings(session, org_id, period, ratings, principal.user_id)
    for result_id, before_values, after_values in events:
        audit.record(
            session,
            principal,
            f"{RESULT}.calibrated",
            RESULT,
            result_id,
            org_id=org_id,
            before=before_values,
            after=after_values,
        )
    return await period_detail(session, org_id, period)


async def close_due(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> int:
    """The cron's share for one organization: close every scored period never closed whose
    end lies `grace_days` behind (in the organization's time zone). How many it closed."""
    policy = await effective(session, org_id)
    today = await people.org_today(session, org_id, clock)
    closed = 0
    for period in sorted(await queries.never_closed(session, org_id)):
        _kind, _starts, ends = bounds(period)
        if (today - ends).days >= policy.grace_days:
            await close(session, org_id, period, clock.now(), None)
            closed += 1
    return closed
