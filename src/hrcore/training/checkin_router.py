"""Check-in, attendance, online progress and xAPI over HTTP: `/course-sessions/{id}/qr`,
`/course-sessions/{id}/check-in`, `/course-sessions/{id}/attendance`, `/me/course-progress`
and `/xapi/statements`."""

from __future__ import annotations

import asyncio
import io
import uuid
from email.utils import format_datetime
from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.training import checkin, checkin_progress, checkin_xapi
from hrcore.training.checkin_schemas import (
    CourseProgressIn,
    CourseProgressOut,
    TrainingAttendancePage,
    TrainingCheckInIn,
    TrainingCheckInOut,
    TrainingQrToken,
)
from hrcore.training.checkin_xapi_schemas import (
    MAX_STATEMENTS,
    XapiStatementIn,
    XapiStatementResults,
)

router = APIRouter(route_class=HrcoreRoute, tags=["training"])

PNG = "image/png"
SVG = "image/svg+xml"
_IMAGE = {"schema": {"type": "string", "format": "binary"}}


def _qr_image(token: str, kind: Literal["png", "svg"]) -> bytes:
    code = segno.make(token, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind=kind, scale=8, border=4)
    return out.getvalue()


@router.get(
    "/course-sessions/{session_id}/qr",
    operation_id="get_course_session_qr",
    summary="The session's rotating check-in QR code (PNG, SVG, or the token as JSON)",
    response_model=TrainingQrToken,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT}
    | {
        200: {
            "content": {PNG: _IMAGE, SVG: _IMAGE},
            "headers": {"Expires": {"schema": {"type": "string"}}},
        }
    },
)
async def get_course_session_qr(
    session_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
    clock: AppClock,
    image_format: Annotated[
        Literal["png", "svg", "json"],
        Query(alias="format", description="The image's format, or the token."),
    ] = "png",
) -> TrainingQrToken | Response:
    """For HR admins and the session's instructor (other users 403; integration keys 403;
    a cancelled session 409). The code carries a signed token of this session and the
    current 30-second window; it is accepted in its window and the next, so show a fresh
    one every window: `refresh_at` (JSON) says when, `Expires` (every format) when this one
    is refused. `format=json` answers the token for a kiosk screen that draws the code
    itself."""
    issued = await checkin.qr_token(session, principal, session_id, runtime.settings, clock.now())
    headers = {
        "Expires": format_datetime(issued.expires_at, usegmt=True),
        "Cache-Control": "no-store",
    }
    if image_format == "json":
        body = TrainingQrToken(
            token=issued.token, refresh_at=issued.refresh_at, expires_at=issued.expires_at
        )
        return Response(body.model_dump_json(), media_type="application/json", headers=headers)
    image = await asyncio.to_thread(_qr_image, issued.token, image_format)
    return Response(image, media_type=PNG if image_format == "png" else SVG, headers=headers)


@router.post(
    "/course-sessions/{session_id}/check-in",
    operation_id="check_in_course_session",
    summary="Check in to a session with its QR code, or check someone in (instructor, HR)",
    responses={
        **problem(401, "The QR code is expired or forged (nothing written)"),
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "On the waiting list, or the session is cancelled"),
        **problem(422, "The QR code of another session, or both or neither of the fields"),
    },
)
async def check_in_course_session(
    session_id: uuid.UUID,
    body: TrainingCheckInIn,
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
    clock: AppClock,
) -> TrainingCheckInOut:
    """`{token}`: the caller, scanning the code the session shows (401 when the code is
    expired or forged, 422 when it is another session's). `{employee_id}`: the instructor or
    an HR admin checks someone in by hand (others 403). 404 when the person is not enrolled
    in the session, 409 when on its waiting list. After the start plus the session's grace
    minutes the arrival is `late`. The first check-in completes the enrolment and awards the
    `attendance` rule (the course's `points` when it sets them) and, when late, the `late`
    rule; checking in again answers the same result and awards nothing."""
    return await checkin.check_in(session, principal, session_id, body, runtime.settings, clock)


@router.get(
    "/course-sessions/{session_id}/attendance",
    operation_id="get_course_session_attendance",
    summary="Who is enrolled in a session and who checked in, late or not, with counts",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_course_session_attendance(
    session_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> TrainingAttendancePage:
    """For HR admins and the instructor (everyone enrolled) and department heads (the
    enrolled people in their reach, the counts too); other users and integration keys 403.
    Each enrolled person (waitlisted and cancelled enrolments are not listed) with status,
    check-in time, late and method, by name, cursor-paginated; `summary` counts enrolled,
    present, late and absent over everyone the reader sees."""
    return await checkin.attendance(session, principal, session_id, page)


@router.get(
    "/me/course-progress",
    operation_id="list_my_course_progress",
    summary="My online courses with their progress",
    responses=NOT_FOUND,
)
async def list_my_course_progress(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[CourseProgressOut]:
    """The caller's online enrolments, newest first, cursor-paginated: modules done,
    progress in percent against the completion threshold, completion and exam result. 404
    for an account not linked to an employee; integration keys 403."""
    return await checkin_progress.my_progress(session, principal, page)


@router.post(
    "/me/course-progress",
    operation_id="record_my_course_progress",
    summary="Mark a module of my online course done",
    responses={
        **NOT_FOUND,
        **problem(422, "The course has no such module"),
    },
)
async def record_my_course_progress(
    body: CourseProgressIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> CourseProgressOut:
    """The caller finished the module `module_key` of the online course `course_id` (404
    when not enrolled in it, 422 for a key the course's modules lack; again: no change).
    Reaching the course's completion threshold completes the enrolment once and awards the
    `online_course` rule (the course's `points` when it sets them)."""
    return await checkin_progress.mark_module(session, principal, body, clock.now())


@router.post(
    "/xapi/statements",
    operation_id="post_xapi_statements",
    summary="Online progress from an LMS as xAPI statements",
    responses=FORBIDDEN,
)
async def post_xapi_statements(
    statements: Annotated[
        XapiStatementIn
        | Annotated[list[XapiStatementIn], Body(min_length=1, max_length=MAX_STATEMENTS)],
        Body(description="One xAPI 1.0.3 statement or a list of them (at most 500)."),
    ],
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> XapiStatementResults:
    """For integration keys with `training:write` and HR admins (other keys and users 403).
    A malformed statement fails the whole request (422 naming its field); otherwise each
    statement answers on its own, in the order sent: `accepted`, `duplicate` (its `id` was
    applied before, nothing changes) or `rejected` with `problem_status` and `reason` — an
    unknown employee (actor `account.name`, the employee number) or no online enrolment in
    the course (404), an object that is not `…/courses/{course_id}` with an optional
    `#module_key`, a module the course lacks, a `passed` without score, an actor named by
    `mbox` only (422: people are found by employee number); a rejected
    statement writes nothing. `completed` marks the module done (without a module, the whole
    course); `progressed` does when `result.completion` is true; `passed` records the score
    (`result.score.scaled`, or `raw` within `min`–`max`, in percent; the best is kept)."""
    batch = statements if isinstance(statements, list) else [statements]
    return await checkin_xapi.apply_statements(session, principal, batch, clock.now())
