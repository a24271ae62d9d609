"""Development programs: templates of stages, runs (cohorts) of pool members, progress,
decisions and dossiers (JSON, and PDF rendered by the worker from the JSON its reader saw).

Who may do what: HR admins write templates and runs; HR admins and department heads read
them (heads see progress of their subtree only). A decision is made by HR or the
participant's supervisor chain; a dossier is read by HR, the participant themself (trimmed:
no supervisor evaluation text, no decision reason) and their supervisor chain — anyone else
gets 404.

Flow: starting a run snapshots the template, resolves each participant's stages (the most
specific department variant), computes every stage window in the organization's time zone
and opens the first stage. A stage's work is tasks through the tasks engine (training,
submission, assignment: the candidate; evaluation, decision: the supervisor; review: the
rater tasks of a one-person 360 cycle from reviews). When the last task of a stage is
completed (`workflow.on_completion`, in the completing transaction) the stage completes and
the next opens. Leaving the company or removal from the pool withdraws the participant and
cancels their open tasks (jobs subscribed to people's and talent's events).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events, outbox, pdf
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.db import SessionMaker, insert_new
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.core.storage import StoredObjectMissing, storage_for
from hrcore.identity import service as identity
from hrcore.org import service as org
from hrcore.people import service as people
from hrcore.programs import documents, repository
from hrcore.programs.models import (
    DossierDocument,
    ParticipantStage,
    ProgramParticipant,
    ProgramRun,
    ProgramTemplate,
    StageTask,
)
from hrcore.programs.schemas import (
    DecisionIn,
    DecisionRecord,
    DepartmentVariant,
    Dossier,
    DossierStage,
    ParticipantOut,
    ParticipantsAdded,
    ParticipantsIn,
    ProgressOut,
    RunIn,
    RunOut,
    StageIn,
    SubmissionRule,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
    apply_variant,
)
from hrcore.reviews import api as reviews
from hrcore.settings import Settings
from hrcore.talent import service as talent
from hrcore.talent.schemas import Readiness
from hrcore.workflow import service as workflow
from hrcore.workflow.schemas import Submission
from hrcore.workflow.service import Task

SUBJECT = "program_stage"
TASK_KINDS = {
    kind: f"program.{kind}"
    for kind in ("training", "submission", "assignment", "evaluation", "decision")
}
CANDIDATE_KINDS = ("training", "submission", "assignment")
SUPERVISOR_KINDS = ("evaluation", "decision")
LEAVER_JOB = "programs.withdraw_leaver"
REMOVED_JOB = "programs.withdraw_removed_member"
RUN_STARTED = "program_run.started"
"""Emitted when a run starts, with `run_id` and the started participants' `employee_ids`."""
PARTICIPANT_WITHDRAWN = "program_participant.withdrawn"
"""Emitted when participations end early, with their `participant_ids`."""
DOSSIER_JOB = "programs.generate_dossier_document"
DOSSIER_DOCUMENT = "program_dossier_document"
events.subscribe(people.EMPLOYMENT_EVENT_RECORDED, LEAVER_JOB)
events.subscribe(talent.MEMBER_REMOVED, REMOVED_JOB)
logger = logging.getLogger(__name__)
STAGES = TypeAdapter(list[StageIn])
VARIANTS = TypeAdapter(list[DepartmentVariant])


# --- access -------------------------------------------------------------------------------


def _require_reader(principal: Principal) -> None:
    if not (principal.is_hr_admin or principal.is_dept_head):
        raise Forbidden("Only HR admins and department heads read programs")


# --- templates ----------------------------------------------------------------------------


def template_view(template: ProgramTemplate) -> TemplateOut:
    return TemplateOut(
        id=template.id,
        name=template.name,
        description=template.description,
        stages=STAGES.validate_python(template.stages),
        department_variants=VARIANTS.validate_python(template.department_variants),
        revision=template.revision,
        created_at=template.created_at,
        updated_at=template.updated_at,
        version=template.version,
    )


async def _template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ProgramTemplate:
    _require_reader(principal)
    template = await repository.template_by_id(session, principal.org_id, template_id)
    if template is None:
        raise NotFound("No such program template")
    return template


async def list_templates(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ProgramTemplate], str | None]:
    _require_reader(principal)
    statement = repository.templates_query(principal.org_id)
    return await paginate(session, statement, [ProgramTemplate.id], page)


async def get_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ProgramTemplate:
    return await _template(session, principal, template_id)


def _all_stages(body: TemplateIn) -> list[tuple[str, StageIn]]:
    """Every stage with the field path it came from, variants included."""
    found = [(f"stages.{i}", stage) for i, stage in enumerate(body.stages)]
    for v, variant in enumerate(body.department_variants):
        base = f"department_variants.{v}"
        found += [(f"{base}.insert.{i}.stage", ins.stage) for i, ins in enumerate(variant.insert)]
        found += [(f"{base}.replace.{i}", stage) for i, stage in enumerate(variant.replace)]
    return found


