"""Mentoring sessions over HTTP: log a pairing's 1:1s, skill tests and progress reports, and
read them with the plan's checklist coverage."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.mentoring import sessions
from hrcore.mentoring.schedule import LOG_SESSION
from hrcore.mentoring.session_schemas import (
    MentoringSessionIn,
    MentoringSessionOut,
    MentoringSessionPage,
)

router = APIRouter(route_class=HrcoreRoute, tags=["mentoring"])


@router.get(
    "/mentorships/{mentorship_id}/sessions",
    operation_id="list_mentoring_sessions",
    summary="A mentorship's logged sessions and its checklist coverage",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_mentoring_sessions(
    mentorship_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> MentoringSessionPage:
    """For the mentor, the mentee, HR admins and department heads whose reach holds either
    (404 for anyone else; integration keys 403): the sessions, latest held first,
    cursor-paginated, and every item of the plan's checklist with the sessions that covered
    it."""
    return await sessions.list_sessions(session, principal, mentorship_id, page)


@router.post(
    LOG_SESSION.path,
    operation_id=LOG_SESSION.operation_id,
    summary="Log a mentoring session: a 1:1, a skill test or a progress report (mentor, HR)",
    status_code=201,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def log_mentoring_session(
    mentorship_id: uuid.UUID,
    body: MentoringSessionIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> MentoringSessionOut:
    """For the mentor and HR admins (others who read the pairing: 403; 404 outside reach).
    `held_on` is not after today nor before the pairing starts, `checklist_covered` names keys
    of the plan's checklist, `score` (0–100) belongs to skill tests only (422 otherwise). The
    session completes the scheduled task it names (`task_id`), else the earliest open one of
    its kind; a skill test's score becomes competency evidence of the plan's competency goals.
    An ended pairing is 409. Audited; webhook `mentoring_session.logged`."""
    row = await sessions.log_session(session, principal, mentorship_id, body, clock)
    return sessions.session_view(row)
