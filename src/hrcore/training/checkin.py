"""Offline check-in 「扫码签到」: the session's rotating QR code, the employee's check-in with
it or the instructor's manual one, and the session's attendance.

A check-in completes the enrolment once: the enrolment is locked (`FOR UPDATE`), so a second
or concurrent check-in of the same person waits and answers the first one's result, and the
awards (attendance, and −2 when late) go through the ledger, whose unique index is the last
word on "one award per source". The completion event is emitted with the first check-in only.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id, require_user
from hrcore.core.clock import Clock
from hrcore.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    Unauthorized,
    Unprocessable,
)
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, cut_page, decode_cursor
from hrcore.people import api as people
from hrcore.settings import Settings
from hrcore.training import checkin_repository as repository
from hrcore.training import checkin_tokens as tokens
from hrcore.training import courses_reminders, events, ledger
from hrcore.training.checkin_schemas import (
    TrainingAttendancePage,
    TrainingCheckInIn,
    TrainingCheckInOut,
)
from hrcore.training.ledger import Award


async def session_or_404(
    session: AsyncSession, org_id: uuid.UUID, session_id: uuid.UUID
) -> asyncpg.Record:
    row = await repository.session_row(session, org_id, session_id)
    if row is None:
        raise NotFound(_("No such course session"))
    return row


def _is_instructor(principal: Principal, course_session: asyncpg.Record) -> bool:
    instructor = course_session["instructor_id"]
    return instructor is not None and principal.employee_id == instructor


def _require_runner(principal: Principal, course_session: asyncpg.Record) -> None:
    """HR admins and the session's instructor show the code and check people in."""
    require_user(principal)
    if not (principal.is_hr_admin or _is_instructor(principal, course_session)):
        raise Forbidden(_("Only the session's instructor or an HR admin may do this"))


async def qr_token(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    settings: Settings,
    now: datetime,
) -> tokens.IssuedToken:
    """The code to show now (HR admins, the instructor); 409 for a cancelled session."""
    course_session = await session_or_404(session, principal.org_id, session_id)
    _require_runner(principal, course_session)
    if course_session["status"] == "cancelled":
        raise Conflict(_("The session is cancelled"))
    return tokens.issue(settings, principal.org_id, session_id, now)


async def check_in(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    body: TrainingCheckInIn,
    settings: Settings,
    clock: Clock,
) -> TrainingCheckInOut:
    """Check the caller in with a QR token, or (instructor, HR) someone by `employee_id`."""
    org_id = principal.org_id
    now = clock.now()
    if body.token is not None:
        require_user(principal)
        employee_id = own_employee_id(principal)
        try:
            token_session = tokens.verify(settings, org_id, body.token, now)
        except tokens.TokenRefused as exc:
            raise Unauthorized(
                _("The check-in code is expired or not valid; scan it again")
            ) from exc
        if token_session != session_id:
            raise Unprocessable(
                _("The check-in code belongs to another session"),
                errors=[FieldError(field="body.token", message=_("a code of another session"))],
            )
        course_session = await session_or_404(session, org_id, session_id)
        method = "qr"
    else:
        course_session = await session_or_404(session, org_id, session_id)
        _require_runner(principal, course_session)
        assert body.employee_id is not None, "the schema asks for one of the two"
        employee_id = body.employee_id
        method = "manual"
    if course_session["status"] == "cancelled":
        raise Conflict(_("The session is cancelled"))
    return await _check_in(session, principal, course_session, employee_id, method, clock)


async def _check_in(
    session: AsyncSession,
    principal: Principal,
    course_session: asyncpg.Record,
    employee_id: uuid.UUID,
    method: str,
    clock: Clock,
) -> TrainingCheckInOut:
    org_id, now = principal.org_id, clock.now()
    enrolment = await repository.session_enrolment_for_update(
        session, org_id, course_session["id"], employee_id
    )
    if enrolment is None:
        raise NotFound(_("Not enrolled in this session"))
    if enrolment["status"] == "waitlisted":
        raise Conflict(_("On the waiting list of this session, not enrolled: no seat to check in"))
    if enrolment["checked_in_at"] is not None:
        return _result(course_session, enrolment, enrolment)
    grace = timedelta(minutes=course_session["late_grace_minutes"])
    late = now > course_session["starts_at"] + grace
    await repository.check_in(session, org_id, enrolment["id"], now, late, method)
    awards = [
        Award(
            employee_id,
            "attendance",
            "enrolment",
            enrolment["id"],
            now,
            course_session["course_points"],
        ),
    ]
    if late:
        awards.append(Award(employee_id, "late", "enrolment", enrolment["id"], now))
    await ledger.award_many(session, org_id, awards)
    events.emit_enrolment_completed(session, org_id, enrolment["id"])
    audit.record(
        session,
        principal,
        "training_enrolment.checked_in",
        "training_enrolment",
        enrolment["id"],
        org_id=org_id,
        after={"employee_id": str(employee_id), "method": method, "late": late},
    )
    await courses_reminders.complete_reminder(session, org_id, enrolment["reminder_task_id"], clock)
    checked = {"status": "completed", "checked_in_at": now, "late": late, "check_in_method": method}
    return _result(course_session, enrolment, checked)


def _result(
    course_session: asyncpg.Record, enrolment: asyncpg.Record, state: Any
) -> TrainingCheckInOut:
    return TrainingCheckInOut.model_validate(
        {
            "enrolment_id": enrolment["id"],
            "session_id": course_session["id"],
            "employee_id": enrolment["employee_id"],
            "employee": {"id": enrolment["employee_id"], "name": enrolment["employee_name"]},
            "status": state["status"],
            "checked_in_at": state["checked_in_at"],
            "late": state["late"],
            "check_in_method": state["check_in_method"],
        }
    )


async def attendance(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, page: PageParams
) -> TrainingAttendancePage:
    """HR admins and the instructor see everyone enrolled; a department head those in their
    reach (the counts too); other callers 403."""
    org_id = principal.org_id
    course_session = await session_or_404(session, org_id, session_id)
    require_user(principal)
    among: list[uuid.UUID] | None = None
    if not (principal.is_hr_admin or _is_instructor(principal, course_session)):
        if not principal.is_dept_head:
            raise Forbidden(
                _("Only HR admins, the instructor and department heads read attendance")
            )
        among = await people.visible_employee_ids(session, principal)
    after = decode_cursor(page.cursor, [str, uuid.UUID]) if page.cursor else None
    counts = await repository.attendance_summary(session, org_id, session_id, among)
    rows = await repository.attendance_page(
        session, org_id, session_id, among, after, page.limit + 1
    )
    shown, cursor = cut_page(rows, ["employee_name", "id"], page)
    items = [
        {
            "enrolment_id": row["id"],
            "employee_id": row["employee_id"],
            "employee": {"id": row["employee_id"], "name": row["employee_name"]},
            "status": row["status"],
            "checked_in_at": row["checked_in_at"],
            "late": row["late"],
            "check_in_method": row["check_in_method"],
        }
        for row in shown
    ]
    summary = {
        "enrolled": counts["enrolled"],
        "present": counts["present"],
        "late": counts["late"],
        "absent": counts["enrolled"] - counts["present"],
    }
    return TrainingAttendancePage.model_validate(
        {"items": items, "next_cursor": cursor, "summary": summary}
    )
