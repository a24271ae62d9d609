"""Program templates: ordered stages with their policies and department variants.

Every edit bumps `revision`; a started run keeps the copy it started with (`start`).
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.pagination import PageParams, paginate
from hrcore.org import api as org
from hrcore.programs import access, repository
from hrcore.programs.models import ProgramTemplate
from hrcore.programs.schemas import (
    DepartmentVariant,
    StageIn,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
)
from hrcore.reviews import api as reviews

STAGES = TypeAdapter(list[StageIn])
VARIANTS = TypeAdapter(list[DepartmentVariant])


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


async def list_templates(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ProgramTemplate], str | None]:
    access.require_reader(principal)
    statement = repository.templates_query(principal.org_id)
    return await paginate(session, statement, [ProgramTemplate.id], page)


async def get_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ProgramTemplate:
    return await access.readable_template(session, principal, template_id)


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
    template = await access.readable_template(session, principal, template_id)
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
