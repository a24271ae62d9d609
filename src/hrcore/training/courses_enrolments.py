"""Enrolments 「报名」: in a session of an offline course, or in an online course.

Who enrols whom: the employee themself; their manager or department head (their reach only,
404 outside it); HR admins anyone, by ids or a department subtree's active employees. The
session's row is locked while seats are counted, so concurrent enrolments never overbook:
beyond the capacity an enrolment is `waitlisted`, and a seat freed (a cancellation, a larger
capacity) goes to the first waiting. One live enrolment per employee and session (or online
course) is a partial unique index; a second is 409."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import fetch, get_or_404
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.labels import label
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.core.references import unknown
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.training import courses_repository as repository
from hrcore.training.courses_reminders import SUBJECT_TYPE, add_reminders, withdraw_reminders
from hrcore.training.courses_schemas import (
    CourseEnrolmentOut,
    MyEnrolmentOut,
    OnlineEnrolmentIn,
    SessionEnrolmentIn,
)
from hrcore.training.models import (
    Course,
    CourseMode,
    CourseSession,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    SessionStatus,
)

SESSION = N_("course session")
ENROLMENT = N_("enrolment")

SESSION_VISIBLE = """
SELECT 1 FROM training_sessions s
JOIN training_courses c ON c.org_id = s.org_id AND c.id = s.course_id
WHERE s.org_id = $1 AND s.id = $2 AND ($3::boolean OR c.active)
"""

SEATED_KIND = "training_waitlist_seated"
SEATED_TITLE = N_("A seat is yours: {course}")
SEATED_BODY = N_("A seat came free in the class you were waiting for; you are enrolled now.")


def enrolment_item(row: Any) -> dict[str, Any]:
    """A listed enrolment row as the response shows it, with its links."""
    return dict(row) | {
        "course": {"id": row["course_id"], "name": row["course_name"]},
        "employee": {"id": row["employee_id"], "name": row["employee_name"]},
    }


async def enrolment_views(
    session: AsyncSession, org_id: uuid.UUID, enrolment_ids: Sequence[uuid.UUID]
) -> list[CourseEnrolmentOut]:
    rows = await repository.enrolment_rows(session, org_id, enrolment_ids)
    return [CourseEnrolmentOut.model_validate(enrolment_item(row)) for row in rows]


async def session_in_reach(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, *, for_update: bool = False
) -> tuple[CourseSession, Course]:
    """A session and its course; one of an inactive course is HR's only (404 for others)."""
    principal.require_key_scope(None)
    course_session = await get_or_404(
        session, CourseSession, principal.org_id, session_id, what=SESSION, for_update=for_update
    )
    course = await get_or_404(
        session, Course, principal.org_id, course_session.course_id, what=SESSION
    )
    if not course.active and not principal.is_hr_admin:
        raise NotFound(_("No such course session"))
    return course_session, course


async def _who(
    session: AsyncSession, principal: Principal, body: SessionEnrolmentIn
) -> tuple[list[uuid.UUID], EnrolmentSource, bool]:
    """The employees to enrol, the source and whether those enrolled already are skipped
    (a department's) rather than refused."""
    if body.employee_ids is not None and body.department_id is not None:
        raise Unprocessable(
            _("Name employees or a department, not both"),
            errors=[FieldError(field="body.department_id", message=_("not with employee_ids"))],
        )
    if body.source is not None:
        require_hr_admin(principal)
    hr_source = EnrolmentSource(body.source or EnrolmentSource.HR.value)
    if body.department_id is not None:
        require_hr_admin(principal)
        await org.require_department(session, principal.org_id, body.department_id)
        ids = await people.active_employees_in_subtree(
            session, principal.org_id, body.department_id
        )
        return ids, hr_source, True
    if body.employee_ids is None:
        return [own_employee_id(principal)], EnrolmentSource.SELF, False
    wanted = list(dict.fromkeys(body.employee_ids))
    if principal.is_hr_admin:
        known = await people.employee_refs(session, principal.org_id, wanted)
        missing = [i for i, item in enumerate(body.employee_ids) if item not in known]
        if missing:
            raise Unprocessable(
                _("Unknown employee"),
                errors=[
                    FieldError(field=f"body.employee_ids.{i}", message=_("no such employee"))
                    for i in missing
                ],
            )
        return wanted, hr_source, False
    if wanted == [principal.employee_id]:
        return wanted, EnrolmentSource.SELF, False
    reach = await people.visible_employee_ids(session, principal)
    if reach is not None and any(item not in reach for item in wanted):
        raise NotFound(_("No such employee"))
    return wanted, EnrolmentSource.MANAGER, False


