"""Mentee templates (a template kind), pairings, their plans and `/me/mentorships` over
HTTP; included by the domain's router."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.core.template_routes import Summaries, TemplateRoutes, add_template_routes
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.mentoring import mentorship_access, mentorships, plans, templates
from hrcore.mentoring.mentorship_models import MentorshipStatus
from hrcore.mentoring.mentorship_schemas import (
    MenteeTemplateIn,
    MenteeTemplateOut,
    MenteeTemplatePatch,
    MenteeTemplateRevisionOut,
    MentorshipEndIn,
    MentorshipIn,
    MentorshipOut,
    MentorshipPlanDecisionIn,
    MentorshipPlanIn,
    MentorshipPlanOut,
    MyMentorshipOut,
)

router = APIRouter(route_class=HrcoreRoute)

add_template_routes(
    router,
    TemplateRoutes(
        path="/mentee-templates",
        noun="mentee_template",
        rules=templates.RULES,
        body=MenteeTemplateIn,
        patch=MenteeTemplatePatch,
        output=MenteeTemplateOut,
        revision=MenteeTemplateRevisionOut,
        principal=CurrentPrincipal,
        summaries=Summaries(
            list="Mentee templates by role",
            create="Create a mentee template: role, duration, measurable goals, checklist and "
            "schedule (HR admin)",
            get="One mentee template",
            update="Replace a mentee template; running plans keep their revision (HR admin)",
            list_revisions="Every revision of a mentee template, oldest first",
            get_revision="A mentee template as it was at one revision",
        ),
        read_responses=FORBIDDEN,
        descriptions={
            "list": "Every member of the organization (integration keys: 403): the mentee "
            "templates at their current revision, cursor-paginated.",
            "get": "Every member of the organization: one mentee template at its current "
            "revision; another organization's is 404. Its `ETag` serves `If-Match` on the "
            "update.",
            "create": "For HR admins. A template for a role (`new_graduate`, `transfer`, "
            "`promotion_candidate`) over `duration_months`, with goals (`competency_level`: a "
            "competency of the library and one of its levels; `skill_test_score`: a target "
            "0–100; `performance_score`: a rating target 1–5), checklist items and the "
            "schedule (default: 1:1 monthly, skill test quarterly, progress report "
            "half-yearly). Duplicate keys, an interval above the duration, an unknown "
            "competency or level are 422; a taken name 409. Audited.",
        },
    ),
)

Status = Annotated[MentorshipStatus | None, Query(description="Only in this status.")]


@router.get(
    "/mentorships",
    operation_id="list_mentorships",
    summary="Pairings I may see",
    responses=FORBIDDEN,
)
async def list_mentorships(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    program_id: Annotated[uuid.UUID | None, Query(description="Only this program's.")] = None,
    mentor_id: Annotated[uuid.UUID | None, Query(description="Only this mentor's.")] = None,
    mentee_id: Annotated[uuid.UUID | None, Query(description="Only this employee's.")] = None,
    status: Status = None,
) -> Page[MentorshipOut]:
    """Pairings, cursor-paginated: HR admins all; anyone else those whose mentee or mentor is
    in their reach (themself, the people they manage, a department head's subtree). Each with
    its plan's status and the mentor's load. Integration keys: 403."""
    rows, cursor = await mentorships.list_mentorships(
        session,
        principal,
        page,
        program_id=program_id,
        mentor_id=mentor_id,
        mentee_id=mentee_id,
        status=status,
    )
    return Page(items=await mentorships.views(session, rows), next_cursor=cursor)


@router.post(
    "/mentorships",
    operation_id="create_mentorship",
    summary="Pair a mentor with a mentee (HR admin, the mentee's manager or department head)",
    status_code=201,
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "The mentor is at capacity, or the mentee is paired in the program"),
        **problem(422, "The mentor fails the program's rules without an override reason"),
    },
)
async def create_mentorship(
    body: MentorshipIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> MentorshipOut:
    """HR admins, or the mentee's managers and department head (403 for others who see the
    mentee, 404 for who does not). The mentor must be a mentor of the program and is checked
    against its rules now: failing rules are 422 listing each with the value found, unless an
    HR admin gives `override_reason` (audited with the checks). A mentor whose active pairings
    reach the program's capacity, or a mentee already in an active pairing of the program, is
    409; the mentee as their own mentor, inactive or outside the program's departments is
    422. `ends_on` is `starts_on` plus the template's duration; the plan is drafted from the
    template's current revision. Audited; published as `mentorship.started`."""
    mentorship = await mentorships.pair(session, principal, body, clock)
    set_etag(response, mentorship.version)
    [view] = await mentorships.views(session, [mentorship])
    return view


