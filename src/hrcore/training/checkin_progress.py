"""Online course progress 「线上学习进度」: modules done, posted by the app (`/me/course-progress`)
or an LMS (xAPI), and the completion at the course's threshold.

Progress is recorded on the locked enrolment, so two modules posted at once both count and
the completion — status, `completed_at`, the `online_course` award, the completion event —
happens once, with the post that reaches the threshold. Each post is audited
(`training_enrolment.progress_recorded`, naming the way it came in) like a check-in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id, require_user
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.training import checkin_repository as repository
from hrcore.training import events, ledger
from hrcore.training.checkin_schemas import CourseProgressIn, CourseProgressOut
from hrcore.training.ledger import Award


@dataclass(frozen=True)
class Progress:
    """What a progress post changes: a module done, the whole course done, an exam passed
    with its score (0–100)."""

    module_key: str | None = None
    course_completed: bool = False
    exam_score: Decimal | None = None


class NotEnrolledOnline(Exception):
    """No live online enrolment of the employee in the course."""


class UnknownModule(Exception):
    """The course has no module of that key."""


async def locked_enrolment(
    session: AsyncSession, org_id: uuid.UUID, course_id: uuid.UUID, employee_id: uuid.UUID
) -> asyncpg.Record:
    enrolment = await repository.online_enrolment_for_update(
        session, org_id, course_id, employee_id
    )
    if enrolment is None:
        raise NotEnrolledOnline
    return enrolment


async def record(
    session: AsyncSession,
    org_id: uuid.UUID,
    enrolment: asyncpg.Record,
    progress: Progress,
    now: datetime,
    *,
    actor: Principal,
    via: str,
) -> None:
    """Apply `progress` to the locked `enrolment` (a row of `locked_enrolment`), posted by
    `actor` through `via` (`app`, or `xapi:<statement id>`)."""
    module_keys: list[str] = [key for key in enrolment["module_keys"] if key]
    done: list[str] = list(enrolment["completed_modules"])
    if progress.module_key is not None:
        if progress.module_key not in module_keys:
            raise UnknownModule
        if progress.module_key not in done:
            done.append(progress.module_key)
    if progress.course_completed:
        done = list(dict.fromkeys([*done, *module_keys]))
    percent = _percent(done, module_keys, progress.course_completed)
    completes = enrolment["completed_at"] is None and (
        progress.course_completed or percent >= enrolment["completion_threshold"]
    )
    await repository.save_progress(
        session,
        org_id,
        enrolment["id"],
        completed_modules=done,
        progress_percent=percent,
        completed_at=now if completes else None,
        exam_score=progress.exam_score,
        passed_at=now if progress.exam_score is not None else None,
    )
    audit.record(
        session,
        actor,
        "training_enrolment.progress_recorded",
        "training_enrolment",
        enrolment["id"],
        org_id=org_id,
        after={
            "employee_id": str(enrolment["employee_id"]),
            "via": via,
            "module_key": progress.module_key,
            "course_completed": progress.course_completed,
            "exam_score": None if progress.exam_score is None else str(progress.exam_score),
            "progress_percent": percent,
            "completed": completes,
        },
    )
    if completes:
        award = Award(
            enrolment["employee_id"],
            "online_course",
            "enrolment",
            enrolment["id"],
            now,
            enrolment["course_points"],
        )
        await ledger.award(session, org_id, award)
        events.emit_enrolment_completed(session, org_id, enrolment["id"])


def _percent(done: list[str], module_keys: list[str], course_completed: bool) -> int:
    if course_completed or not module_keys:
        return 100 if course_completed else 0
    counted = sum(1 for key in module_keys if key in done)
    return counted * 100 // len(module_keys)


async def mark_module(
    session: AsyncSession, principal: Principal, body: CourseProgressIn, now: datetime
) -> CourseProgressOut:
    """The caller finished a module of an online course they are enrolled in: 404 for a
    course they are not enrolled in (or no such course), 422 for a module the course lacks."""
    require_user(principal)
    employee_id = own_employee_id(principal)
    org_id = principal.org_id
    try:
        enrolment = await locked_enrolment(session, org_id, body.course_id, employee_id)
    except NotEnrolledOnline as exc:
        raise NotFound(_("Not enrolled in this online course")) from exc
    try:
        await record(
            session,
            org_id,
            enrolment,
            Progress(module_key=body.module_key),
            now,
            actor=principal,
            via="app",
        )
    except UnknownModule as exc:
        raise Unprocessable(
            _("The course has no module {key}", key=body.module_key),
            errors=[FieldError(field="body.module_key", message=_("not a module of the course"))],
        ) from exc
    row = await repository.progress_row(session, org_id, enrolment["id"])
    return CourseProgressOut.model_validate(_progress_item(row))


def _progress_item(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "enrolment_id": row["id"],
        "course_id": row["course_id"],
        "course": {"id": row["course_id"], "name": row["course_name"]},
        "status": row["status"],
        "progress_percent": row["progress_percent"],
        "completed_modules": row["completed_modules"],
        "modules_total": row["modules_total"],
        "completion_threshold": row["completion_threshold"],
        "completed_at": row["completed_at"],
        "exam_score": row["exam_score"],
        "passed_at": row["passed_at"],
    }


async def my_progress(
    session: AsyncSession, principal: Principal, page: PageParams
) -> Page[CourseProgressOut]:
    """The caller's online enrolments with their progress, newest first: one statement."""
    require_user(principal)
    employee_id = own_employee_id(principal)
    before = decode_cursor(page.cursor, [datetime, uuid.UUID]) if page.cursor else None
    rows = await repository.my_progress(
        session, principal.org_id, employee_id, before, page.limit + 1
    )
    shown, cursor = cut_page(rows, ["created_at", "id"], page)
    return Page[CourseProgressOut].model_validate(
        {"items": [_progress_item(row) for row in shown], "next_cursor": cursor}
    )