async def enrol_in_session(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    body: SessionEnrolmentIn,
) -> list[uuid.UUID]:
    """Enrol employees in a scheduled session, seated while seats last, then waitlisted."""
    course_session, course = await session_in_reach(session, principal, session_id, for_update=True)
    if course_session.status != SessionStatus.SCHEDULED:
        raise Conflict(_("The session is {status}", status=label(course_session.status)))
    employee_ids, source, skip_enrolled = await _who(session, principal, body)
    already = await repository.enrolled_already(session, course_session, employee_ids)
    if already and not skip_enrolled:
        raise Conflict(_("Enrolled in this session already"))
    new = [item for item in employee_ids if item not in already]
    seats = course_session.capacity - await repository.seats_taken(session, course_session)
    rows = [
        Enrolment(
            org_id=principal.org_id,
            course_id=course.id,
            session_id=course_session.id,
            employee_id=employee_id,
            status=(
                EnrolmentStatus.ENROLLED if index < seats else EnrolmentStatus.WAITLISTED
            ).value,
            source=source.value,
            enrolled_by=principal.user_id,
            completed_modules=[],
        )
        for index, employee_id in enumerate(new)
    ]
    session.add_all(rows)
    await session.flush()
    seated = [row for row in rows if row.status == EnrolmentStatus.ENROLLED]
    await add_reminders(session, course_session, course.name, seated)
    await audit.record_many(
        session,
        principal,
        "training_enrolment.created",
        "training_enrolment",
        [(row.id, {"employee_id": str(row.employee_id), "status": row.status}) for row in rows],
        org_id=principal.org_id,
    )
    return [row.id for row in rows]


async def enrol_online(
    session: AsyncSession, principal: Principal, body: OnlineEnrolmentIn
) -> uuid.UUID:
    """The caller enrols themself in an active online course."""
    principal.require_key_scope(None)
    employee_id = own_employee_id(principal)
    course = await session.scalar(
        select(Course).where(Course.org_id == principal.org_id, Course.id == body.course_id)
    )
    if course is None or not course.active:
        raise unknown(_("Unknown course"), _("no such course"), "body.course_id")
    if course.mode != CourseMode.ONLINE:
        raise Unprocessable(
            _("An offline course is enrolled in through one of its sessions"),
            errors=[FieldError(field="body.course_id", message=_("not an online course"))],
        )
    if await repository.online_enrolment_of(session, principal.org_id, course.id, employee_id):
        raise Conflict(_("Enrolled in this course already"))
    enrolment = Enrolment(
        org_id=principal.org_id,
        course_id=course.id,
        employee_id=employee_id,
        status=EnrolmentStatus.ENROLLED.value,
        source=EnrolmentSource.SELF.value,
        enrolled_by=principal.user_id,
        completed_modules=[],
    )
    session.add(enrolment)
    await session.flush()
    audit.record(
        session,
        principal,
        "training_enrolment.created",
        "training_enrolment",
        enrolment.id,
        org_id=principal.org_id,
        after={"employee_id": str(employee_id), "course_id": str(course.id)},
    )
    return enrolment.id


async def promote_waiting(
    session: AsyncSession, course_session: CourseSession, course_name: str
) -> list[Enrolment]:
    """Seat the first waiting in the order they came, as many as seats are free; each gets
    the seat's reminder and is told in the inbox."""
    free = course_session.capacity - await repository.seats_taken(session, course_session)
    promoted = await repository.first_waiting(session, course_session, free)
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.ENROLLED.value
    await session.flush()
    await add_reminders(session, course_session, course_name, promoted)
    users = await identity.user_ids_for_employees(
        session, course_session.org_id, [enrolment.employee_id for enrolment in promoted]
    )
    await notifications.notify_many(
        session,
        org_id=course_session.org_id,
        messages=[
            notifications.Message(
                user_ids=users[enrolment.employee_id],
                kind=SEATED_KIND,
                title=_(SEATED_TITLE, course=course_name),
                body=_(SEATED_BODY),
                subject_type=SUBJECT_TYPE,
                subject_id=enrolment.id,
                dedupe_key=f"{SEATED_KIND}:{enrolment.id}",
            )
            for enrolment in promoted
            if enrolment.employee_id in users
        ],
    )
    return promoted


