"""Mentoring programs 「导师计划」: for the organization or a department subtree, with a
capacity per mentor and eligibility rules as data. HR admins create and change them,
audited; who reads which is `access`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.mentoring import access, repository
from hrcore.mentoring.models import MentoringProgram
from hrcore.mentoring.schemas import (
    RULES,
    MentoringProgramIn,
    MentoringProgramOut,
    MentoringProgramPatch,
    MentoringReminderPolicy,
    SuggestionWeights,
)
from hrcore.org import api as org


async def program_views(
    session: AsyncSession, programs: Sequence[MentoringProgram]
) -> list[MentoringProgramOut]:
    """Views of many programs; their departments in one query."""
    if not programs:
        return []
    wanted = [program.department_id for program in programs if program.department_id]
    departments = await org.department_refs(session, programs[0].org_id, wanted)
    return [
        MentoringProgramOut(
            id=program.id,
            name=program.name,
            description=program.description,
            department=departments[program.department_id] if program.department_id else None,
            capacity=program.capacity,
            rules=RULES.validate_python(program.rules),
            active=program.active,
            suggestion_weights=SuggestionWeights.model_validate(program.suggestion_weights or {}),
            reminder_policy=MentoringReminderPolicy.model_validate(program.reminder_policy or {}),
            created_at=program.created_at,
            updated_at=program.updated_at,
            version=program.version,
        )
        for program in programs
    ]


def _snapshot(program: MentoringProgram) -> dict[str, Any]:
    return {
        "name": program.name,
        "department_id": str(program.department_id) if program.department_id else None,
        "capacity": program.capacity,
        "rules": program.rules,
        "active": program.active,
        "suggestion_weights": program.suggestion_weights,
        "reminder_policy": program.reminder_policy,
    }


async def list_programs(
    session: AsyncSession, principal: Principal, page: PageParams, *, active: bool | None
) -> tuple[list[MentoringProgram], str | None]:
    departments = await access.program_departments(session, principal)
    statement = repository.programs_query(principal.org_id, departments, active=active)
    return await paginate(session, statement, [MentoringProgram.id], page)


async def _require_free_name(
    session: AsyncSession, org_id: uuid.UUID, name: str, program_id: uuid.UUID | None = None
) -> None:
    existing = await repository.program_by_name(session, org_id, name)
    if existing is not None and existing.id != program_id:
        raise Conflict(_("A mentoring program named '{name}' exists", name=name))


async def create_program(
    session: AsyncSession, principal: Principal, body: MentoringProgramIn
) -> MentoringProgram:
    require_hr_admin(principal)
    await _require_free_name(session, principal.org_id, body.name)
    if body.department_id is not None:
        await org.require_department(session, principal.org_id, body.department_id)
    program = MentoringProgram(
        org_id=principal.org_id,
        name=body.name,
        description=body.description,
        department_id=body.department_id,
        capacity=body.capacity,
        rules=RULES.dump_python(body.rules, mode="json"),
        active=body.active,
        suggestion_weights=body.suggestion_weights.model_dump()
        if body.suggestion_weights
        else None,
        reminder_policy=body.reminder_policy.model_dump() if body.reminder_policy else None,
    )
    session.add(program)
    await session.flush()
    audit.record(
        session,
        principal,
        "mentoring_program.created",
        "mentoring_program",
        program.id,
        org_id=principal.org_id,
        after=_snapshot(program),
    )
    return program


async def update_program(
    session: AsyncSession,
    principal: Principal,
    program_id: uuid.UUID,
    body: MentoringProgramPatch,
    *,
    if_match: str | None,
) -> MentoringProgram:
    require_hr_admin(principal)
    program = await access.readable_program(session, principal, program_id, for_update=True)
    check_version(program.version, if_match=if_match, body_version=body.version)
    before = _snapshot(program)
    fields = body.model_dump(
        exclude_unset=True, exclude={"version", "rules", "suggestion_weights", "reminder_policy"}
    )
    if fields.get("name") is not None:
        await _require_free_name(session, principal.org_id, fields["name"], program.id)
    for name in ("name", "capacity", "active"):
        if fields.get(name) is not None:
            setattr(program, name, fields[name])
    if "description" in fields:
        program.description = fields["description"]
    if body.rules is not None:
        program.rules = RULES.dump_python(body.rules, mode="json")
    if body.suggestion_weights is not None:
        program.suggestion_weights = body.suggestion_weights.model_dump()
    if body.reminder_policy is not None:
        program.reminder_policy = body.reminder_policy.model_dump()
    await session.flush()
    await session.refresh(program)
    old, new = audit.changes(before, _snapshot(program))
    audit.record(
        session,
        principal,
        "mentoring_program.updated",
        "mentoring_program",
        program.id,
        org_id=principal.org_id,
        before=old,
        after=new,
    )
    return program