async def _check_template(
    session: AsyncSession, principal: Principal, body: TemplateIn, template_id: uuid.UUID | None
) -> None:
    same = await repository.template_by_name(session, principal.org_id, body.name)
    if same is not None and same.id != template_id:
        raise Conflict(f"A program template named {body.name!r} exists")
    for index, variant in enumerate(body.department_variants):
        await org.require_department(
            session,
            principal.org_id,
            variant.department_id,
            f"department_variants.{index}.department_id",
        )
    errors = []
    for path, stage in _all_stages(body):
        if stage.review_template_id is None:
            continue
        try:
            await reviews.get_template(session, principal, stage.review_template_id)
        except NotFound:
            errors.append(
                FieldError(field=f"{path}.review_template_id", message="no such template")
            )
    if errors:
        raise Unprocessable("Unknown review template", errors=errors)


def _content(body: TemplateIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "description": body.description,
        "stages": STAGES.dump_python(body.stages, mode="json"),
        "department_variants": VARIANTS.dump_python(body.department_variants, mode="json"),
    }


async def create_template(
    session: AsyncSession, principal: Principal, body: TemplateIn
) -> ProgramTemplate:
    require_hr_admin(principal)
    await _check_template(session, principal, body, None)
    template = ProgramTemplate(org_id=principal.org_id, revision=1, **_content(body))
    session.add(template)
    await session.flush()
    audit.record(
        session,
        principal,
        "program_template.created",
        "program_template",
        template.id,
        org_id=principal.org_id,
        after=_content(body),
    )
    return template


async def update_template(
    session: AsyncSession,
    principal: Principal,
    template_id: uuid.UUID,
    body: TemplatePatch,
    *,
    if_match: str | None,
) -> ProgramTemplate:
    """Replace the stages and variants; started runs keep the copy they started with."""
    require_hr_admin(principal)
    template = await _template(session, principal, template_id)
    check_version(template.version, if_match=if_match, body_version=body.version)
    await _check_template(session, principal, body, template.id)
    content = _content(body)
    before = {name: getattr(template, name) for name in content}
    for name, value in content.items():
        setattr(template, name, value)
    template.revision += 1
    await session.flush()
    await session.refresh(template)
    old, new = audit.changes(before, content)
    audit.record(
        session,
        principal,
        "program_template.updated",
        "program_template",
        template.id,
        org_id=principal.org_id,
        before=old,
        after=new | {"revision": template.revision},
    )
    return template


# --- runs ---------------------------------------------------------------------------------


async def run_views(session: AsyncSession, runs: Sequence[ProgramRun]) -> list[RunOut]:
    if not runs:
        return []
    counts = await repository.participant_counts(session, runs[0].org_id, [r.id for r in runs])
    return [
        RunOut(
            id=run.id,
            name=run.name,
            template_id=run.template_id,
            template_revision=run.template_revision,
            pool_id=run.pool_id,
            starts_on=run.starts_on,
            status=run.status,
            participants=counts.get(run.id, 0),
            stages=STAGES.validate_python(run.snapshot["stages"]) if run.snapshot else None,
            started_at=run.started_at,
            version=run.version,
        )
        for run in runs
    ]


async def _run(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, *, for_update: bool = False
) -> ProgramRun:
    run = await repository.run_by_id(session, principal.org_id, run_id, for_update=for_update)
    if run is None:
        raise NotFound("No such program")
    return run


async def list_runs(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ProgramRun], str | None]:
    _require_reader(principal)
    statement = repository.runs_query(principal.org_id)
    return await paginate(session, statement, [ProgramRun.id], page)


