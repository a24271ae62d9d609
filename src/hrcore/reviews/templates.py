"""Review forms (templates): HR builds them, HR and department heads read them.

Revisioned by `core.templates`: every change is a new `revision`, kept in the stored
revisions; a cycle copies the form when it is created (`cycles`), so a running cycle never
changes. Weights are checked by the request schema, the name by `core.templates`; here
override departments and the competencies indicators name must be the organization's.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.authz import Principal
from hrcore.core.templates import TemplateRules
from hrcore.org import api as org
from hrcore.reviews import access
from hrcore.reviews.form_schemas import ReviewTemplateIn
from hrcore.reviews.models import REVIEW_TEMPLATES, ReviewTemplate


async def _check_references(
    session: AsyncSession, principal: Principal, body: ReviewTemplateIn
) -> None:
    """Departments of the overrides, then the indicators' competencies (one statement),
    each 422 naming its field."""
    for index, override in enumerate(body.department_overrides):
        await org.require_department(
            session,
            principal.org_id,
            override.department_id,
            f"department_overrides.{index}.department_id",
        )
    named = {
        f"indicators.{index}.competency_id": indicator.competency_id
        for index, indicator in enumerate(body.indicators)
        if indicator.competency_id is not None
    }
    if named:
        await competencies.require_competencies(session, principal.org_id, named)


def _content(body: ReviewTemplateIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "indicators": [i.model_dump(mode="json") for i in body.indicators],
        "kind_weights": body.kind_weights.model_dump(mode="json"),
        "department_overrides": [o.model_dump(mode="json") for o in body.department_overrides],
    }


RULES = TemplateRules(
    kind=REVIEW_TEMPLATES,
    require_reader=access.require_setup_reader,
    readable=access.readable_template,
    content=_content,
    validate=_check_references,
)


async def get_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ReviewTemplate:
    return await access.readable_template(session, principal, template_id)
