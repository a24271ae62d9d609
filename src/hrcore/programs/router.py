"""Development programs: templates, runs, participants, progress, decisions, dossiers."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status
from fastapi.responses import JSONResponse

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, Pagination
from hrcore.core.errors import problem_response
from hrcore.core.http import HrcoreRoute, prefers_over_json
from hrcore.core.i18n import _
from hrcore.core.pagination import Page
from hrcore.core.pdf import content_disposition
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, problem
from hrcore.core.template_routes import Summaries, TemplateRoutes, add_template_routes
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.programs import decisions, dossier_pdf, participants, runs, start, templates
from hrcore.programs import dossier as dossiers
from hrcore.programs import progress as run_progress
from hrcore.programs.schemas import (
    DecisionIn,
    Dossier,
    DossierPdfPending,
    ParticipantOut,
    ProgramParticipantsAdded,
    ProgramParticipantsIn,
    ProgramTemplateIn,
    ProgramTemplateOut,
    ProgramTemplatePatch,
    ProgramTemplateRevision,
    ProgressOut,
    RunIn,
    RunOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["programs"])


# --- templates ----------------------------------------------------------------------------

add_template_routes(
    router,
    TemplateRoutes(
        path="/program-templates",
        noun="program_template",
        rules=templates.RULES,
        body=ProgramTemplateIn,
        patch=ProgramTemplatePatch,
        output=ProgramTemplateOut,
        revision=ProgramTemplateRevision,
        principal=CurrentPrincipal,
        summaries=Summaries(
            list="Program templates (HR admins and department heads)",
            create="Create a template: ordered stages, policies, department variants (HR admin)",
            get="One program template",
            update="Replace the stages and variants; started programs keep their copy (HR admin)",
            list_revisions="Every revision of a program template, oldest first",
            get_revision="A program template as it was at one revision (what runs started on "
            "it keep)",
        ),
        read_responses=FORBIDDEN,
    ),
)


# --- runs ---------------------------------------------------------------------------------


@router.get(
    "/programs",
    operation_id="list_programs",
    summary="Program runs (cohorts)",
    responses=FORBIDDEN,
)
async def list_runs(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[RunOut]:
    """Program runs (cohorts) of the organization, cursor-paginated, each with its template, talent
    pool, start date and state (`draft`, `running`). Read by HR admins and department heads (others
    403)."""
    rows, cursor = await runs.list_runs(session, principal, page)
    return Page(items=await runs.run_views(session, rows), next_cursor=cursor)


@router.post(
    "/programs",
    operation_id="create_program",
    summary="Create a run of a template for a talent pool (HR admin)",
    status_code=201,
    responses=FORBIDDEN,
)
async def create_run(body: RunIn, principal: CurrentPrincipal, session: DbSession) -> RunOut:
    """For HR admins. Creates a draft run of a program template for a talent pool, starting on
    `starts_on`; enrol participants, then start it. An unknown template or pool is 422."""
    run = await runs.create_run(session, principal, body)
    [view] = await runs.run_views(session, [run])
    return view


@router.get(
    "/programs/{run_id}",
    operation_id="get_program",
    summary="One program run, with its template snapshot once started",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_run(run_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession) -> RunOut:
    """One program run, for HR admins and department heads; once started it carries the template
    snapshot (and its revision) it runs on."""
    run = await runs.get_run(session, principal, run_id)
    [view] = await runs.run_views(session, [run])
    return view


@router.post(
    "/programs/{run_id}/start",
    operation_id="start_program",
    summary="Snapshot the template, lay out stage windows, open every first stage (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def start_run(
    run_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> RunOut:
    """For HR admins. Starts a draft run: snapshots the template (later edits never reach the run),
    lays out each participant's stages — their department's variant — in consecutive day windows
    from `starts_on`, opens every first stage (tasks, or a 360 cycle for review stages) and
    withdraws participants who left meanwhile. Already started: 409; no participants, no stages or
    an evaluation stage without a supervisor: 422. Announces `program_run.started`."""
    run = await start.start_run(session, principal, run_id, clock)
    [view] = await runs.run_views(session, [run])
    return view


@router.get(
    "/programs/{run_id}/participants",
    operation_id="list_program_participants",
    summary="Participants in my reach (HR: all; department heads: their subtree)",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_participants(
    run_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[ParticipantOut]:
    """The run's participants with their status and current stage, cursor-paginated: HR admins see
    all, department heads those in their subtree (others 403)."""
    rows, cursor = await participants.list_participants(session, principal, run_id, page)
    items = await participants.participant_views(session, principal.org_id, rows)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/programs/{run_id}/participants",
    operation_id="add_program_participants",
    summary="Enrol active members of the run's pool before the start (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def add_participants(
    run_id: uuid.UUID, body: ProgramParticipantsIn, principal: CurrentPrincipal, session: DbSession
) -> ProgramParticipantsAdded:
    """For HR admins, before the run starts (409 after): enrols employees who are active members of
    the run's talent pool (422 otherwise); repeats are ignored. Answers who was added."""
    return await participants.add_participants(session, principal, run_id, body)