async def get_run(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> ProgramRun:
    _require_reader(principal)
    return await _run(session, principal, run_id)


async def create_run(session: AsyncSession, principal: Principal, body: RunIn) -> ProgramRun:
    require_hr_admin(principal)
    if await repository.template_by_id(session, principal.org_id, body.template_id) is None:
        raise Unprocessable(
            "Unknown program template",
            errors=[FieldError(field="template_id", message="no such template")],
        )
    await talent.require_pool(session, principal.org_id, body.pool_id)
    run = ProgramRun(
        org_id=principal.org_id,
        name=body.name,
        template_id=body.template_id,
        pool_id=body.pool_id,
        starts_on=body.starts_on,
        status="draft",
    )
    session.add(run)
    await session.flush()
    audit.record(
        session,
        principal,
        "program_run.created",
        "program_run",
        run.id,
        org_id=principal.org_id,
        after=body.model_dump(mode="json"),
    )
    return run


# --- participants -------------------------------------------------------------------------


async def participant_views(
    session: AsyncSession, org_id: uuid.UUID, participants: Sequence[ProgramParticipant]
) -> list[ParticipantOut]:
    """Views of many participants in two queries (names, open stages)."""
    names = await people.employee_summaries(session, org_id, [p.employee_id for p in participants])
    current = await repository.current_stage_keys(session, org_id, participants)
    return [
        ParticipantOut(
            id=p.id,
            run_id=p.run_id,
            employee=names[p.employee_id].ref,
            department_id=p.department_id,
            status=p.status,
            current_stage=current.get(p.id),
            outcome=p.outcome,
            withdrawn_reason=p.withdrawn_reason,
            version=p.version,
        )
        for p in participants
    ]


async def list_participants(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, page: PageParams
) -> tuple[list[ProgramParticipant], str | None]:
    _require_reader(principal)
    run = await _run(session, principal, run_id)
    visible = await people.visible_employee_ids(session, principal)
    statement = repository.participants_query(principal.org_id, run.id, visible)
    return await paginate(session, statement, [ProgramParticipant.id], page)


async def add_participants(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, body: ParticipantsIn
) -> ParticipantsAdded:
    """Enrol active members of the run's pool (before the start; repeats are ignored)."""
    require_hr_admin(principal)
    run = await _run(session, principal, run_id, for_update=True)
    if run.status != "draft":
        raise Conflict("Participants are added before the program starts")
    wanted = list(dict.fromkeys(body.employee_ids))
    found = await people.employee_summaries(session, principal.org_id, wanted)
    if any(employee_id not in found for employee_id in wanted):
        raise NotFound("No such employee")
    members = await talent.active_member_ids(session, principal.org_id, run.pool_id, wanted)
    outsiders = [str(employee_id) for employee_id in wanted if employee_id not in members]
    if outsiders:
        raise Unprocessable(
            "Participants must be active members of the program's talent pool",
            errors=[FieldError(field="employee_ids", message=", ".join(outsiders[:20]))],
        )
    rows = [
        {
            "org_id": principal.org_id,
            "run_id": run.id,
            "employee_id": employee_id,
            "department_id": found[employee_id].department_id,
            "status": "enrolled",
            "version": 1,
        }
        for employee_id in wanted
    ]
    added = await insert_new(
        session,
        ProgramParticipant,
        rows,
        unique=["org_id", "run_id", "employee_id"],
        returning=[ProgramParticipant.employee_id],
    )
    if added:
        audit.record(
            session,
            principal,
            "program_run.participants_added",
            "program_run",
            run.id,
            org_id=principal.org_id,
            after={"employee_ids": [str(row[0]) for row in added]},
        )
    counts = await repository.participant_counts(session, principal.org_id, [run.id])
    return ParticipantsAdded(added=len(added), participants=counts.get(run.id, 0))


# --- starting a run -----------------------------------------------------------------------


def _variant_for(
    path: str | None, variants: Sequence[DepartmentVariant], paths: dict[uuid.UUID, str]
) -> DepartmentVariant | None:
    """The variant of the most specific department whose subtree holds `path`."""
    best: tuple[int, DepartmentVariant] | None = None
    for variant in variants:
        prefix = paths.get(variant.department_id)
        if path and prefix and path.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), variant)
    return best[1] if best else None


def stage_windows(starts_on: date, stages: Sequence[StageIn]) -> list[tuple[date, date]]:
    """Consecutive windows: each stage starts the day after the previous one is due."""
    windows = []
    start = starts_on
    for stage in stages:
        due = start + timedelta(days=stage.duration_days - 1)
        windows.append((start, due))
        start = due + timedelta(days=1)
    return windows


def _end_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=zone)


def _stage_rows(
    run: ProgramRun, participant: ProgramParticipant, stages: Sequence[StageIn], zone: ZoneInfo
) -> list[ParticipantStage]:
    return [
        ParticipantStage(
            org_id=run.org_id,
            run_id=run.id,
            participant_id=participant.id,
            department_id=participant.department_id,
            position=position,
            key=stage.key,
            kind=stage.kind,
            name=stage.name,
            config=stage.model_dump(mode="json"),
            starts_on=starts_on,
            due_on=due_on,
            due_at=_end_of_day(due_on, zone),
            status="pending",
        )
        for position, (stage, (starts_on, due_on)) in enumerate(
            zip(stages, stage_windows(run.starts_on, stages), strict=True)
        )
    ]


async def _plans(
    session: AsyncSession,
    template: ProgramTemplate,
    participants: Sequence[ProgramParticipant],
) -> dict[uuid.UUID, list[StageIn]]:
    """Each participant's stages: the base ones with their department's variant applied."""
    stages = STAGES.validate_python(template.stages)
    variants = VARIANTS.validate_python(template.department_variants)
    paths = await org.department_paths(
        session,
        template.org_id,
        [v.department_id for v in variants] + [p.department_id for p in participants],
    )
    return {
        p.id: apply_variant(stages, _variant_for(paths.get(p.department_id), variants, paths))
        for p in participants
    }


async def _require_supervisors(
    session: AsyncSession,
    org_id: uuid.UUID,
    participants: Sequence[ProgramParticipant],
    plans: dict[uuid.UUID, list[StageIn]],
) -> None:
    """Evaluation stages need a supervisor: refuse the start rather than stall later."""
    needing = [p for p in participants if any(s.kind == "evaluation" for s in plans[p.id])]
    managers = await people.managers_of(session, org_id, [p.employee_id for p in needing])
    missing = [str(p.employee_id) for p in needing if managers.get(p.employee_id) is None]
    if missing:
        raise Unprocessable(
            "Some participants have no supervisor for the evaluation stage",
            errors=[FieldError(field="participants", message=", ".join(missing[:20]))],
        )


async def start_run(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, clock: Clock
) -> ProgramRun:
    """Start a draft run over HTTP (HR admin); see `start`."""
    require_hr_admin(principal)
    run = await _run(session, principal, run_id, for_update=True)
    return await start(session, run, clock, actor=principal)


