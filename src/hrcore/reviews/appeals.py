"""Appeals 「异议」: the employee's right of reply to a published result.

Within the window after publication (`HRCORE_REVIEW_APPEAL_WINDOW_DAYS`, calendar days or,
with `HRCORE_REVIEW_APPEAL_WINDOW_DAYS_ARE=working`, working days on the organization's
calendar), the employee objects to one indicator or one comment with a reason. Their manager
gets a task to reply (HR may reply too); HR resolves: upheld with the indicator's new score —
the overall is recomputed with the result's own indicator weights, the computed figures stay
beside it — or with the comment hidden from the result; or rejected. Audited either way. One
appeal per indicator or comment may be open at a time. The employee is told at each step.

A comment is named by the id the result shows it with (`aggregation.shown_comments`), made
of what the reviewee sees; nothing in the flow — who replies, what anyone is told, the
webhook — depends on who wrote it, so objecting to a comment cannot reveal its author.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars import api as calendars
from hrcore.core import audit, scoring
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.calendar import DaysAre
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import Text, _
from hrcore.core.labels import label
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.reviews import access, evidence, repository
from hrcore.reviews.aggregation import shown_comments
from hrcore.reviews.appeal_schemas import AppealIn, AppealOut, AppealReply, AppealResolution
from hrcore.reviews.models import ReviewAppeal, ReviewResult
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow
from hrcore.workflow.api import Submission, TaskInfo

REPLY_TASK_KIND = "review.appeal_reply"
SUBJECT = "review_appeal"
REPLY_DAYS = 5
"""The reviewer replies within 5 days: working days when the organization counts its tasks'
days so (`workflow.due_after`)."""
PENDING = ("open", "answered")


def appeal_view(appeal: ReviewAppeal, principal: Principal) -> AppealOut:
    """A hidden comment's quote stays readable for HR and the employee who appealed only."""
    quoted = appeal.comment if appeal.status != "upheld" else None
    if principal.is_hr_admin or principal.employee_id == appeal.employee_id:
        quoted = appeal.comment
    return AppealOut(
        id=appeal.id,
        result_id=appeal.result_id,
        about="indicator" if appeal.indicator_key is not None else "comment",
        indicator_key=appeal.indicator_key,
        comment_id=appeal.comment_id,
        comment=quoted,
        reason=appeal.reason,
        status=appeal.status,
        reply=appeal.reply,
        replied_at=appeal.replied_at,
        resolution=appeal.resolution,
        original_score=_float(appeal.original_score),
        new_score=_float(appeal.new_score),
        resolved_at=appeal.resolved_at,
        created_at=appeal.created_at,
        version=appeal.version,
    )


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _indicator_score(result: ReviewResult, key: str) -> float | None:
    figure = result.scores.get("indicators", {}).get(key)
    return None if figure is None else float(figure["score"])


async def _tell_employee(
    session: AsyncSession, appeal: ReviewAppeal, *, step: str, title: Text, body: str
) -> None:
    users = await identity.user_ids_for_employees(session, appeal.org_id, [appeal.employee_id])
    await notifications.notify(
        session,
        org_id=appeal.org_id,
        user_ids=users.get(appeal.employee_id, []),
        kind=f"review.appeal_{step}",
        title=title,
        body=body,
        subject_type=SUBJECT,
        subject_id=appeal.id,
        dedupe_key=f"review_appeal:{appeal.id}:{step}:{appeal.version}",
    )


async def _closes(
    session: AsyncSession, result: ReviewResult, window_days: int, days_are: DaysAre
) -> datetime:
    """When the window closes: `window_days` after publication, in working days on the
    organization's calendar (the same local time on the last of them) when so configured."""
    assert result.published_at is not None
    if days_are == "calendar":
        return result.published_at + timedelta(days=window_days)
    zone = ZoneInfo(await identity.org_timezone(session, result.org_id))
    calendar = await calendars.work_calendar(session, result.org_id)
    return calendars.add_days(calendar, result.published_at, window_days, days_are, zone)


def _check_window(clock: Clock, closes: datetime, window: Text) -> None:
    """422 outside the window (the same for indicators and comments)."""
    if clock.now() > closes:
        raise Unprocessable(
            _("The appeal window closed on {value}", value=closes.date().isoformat()),
            errors=[FieldError(field="result", message=window)],
        )


