"""The organization's incentive rules as data: read and replaced by HR admins (audited),
the seeds' values until then. An evaluation writes the defaults first where HR never did, so
its SQL always reads one row."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.training.incentive_models import IncentiveRules
from hrcore.training.incentive_schemas import IncentiveRulesIn, IncentiveRulesOut

SUBJECT = "incentive_rules"

DEFAULTS: dict[str, Any] = {
    "top_percent": Decimal("20"),
    "top_coefficient": Decimal("0.1"),
    "competition_points": 100,
    "benefits_points": 80,
    "excellent_points": 80,
    "promotion_points": 120,
    "promotion_plan_percent": 80,
    "bonus_step_points": 10,
    "bonus_step_percent": Decimal("1"),
    "bonus_cap_percent": Decimal("5"),
}
"""The seeds' figures: top 20 % → +0.1; 100 points → competition; 80 → benefits; a year's 80
for "excellent"; 120 in 12 months and 80 % of action plans for promotion; +1 % per 10
points up to 5 %."""


async def _row(session: AsyncSession, org_id: uuid.UUID) -> IncentiveRules | None:
    found: IncentiveRules | None = await session.scalar(
        select(IncentiveRules).where(IncentiveRules.org_id == org_id).with_for_update()
    )
    return found


def _view(row: IncentiveRules | None) -> IncentiveRulesOut:
    if row is None:
        return IncentiveRulesOut(**DEFAULTS, version=0)
    return IncentiveRulesOut.model_validate(row)


async def read(session: AsyncSession, principal: Principal) -> IncentiveRulesOut:
    """HR admins only (403)."""
    require_hr_admin(principal)
    found = await session.scalar(
        select(IncentiveRules).where(IncentiveRules.org_id == principal.org_id)
    )
    return _view(found)


async def replace(
    session: AsyncSession, principal: Principal, body: IncentiveRulesIn, *, if_match: str | None
) -> IncentiveRulesOut:
    """Replace every threshold (HR admins); guarded by `If-Match` or the body's `version`
    (0 for the defaults never written). Evaluations already done keep what they wrote."""
    require_hr_admin(principal)
    if body.bonus_cap_percent < body.bonus_step_percent:
        raise Unprocessable(
            _("The incentive rules are not consistent"),
            errors=[
                FieldError(
                    field="body.bonus_cap_percent",
                    message=_("The cap must be at least one step's percent"),
                )
            ],
        )
    row = await _row(session, principal.org_id)
    check_version(row.version if row else 0, if_match=if_match, body_version=body.version)
    before = _view(row).model_dump(mode="json")
    values = body.model_dump(exclude={"version"})
    if row is None:
        row = IncentiveRules(org_id=principal.org_id, **values)
        session.add(row)
    else:
        for field, value in values.items():
            setattr(row, field, value)
    await session.flush()
    after = _view(row)
    audit.record(
        session,
        principal,
        f"{SUBJECT}.replaced",
        SUBJECT,
        row.id,
        org_id=principal.org_id,
        before=before,
        after=after.model_dump(mode="json"),
    )
    return after


async def ensure(session: AsyncSession, org_id: uuid.UUID) -> None:
    """The defaults, written once where HR never set the rules (idempotent)."""
    await session.execute(
        insert(IncentiveRules)
        .values(org_id=org_id, version=1, **DEFAULTS)
        .on_conflict_do_nothing(index_elements=["org_id"])
    )
