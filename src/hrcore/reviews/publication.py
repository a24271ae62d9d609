"""HR's last word on a result before the employee sees it: calibration (a new overall score
with a mandatory reason; the computed score and every adjustment kept and audited), then
publication (visible at `/me/review-results`, the employee notified; appeals open; the
indicators that name competencies become evidence of them, `evidence`; the listeners of
`peer_ratings.RESULT_PUBLISHED` queued).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.reviews import access, evidence, repository
from hrcore.reviews.models import ReviewResult
from hrcore.reviews.peer_ratings import RESULT_PUBLISHED
from hrcore.reviews.schemas import Calibration
from hrcore.webhooks import api as webhooks

SUBJECT = "review_result"
"""A published result's notification is about the result."""


async def calibrate(
    session: AsyncSession,
    principal: Principal,
    result_id: uuid.UUID,
    body: Calibration,
    clock: Clock,
) -> ReviewResult:
    """HR adjusts the overall score with a reason; the computed one stays beside it."""
    result = await access.readable_result(session, principal, result_id, for_update=True)
    require_hr_admin(principal)
    check_version(result.version, if_match=None, body_version=body.version)
    if result.status == "published":
        raise Conflict(_("A published result changes through an appeal"))
    before = float(result.adjusted_overall or result.overall or 0) if result.overall else None
    result.adjusted_overall = round(Decimal(body.overall), 2)
    result.adjustments = [
        *result.adjustments,
        {
            "original": before,
            "adjusted": body.overall,
            "reason": body.reason,
            "at": clock.now().isoformat(),
            "by": str(principal.id),
        },
    ]
    await session.flush()
    audit.record(
        session,
        principal,
        "review_result.calibrated",
        "review_result",
        result.id,
        org_id=result.org_id,
        before={"overall": before},
        after={"overall": body.overall, "reason": body.reason},
    )
    return result


async def publish(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID, clock: Clock
) -> ReviewResult:
    """Show the result to the employee and tell them, and record what it says about their
    competencies (HR; publishing twice changes nothing)."""
    result = await access.readable_result(session, principal, result_id, for_update=True)
    require_hr_admin(principal)
    if result.status == "published":
        return result
    result.status, result.published_at = "published", clock.now()
    await session.flush()
    cycle = await repository.cycle_by_id(session, result.org_id, result.cycle_id)
    assert cycle is not None, "a result's cycle outlives it"
    recorded = await evidence.record_result(session, cycle, result, result.published_at)
    users = await identity.user_ids_for_employees(session, result.org_id, [result.employee_id])
    user_ids = users.get(result.employee_id, [])
    await notifications.notify(
        session,
        org_id=result.org_id,
        user_ids=user_ids,
        kind="review.published",
        title=_("Your review result is published"),
        body=_("Read it in the app; you may object to an item within the appeal window."),
        subject_type=SUBJECT,
        subject_id=result.id,
        dedupe_key=f"review_result:{result.id}:published",
    )
    audit.record(
        session,
        principal,
        "review_result.published",
        "review_result",
        result.id,
        org_id=result.org_id,
        after={"published_at": result.published_at.isoformat(), "competency_evidence": recorded},
    )
    await _publish_webhook(session, result)
    events.emit(
        session,
        RESULT_PUBLISHED,
        {"result_id": str(result.id), "published_by": str(principal.id)},
        org_id=result.org_id,
    )
    return result


async def _publish_webhook(session: AsyncSession, result: ReviewResult) -> None:
    """The published result as the employee sees it: its overall (already without the groups
    below the anonymity threshold), never who rated or what each rater answered."""
    overall = result.adjusted_overall if result.adjusted_overall is not None else result.overall
    await webhooks.publish(
        session,
        org_id=result.org_id,
        event_type=webhooks.EventType.REVIEW_RESULT_PUBLISHED,
        payload={
            "result_id": str(result.id),
            "cycle_id": str(result.cycle_id),
            "employee_id": str(result.employee_id),
            "overall": float(overall) if overall is not None else None,
        },
        event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"hrcore:review-result:{result.id}:published"),
    )