def _subject(result: ReviewResult, body: AppealIn) -> tuple[float | None, str | None]:
    """The indicator's current score or the comment's text; 422 when the result does not
    show it (a comment HR hid included)."""
    if body.indicator_key is not None:
        score = _indicator_score(result, body.indicator_key)
        if score is None:
            raise Unprocessable(
                _("This result has no such indicator"),
                errors=[
                    FieldError(field="indicator_key", message=_("not an indicator of the result"))
                ],
            )
        return score, None
    text = next((t for i, t in shown_comments(result) if i == body.comment_id), None)
    if text is None:
        raise Unprocessable(
            _("This result shows no such comment"),
            errors=[FieldError(field="comment_id", message=_("not a comment of the result"))],
        )
    return None, text


async def file_appeal(
    session: AsyncSession,
    principal: Principal,
    result_id: uuid.UUID,
    body: AppealIn,
    clock: Clock,
    *,
    window_days: int,
    days_are: DaysAre = "calendar",
) -> ReviewAppeal:
    """The employee objects to one indicator or one comment of their own published result."""
    result = await access.own_published_result(session, principal, result_id)
    closes = await _closes(session, result, window_days, days_are)
    window = (
        _("appeals close {window_days} days on", window_days=window_days)
        if days_are == "calendar"
        else _("appeals close {window_days} working days on", window_days=window_days)
    )
    _check_window(clock, closes, window)
    score, comment = _subject(result, body)
    if await repository.pending_appeal(
        session,
        result.org_id,
        result.id,
        indicator_key=body.indicator_key,
        comment_id=body.comment_id,
    ):
        raise Conflict(
            _("An appeal on this indicator is already open")
            if comment is None
            else _("An appeal on this comment is already open")
        )
    appeal = ReviewAppeal(
        org_id=result.org_id,
        result_id=result.id,
        employee_id=result.employee_id,
        indicator_key=body.indicator_key,
        comment_id=body.comment_id,
        comment=comment,
        reason=body.reason,
        status="open",
        original_score=round(Decimal(score), 2) if score is not None else None,
    )
    session.add(appeal)
    await session.flush()
    appeal.task_id = await _reply_task(session, appeal, clock, principal)
    await _tell_hr(session, appeal)
    audit.record(
        session,
        principal,
        "review_appeal.filed",
        SUBJECT,
        appeal.id,
        org_id=appeal.org_id,
        after={
            "result_id": str(result.id),
            "indicator": body.indicator_key,
            "comment_id": str(body.comment_id) if body.comment_id else None,
        },
    )
    return appeal


async def _reply_task(
    session: AsyncSession, appeal: ReviewAppeal, clock: Clock, actor: Principal
) -> uuid.UUID | None:
    """The employee's manager replies; without one, HR's inbox is where it lands."""
    teams = await people.teams_of(session, appeal.org_id, [appeal.employee_id])
    team = teams.get(appeal.employee_id)
    if team is None or team.manager_id is None:
        return None
    names = await people.employee_summaries(session, appeal.org_id, [appeal.employee_id])
    return await workflow.create_task(
        session,
        org_id=appeal.org_id,
        subject_type=SUBJECT,
        subject_id=appeal.id,
        kind=REPLY_TASK_KIND,
        assignee_employee_id=team.manager_id,
        subject_employee_id=appeal.employee_id,
        due=await workflow.due_after(session, appeal.org_id, clock.now(), REPLY_DAYS),
        title=_("Reply to {employee}'s review appeal", employee=names[appeal.employee_id].ref.name),
        actor=actor,
    )


async def _tell_hr(session: AsyncSession, appeal: ReviewAppeal) -> None:
    await notifications.notify(
        session,
        org_id=appeal.org_id,
        user_ids=await identity.hr_admin_user_ids(session, appeal.org_id),
        kind="review.appeal_filed",
        title=_("A review result is appealed"),
        body=_(
            "Indicator {indicator}: reply or resolve the appeal.", indicator=appeal.indicator_key
        )
        if appeal.indicator_key is not None
        else _("A comment on the result: reply or resolve the appeal."),
        subject_type=SUBJECT,
        subject_id=appeal.id,
        dedupe_key=f"review_appeal:{appeal.id}:filed",
    )