async def start(
    session: AsyncSession, run: ProgramRun, clock: Clock, *, actor: Principal | None = None
) -> ProgramRun:
    """Snapshot the template, lay out every participant's stages and open the first (for the
    demo seed too: `run` is locked by the caller)."""
    if run.status != "draft":
        raise Conflict("The program has started")
    template = await repository.template_by_id(session, run.org_id, run.template_id)
    assert template is not None
    if not template.stages:
        raise Unprocessable(
            "The template has no stages", errors=[FieldError(field="stages", message="empty")]
        )
    participants = await repository.participants_of_run(session, run.org_id, run.id)
    if not participants:
        raise Unprocessable(
            "A program needs participants before it starts",
            errors=[FieldError(field="participants", message="none added")],
        )
    summaries = await people.employee_summaries(
        session, run.org_id, [p.employee_id for p in participants]
    )
    staying = [p for p in participants if summaries[p.employee_id].status != "exited"]
    for participant in staying:
        participant.department_id = summaries[participant.employee_id].department_id
    plans = await _plans(session, template, staying)
    await _require_supervisors(session, run.org_id, staying, plans)
    run.snapshot = {"stages": template.stages, "department_variants": template.department_variants}
    run.template_revision, run.status, run.started_at = template.revision, "running", clock.now()
    zone = ZoneInfo(await identity.org_timezone(session, run.org_id))
    for participant in participants:
        if participant not in staying:
            _mark_withdrawn(participant, "left the company", clock)
    openings = []
    for participant in staying:
        participant.status = "active"
        rows = _stage_rows(run, participant, plans[participant.id], zone)
        session.add_all(rows)
        openings.append((participant, rows[0]))
    # Opened before their first flush, the stages go in as one insert, already open.
    await _open_stages(session, actor, run, openings, clock)
    await session.flush()
    audit.record(
        session,
        actor,
        "program_run.started",
        "program_run",
        run.id,
        org_id=run.org_id,
        after={"template_revision": template.revision, "participants": len(staying)},
    )
    events.emit(
        session,
        RUN_STARTED,
        {"run_id": str(run.id), "employee_ids": [str(p.employee_id) for p in staying]},
        org_id=run.org_id,
    )
    return run


# --- stages -------------------------------------------------------------------------------


async def _open_stages(
    session: AsyncSession,
    actor: Principal | None,
    run: ProgramRun,
    openings: Sequence[tuple[ProgramParticipant, ParticipantStage]],
    clock: Clock,
) -> None:
    """Open one stage for each of these participants and create its work for the right
    people. A run starts thousands at once: task stages take a fixed number of statements
    together; a review stage opens its own cycle."""
    now = clock.now()
    names = await people.employee_summaries(
        session, run.org_id, [participant.employee_id for participant, _ in openings]
    )
    supervised = [p.employee_id for p, stage in openings if stage.kind in SUPERVISOR_KINDS]
    managers = await people.managers_of(session, run.org_id, supervised) if supervised else {}
    task_ids: dict[uuid.UUID, list[uuid.UUID]] = {}
    new_tasks: list[tuple[ParticipantStage, workflow.NewTask]] = []
    for participant, stage in openings:
        stage.status, stage.opened_at = "open", now
        participant.current_position = stage.position
        config = StageIn.model_validate(stage.config)
        name = names[participant.employee_id].ref.name
        if config.review_template_id is not None:
            task_ids[stage.id] = await _open_review_stage(
                session, actor, run, participant, stage, config.review_template_id, name, clock
            )
            continue
        task_ids[stage.id] = []
        assignee = (
            managers.get(participant.employee_id)
            if stage.kind in SUPERVISOR_KINDS
            else participant.employee_id
        )
        if assignee is not None:
            new_tasks.append((stage, _stage_task(run, stage, config, assignee, name)))
    created = await workflow.create_tasks(
        session, org_id=run.org_id, tasks=[new for _, new in new_tasks], actor=actor
    )
    for (stage, _), task_id in zip(new_tasks, created, strict=True):
        task_ids[stage.id] = [task_id]
    session.add_all(
        [
            StageTask(org_id=run.org_id, stage_id=stage_id, task_id=task_id)
            for stage_id, ids in task_ids.items()
            for task_id in ids
        ]
    )
    await session.flush()
    await audit.record_many(
        session,
        actor,
        "program_stage.opened",
        "program_participant",
        [
            (participant.id, {"stage": stage.key, "tasks": [str(t) for t in task_ids[stage.id]]})
            for participant, stage in openings
        ],
        org_id=run.org_id,
    )


def _stage_task(
    run: ProgramRun, stage: ParticipantStage, config: StageIn, assignee: uuid.UUID, name: str
) -> workflow.NewTask:
    """The task of a stage done by one person: the participant, or their supervisor (whose
    title names the participant)."""
    title = f"{run.name}: {stage.name}"
    if stage.kind in SUPERVISOR_KINDS:
        title = f"{title} — {name}"
    return workflow.NewTask(
        subject_type=SUBJECT,
        subject_id=stage.id,
        kind=TASK_KINDS[stage.kind],
        assignee_employee_id=assignee,
        title=title[:200],
        due=stage.due_on,
        reminder_policy=config.reminder_policy,
        escalation_policy=config.escalation_policy,
        submission_required=config.submission is not None or stage.kind == "evaluation",
    )


