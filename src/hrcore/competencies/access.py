"""Who may see and do what with competencies: everyone in the organization reads the
library and the models (they describe jobs, not people); HR admins write."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.models import COMPETENCIES, Competency
from hrcore.core.authz import Principal


def require_reader(principal: Principal) -> None:
    """Any member of the organization reads the library: authentication already checked it."""


async def readable_competency(
    session: AsyncSession, principal: Principal, competency_id: uuid.UUID
) -> Competency:
    """The organization's competency, else 404 (another organization's included)."""
    require_reader(principal)
    return await COMPETENCIES.require(session, principal.org_id, competency_id)