@router.get(
    "/mentorships/{mentorship_id}",
    operation_id="get_mentorship",
    summary="One pairing",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_mentorship(
    mentorship_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> MentorshipOut:
    """One pairing the caller may see (404 otherwise), with its plan's status and the mentor's
    load."""
    mentorship = await mentorship_access.readable_mentorship(session, principal, mentorship_id)
    set_etag(response, mentorship.version)
    [view] = await mentorships.views(session, [mentorship])
    return view


@router.get(
    "/mentorships/{mentorship_id}/plan",
    operation_id="get_mentorship_plan",
    summary="A pairing's plan",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_plan(
    mentorship_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> MentorshipPlanOut:
    """Whoever sees the pairing: its plan (goals, checklist, schedule, dates) and status
    (`draft`, `submitted`, `approved`, `returned` with the decision's comment). Its `ETag`
    serves `If-Match` on the update."""
    plan = await plans.get_plan(session, principal, mentorship_id)
    set_etag(response, plan.version)
    return plan


@router.put(
    "/mentorships/{mentorship_id}/plan",
    operation_id="update_mentorship_plan",
    summary="Edit (and submit) a pairing's plan (the mentor or HR)",
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **STALE,
        **problem(409, "The plan awaits approval, or the pairing has ended"),
    },
)
async def update_plan(
    mentorship_id: uuid.UUID,
    body: MentorshipPlanIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
    if_match: IfMatch = None,
) -> MentorshipPlanOut:
    """The mentor or an HR admin (403 for others who see the pairing) replaces goals,
    checklist, schedule and the pairing's dates; `submit: true` sends the plan for approval
    (the approval kind `mentoring.mentorship_plan`: the organization's chain, else any HR
    admin). Editing an approved plan submits it again: it is approved only once decided
    again. A submitted plan awaiting its decision, or an ended pairing, is 409; guarded by
    `If-Match` or a body `version`. Competencies and levels as for templates (422). Audited."""
    plan = await plans.update_plan(
        session, principal, mentorship_id, body, clock, if_match=if_match
    )
    set_etag(response, plan.version)
    return plan


@router.post(
    "/mentorships/{mentorship_id}/plan/approve",
    operation_id="decide_mentorship_plan",
    summary="Approve or return a submitted plan (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def decide_plan(
    mentorship_id: uuid.UUID,
    body: MentorshipPlanDecisionIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> MentorshipPlanOut:
    """For HR admins (403 for others who see the pairing). Decides the current step of the
    plan's approval: `approve`, or `return` with a `comment` (422 without). On the kind's
    default chain HR decides in the approvers' stead; on the organization's own chain only
    the step's approvers do. The last approval makes the plan `approved` and plans its
    schedule; a plan that is not submitted is 409. Audited."""
    return await plans.decide(session, principal, mentorship_id, body, clock)


@router.post(
    "/mentorships/{mentorship_id}/end",
    operation_id="end_mentorship",
    summary="Complete or cancel a pairing",
    responses={**FORBIDDEN, **NOT_FOUND, **problem(409, "The pairing has ended already")},
)
async def end_mentorship(
    mentorship_id: uuid.UUID,
    body: MentorshipEndIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> MentorshipOut:
    """HR admins, or the mentee's managers and department head (403 for others who see the
    pairing). `outcome` `completed`, or `cancelled` with a `reason` (422 without). Its open
    tasks are cancelled and its plan's open approval withdrawn; ending twice is 409. Audited;
    published as `mentorship.ended`."""
    mentorship = await mentorships.end(session, principal, mentorship_id, body, clock)
    [view] = await mentorships.views(session, [mentorship])
    return view


@router.get(
    "/me/mentorships",
    operation_id="list_my_mentorships",
    summary="My pairings, as mentor and as mentee",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_my_mentorships(
    principal: CurrentPrincipal, session: DbSession, page: Pagination, status: Status = None
) -> Page[MyMentorshipOut]:
    """The caller's pairings, cursor-paginated, each with the caller's `role`; as mentee the
    mentor's work email and phone. 404 for an account without an employee record;
    integration keys: 403."""
    items, cursor = await mentorships.my_mentorships(session, principal, page, status=status)
    return Page(items=items, next_cursor=cursor)
