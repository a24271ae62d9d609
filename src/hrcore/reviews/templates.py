"""Review forms (templates): HR builds them, HR and department heads read them.

Every change is a new `revision`; a cycle copies the form when it is created (`cycles`), so
a running cycle never changes. Weights are checked by the request schema; here the name is
unique and override departments exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict
from hrcore.core.pagination import PageParams, paginate
from hrcore.org import api as org
from hrcore.reviews import access, repository
from hrcore.reviews.models import ReviewTemplate
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
    statement = repository.templates_query(principal.org_id)
    return await paginate(session, statement, [ReviewTemplate.id], page)


async def get_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ReviewTemplate:
    return await access.readable_template(session, principal, template_id)


async def _check_template(
    session: AsyncSession, org_id: uuid.UUID, body: TemplateIn, template_id: uuid.UUID | None
) -> None:
    same = await repository.template_by_name(session, org_id, body.name)
    if same is not None and same.id != template_id:
        raise Conflict(f"A review template named {body.name!r} exists")
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
    await _check_template(session, principal.org_id, body, None)
    template = ReviewTemplate(org_id=principal.org_id, revision=1, **_content(body))
    session.add(template)
    await session.flush()
    audit.record(
        session,
        principal,
        "review_template.created",
        "review_template",
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
) -> ReviewTemplate:
    """Replace the form; running cycles keep the copy they started with."""
    require_hr_admin(principal)
    template = await access.readable_template(session, principal, template_id)
    check_version(template.version, if_match=if_match, body_version=body.version)
    await _check_template(session, principal.org_id, body, template.id)
    before = {k: getattr(template, k) for k in _content(body)}
    for name, value in _content(body).items():
        setattr(template, name, value)
    template.revision += 1
    await session.flush()
    await session.refresh(template)
    old, new = audit.changes(before, _content(body))
    audit.record(
        session,
        principal,
        "review_template.updated",
        "review_template",
        template.id,
        org_id=principal.org_id,
        before=old,
        after=new | {"revision": template.revision},
    )
    return template
