"""Program templates: ordered stages with their policies and department variants.

Revisioned by `core.templates` (the name is checked there): every edit bumps `revision`; a
started run keeps the copy it started with (`start`).
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.org import api as org
from hrcore.programs import access
from hrcore.programs.models import PROGRAM_TEMPLATES, ProgramTemplate
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
    return await paginate(
        session, PROGRAM_TEMPLATES.current(principal.org_id), [ProgramTemplate.id], page
    )


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


async def _check_references(session: AsyncSession, principal: Principal, body: TemplateIn) -> None:
    """Variant departments and review templates must exist (422 naming the field)."""
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
                FieldError(field=f"{path}.review_template_id", message=_("no such template"))
            )
    if errors:
        raise Unprocessable(_("Unknown review template"), errors=errors)


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
    return await PROGRAM_TEMPLATES.create(
        session,
        principal,
        _content(body),
        validate=lambda: _check_references(session, principal, body),
    )


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
    return await PROGRAM_TEMPLATES.revise(
        session,
        principal,
        template,
        _content(body),
        if_match=if_match,
        body_version=body.version,
        validate=lambda: _check_references(session, principal, body),
    )