def _require_pending(appeal: ReviewAppeal) -> None:
    if appeal.status not in PENDING:
        raise Conflict(_("The appeal is {status}", status=label(appeal.status)))


async def reply(
    session: AsyncSession,
    principal: Principal,
    appeal_id: uuid.UUID,
    body: AppealReply,
    clock: Clock,
) -> ReviewAppeal:
    """The reviewer (anyone up the manager chain, the department head) or HR answers."""
    appeal, _result = await access.readable_appeal(session, principal, appeal_id, for_update=True)
    await access.require_reviewer(session, principal, appeal.employee_id)
    _require_pending(appeal)
    appeal.reply, appeal.replied_by, appeal.replied_at = body.reply, principal.id, clock.now()
    appeal.status = "answered"
    await session.flush()
    if appeal.task_id is not None:
        await _close_reply_task(session, appeal, clock, principal, done=True)
    await _tell_employee(
        session,
        appeal,
        step="answered",
        title=_("Your review appeal was answered"),
        body=body.reply,
    )
    audit.record(
        session,
        principal,
        "review_appeal.answered",
        SUBJECT,
        appeal.id,
        org_id=appeal.org_id,
        after={"reply": body.reply},
    )
    return appeal


async def _close_reply_task(
    session: AsyncSession, appeal: ReviewAppeal, clock: Clock, actor: Principal, *, done: bool
) -> None:
    """Replying completes the reviewer's task; resolving first withdraws it."""
    assert appeal.task_id is not None
    if await workflow.task_status(session, appeal.org_id, appeal.task_id) != "open":
        return
    settle = workflow.complete_task if done else workflow.cancel_task
    await settle(session, org_id=appeal.org_id, task_id=appeal.task_id, clock=clock, actor=actor)


def _rescored(result: ReviewResult, key: str, score: float) -> tuple[float | None, float | None]:
    """Set the indicator's score (keeping the computed one) and return the overall before and
    after, recomputed with the indicator weights the result was computed with."""
    figures: dict[str, Any] = {k: dict(v) for k, v in result.scores["indicators"].items()}
    weights = {k: float(v.get("weight", 1.0)) for k, v in figures.items()}
    before = scoring.weighted_mean({k: float(v["score"]) for k, v in figures.items()}, weights)
    figures[key].setdefault("computed_score", figures[key]["score"])
    figures[key]["score"] = score
    after = scoring.weighted_mean({k: float(v["score"]) for k, v in figures.items()}, weights)
    result.scores = {**result.scores, "indicators": figures}
    return before, after


def _apply_upheld(
    result: ReviewResult, appeal: ReviewAppeal, score: float, reason: str, at: str, by: str
) -> None:
    """Move the overall by what the indicator change moves it, calibration included."""
    assert appeal.indicator_key is not None
    before, after = _rescored(result, appeal.indicator_key, score)
    current = result.adjusted_overall if result.adjusted_overall is not None else result.overall
    shift = Decimal(str((after or 0) - (before or 0)))
    new_overall = min(Decimal(100), max(Decimal(0), (current or Decimal(0)) + shift))
    result.adjusted_overall = round(new_overall, 2)
    result.adjustments = [
        *result.adjustments,
        {
            "original": float(current) if current is not None else None,
            "adjusted": float(result.adjusted_overall),
            "reason": reason,
            "indicator": appeal.indicator_key,
            "at": at,
            "by": by,
        },
    ]


def _check_resolution(appeal: ReviewAppeal, body: AppealResolution) -> None:
    """An upheld indicator appeal sets a score; an upheld comment appeal hides, scoring
    nothing."""
    if body.outcome != "upheld":
        return
    if appeal.indicator_key is not None and body.score is None:
        message = _("an upheld appeal needs the indicator's new score")
    elif appeal.comment_id is not None and body.score is not None:
        message = _("an upheld appeal on a comment hides it and sets no score")
    else:
        return
    raise Unprocessable(message, errors=[FieldError(field="score", message=message)])