@router.get(
    "/programs/{run_id}/progress",
    operation_id="get_program_progress",
    summary="Completion and on-time rates, overdue counts and who is late, by stage and "
    "department (in my reach)",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def progress(
    run_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> ProgressOut:
    """Per stage (in order) and per department: participants, completed, completion and on-time
    rates, overdue counts and who is late. HR admins see everyone, department heads their reach
    (others 403); withdrawn participants are left out."""
    return await run_progress.progress(session, principal, run_id, clock)


@router.post(
    "/programs/{run_id}/participants/{participant_id}/decision",
    operation_id="decide_program_participant",
    summary="The decision stage's outcome, applied to the pool membership (HR or the "
    "supervisor chain)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def decide(
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    body: DecisionIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ParticipantOut:
    """HR admins or the participant's supervisor chain (department head included) record the
    decision stage's outcome — `appoint_when_open`, `continue`, `extend` or `remove` — with a
    reason, only while the participant's open stage is a decision stage (409 otherwise). The pool
    membership changes accordingly (readiness, or removal), audited with the reason; the decision
    stage and its task are completed and the program moves on."""
    participant = await decisions.decide(session, principal, run_id, participant_id, body, clock)
    [view] = await participants.participant_views(session, principal.org_id, [participant])
    return view


PDF = "application/pdf"
RETRY_AFTER_SECONDS = 2


@router.get(
    "/programs/{run_id}/participants/{participant_id}/dossier",
    operation_id="get_program_dossier",
    summary="Everything of one participant's program in order (HR, the participant, their "
    "supervisor chain); `Accept: application/pdf` for its PDF, generated in the background",
    response_model=Dossier,
    responses={
        200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}},
        202: {
            "model": DossierPdfPending,
            "description": "The PDF is being generated; retry after `Retry-After` seconds.",
        },
        **NOT_FOUND,
        **problem(
            409,
            "The PDF's generation failed (the reason is in `detail`); it is queued again, "
            "retry after `Retry-After` seconds.",
        ),
    },
)
async def dossier(
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    runtime: AppRuntime,
    accept: Annotated[str | None, Header()] = None,
) -> Dossier | Response:
    """Everything of one participant's program in order: each stage with its tasks and submissions,
    the 360 result as reviews allow the caller to see it, the evaluation and the decision, and the
    competency profile at the run's start and now against the target position's model. Readers:
    HR admins, the participant (without the supervisor's evaluation text and the decision's
    reason), their supervisor chain and department heads over them; anyone else 404. With `Accept:
    application/pdf` the same content as a PDF: 202 with `Retry-After` while the worker generates
    it, then the file with its SHA-256 as `ETag` (`If-None-Match` answers 304 while unchanged); a
    failed generation answers 409 and is queued again."""
    response.headers["Vary"] = "Accept"
    if not prefers_over_json(accept, PDF):
        return await dossiers.dossier(session, principal, run_id, participant_id, clock)
    found = await dossier_pdf.dossier_pdf(
        session, principal, run_id, participant_id, clock, runtime.settings
    )
    return _pdf_response(request, found)


def _pdf_response(request: Request, found: dossier_pdf.DossierPdf) -> Response:
    document = found.document
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS), "Vary": "Accept"}
    if found.error is not None:
        detail = _("The dossier PDF could not be generated: {error}", error=found.error)
        return problem_response(request, 409, detail=detail, headers=retry)
    if found.content is None:
        return JSONResponse(
            DossierPdfPending.model_validate({"audience": document.audience}).model_dump(),
            status_code=status.HTTP_202_ACCEPTED,
            headers=retry,
        )
    return Response(
        found.content,
        media_type=PDF,
        headers={
            "Content-Disposition": content_disposition(
                found.file_name, f"dossier-{document.participant_id}.pdf"
            ),
            "ETag": f'"{document.sha256}"',
            "Vary": "Accept",
        },
    )