async def _open_review_stage(
    session: AsyncSession,
    actor: Principal | None,
    run: ProgramRun,
    participant: ProgramParticipant,
    stage: ParticipantStage,
    template_id: uuid.UUID,
    name: str,
    clock: Clock,
) -> list[uuid.UUID]:
    """A 360 or supervisor-evaluation stage: its own review cycle; returns the raters' tasks."""
    cycle = await reviews.start_cycle(
        session,
        org_id=run.org_id,
        template_id=template_id,
        name=f"{run.name}: {stage.name} — {name}"[:200],
        kind="program_stage",
        starts_on=stage.starts_on,
        due_on=stage.due_on,
        employee_ids=[participant.employee_id],
        clock=clock,
        actor=actor,
        relationships=("supervisor",) if stage.kind == "evaluation" else None,
    )
    stage.review_cycle_id = cycle.id
    return await reviews.cycle_task_ids(session, run.org_id, cycle.id)


async def _complete_stage(
    session: AsyncSession, stage: ParticipantStage, clock: Clock, actor: Principal | None
) -> None:
    """Close the stage, then open the participant's next one or finish the participant."""
    now = clock.now()
    stage.status, stage.completed_at, stage.on_time = "completed", now, now <= stage.due_at
    if stage.review_cycle_id is not None:
        await reviews.close_by_id(session, stage.org_id, stage.review_cycle_id, clock, actor=actor)
    run = await repository.run_by_id(session, stage.org_id, stage.run_id)
    participant = await repository.participant_by_id(
        session, stage.org_id, stage.run_id, stage.participant_id, for_update=True
    )
    assert run is not None
    assert participant is not None
    audit.record(
        session,
        actor,
        "program_stage.completed",
        "program_participant",
        participant.id,
        org_id=stage.org_id,
        after={"stage": stage.key, "on_time": stage.on_time},
    )
    stages = await repository.stages_of(session, stage.org_id, participant.id)
    following = [s for s in stages if s.position > stage.position and s.status == "pending"]
    if following:
        await _open_stages(session, actor, run, [(participant, following[0])], clock)
        return
    participant.status, participant.current_position, participant.ended_at = "completed", None, now
    await session.flush()


async def _check_completion(
    session: AsyncSession, task: Task, submission: Submission | None
) -> None:
    """A program task completes only in its participant's open stage, in order (409), with
    a submission that fits the stage's rule (422); decisions go through their endpoint."""
    stage = await repository.stage_of_task(session, task.org_id, task.id)
    if stage is None:
        return
    if stage.status == "pending":
        raise Conflict("An earlier stage of this program is not completed yet")
    if stage.status != "open":
        raise Conflict(f"This program stage is {stage.status}")
    if stage.kind == "decision" and stage.decision is None:
        raise Unprocessable(
            f"Record the decision: POST /programs/{stage.run_id}/participants/"
            f"{stage.participant_id}/decision",
            errors=[FieldError(field="task", message="completed by recording the decision")],
        )
    rule = stage.config.get("submission")
    if rule is not None:
        _check_submission(SubmissionRule.model_validate(rule), submission)


def _check_submission(rule: SubmissionRule, submission: Submission | None) -> None:
    text = (submission.text or "").strip() if submission else ""
    links = len(submission.links) if submission else 0
    attachments = len(submission.attachments) if submission else 0
    errors = []
    if len(text) < rule.min_text_length:
        errors.append(
            FieldError(field="submission.text", message=f"at least {rule.min_text_length} chars")
        )
    if links < rule.min_links:
        errors.append(FieldError(field="submission.links", message=f"at least {rule.min_links}"))
    if attachments < rule.min_attachments:
        errors.append(
            FieldError(field="submission.attachments", message=f"at least {rule.min_attachments}")
        )
    if errors:
        raise Unprocessable("The submission does not meet the stage's requirements", errors=errors)


async def _on_task_completed(session: AsyncSession, task: Task, clock: Clock) -> None:
    """When a stage's last task is done, the stage completes and the next one opens."""
    stage = await repository.stage_of_task(session, task.org_id, task.id)
    if stage is None or stage.status != "open":
        return
    await repository.mark_task_done(session, task.org_id, task.id)
    if await repository.open_task_ids(session, task.org_id, stage.id):
        return
    await _complete_stage(session, stage, clock, None)


for _kind in TASK_KINDS.values():
    workflow.register_submission_validator(_kind, _check_completion)
    workflow.on_completion(_kind, _on_task_completed)
workflow.on_completion(reviews.TASK_KIND, _on_task_completed)


async def close_overdue_reviewed_stages(
    sessionmaker: SessionMaker, clock: Clock, settings: Settings
) -> int:
    """The hourly cron: a review or evaluation stage whose raters have not all answered
    `program_review_grace_days` after its window closes ends with the answers it has — the
    cycle closes (unanswered rater tasks withdrawn, results aggregated), the stage completes
    late and the participant moves on, so one silent rater never stalls a program."""
    cutoff = clock.now() - timedelta(days=settings.program_review_grace_days)

    async def close_overdue(session: AsyncSession, org_id: uuid.UUID) -> int:
        stages = await repository.overdue_reviewed_stages(session, org_id, cutoff)
        for stage in stages:
            await _complete_stage(session, stage, clock, None)
        return len(stages)

    return await identity.for_each_organization(
        sessionmaker, close_overdue, label="closing overdue review stages"
    )


PRUNE_BATCH = 500