def _hide_comment(result: ReviewResult, appeal: ReviewAppeal, reason: str, at: str) -> None:
    """The comment leaves the published result; the stored answers keep it (the raw-answer
    auditor still reads it)."""
    hidden = {"id": str(appeal.comment_id), "appeal_id": str(appeal.id), "reason": reason}
    result.hidden_comments = [*result.hidden_comments, hidden | {"hidden_at": at}]


async def _correct_evidence(session: AsyncSession, result: ReviewResult) -> dict[str, Any] | None:
    """A rescored indicator corrects the result's competency evidence (replaced)."""
    cycle = await repository.cycle_by_id(session, result.org_id, result.cycle_id)
    assert cycle is not None, "a result's cycle outlives it"
    assert result.published_at is not None, "appeals follow publication"
    return await evidence.record_result(session, cycle, result, result.published_at)


async def resolve(
    session: AsyncSession,
    principal: Principal,
    appeal_id: uuid.UUID,
    body: AppealResolution,
    clock: Clock,
) -> ReviewAppeal:
    """HR upholds (the indicator's new score, or the comment hidden) or rejects; the employee
    is told."""
    appeal, result = await access.readable_appeal(session, principal, appeal_id, for_update=True)
    require_hr_admin(principal)
    _require_pending(appeal)
    now = clock.now()
    _check_resolution(appeal, body)
    recorded = None
    if body.outcome == "upheld" and body.score is not None:
        _apply_upheld(
            result, appeal, body.score, body.resolution, now.isoformat(), str(principal.id)
        )
        appeal.new_score = round(Decimal(body.score), 2)
        recorded = await _correct_evidence(session, result)
    elif body.outcome == "upheld":
        _hide_comment(result, appeal, body.resolution, now.isoformat())
    if appeal.task_id is not None:
        await _close_reply_task(session, appeal, clock, principal, done=False)
    appeal.status, appeal.resolution = body.outcome, body.resolution
    appeal.resolved_by, appeal.resolved_at = principal.id, now
    await session.flush()
    await _tell_employee(
        session,
        appeal,
        step=body.outcome,
        title=_("Your review appeal was upheld")
        if body.outcome == "upheld"
        else _("Your review appeal was rejected"),
        body=body.resolution,
    )
    audit.record(
        session,
        principal,
        f"review_appeal.{body.outcome}",
        SUBJECT,
        appeal.id,
        org_id=appeal.org_id,
        before={"score": _float(appeal.original_score)},
        after={
            "score": body.score,
            "hidden_comment": str(appeal.comment_id)
            if appeal.comment_id and body.outcome == "upheld"
            else None,
            "resolution": body.resolution,
            "competency_evidence": recorded,
        },
    )
    await webhooks.publish(
        session,
        org_id=appeal.org_id,
        event_type=webhooks.EventType.REVIEW_APPEAL_RESOLVED,
        payload={
            "appeal_id": str(appeal.id),
            "result_id": str(result.id),
            "cycle_id": str(result.cycle_id),
            "employee_id": str(appeal.employee_id),
            "about": "indicator" if appeal.indicator_key is not None else "comment",
            "outcome": body.outcome,
        },
    )
    return appeal


async def list_appeals(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID
) -> Sequence[ReviewAppeal]:
    result = await access.readable_result(session, principal, result_id)
    note_read(principal, result.employee_id, DataClass.EVALUATION, "review_appeal")
    return await repository.appeals_of(session, result.org_id, result.id)


async def get_appeal(
    session: AsyncSession, principal: Principal, appeal_id: uuid.UUID
) -> ReviewAppeal:
    appeal, _ = await access.readable_appeal(session, principal, appeal_id)
    note_read(principal, appeal.employee_id, DataClass.EVALUATION, "review_appeal")
    return appeal


async def replied_only(
    session: AsyncSession, task: TaskInfo, submission: Submission | None
) -> None:
    """The reviewer's task closes by replying to the appeal, which the task cannot carry."""
    appeal = await repository.appeal_by_id(session, task.org_id, task.subject_id)
    if appeal is not None and appeal.status == "open":
        raise Unprocessable(
            _("Reply to the appeal itself: POST /appeals/{id}/reply", id=appeal.id),
            errors=[FieldError(field="task", message=_("completed by replying to the appeal"))],
        )
