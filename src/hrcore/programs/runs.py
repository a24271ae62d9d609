"""Program runs (cohorts): a template, a talent pool and a start day; read by HR and
department heads, written by HR. Starting one is `start.py`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.references import refs_by_ids
from hrcore.programs import access, repository
from hrcore.programs.models import PROGRAM_TEMPLATES, ProgramRun, ProgramTemplate
from hrcore.programs.schemas import RunIn, RunOut
from hrcore.programs.templates import STAGES
from hrcore.talent import api as talent


async def run_views(session: AsyncSession, runs: Sequence[ProgramRun]) -> list[RunOut]:
    """Runs with their participant counts, templates' and pools' names: three statements."""
    if not runs:
        return []
    org_id = runs[0].org_id
    counts = await repository.participant_counts(session, org_id, [r.id for r in runs])
    template_ids = [r.template_id for r in runs]
    templates = await refs_by_ids(session, ProgramTemplate.name, org_id, template_ids)
    pools = await talent.pool_refs(session, org_id, [r.pool_id for r in runs])
    return [
        RunOut(
            id=run.id,
            name=run.name,
            template_id=run.template_id,
            template=templates[run.template_id],
            template_revision=run.template_revision,
            pool_id=run.pool_id,
            pool=pools[run.pool_id],
            starts_on=run.starts_on,
            status=run.status,
            participants=counts.get(run.id, 0),
            stages=STAGES.validate_python(run.snapshot["stages"]) if run.snapshot else None,
            started_at=run.started_at,
            version=run.version,
        )
        for run in runs
    ]


async def list_runs(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ProgramRun], str | None]:
    access.require_reader(principal)
    statement = repository.runs_query(principal.org_id)
    return await paginate(session, statement, [ProgramRun.id], page)


async def get_run(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> ProgramRun:
    access.require_reader(principal)
    return await access.find_run(session, principal, run_id)


async def create_run(session: AsyncSession, principal: Principal, body: RunIn) -> ProgramRun:
    require_hr_admin(principal)
    if await PROGRAM_TEMPLATES.by_id(session, principal.org_id, body.template_id) is None:
        raise Unprocessable(
            _("Unknown program template"),
            errors=[FieldError(field="template_id", message=_("no such template"))],
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
