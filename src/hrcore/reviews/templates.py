"""Review forms (templates): HR builds them, HR and department heads read them.

Revisioned by `core.templates`: every change is a new `revision`; a cycle copies the form
when it is created (`cycles`), so a running cycle never changes. Weights are checked by the
request schema, the name by `core.templates`; here override departments must exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.pagination import PageParams, paginate
from hrcore.org import api as org
from hrcore.reviews import access
from hrcore.reviews.models import REVIEW_TEMPLATES, ReviewTemplate
from hrcore.reviews.schemas import TemplateIn, TemplateOut, TemplatePatch


def template_view(template: ReviewTemplate) -> TemplateOut:
    return TemplateOut.model_validate(
        {
            "id": template.id,
            "name": template.name,
            "indicators": template.indicators,
            "kind_weights": template.kind_weights,
            "department_overrides": template.department_overrides,
            "revision": template.revision,
            "created_at": template.created_at,
            "updated_at": template.updated_at,
            "version": template.version,
        }
    )


async def list_templates(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ReviewTemplate], str | None]:
    access.require_setup_reader(principal)
    return await paginate(
        session, REVIEW_TEMPLATES.current(principal.org_id), [ReviewTemplate.id], page
    )


async def get_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ReviewTemplate:
    return await access.readable_template(session, principal, template_id)


async def _check_departments(session: AsyncSession, org_id: uuid.UUID, body: TemplateIn) -> None:
    for index, override in enumerate(body.department_overrides):
        await org.require_department(
            session, org_id, override.department_id, f"department_overrides.{index}.department_id"
        )


def _content(body: TemplateIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "indicators": [i.model_dump(mode="json") for i in body.indicators],
        "kind_weights": body.kind_weights.model_dump(mode="json"),
        "department_overrides": [o.model_dump(mode="json") for o in body.department_overrides],
    }


async def create_template(
    session: AsyncSession, principal: Principal, body: TemplateIn
) -> ReviewTemplate:
    require_hr_admin(principal)
    return await REVIEW_TEMPLATES.create(
        session,
        principal,
        _content(body),
        validate=lambda: _check_departments(session, principal.org_id, body),
    )


async def update_template(
    session: AsyncSession,
    principal: Principal,
    template_id: uuid.UUID,
    body: TemplatePatch,
    *,
    if_match: str | None,
) -> ReviewTemplate:
    """Replace the form; running cycles keep the copy they started with."""
    require_hr_admin(principal)
    template = await access.readable_template(session, principal, template_id)
    return await REVIEW_TEMPLATES.revise(
        session,
        principal,
        template,
        _content(body),
        if_match=if_match,
        body_version=body.version,
        validate=lambda: _check_departments(session, principal.org_id, body),
    )
