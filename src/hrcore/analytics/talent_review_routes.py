"""The talent review meeting 「人才盘点」: sessions, placements and moves, the close, and the
report PDF drawn by the worker."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from hrcore.analytics import talent_review, talent_review_report
from hrcore.analytics.talent_review_schemas import (
    TalentReviewClosedOut,
    TalentReviewMoveIn,
    TalentReviewOpen,
    TalentReviewOut,
    TalentReviewPlacementOut,
    TalentReviewReportPending,
    TalentReviewSummaryOut,
)
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, Pagination
from hrcore.core.errors import problem_response
from hrcore.core.http import HrcoreRoute
from hrcore.core.i18n import _
from hrcore.core.pagination import Page
from hrcore.core.pdf import MEDIA_TYPE, content_disposition
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, problem
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])
RETRY_AFTER_SECONDS = 2


@router.get(
    "/talent-reviews",
    operation_id="list_talent_reviews",
    summary="Talent review sessions, newest first",
    responses={**FORBIDDEN},
)
async def list_reviews(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[TalentReviewSummaryOut]:
    """HR admins every session; a department head those with people of their subtree."""
    items, cursor = await talent_review.list_sessions(session, principal, page)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/talent-reviews",
    operation_id="open_talent_review",
    summary="Open a talent review of a department subtree or a talent pool (HR)",
    status_code=201,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def open_review(
    body: TalentReviewOpen, principal: CurrentPrincipal, session: DbSession
) -> TalentReviewOut:
    """Exactly one of `department_id` (its subtree's active people) or `pool_id` (its
    nominated and active members); each is proposed on the 9-box where talent last placed
    them (not placed when never)."""
    return await talent_review.open_session(session, principal, body)


@router.get(
    "/talent-reviews/{review_id}",
    operation_id="get_talent_review",
    summary="A talent review with its 9-box counted over your reach",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_review(
    review_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> TalentReviewOut:
    """For HR admins and department heads with someone of theirs in it (else 404): the
    session, its population and state, and the 9-box counted over the people you reach."""
    return await talent_review.get_session(session, principal, review_id)


@router.get(
    "/talent-reviews/{review_id}/placements",
    operation_id="list_talent_review_placements",
    summary="The participants in your reach: proposed box, current box and moves",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_placements(
    review_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[TalentReviewPlacementOut]:
    """The participants you reach, each with the box proposed at opening, the box now and
    every move (who, when, before → after, the reason)."""
    items, cursor = await talent_review.list_placements(session, principal, review_id, page)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/talent-reviews/{review_id}/placements",
    operation_id="move_talent_review_placement",
    summary="Move a participant to another box, with a reason",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def move_placement(
    review_id: uuid.UUID,
    body: TalentReviewMoveIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> TalentReviewPlacementOut:
    """HR admins anyone, department heads the people of their subtree (404 otherwise); the
    move is kept, before → after, with its reason, and audited. 409 once closed."""
    return await talent_review.move(session, principal, review_id, body, clock)


@router.post(
    "/talent-reviews/{review_id}/close",
    operation_id="close_talent_review",
    summary="Close a talent review: its boxes update the members' 9-box and readiness (HR)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def close_review(
    review_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> TalentReviewClosedOut:
    """No more moves afterwards. Each placed participant's active pool memberships (the
    session's pool's, or every pool's) get the box and its readiness: high × high ready now,
    high × medium either way one to two years, any other three years or more. Audited and
    published as the `talent_review.closed` webhook; a second close is 409."""
    return await talent_review.close(session, principal, review_id, clock)


@router.get(
    "/talent-reviews/{review_id}/report",
    operation_id="get_talent_review_report",
    summary="The session's report PDF with its charts, drawn in the background",
    responses={
        200: {"content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
        202: {
            "model": TalentReviewReportPending,
            "description": "The worker is drawing it; retry after `Retry-After` seconds.",
        },
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "Drawing failed (the reason is in `detail`); it is queued again."),
    },
    response_class=Response,
)
async def report(
    review_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
) -> Response:
    """For HR admins, and department heads whose subtree holds every participant. In the
    reader's language (Chinese or English): the 9-box with counts and names and each box's
    count as proposed, now and moved into (matplotlib charts), every box's people and every
    move. One report per revision of the session: 202 with `Retry-After` while the worker
    draws it, then the PDF with its SHA-256 as `ETag`."""
    found = await talent_review_report.report_pdf(session, principal, review_id, runtime.settings)
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    document = found.report
    if found.error is not None:
        detail = _("The report could not be drawn: {error}", error=found.error)
        return problem_response(request, 409, detail=detail, headers=retry)
    if found.content is None:
        return JSONResponse(
            TalentReviewReportPending(revision=document.revision).model_dump(),
            status_code=status.HTTP_202_ACCEPTED,
            headers=retry,
        )
    return Response(
        found.content,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": content_disposition(
                f"{document.content['name']}.pdf", f"talent-review-{document.session_id}.pdf"
            ),
            "ETag": f'"{document.sha256}"',
        },
    )
