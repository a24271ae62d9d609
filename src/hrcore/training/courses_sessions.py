"""Sessions 「课次」 of offline courses: HR admins schedule, move and end them; everyone in the
organization reads those of active courses, with the seats taken, waiting and left.

Completing a session awards its instructor the teaching rule once (the ledger's unique
index); cancelling it cancels its enrolments and their reminders and tells the people
enrolled. A larger capacity seats the waitlist in order; a moved start moves the reminders."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.db import fetch
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.labels import label
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.core.references import referenced_row
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.training import courses_repository as repository
from hrcore.training import ledger
from hrcore.training.courses_enrolments import promote_waiting, session_in_reach
from hrcore.training.courses_reminders import SUBJECT_TYPE, move_reminders, withdraw_reminders
from hrcore.training.courses_schemas import CourseSessionIn, CourseSessionOut, CourseSessionPatch
from hrcore.training.models import (
    Course,
    CourseMode,
    CourseSession,
    EnrolmentStatus,
    SessionStatus,
)

CANCELLED_KIND = "training_session_cancelled"
CANCELLED_TITLE = N_("Class cancelled: {course}")
CANCELLED_BODY = N_("The class you were enrolled in is cancelled; your enrolment is withdrawn.")


def session_item(row: Any) -> dict[str, Any]:
    """A listed session row as the response shows it, with its links and seats left."""
    instructor = None
    if row["instructor_id"] is not None:
        instructor = {"id": row["instructor_id"], "name": row["instructor_name"]}
    return dict(row) | {
        "course": {"id": row["course_id"], "name": row["course_name"]},
        "instructor": instructor,
        "seats_left": max(row["capacity"] - row["enrolled"], 0),
    }


async def list_sessions(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    course_id: uuid.UUID | None,
    status: SessionStatus | None,
) -> Page[CourseSessionOut]:
    """Sessions by start; anyone but an HR admin sees those of active courses only."""
    principal.require_key_scope(None)
    after: tuple[Any, ...] = (None, None)
    if page.cursor is not None:
        after = decode_cursor(page.cursor, [datetime, uuid.UUID])
    rows = await fetch(
        session,
        repository.SESSION_PAGE,
        principal.org_id,
        course_id,
        status.value if status else None,
        principal.is_hr_admin,
        *after,
        page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["starts_at", "id"], page)
    return Page[CourseSessionOut].model_validate(
        {"items": [session_item(row) for row in shown], "next_cursor": cursor}
    )


async def read_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> CourseSessionOut:
    principal.require_key_scope(None)
    rows = await fetch(
        session, repository.SESSION_BY_ID, principal.org_id, session_id, principal.is_hr_admin
    )
    if not rows:
        raise NotFound(_("No such course session"))
    return CourseSessionOut.model_validate(session_item(rows[0]))


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise Unprocessable(
            _("A session ends after it starts"),
            errors=[FieldError(field="body.ends_at", message=_("must be after the start"))],
        )


def _snapshot(row: CourseSession) -> dict[str, Any]:
    return {
        "starts_at": row.starts_at.isoformat(),
        "ends_at": row.ends_at.isoformat(),
        "place": row.place,
        "capacity": row.capacity,
        "instructor_id": str(row.instructor_id) if row.instructor_id else None,
        "instructor_allowance": str(row.instructor_allowance)
        if row.instructor_allowance is not None
        else None,
        "late_grace_minutes": row.late_grace_minutes,
        "status": row.status,
    }


async def create_session(
    session: AsyncSession, principal: Principal, body: CourseSessionIn
) -> CourseSession:
    require_hr_admin(principal)
    course = await referenced_row(
        session,
        Course,
        principal.org_id,
        body.course_id,
        field="body.course_id",
        title=_("Unknown course"),
        message=_("no such course"),
    )
    if course.mode != CourseMode.OFFLINE:
        raise Unprocessable(
            _("An online course has no sessions"),
            errors=[FieldError(field="body.course_id", message=_("not an offline course"))],
        )
    _check_times(body.starts_at, body.ends_at)
    if body.instructor_id is not None:
        await people.require_employee(
            session, principal.org_id, body.instructor_id, field="body.instructor_id"
        )
    row = CourseSession(
        org_id=principal.org_id,
        course_id=course.id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        place=body.place,
        capacity=body.capacity,
        instructor_id=body.instructor_id,
        instructor_allowance=body.instructor_allowance,
        late_grace_minutes=body.late_grace_minutes,
        status=SessionStatus.SCHEDULED.value,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        principal,
        "training_session.created",
        "training_session",
        row.id,
        org_id=principal.org_id,
        after=_snapshot(row),
    )
    return row


async def _apply_changes(
    session: AsyncSession, principal: Principal, row: CourseSession, body: CourseSessionPatch
) -> None:
    fields = body.model_dump(exclude_unset=True, exclude={"version", "status"})
    _check_times(fields.get("starts_at") or row.starts_at, fields.get("ends_at") or row.ends_at)
    if fields.get("instructor_id") is not None:
        await people.require_employee(
            session, principal.org_id, fields["instructor_id"], field="body.instructor_id"
        )
    if fields.get("capacity") is not None:
        taken = await repository.seats_taken(session, row)
        if fields["capacity"] < taken:
            raise Unprocessable(
                _("The capacity is below the seats taken"),
                errors=[
                    FieldError(
                        field="body.capacity",
                        message=_("at least {taken}: seats taken", taken=taken),
                    )
                ],
            )
    for name in ("starts_at", "ends_at", "capacity", "late_grace_minutes"):
        if fields.get(name) is not None:
            setattr(row, name, fields[name])
    for name in ("place", "instructor_id", "instructor_allowance"):
        if name in fields:
            setattr(row, name, fields[name])


async def _complete(session: AsyncSession, row: CourseSession, clock: Clock) -> None:
    """Teaching points for the instructor (once); the seats not checked in lose their open
    reminders and the waitlist is closed."""
    row.status = SessionStatus.COMPLETED.value
    if row.instructor_id is not None:
        await ledger.award(
            session,
            row.org_id,
            ledger.Award(row.instructor_id, "teaching", "session", row.id, row.ends_at),
        )
    live = await repository.live_enrolments(session, row)
    await withdraw_reminders(session, row, live, clock)
    for enrolment in live:
        if enrolment.status == EnrolmentStatus.WAITLISTED:
            enrolment.status = EnrolmentStatus.CANCELLED.value


async def _cancel(session: AsyncSession, row: CourseSession, course: Course, clock: Clock) -> None:
    """Every live enrolment cancelled with its reminder; the people enrolled are told."""
    row.status = SessionStatus.CANCELLED.value
    live = await repository.live_enrolments(session, row)
    await withdraw_reminders(session, row, live, clock)
    for enrolment in live:
        enrolment.status = EnrolmentStatus.CANCELLED.value
    users = await identity.user_ids_for_employees(
        session, row.org_id, [enrolment.employee_id for enrolment in live]
    )
    await notifications.notify_many(
        session,
        org_id=row.org_id,
        messages=[
            notifications.Message(
                user_ids=users[enrolment.employee_id],
                kind=CANCELLED_KIND,
                title=_(CANCELLED_TITLE, course=course.name),
                body=_(CANCELLED_BODY),
                subject_type=SUBJECT_TYPE,
                subject_id=enrolment.id,
                dedupe_key=f"{CANCELLED_KIND}:{enrolment.id}",
            )
            for enrolment in live
            if enrolment.employee_id in users
        ],
    )


async def update_session(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    body: CourseSessionPatch,
    clock: Clock,
    *,
    if_match: str | None,
) -> CourseSession:
    require_hr_admin(principal)
    row, course = await session_in_reach(session, principal, session_id, for_update=True)
    check_version(row.version, if_match=if_match, body_version=body.version)
    if row.status != SessionStatus.SCHEDULED:
        raise Conflict(_("The session is {status}", status=label(row.status)))
    before = _snapshot(row)
    old_start, old_capacity = row.starts_at, row.capacity
    await _apply_changes(session, principal, row, body)
    if body.status == "completed":
        await _complete(session, row, clock)
    elif body.status == "cancelled":
        await _cancel(session, row, course, clock)
    else:
        if row.starts_at != old_start:
            seated = [
                item
                for item in await repository.live_enrolments(session, row)
                if item.status == EnrolmentStatus.ENROLLED
            ]
            await move_reminders(session, row, seated)
        if row.capacity > old_capacity:
            await promote_waiting(session, row, course.name)
    await session.flush()
    await session.refresh(row)
    old, new = audit.changes(before, _snapshot(row))
    audit.record(
        session,
        principal,
        "training_session.updated",
        "training_session",
        row.id,
        org_id=principal.org_id,
        before=old,
        after=new,
    )
    return row
