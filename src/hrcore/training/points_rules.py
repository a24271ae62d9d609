"""Point rules and the points settings as the organization's data: everyone reads them, HR
admins write them, audited. A rule's value is copied into the ledger when awarded
(`ledger`), so an edit here changes only later awards."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import PageParams, paginate
from hrcore.training import ledger
from hrcore.training.models import PointRule, TrainingSettings
from hrcore.training.points_schemas import (
    BadgeThreshold,
    CategoryWeights,
    PointRuleIn,
    PointRulePatch,
    PointSettingsIn,
    PointSettingsOut,
)

RULE = N_("point rule")
_RULES = select(PointRule)
_SETTINGS = select(TrainingSettings)


async def list_rules(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[PointRule], str | None]:
    """The organization's rules by code; an organization that never had any gets the
    defaults first (in its language)."""
    principal.require_key_scope(None)
    statement = _RULES.where(PointRule.org_id == principal.org_id)
    rows, cursor = await paginate(session, statement, [PointRule.code], page)
    if not rows and page.cursor is None:
        await ledger.ensure_rules(session, principal.org_id)
        rows, cursor = await paginate(session, statement, [PointRule.code], page)
    return rows, cursor


def _snapshot(rule: PointRule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "category": rule.category,
        "points": rule.points,
        "active": rule.active,
    }


async def create_rule(session: AsyncSession, principal: Principal, body: PointRuleIn) -> PointRule:
    """A rule HR adds (manual awards name it by code); a code taken is 409."""
    require_hr_admin(principal)
    await ledger.ensure_rules(session, principal.org_id)
    taken = await session.scalar(
        select(PointRule.id).where(
            PointRule.org_id == principal.org_id, PointRule.code == body.code
        )
    )
    if taken is not None:
        raise Conflict(_("A point rule with the code '{code}' exists", code=body.code))
    rule = PointRule(
        org_id=principal.org_id,
        code=body.code,
        name=body.name,
        category=body.category.value,
        points=body.points,
        active=True,
    )
    session.add(rule)
    await session.flush()
    audit.record(
        session,
        principal,
        "point_rule.created",
        "point_rule",
        rule.id,
        org_id=principal.org_id,
        after=_snapshot(rule),
    )
    return rule


async def update_rule(
    session: AsyncSession,
    principal: Principal,
    rule_id: uuid.UUID,
    body: PointRulePatch,
    *,
    if_match: str | None,
) -> PointRule:
    """Name, value or active state; guarded by `If-Match` or a body `version`."""
    require_hr_admin(principal)
    rule = await get_or_404(
        session, PointRule, principal.org_id, rule_id, what=RULE, for_update=True
    )
    check_version(rule.version, if_match=if_match, body_version=body.version)
    before = _snapshot(rule)
    for name in ("name", "points", "active"):
        value = getattr(body, name)
        if value is not None:
            setattr(rule, name, value)
    await session.flush()
    await session.refresh(rule)
    old, new = audit.changes(before, _snapshot(rule))
    audit.record(
        session,
        principal,
        "point_rule.updated",
        "point_rule",
        rule.id,
        org_id=principal.org_id,
        before=old,
        after=new,
    )
    return rule


async def _settings_row(
    session: AsyncSession, org_id: uuid.UUID, *, for_update: bool = False
) -> TrainingSettings:
    statement = _SETTINGS.where(TrainingSettings.org_id == org_id)
    if for_update:
        statement = statement.with_for_update()
    row = await session.scalar(statement)
    if row is None:
        await ledger.ensure_rules(session, org_id)
        row = (await session.execute(statement)).scalar_one()
    return row


def settings_view(row: TrainingSettings) -> PointSettingsOut:
    return PointSettingsOut(
        category_weights=CategoryWeights.model_validate(row.category_weights),
        badges=[BadgeThreshold.model_validate(badge) for badge in row.badge_thresholds],
        version=row.version,
    )


async def read_settings(session: AsyncSession, principal: Principal) -> TrainingSettings:
    principal.require_key_scope(None)
    return await _settings_row(session, principal.org_id)


def _settings_errors(body: PointSettingsIn) -> list[FieldError]:
    errors = []
    weights = body.category_weights
    if weights.participation + weights.outcome + weights.sharing != 100:
        errors.append(
            FieldError(field="category_weights", message=_("the weights must sum to 100"))
        )
    thresholds = [badge.points for badge in body.badges]
    if len(set(thresholds)) != len(thresholds):
        errors.append(FieldError(field="badges", message=_("two badges cannot share a threshold")))
    return errors


async def write_settings(
    session: AsyncSession, principal: Principal, body: PointSettingsIn, *, if_match: str | None
) -> TrainingSettings:
    """Replace the target weights and the badges (kept ordered by points); audited."""
    require_hr_admin(principal)
    errors = _settings_errors(body)
    if errors:
        raise Unprocessable(_("The points settings are not valid"), errors=errors)
    row = await _settings_row(session, principal.org_id, for_update=True)
    check_version(row.version, if_match=if_match, body_version=body.version)
    before = {"category_weights": row.category_weights, "badges": row.badge_thresholds}
    row.category_weights = body.category_weights.model_dump()
    row.badge_thresholds = [
        badge.model_dump() for badge in sorted(body.badges, key=lambda badge: badge.points)
    ]
    await session.flush()
    await session.refresh(row)
    old, new = audit.changes(
        before, {"category_weights": row.category_weights, "badges": row.badge_thresholds}
    )
    audit.record(
        session,
        principal,
        "point_settings.updated",
        "point_settings",
        row.id,
        org_id=principal.org_id,
        before=old,
        after=new,
    )
    return row