async def cancel_enrolment(
    session: AsyncSession,
    principal: Principal,
    session_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    clock: Clock,
) -> None:
    """The employee, someone whose reach they are in, or HR cancels; a freed seat goes to
    the first waiting. Cancelling a cancelled enrolment changes nothing; an attended one
    is 409."""
    course_session, course = await session_in_reach(session, principal, session_id, for_update=True)
    enrolment = await get_or_404(
        session, Enrolment, principal.org_id, enrolment_id, what=ENROLMENT, for_update=True
    )
    if enrolment.session_id != course_session.id:
        raise NotFound(_("No such enrolment"))
    if enrolment.employee_id != principal.employee_id and not principal.is_hr_admin:
        reach = await people.visible_employee_ids(session, principal)
        if reach is not None and enrolment.employee_id not in reach:
            raise NotFound(_("No such enrolment"))
    if enrolment.status == EnrolmentStatus.CANCELLED:
        return
    if enrolment.status == EnrolmentStatus.COMPLETED or enrolment.checked_in_at is not None:
        raise Conflict(_("The enrolment is {status}", status=label(EnrolmentStatus.COMPLETED)))
    if course_session.status != SessionStatus.SCHEDULED:
        raise Conflict(_("The session is {status}", status=label(course_session.status)))
    seated = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.CANCELLED.value
    await withdraw_reminders(session, course_session, [enrolment], clock)
    await session.flush()
    if seated:
        await promote_waiting(session, course_session, course.name)
    audit.record(
        session,
        principal,
        "training_enrolment.cancelled",
        "training_enrolment",
        enrolment.id,
        org_id=principal.org_id,
        after={"status": enrolment.status},
    )


async def session_enrolments(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, page: PageParams
) -> Page[CourseEnrolmentOut]:
    """A session's enrolments in the order they came: HR sees all, anyone else those of the
    employees in their reach (themself included)."""
    principal.require_key_scope(None)
    visible = await fetch(
        session, SESSION_VISIBLE, principal.org_id, session_id, principal.is_hr_admin
    )
    if not visible:
        raise NotFound(_("No such course session"))
    reach = await people.visible_employee_ids(session, principal)
    if reach is not None and principal.employee_id is not None:
        reach = [*reach, principal.employee_id]
    after: tuple[Any, ...] = (None, None)
    if page.cursor is not None:
        after = decode_cursor(page.cursor, [datetime, uuid.UUID])
    rows = await fetch(
        session,
        repository.SESSION_ENROLMENT_PAGE,
        principal.org_id,
        session_id,
        reach,
        *after,
        page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["created_at", "id"], page)
    return Page[CourseEnrolmentOut].model_validate(
        {"items": [enrolment_item(row) for row in shown], "next_cursor": cursor}
    )


def _my_item(row: Any) -> dict[str, Any]:
    session_ref = None
    if row["session_id"] is not None:
        session_ref = {"id": row["session_id"], "name": row["course_name"]}
    return dict(row) | {
        "course": {"id": row["course_id"], "name": row["course_name"]},
        "session": session_ref,
    }


async def my_enrolments(
    session: AsyncSession, principal: Principal, page: PageParams
) -> Page[MyEnrolmentOut]:
    """The caller's enrolments, newest first: one statement a page."""
    principal.require_key_scope(None)
    employee_id = own_employee_id(principal)
    before: tuple[Any, ...] = (None, None)
    if page.cursor is not None:
        before = decode_cursor(page.cursor, [datetime, uuid.UUID])
    rows = await fetch(
        session,
        repository.MY_ENROLMENT_PAGE,
        principal.org_id,
        employee_id,
        *before,
        page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["created_at", "id"], page)
    return Page[MyEnrolmentOut].model_validate(
        {"items": [_my_item(row) for row in shown], "next_cursor": cursor}
    )
