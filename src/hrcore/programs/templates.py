"""Program templates: ordered stages with their policies and department variants.

Revisioned by `core.templates` (the name is checked there): every edit bumps `revision` and
is kept in the stored revisions; a started run keeps the copy it started with (`start`).
Here variant departments, the stages' review forms, stretch assignments and courses must
exist.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.authz import Principal
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.templates import TemplateRules
from hrcore.org import api as org
from hrcore.programs import access
from hrcore.programs.models import PROGRAM_TEMPLATES
from hrcore.programs.schemas import DepartmentVariant, ProgramTemplateIn, StageIn
from hrcore.reviews import api as reviews
from hrcore.training import api as training

STAGES = TypeAdapter(list[StageIn])
VARIANTS = TypeAdapter(list[DepartmentVariant])


def _all_stages(body: ProgramTemplateIn) -> list[tuple[str, StageIn]]:
    """Every stage with the field path it came from, variants included."""
    found = [(f"stages.{i}", stage) for i, stage in enumerate(body.stages)]
    for v, variant in enumerate(body.department_variants):
        base = f"department_variants.{v}"
        found += [(f"{base}.insert.{i}.stage", ins.stage) for i, ins in enumerate(variant.insert)]
        found += [(f"{base}.replace.{i}", stage) for i, stage in enumerate(variant.replace)]
    return found


async def _check_references(
    session: AsyncSession, principal: Principal, body: ProgramTemplateIn
) -> None:
    """Variant departments, review templates and stretch assignments must exist (422 naming
    the field)."""
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
    await _check_stretch_assignments(session, principal, body)
    await _check_courses(session, principal, body)


async def _check_stretch_assignments(
    session: AsyncSession, principal: Principal, body: ProgramTemplateIn
) -> None:
    """A stretch-assignment stage names an assignment of the organization; one statement."""
    named = [
        (path, stage.stretch_assignment_id)
        for path, stage in _all_stages(body)
        if stage.stretch_assignment_id is not None
    ]
    known = await competencies.known_stretch_assignments(
        session, principal.org_id, [assignment_id for _path, assignment_id in named]
    )
    errors = [
        FieldError(field=f"{path}.stretch_assignment_id", message=_("no such stretch assignment"))
        for path, assignment_id in named
        if assignment_id not in known
    ]
    if errors:
        raise Unprocessable(_("Unknown stretch assignment"), errors=errors)


async def _check_courses(
    session: AsyncSession, principal: Principal, body: ProgramTemplateIn
) -> None:
    """A training stage names courses of the organization; one statement for every stage."""
    named = [
        (f"{path}.course_ids.{index}", course_id)
        for path, stage in _all_stages(body)
        for index, course_id in enumerate(stage.course_ids or ())
    ]
    known = await training.known_courses(
        session, principal.org_id, [course_id for _path, course_id in named]
    )
    errors = [
        FieldError(field=field, message=_("no such course"))
        for field, course_id in named
        if course_id not in known
    ]
    if errors:
        raise Unprocessable(_("Unknown course"), errors=errors)


def _content(body: ProgramTemplateIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "description": body.description,
        "stages": STAGES.dump_python(body.stages, mode="json"),
        "department_variants": VARIANTS.dump_python(body.department_variants, mode="json"),
    }


RULES = TemplateRules(
    kind=PROGRAM_TEMPLATES,
    require_reader=access.require_reader,
    readable=access.readable_template,
    content=_content,
    validate=_check_references,
)