async def prune_dossier_documents(
    sessionmaker: SessionMaker, clock: Clock, settings: Settings
) -> int:
    """The daily cron: dossier PDFs superseded by a newer one for the same participant and
    audience go, stored file first, `dossier_document_retention_days` after they were made
    (every export of a changed dossier adds a document). A storage failure leaves the row,
    so the next run deletes both. Each deletion is audited. Returns how many were deleted."""
    made_before = clock.now() - timedelta(days=settings.dossier_document_retention_days)
    storage = storage_for(settings)

    async def prune(session: AsyncSession, org_id: uuid.UUID) -> int:
        deleted = 0
        while True:
            old = await repository.superseded_dossier_documents(
                session, org_id, made_before, PRUNE_BATCH
            )
            for document in old:
                if document.storage_key:
                    await storage.delete(document.storage_key)
                await session.delete(document)
            await session.flush()
            await audit.record_many(
                session,
                None,
                "program_dossier_document.pruned",
                DOSSIER_DOCUMENT,
                [
                    (d.id, {"participant_id": str(d.participant_id), "sha256": d.sha256})
                    for d in old
                ],
                org_id=org_id,
            )
            deleted += len(old)
            if len(old) < PRUNE_BATCH:
                return deleted

    return await identity.for_each_organization(
        sessionmaker, prune, label="pruning dossier documents"
    )


# --- withdrawal ---------------------------------------------------------------------------


def _mark_withdrawn(participant: ProgramParticipant, reason: str, clock: Clock) -> None:
    participant.status, participant.withdrawn_reason = "withdrawn", reason
    participant.current_position, participant.ended_at = None, clock.now()


async def _cancel_stage(session: AsyncSession, stage: ParticipantStage, clock: Clock) -> None:
    if stage.status == "open" and stage.review_cycle_id is not None:
        await reviews.close_by_id(session, stage.org_id, stage.review_cycle_id, clock)
    elif stage.status == "open":
        task_ids = await repository.open_task_ids(session, stage.org_id, stage.id)
        await workflow.cancel_open_tasks(
            session, org_id=stage.org_id, task_ids=task_ids, clock=clock
        )
    stage.status = "cancelled"


async def withdraw(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    clock: Clock,
    *,
    reason: str,
    pool_id: uuid.UUID | None = None,
) -> int:
    """Withdraw an employee from the programs under way (of one pool's runs when given) and
    cancel their open tasks; idempotent."""
    participations = await repository.open_participations(session, org_id, employee_id, pool_id)
    unfinished = [p.id for p in participations]
    for stage in await repository.unfinished_stages(session, org_id, unfinished):
        await _cancel_stage(session, stage, clock)
    for participant in participations:
        before = participant.status
        _mark_withdrawn(participant, reason, clock)
        audit.record(
            session,
            None,
            "program_participant.withdrawn",
            "program_participant",
            participant.id,
            org_id=org_id,
            before={"status": before},
            after={"status": "withdrawn", "reason": reason},
        )
    await session.flush()
    if participations:
        events.emit(
            session,
            PARTICIPANT_WITHDRAWN,
            {"participant_ids": [str(p.id) for p in participations]},
            org_id=org_id,
        )
    return len(participations)


# --- progress -----------------------------------------------------------------------------


_COUNTS = ("participants", "completed", "completion_rate", "on_time_rate", "overdue")
"""The columns of `repository.progress_rows` after key, name, kind, position, department."""
_PROGRESS = TypeAdapter(ProgressOut)


async def progress(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, clock: Clock
) -> ProgressOut:
    """Per stage and department, in the caller's reach: counts and rates computed in SQL.

    A run of thousands has thousands of department rows: they are gathered as plain data and
    validated in one pass, not built model by model.
    """
    _require_reader(principal)
    run = await _run(session, principal, run_id)
    visible = await people.visible_employee_ids(session, principal)
    now = clock.now()
    rows = await repository.progress_rows(session, run.org_id, run.id, now, visible)
    names = people.employee_names(run.org_id)
    late = await repository.late_rows(session, run.org_id, run.id, now, visible, names)
    late_by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in late:
        late_by_key[r.key].append(
            {
                "participant_id": r.participant_id,
                "employee": {"id": r.employee_id, "name": r.full_name},
                "department_id": r.department_id,
                "due_on": r.due_on,
                "status": r.status,
            }
        )
    stages: dict[str, dict[str, Any]] = {}
    positions: dict[str, int] = {}
    # Ordered by key, each stage's total (no department) first; unpacked, not read by name.
    for key, name, kind, position, department_id, *counts in rows:
        figures = dict(zip(_COUNTS, counts, strict=True))
        if department_id is None:
            stages[key] = figures | {
                "key": key,
                "name": name,
                "kind": kind,
                "departments": [],
                "late": late_by_key[key],
            }
            positions[key] = position
        else:
            figures["department_id"] = department_id
            stages[key]["departments"].append(figures)
    ordered = [stages[key] for key in sorted(stages, key=positions.__getitem__)]
    return _PROGRESS.validate_python({"run_id": run.id, "as_of": now, "stages": ordered})


# --- decisions ----------------------------------------------------------------------------


