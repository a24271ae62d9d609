"""Mentee templates 「带教模板」 by role (new graduate, transfer, promotion candidate): measurable
goals, the content checklist and the schedule of a pairing, over a duration in months.

A template kind of `core.templates`: HR admins write (every change a revision), everyone in
the organization reads; a plan copies the revision current when its pairing starts. Keys,
intervals and bounds are the request schema's; here each competency a goal names must be
the organization's and the level one of its levels (422 naming the goal's field) — the same
check the mentor's plan edits pass."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.authz import Principal
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.templates import TemplateRules
from hrcore.mentoring.mentorship_models import MENTEE_TEMPLATES, MenteeTemplate
from hrcore.mentoring.mentorship_schemas import (
    MenteeCompetencyLevelGoal,
    MenteeGoal,
    MenteeTemplateIn,
)


async def check_goals(
    session: AsyncSession, org_id: uuid.UUID, goals: Sequence[MenteeGoal]
) -> None:
    """422 naming `goals.N.competency_id` for a competency the organization does not have
    and `goals.N.level` for a level above its levels; one statement for all the goals."""
    named = {
        index: goal
        for index, goal in enumerate(goals)
        if isinstance(goal, MenteeCompetencyLevelGoal)
    }
    levels = await competencies.level_counts(
        session, org_id, [goal.competency_id for goal in named.values()]
    )
    errors = []
    for index, goal in named.items():
        found = levels.get(goal.competency_id)
        if found is None:
            errors.append(
                FieldError(field=f"goals.{index}.competency_id", message=_("no such competency"))
            )
        elif goal.level > found:
            errors.append(
                FieldError(
                    field=f"goals.{index}.level",
                    message=_("the competency has {levels} levels", levels=found),
                )
            )
    if errors:
        raise Unprocessable(
            _("A goal names a competency level the library does not have"), errors=errors
        )


def content(body: MenteeTemplateIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "role": body.role.value,
        "duration_months": body.duration_months,
        "goals": [goal.model_dump(mode="json") for goal in body.goals],
        "checklist": [item.model_dump(mode="json") for item in body.checklist],
        "schedule": [item.model_dump(mode="json") for item in body.schedule],
    }


def require_reader(principal: Principal) -> None:
    """Every member of the organization reads the templates; integration keys do not (403)."""
    principal.require_key_scope(None)


async def readable_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> MenteeTemplate:
    """The organization's template, else 404 (another organization's included)."""
    require_reader(principal)
    return await MENTEE_TEMPLATES.require(session, principal.org_id, template_id)


async def _validate(session: AsyncSession, principal: Principal, body: MenteeTemplateIn) -> None:
    await check_goals(session, principal.org_id, body.goals)


RULES = TemplateRules(
    kind=MENTEE_TEMPLATES,
    require_reader=require_reader,
    readable=readable_template,
    content=content,
    validate=_validate,
)
