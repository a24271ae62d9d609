"""Starting a run: snapshot the template, resolve each participant's stages (the most
specific department variant), lay out every stage window in the organization's time zone
and open each participant's first stage."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars import api as calendars
from hrcore.core import audit, events, templates
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.programs import access, repository, withdrawal
from hrcore.programs.models import (
    PROGRAM_TEMPLATES,
    ParticipantStage,
    ProgramParticipant,
    ProgramRun,
    ProgramTemplate,
)
from hrcore.programs.schemas import DepartmentVariant, StageIn, apply_variant
from hrcore.programs.stages import open_stages
from hrcore.programs.templates import STAGES, VARIANTS
from hrcore.workflow import api as workflow

RUN_STARTED = "program_run.started"
"""Emitted when a run starts, with `run_id` and the started participants' `employee_ids`."""


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


def stage_windows(
    starts_on: date, stages: Sequence[StageIn], calendar: calendars.WorkCalendar
) -> list[tuple[date, date]]:
    """Consecutive windows: each stage starts the day after the previous one is due. A
    stage in working days is due on its last working day (its first day counts when it is
    a working day)."""
    windows = []
    start = starts_on
    for stage in stages:
        if stage.days_are == "working":
            due = calendar.add_working_days(start - timedelta(days=1), stage.duration_days)
        else:
            due = start + timedelta(days=stage.duration_days - 1)
        windows.append((start, due))
        start = due + timedelta(days=1)
    return windows


def _stage_rows(
    run: ProgramRun,
    participant: ProgramParticipant,
    stages: Sequence[StageIn],
    zone: ZoneInfo,
    calendar: calendars.WorkCalendar,
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
            due_at=workflow.end_of_day(due_on, zone),
            status="pending",
        )
        for position, (stage, (starts_on, due_on)) in enumerate(
            zip(stages, stage_windows(run.starts_on, stages, calendar), strict=True)
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
            _("Some participants have no supervisor for the evaluation stage"),
            errors=[FieldError(field="participants", message=", ".join(missing[:20]))],
        )


async def start_run(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, clock: Clock
) -> ProgramRun:
    """Start a draft run over HTTP (HR admin); see `start`."""
    require_hr_admin(principal)
    run = await access.find_run(session, principal, run_id, for_update=True)
    return await start(session, run, clock, actor=principal)


async def start(
    session: AsyncSession, run: ProgramRun, clock: Clock, *, actor: Principal | None = None
) -> ProgramRun:
    """Snapshot the template, lay out every participant's stages and open the first (for the
    demo seed too: `run` is locked by the caller)."""
    if run.status != "draft":
        raise Conflict(_("The program has started"))
    template = await PROGRAM_TEMPLATES.by_id(session, run.org_id, run.template_id)
    assert template is not None
    if not template.stages:
        raise Unprocessable(
            _("The template has no stages"), errors=[FieldError(field="stages", message=_("empty"))]
        )
    participants = await repository.participants_of_run(session, run.org_id, run.id)
    if not participants:
        raise Unprocessable(
            _("A program needs participants before it starts"),
            errors=[FieldError(field="participants", message=_("none added"))],
        )
    summaries = await people.employee_summaries(
        session, run.org_id, [p.employee_id for p in participants]
    )
    staying = [p for p in participants if summaries[p.employee_id].status != "exited"]
    for participant in staying:
        participant.department_id = summaries[participant.employee_id].department_id
    plans = await _plans(session, template, staying)
    await _require_supervisors(session, run.org_id, staying, plans)
    kept = templates.copy(template, ("stages", "department_variants"))
    run.snapshot, run.template_revision = kept.content, kept.revision
    run.status, run.started_at = "running", clock.now()
    zone = ZoneInfo(await identity.org_timezone(session, run.org_id))
    calendar = await calendars.work_calendar(session, run.org_id)
    for participant in participants:
        if participant not in staying:
            withdrawal.mark_withdrawn(participant, "left the company", clock)
    openings = []
    for participant in staying:
        participant.status = "active"
        rows = _stage_rows(run, participant, plans[participant.id], zone, calendar)
        session.add_all(rows)
        openings.append((participant, rows[0]))
    # Opened before their first flush, the stages go in as one insert, already open.
    await open_stages(session, actor, run, openings, clock)
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