async def _participant(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> tuple[ProgramRun, ProgramParticipant, people.Employee]:
    """The run and participant, 404 unless the caller sees the participant (self, chain,
    department head, HR)."""
    run = await _run(session, principal, run_id)
    participant = await repository.participant_by_id(
        session, principal.org_id, run.id, participant_id, for_update=for_update
    )
    if participant is None:
        raise NotFound("No such participant")
    try:
        employee = await people.ensure_can_view(session, principal, participant.employee_id)
    except (NotFound, Forbidden):
        raise NotFound("No such participant") from None
    return run, participant, employee


async def decide(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    body: DecisionIn,
    clock: Clock,
) -> ProgramParticipant:
    """Record the decision stage's outcome and apply it to the pool membership."""
    run, participant, employee = await _participant(
        session, principal, run_id, participant_id, for_update=True
    )
    await people.ensure_can_manage(session, principal, employee)
    stages = await repository.stages_of(session, run.org_id, participant.id)
    stage = next((s for s in stages if s.status == "open"), None)
    if stage is None or stage.kind != "decision":
        raise Conflict("The participant has not reached a decision stage")
    readiness = body.readiness
    if readiness is None and body.outcome == "appoint_when_open":
        readiness = Readiness.READY_NOW
    stage.decision = {
        "outcome": body.outcome,
        "reason": body.reason,
        "readiness": readiness.value if readiness else None,
        "decided_at": clock.now().isoformat(),
        "decided_by": str(principal.id),
    }
    participant.outcome = body.outcome
    await session.flush()
    task_ids = await repository.open_task_ids(session, run.org_id, stage.id)
    for task_id in task_ids:
        await workflow.complete_task(
            session, org_id=run.org_id, task_id=task_id, clock=clock, actor=principal
        )
    if not task_ids:
        await _complete_stage(session, stage, clock, principal)
    await talent.record_program_outcome(
        session,
        principal,
        pool_id=run.pool_id,
        employee_id=participant.employee_id,
        readiness=readiness,
        remove=body.outcome == "remove",
        reason=body.reason,
        clock=clock,
    )
    audit.record(
        session,
        principal,
        "program_participant.decided",
        "program_participant",
        participant.id,
        org_id=run.org_id,
        after={k: v for k, v in stage.decision.items() if k != "decided_by"},
    )
    await session.flush()
    return participant


# --- dossier ------------------------------------------------------------------------------


def _decision(stage: ParticipantStage, full: bool) -> DecisionRecord | None:
    if stage.decision is None:
        return None
    return DecisionRecord(
        outcome=stage.decision["outcome"],
        reason=stage.decision["reason"] if full else None,
        readiness=stage.decision["readiness"],
        decided_at=datetime.fromisoformat(stage.decision["decided_at"]),
    )


async def dossier(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    clock: Clock,
) -> Dossier:
    """Every stage in order with its tasks, submissions, 360 result and decision."""
    run, participant, _ = await _participant(session, principal, run_id, participant_id)
    full = principal.employee_id != participant.employee_id
    stages = await repository.stages_for_dossier(session, run.org_id, participant.id)
    tasks = await workflow.tasks_of_subjects(
        session, org_id=run.org_id, subject_type=SUBJECT, subject_ids=[s.id for s in stages]
    )
    now = clock.now()
    by_stage: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for task in tasks:
        view = workflow.task_view(task, now)
        if not full and task.kind in (TASK_KINDS[k] for k in SUPERVISOR_KINDS):
            view = view.model_copy(update={"submission": None})
        by_stage[task.subject_id].append(view)
    [participant_view] = await participant_views(session, run.org_id, [participant])
    return Dossier(
        run=Ref(id=run.id, name=run.name),
        participant=participant_view,
        template_revision=run.template_revision,
        stages=[
            DossierStage(
                key=stage.key,
                name=stage.name,
                kind=stage.kind,
                starts_on=stage.starts_on,
                due_on=stage.due_on,
                status=stage.status,
                completed_at=stage.completed_at,
                on_time=stage.on_time,
                tasks=by_stage[stage.id],
                review_result=await reviews.result_in_cycle(
                    session,
                    principal,
                    stage.review_cycle_id,
                    participant.employee_id,
                )
                if stage.review_cycle_id
                else None,
                decision=_decision(stage, full),
            )
            for stage in stages
        ],
    )


# --- for other domains --------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipationEnd:
    """An open participation and the day its last stage window ends."""

    participant_id: uuid.UUID
    run: Ref
    ends_on: date


async def active_participations_ending_after(
    session: AsyncSession, org_id: uuid.UUID, cutoffs: Mapping[uuid.UUID, date]
) -> dict[uuid.UUID, list[ParticipationEnd]]:
    """Per employee, the enrolled or active participations whose program ends after the
    employee's cutoff day (contracts: the contract's end). One query for all employees; a
    run not started yet has no stage windows, so no end to compare."""
    found: dict[uuid.UUID, list[ParticipationEnd]] = defaultdict(list)
    if not cutoffs:
        return found
    rows = await repository.open_participation_ends(session, org_id, list(cutoffs))
    for participant_id, employee_id, run_id, run_name, ends_on in rows:
        if ends_on > cutoffs[employee_id]:
            found[employee_id].append(
                ParticipationEnd(participant_id, Ref(id=run_id, name=run_name), ends_on)
            )
    for ends in found.values():
        ends.sort(key=lambda end: (end.ends_on, end.run.id))
    return dict(found)


@dataclass(frozen=True)
class StageCompletion:
    """How far an employee got in their latest started program of a pool."""

    run_name: str
    status: str
    stages: int
    completed_stages: int


async def latest_completion_in_pools(
    session: AsyncSession, org_id: uuid.UUID, pairs: Sequence[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], StageCompletion]:
    """For each (employee, pool), the stages of their most recently started participation in
    a run of that pool (talent ranks vacancy candidates by it); one query. Pairs without a
    started participation are absent."""
    if not pairs:
        return {}
    rows = await repository.latest_stage_counts(session, org_id, list(dict.fromkeys(pairs)))
    return {
        (employee_id, pool_id): StageCompletion(run_name, status, stages, completed)
        for employee_id, pool_id, run_name, status, stages, completed in rows
    }


# --- dossier PDF ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierPdf:
    """What a reader of the PDF gets: `content` once ready; `error` when the last generation
    failed (it is queued again, so the next request sees the new attempt)."""

    document: DossierDocument
    content: bytes | None = None
    error: str | None = None


def _fingerprint(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _queue(session: AsyncSession, document: DossierDocument) -> None:
    outbox.enqueue(session, DOSSIER_JOB, {"document_id": str(document.id)}, org_id=document.org_id)


async def _document_for(
    session: AsyncSession, principal: Principal, view: Dossier, audience: str
) -> DossierDocument:
    """The document of exactly this content for this audience, queued when new."""
    content = view.model_dump(mode="json")
    key: dict[str, Any] = {
        "org_id": principal.org_id,
        "participant_id": view.participant.id,
        "audience": audience,
        "fingerprint": _fingerprint(content),
    }
    document = await repository.dossier_document(session, **key)
    if document is not None:
        return document
    created = await repository.add_dossier_document(session, key | {"content": content})
    document = await repository.dossier_document(session, **key)
    assert document is not None  # inserted now or by a concurrent request that committed
    if created:
        _queue(session, document)
        audit.record(
            session,
            principal,
            "program_dossier_document.requested",
            DOSSIER_DOCUMENT,
            document.id,
            org_id=document.org_id,
            after={"audience": audience, "fingerprint": document.fingerprint},
        )
    return document


def _retry(session: AsyncSession, principal: Principal, document: DossierDocument) -> str:
    """Queue a failed document again; returns the failure's reason."""
    reason = document.error or "unknown"
    document.status, document.attempts = "pending", document.attempts + 1
    _queue(session, document)
    audit.record(
        session,
        principal,
        "program_dossier_document.retried",
        DOSSIER_DOCUMENT,
        document.id,
        org_id=document.org_id,
        before={"status": "failed", "error": reason},
        after={"status": "pending", "attempts": document.attempts},
    )
    return reason


async def dossier_pdf(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    clock: Clock,
    settings: Settings,
) -> DossierPdf:
    """The PDF of the dossier the caller sees, keyed by audience and content: the
    participant's own trimmed copy (`self`) or everyone else's (`full`)."""
    view = await dossier(session, principal, run_id, participant_id, clock)
    audience = "self" if principal.employee_id == view.participant.employee.id else "full"
    document = await _document_for(session, principal, view, audience)
    if document.status == "failed":
        return DossierPdf(document, error=_retry(session, principal, document))
    if document.status == "ready" and document.storage_key:
        try:
            return DossierPdf(document, await storage_for(settings).get(document.storage_key))
        except StoredObjectMissing:
            _regenerate_lost(session, principal, document)
    return DossierPdf(document)


def _regenerate_lost(
    session: AsyncSession, principal: Principal, document: DossierDocument
) -> None:
    """The stored file is gone (storage restored from an older backup, deleted by hand):
    render it again from the content the row keeps, and say so in the log and the audit."""
    logger.error(
        "dossier document %s: stored file %s is missing", document.id, document.storage_key
    )
    lost = {"status": "ready", "storage_key": document.storage_key, "sha256": document.sha256}
    document.status, document.storage_key = "pending", None
    document.attempts += 1
    _queue(session, document)
    audit.record(
        session,
        principal,
        "program_dossier_document.regenerated",
        DOSSIER_DOCUMENT,
        document.id,
        org_id=document.org_id,
        before=lost,
        after={"status": "pending"},
    )


async def generate_dossier_document(
    session: AsyncSession,
    org_id: uuid.UUID,
    document_id: uuid.UUID,
    settings: Settings,
    clock: Clock,
) -> str:
    """Render and store one pending dossier document; returns its status.

    Idempotent: only a pending document is rendered. A rendering error (an unreadable font)
    marks it failed with the reason, shown to the next reader, whose request queues it again;
    a storage error propagates, so the job retries with backoff.
    """
    document = await repository.dossier_document_by_id(session, org_id, document_id)
    if document is None or document.status != "pending":
        return document.status if document else "gone"
    try:
        content = await asyncio.to_thread(
            pdf.render_pdf,
            documents.dossier_text(Dossier.model_validate(document.content)),
            font_path=pdf.font_path(settings),
            title=f"Development dossier {document.participant_id}",
            created_at=document.created_at,
        )
    except Exception as exc:  # rendering only reads the font and lays text out: final
        document.status, document.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("dossier document %s: generation failed: %s", document_id, exc)
        return document.status
    key = f"{org_id}/program-dossiers/{document.participant_id}/{document.id}.pdf"
    await storage_for(settings).put(key, content, pdf.MEDIA_TYPE)
    document.storage_key, document.size = key, len(content)
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.status, document.error, document.generated_at = "ready", None, clock.now()
    return document.status
