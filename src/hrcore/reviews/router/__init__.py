"""Reviews and 360: templates, cycles, rater work and results; appeals in `appeal_routes.py`,
included last so the routes keep their order."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.core.template_routes import Summaries, TemplateRoutes, add_template_routes
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.reviews import (
    answers,
    cycles,
    nominations,
    oversight,
    participants,
    progress,
    publication,
    recommendations,
    results,
    templates,
)
from hrcore.reviews.form_schemas import (
    ReviewTemplateIn,
    ReviewTemplateOut,
    ReviewTemplatePatch,
    ReviewTemplateRevision,
)
from hrcore.reviews.models import ReviewResult
from hrcore.reviews.router import appeal_routes
from hrcore.reviews.schemas import (
    AnswersIn,
    AssignmentOut,
    Calibration,
    CycleIn,
    CycleOut,
    CycleProgress,
    MyReviewResultsPage,
    NominationDecision,
    NominationOut,
    NominationsIn,
    OwnResult,
    RawAnswer,
    RecommendationIn,
    ReopenIn,
    ResultOut,
    ReviewParticipantsAdded,
    ReviewParticipantsIn,
)

router = APIRouter(route_class=HrcoreRoute, tags=["reviews"])


# --- templates ----------------------------------------------------------------------------

add_template_routes(
    router,
    TemplateRoutes(
        path="/review-templates",
        noun="review_template",
        rules=templates.RULES,
        body=ReviewTemplateIn,
        patch=ReviewTemplatePatch,
        output=ReviewTemplateOut,
        revision=ReviewTemplateRevision,
        principal=CurrentPrincipal,
        summaries=Summaries(
            list="Review forms",
            create="Create a review form; weights must sum to 100 (HR admin)",
            get="One review form",
            update="Replace a review form (a new revision; running cycles keep theirs)",
            list_revisions="Every revision of a review form, oldest first",
            get_revision="A review form as it was at one revision (what cycles on it run on)",
        ),
    ),
)


# --- cycles -------------------------------------------------------------------------------


@router.get("/review-cycles", operation_id="list_review_cycles", summary="Review cycles")
async def list_cycles(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[CycleOut]:
    """The organization's review cycles with their kind, dates, state and weights,
    cursor-paginated. For HR admins and department heads; an integration key needs `ratings:read`.
    """
    rows, cursor = await cycles.list_cycles(session, principal, page)
    return Page(items=await cycles.cycle_views(session, rows), next_cursor=cursor)


@router.post(
    "/review-cycles",
    operation_id="create_review_cycle",
    summary="Create a cycle on a copy of a form (HR admin)",
    status_code=201,
    responses=FORBIDDEN,
)
async def create_cycle(body: CycleIn, principal: CurrentPrincipal, session: DbSession) -> CycleOut:
    """For HR admins. Creates a draft cycle (`mid_year`, `year_end`, `campaign_360` or
    `program_stage`) on a copy of a review form's current revision, with its dates in the
    organization's time zone, relationship weights summing to 100, optional peer nomination and
    minimum raters. Add participants, then open it."""
    cycle = await cycles.create_cycle(session, principal, body)
    [view] = await cycles.cycle_views(session, [cycle])
    return view


@router.get(
    "/review-cycles/{cycle_id}",
    operation_id="get_review_cycle",
    summary="One review cycle",
    responses=NOT_FOUND,
)
async def get_cycle(
    cycle_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> CycleOut:
    """One review cycle, for HR admins and department heads (a key needs `ratings:read`)."""
    [view] = await cycles.cycle_views(
        session, [await cycles.get_cycle(session, principal, cycle_id)]
    )
    return view


@router.post(
    "/review-cycles/{cycle_id}/participants",
    operation_id="add_review_participants",
    summary="Add participants by hand or by department subtree (HR admin, before opening)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def add_participants(
    cycle_id: uuid.UUID, body: ReviewParticipantsIn, principal: CurrentPrincipal, session: DbSession
) -> ReviewParticipantsAdded:
    """For HR admins, before the cycle opens (409 after): adds participants by id, by department
    subtree or by the employee list's filters (`query`), active people only, at most 20,000 a call
    (422 beyond). Repeats are ignored; answers who was added."""
    return await participants.add_participants(session, principal, cycle_id, body)


@router.post(
    "/review-cycles/{cycle_id}/open",
    operation_id="open_review_cycle",
    summary="Open: every rater gets an assignment and a task (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def open_cycle(
    cycle_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> CycleOut:
    """For HR admins. Opens a draft cycle: every participant gets a self assignment and one for
    their manager, each peer (or, with peer nomination, each approved nominee) and each direct
    report, each with a task due on the cycle's due date, so reminders and escalation apply. Peer
    and subordinate rater tasks are confidential. Already open: 409."""
    [view] = await cycles.cycle_views(
        session, [await cycles.open_cycle(session, principal, cycle_id, clock)]
    )
    return view


@router.post(
    "/review-cycles/{cycle_id}/close",
    operation_id="close_review_cycle",
    summary="Close: answers stop, results are computed in the background (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def close_cycle(
    cycle_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> CycleOut:
    """For HR admins. Stops answers, withdraws the tasks of unanswered assignments and queues the
    aggregation of results in the background (poll the results). Closing again changes nothing."""
    [view] = await cycles.cycle_views(
        session, [await cycles.close_cycle(session, principal, cycle_id, clock)]
    )
    return view


@router.get(
    "/review-cycles/{cycle_id}/results",
    operation_id="list_review_cycle_results",
    summary="Results of a cycle for the people in my reach (anonymity kept)",
    responses=NOT_FOUND,
)
async def list_cycle_results(
    cycle_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
) -> Page[ResultOut]:
    """The cycle's results for the people in the caller's reach — HR admins everyone, managers and
    department heads their people (a key needs `ratings:read`) — cursor-paginated. Peer and
    subordinate groups below the anonymity threshold are withheld (`withheld_groups`), comments
    unattributed."""
    rows, cursor = await results.list_cycle_results(session, principal, cycle_id, page)
    items = await results.result_views(session, principal, rows)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/review-cycles/{cycle_id}/progress",
    operation_id="get_review_cycle_progress",
    summary="Submission and on-time rates by department and relationship; score distribution",
    responses=NOT_FOUND,
)
async def get_progress(
    cycle_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> CycleProgress:
    """For HR admins (department heads: their subtree): assignments, submitted and on-time counts
    and rates for the cycle, per department and per relationship, participants below the minimum
    raters, and the distribution of overall scores once results exist."""
    return await progress.cycle_progress(session, principal, cycle_id)


# --- rater work ---------------------------------------------------------------------------


@router.get(
    "/me/review-assignments",
    operation_id="list_my_review_assignments",
    summary="Reviews I am asked to give",
)
async def list_my_assignments(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[
        Literal["pending", "draft", "submitted"] | None, Query(description="Only this status.")
    ] = None,
) -> Page[AssignmentOut]:
    """The reviews the caller is asked to give (self, supervisor, peer, subordinate),
    cursor-paginated, with whom they rate and their state; filter by `status`."""
    rows, cursor = await answers.list_my_assignments(session, principal, page, status=status)
    items = await answers.assignment_views(session, principal.org_id, rows)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/review-assignments/{assignment_id}",
    operation_id="get_review_assignment",
    summary="One of my review assignments, with the form",
    responses=NOT_FOUND,
)
async def get_assignment(
    assignment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> AssignmentOut:
    """One of the caller's own review assignments with the form to answer and the answers saved so
    far; anyone else's (HR included) is 404. Its `ETag` serves `If-Match` on saving."""
    assignment = await answers.get_assignment(session, principal, assignment_id)
    set_etag(response, assignment.version)
    [view] = await answers.assignment_views(session, principal.org_id, [assignment])
    return view


