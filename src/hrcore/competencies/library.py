"""The competency library: the template kit's use cases with a competency's content."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import access
from hrcore.competencies.models import COMPETENCIES, Competency
from hrcore.competencies.schemas import CompetencyIn
from hrcore.core.authz import Principal
from hrcore.core.templates import TemplateRules


def _content(body: CompetencyIn) -> dict[str, Any]:
    """Levels are numbered by their place in the list, so a level's number is never out of
    step with the levels around it."""
    return {
        "name": body.name,
        "category": body.category,
        "description": body.description,
        "levels": [
            {"level": number, **level.model_dump(mode="json")}
            for number, level in enumerate(body.levels, start=1)
        ],
    }


async def _validate(session: AsyncSession, principal: Principal, body: CompetencyIn) -> None:
    """The schema holds every rule of a competency's own content."""


RULES: TemplateRules[Competency, CompetencyIn] = TemplateRules(
    kind=COMPETENCIES,
    require_reader=access.require_reader,
    readable=access.readable_competency,
    content=_content,
    validate=_validate,
)
