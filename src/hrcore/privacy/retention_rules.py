"""Retention rules (PIPL Art. 19: kept no longer than needed): HR admins set, per purgeable
kind, how long after its event the data is kept and what happens then. One rule per kind;
creating and changing are audited. The daily purge (`retention_purge`) applies the
enabled rules; the dry run (`retention_dry_run`) shows what they would take."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.calendar import add_months
from hrcore.core.concurrency import check_version
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import Page, PageParams, paginate
from hrcore.privacy.retention_kinds import KINDS, RetentionAction, SubjectKind
from hrcore.privacy.retention_models import RetentionRule
from hrcore.privacy.retention_schemas import (
    MIN_DAYS_IN,
    PeriodUnit,
    RetentionPeriod,
    RetentionRuleChange,
    RetentionRuleIn,
    RetentionRuleOut,
)

SUBJECT = "retention_rule"
WHAT = N_("retention rule")


def cutoff(rule: RetentionRule, now: datetime) -> datetime:
    """The moment before which the rule's records are expired: `now` less the period
    (months and years by the calendar, clamped to the month's last day)."""
    if rule.period_unit == PeriodUnit.DAYS:
        return now - timedelta(days=rule.period_amount)
    months = rule.period_amount * (12 if rule.period_unit == PeriodUnit.YEARS else 1)
    return datetime.combine(add_months(now.date(), -months), now.timetz())


def view(rule: RetentionRule) -> RetentionRuleOut:
    kind = KINDS[SubjectKind(rule.subject_kind)]
    return RetentionRuleOut(
        id=rule.id,
        subject_kind=kind.key,
        description=kind.description.render(),
        data_classes=list(kind.data_classes),
        event=kind.event,
        period=RetentionPeriod(amount=rule.period_amount, unit=PeriodUnit(rule.period_unit)),
        action=RetentionAction(rule.action),
        enabled=rule.enabled,
        version=rule.version,
        created_at=rule.created_at,
        updated_at=rule.updated_at,
    )


def _snapshot(rule: RetentionRule) -> dict[str, object]:
    return {
        "subject_kind": rule.subject_kind,
        "period": {"amount": rule.period_amount, "unit": rule.period_unit},
        "action": rule.action,
        "enabled": rule.enabled,
    }


def _check_action(kind: SubjectKind, action: RetentionAction) -> None:
    offered = KINDS[kind].action
    if action != offered:
        raise Unprocessable(
            _("The rule's action does not fit what it purges"),
            errors=[
                FieldError(
                    field="body.action",
                    message=_(
                        "{kind} offers only the action {action}",
                        kind=kind.value,
                        action=offered.value,
                    ),
                )
            ],
        )


def _check_period(kind: SubjectKind, period: RetentionPeriod) -> None:
    """422 when the period is shorter than the kind keeps its data at least."""
    minimum = KINDS[kind].minimum_days
    if period.amount * MIN_DAYS_IN[period.unit] < minimum:
        raise Unprocessable(
            _("This data is kept longer than that"),
            errors=[
                FieldError(
                    field="body.period",
                    message=_("{kind} is kept at least {days} days", kind=kind.value, days=minimum),
                )
            ],
        )


async def create(
    session: AsyncSession, principal: Principal, body: RetentionRuleIn
) -> RetentionRuleOut:
    """HR admins (403). An action the kind does not offer is 422; a second rule for a kind
    is 409. Audited."""
    require_hr_admin(principal)
    _check_action(body.subject_kind, body.action)
    _check_period(body.subject_kind, body.period)
    taken = await session.scalar(
        select(RetentionRule.id).where(
            RetentionRule.org_id == principal.org_id,
            RetentionRule.subject_kind == body.subject_kind,
        )
    )
    if taken is not None:
        raise Conflict(
            _("There is a retention rule for {kind} already", kind=body.subject_kind.value)
        )
    rule = RetentionRule(
        org_id=principal.org_id,
        subject_kind=body.subject_kind.value,
        period_amount=body.period.amount,
        period_unit=body.period.unit.value,
        action=body.action.value,
        enabled=body.enabled,
    )
    session.add(rule)
    await session.flush()
    await session.refresh(rule, ["created_at", "updated_at"])
    audit.record(
        session,
        principal,
        f"{SUBJECT}.created",
        SUBJECT,
        rule.id,
        org_id=principal.org_id,
        after=_snapshot(rule),
    )
    return view(rule)


async def change(
    session: AsyncSession,
    principal: Principal,
    rule_id: uuid.UUID,
    body: RetentionRuleChange,
    *,
    if_match: str | None,
) -> RetentionRuleOut:
    """HR admins (403); guarded by `If-Match` or `version`. Audited with what changed (a
    change to nothing records nothing)."""
    require_hr_admin(principal)
    rule = await get_or_404(
        session, RetentionRule, principal.org_id, rule_id, what=WHAT, for_update=True
    )
    check_version(rule.version, if_match=if_match, body_version=body.version)
    before = _snapshot(rule)
    if body.action is not None:
        _check_action(SubjectKind(rule.subject_kind), body.action)
        rule.action = body.action.value
    if body.period is not None:
        _check_period(SubjectKind(rule.subject_kind), body.period)
        rule.period_amount, rule.period_unit = body.period.amount, body.period.unit.value
    if body.enabled is not None:
        rule.enabled = body.enabled
    await session.flush()
    await session.refresh(rule, ["updated_at"])
    old, new = audit.changes(before, _snapshot(rule))
    if new:
        audit.record(
            session,
            principal,
            f"{SUBJECT}.changed",
            SUBJECT,
            rule.id,
            org_id=principal.org_id,
            before=old,
            after=new,
        )
    return view(rule)


async def listed(
    session: AsyncSession, principal: Principal, page: PageParams
) -> Page[RetentionRuleOut]:
    """HR admins (403): in the order they were made."""
    require_hr_admin(principal)
    statement = select(RetentionRule).where(RetentionRule.org_id == principal.org_id)
    rows, cursor = await paginate(session, statement, [RetentionRule.id], page)
    return Page(items=[view(row) for row in rows], next_cursor=cursor)


async def enabled_rules(session: AsyncSession, org_id: uuid.UUID) -> Sequence[RetentionRule]:
    return list(
        await session.scalars(
            select(RetentionRule)
            .where(RetentionRule.org_id == org_id, RetentionRule.enabled)
            .order_by(RetentionRule.id)
        )
    )