@router.put(
    "/review-assignments/{assignment_id}",
    operation_id="save_review_answers",
    summary="Save my answers as a draft",
    responses={**NOT_FOUND, **STALE},
)
async def save_answers(
    assignment_id: uuid.UUID,
    body: AnswersIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AssignmentOut:
    """Saves the rater's answers as a draft, replacing the previous draft. Each answer must fit its
    indicator (a score on the scale, an actual ≥ 0, a known key: else 422 naming the field).
    Submitted or closed: 409. Guarded by `If-Match` or a body `version`."""
    assignment, cycle = await answers.save_answers(
        session, principal, assignment_id, body, if_match=if_match
    )
    set_etag(response, assignment.version)
    [view] = await answers.assignment_views(
        session, principal.org_id, [assignment], known_cycles=[cycle]
    )
    return view


@router.post(
    "/review-assignments/{assignment_id}/submit",
    operation_id="submit_review_answers",
    summary="Submit my saved answers (final; completes my task)",
    responses={**NOT_FOUND, **CONFLICT},
)
async def submit_answers(
    assignment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> AssignmentOut:
    """Submits the saved answers as final and completes the rater's task (the only way to close
    it). Already submitted or the cycle closed: 409."""
    assignment, cycle = await answers.submit_answers(session, principal, assignment_id, clock)
    [view] = await answers.assignment_views(
        session, principal.org_id, [assignment], known_cycles=[cycle]
    )
    return view


@router.post(
    "/review-assignments/{assignment_id}/reopen",
    operation_id="reopen_review_answers",
    summary="Make a submitted answer a draft again, with a reason (HR admin; audited)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def reopen_answers(
    assignment_id: uuid.UUID,
    body: ReopenIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> AssignmentOut:
    """For HR admins, while the cycle is open: turns a submitted answer back into a draft with a
    mandatory reason; the rater gets a new task (due on the cycle's due date, or in 3 days when
    that has passed). Audited with the reason."""
    assignment = await oversight.reopen(session, principal, assignment_id, body, clock)
    [view] = await answers.assignment_views(session, principal.org_id, [assignment])
    return view


@router.post(
    "/review-participants/{participant_id}/nominations",
    operation_id="nominate_review_peers",
    summary="Name the peers who should rate me (cycles with peer nomination)",
    responses={
        **NOT_FOUND,
        **problem(409, "No nominations in this cycle, or not open"),
        **problem(422, "Yourself, unknown people, or below the minimum"),
    },
)
async def nominate_peers(
    participant_id: uuid.UUID,
    body: NominationsIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> list[NominationOut]:
    """The participant names the peers who should rate them, in a cycle with peer nomination while
    it is open: never themselves, their manager or reports, unknown or departed people, and at
    least the cycle's minimum (422). Each new nomination is an approval
    (`reviews.peer_nomination`): by default the direct manager decides it, and the supervisor
    chain, department head or HR may; an organization's chain says otherwise."""
    rows = await nominations.nominate(session, principal, participant_id, body, clock)
    return await nominations.nomination_views(session, principal.org_id, rows)


@router.get(
    "/review-participants/{participant_id}/nominations",
    operation_id="list_review_nominations",
    summary="A participant's peer nominations (the participant, their supervisors, HR)",
    responses=NOT_FOUND,
)
async def list_nominations(
    participant_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> list[NominationOut]:
    """A participant's peer nominations with their decisions, for the participant, their supervisor
    chain, department head and HR admins; anyone else 404."""
    rows = await nominations.list_nominations(session, principal, participant_id)
    return await nominations.nomination_views(session, principal.org_id, rows)


@router.post(
    "/review-nominations/{nomination_id}/decision",
    operation_id="decide_review_nomination",
    summary="Approve (the peer is asked to rate) or reject a nomination (supervisor or HR)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def decide_nomination(
    nomination_id: uuid.UUID,
    body: NominationDecision,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> NominationOut:
    """Decide the nomination's approval at its current step, once (409 when decided): on the
    default chain the participant's supervisor chain, department head or an HR admin; on the
    organization's own chain, that step's approvers. An approved peer gets an assignment and
    its task when the chain completes."""
    row = await nominations.decide(session, principal, nomination_id, body, clock)
    [view] = await nominations.nomination_views(session, principal.org_id, [row])
    return view


# --- results ------------------------------------------------------------------------------


async def _view(session: DbSession, principal: CurrentPrincipal, result: ReviewResult) -> ResultOut:
    [view] = await results.result_views(session, principal, [result])
    return view


@router.get(
    "/me/review-results",
    operation_id="list_my_review_results",
    summary="My review results: published ones (anonymity kept), unpublished ones as pending",
)
async def list_my_results(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> MyReviewResultsPage:
    """The caller's own review results, newest first, cursor-paginated: published ones with their
    figures (anonymity kept), unpublished ones as `pending` with nothing computed in them."""
    rows, cursor = await results.list_my_results(session, principal, page)
    items = await results.own_result_views(session, principal, rows)
    return MyReviewResultsPage(items=items, next_cursor=cursor)


@router.get(
    "/review-results/{result_id}",
    operation_id="get_review_result",
    summary="One result (HR; the employee: pending until published; their managers)",
    responses=NOT_FOUND,
)
async def get_result(
    result_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> OwnResult:
    """One result. HR admins and the employee's managers and department head read it whole (a key
    needs `ratings:read`); the employee reads it once published and sees `status: pending` before;
    anyone else 404. Calibration notes are HR's only."""
    result = await results.read_result(session, principal, result_id)
    [view] = await results.own_result_views(session, principal, [result])
    return view


@router.post(
    "/review-results/{result_id}/calibrate",
    operation_id="calibrate_review_result",
    summary="Adjust the overall score with a reason (HR admin; before publishing)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def calibrate(
    result_id: uuid.UUID,
    body: Calibration,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ResultOut:
    """For HR admins, before publishing (409 after): sets a new overall score with a mandatory
    reason; the computed score and every adjustment are kept. Audited."""
    result = await publication.calibrate(session, principal, result_id, body, clock)
    return await _view(session, principal, result)


@router.post(
    "/review-results/{result_id}/publish",
    operation_id="publish_review_result",
    summary="Show the result to the employee and notify them (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def publish(
    result_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ResultOut:
    """For HR admins. Publishes the result: the employee sees it at `/me/review-results` and is
    notified, and the appeal window starts."""
    result = await publication.publish(session, principal, result_id, clock)
    return await _view(session, principal, result)


@router.post(
    "/review-results/{result_id}/recommendation",
    operation_id="recommend_from_review_result",
    summary="Recommend: promote, continue development or re-assess (supervisor chain or HR)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def recommend(
    result_id: uuid.UUID,
    body: RecommendationIn,
    principal: CurrentPrincipal,
    session: DbSession,
) -> ResultOut:
    """The employee's supervisor chain, department head or an HR admin (never the employee
    themself) recommends promote, continue development or re-assess next cycle, with an optional
    reason; a new recommendation replaces the last. Honours a body `version` (409 when stale);
    audited."""
    result = await recommendations.recommend(session, principal, result_id, body)
    return await _view(session, principal, result)


@router.get(
    "/review-results/{result_id}/answers",
    operation_id="list_review_raw_answers",
    summary="Individual answers behind a result (HR admin with the review_auditor role; audited)",
    responses=NOT_FOUND,
)
async def list_raw_answers(
    result_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> list[RawAnswer]:
    """Only for an HR admin who also holds `review_auditor`: the individual answers behind a result
    with the raters' names; for anyone else they do not exist (404). Every read is audited."""
    return await oversight.raw_answers(session, principal, result_id)


router.include_router(appeal_routes.router)
