"""The ledger over HTTP: its entries within the caller's reach, and what HR writes by hand —
an award of a rule for a source the client names (one per source, as every award), or a
correction that compensates an entry with a reason. Both through `ledger`, audited."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, Text, _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.training import ledger, points_repository
from hrcore.training.ledger import Award
from hrcore.training.models import PointCategory, PointRule
from hrcore.training.points_periods import parse_period
from hrcore.training.points_schemas import PointsEntryIn, PointsEntryOut

ENTRY = N_("points entry")
SUBJECT = "points_entry"
_RULE_BY_CODE = select(PointRule.active)


def shaped(rows: Any) -> list[dict[str, Any]]:
    """Ledger rows as `PointsEntryOut` reads them: the names as links."""
    return [
        dict(row)
        | {
            "employee": {"id": row["employee_id"], "name": row["employee_name"]},
            "rule": {"id": row["rule_id"], "name": row["rule_name"]} if row["rule_id"] else None,
            "recorded_by_user": {"id": row["recorded_by"], "name": row["recorded_by_name"]}
            if row["recorded_by"]
            else None,
        }
        for row in rows
    ]


async def listed(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    employee_id: uuid.UUID | None,
    period: str | None,
    category: PointCategory | None,
    code: str | None,
) -> Page[PointsEntryOut]:
    """Newest first within the caller's reach (people's: oneself, one's reports, a head's
    subtree; HR admins all); an `employee_id` outside it is 404."""
    principal.require_key_scope(None)
    reach = None
    if employee_id is not None:
        if employee_id != principal.employee_id:
            await people.ensure_can_view(session, principal, employee_id)
    else:
        reach = await people.visible_employee_ids(session, principal)
    bounds = (
        parse_period(period, await identity.org_timezone(session, principal.org_id))
        if period
        else None
    )
    after = decode_cursor(page.cursor, [datetime, uuid.UUID]) if page.cursor else None
    rows = await points_repository.ledger_page(
        session,
        principal.org_id,
        reach=reach,
        employee_id=employee_id,
        starts_at=bounds.starts_at if bounds else None,
        ends_at=bounds.ends_at if bounds else None,
        category=category.value if category else None,
        code=code,
        after=(after[0], after[1]) if after else None,
        limit=page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["occurred_at", "id"], page)
    note_reads(
        principal, [row["employee_id"] for row in shown], DataClass.EVALUATION, "training_points"
    )
    return Page[PointsEntryOut].model_validate({"items": shaped(shown), "next_cursor": cursor})


def _refused(message: Text, errors: list[FieldError]) -> Unprocessable:
    return Unprocessable(message, errors=errors)


def _unwanted(body: PointsEntryIn, fields: tuple[str, ...], message: Text) -> list[FieldError]:
    return [FieldError(field=name, message=message) for name in fields if getattr(body, name)]


async def record(
    session: AsyncSession, principal: Principal, body: PointsEntryIn, now: datetime
) -> PointsEntryOut:
    """For HR admins: a correction when the body names `corrects_id`, else a manual award."""
    require_hr_admin(principal)
    if body.corrects_id is not None:
        entry_id = await _correct(session, principal, body.corrects_id, body)
    else:
        entry_id = await _award(session, principal, body, now)
    row = await points_repository.ledger_entry(session, principal.org_id, entry_id)
    return PointsEntryOut.model_validate(shaped([row])[0])


async def _correct(
    session: AsyncSession, principal: Principal, corrects_id: uuid.UUID, body: PointsEntryIn
) -> uuid.UUID:
    errors = _unwanted(
        body, ("employee_id", "code", "source_id", "occurred_at"), _("not part of a correction")
    )
    if body.reason is None:
        errors.append(FieldError(field="reason", message=_("a correction needs a reason")))
    if not body.points:
        errors.append(FieldError(field="points", message=_("a correction moves some points")))
    if errors or body.reason is None or body.points is None:
        raise _refused(_("The correction is not complete"), errors)
    corrected = await ledger.correct(
        session,
        principal.org_id,
        corrects_id,
        points=body.points,
        reason=body.reason,
        recorded_by=principal.user_id,
    )
    if corrected is None:
        raise NotFound(_("No such {what}", what=ENTRY))
    audit.record(
        session,
        principal,
        "points.corrected",
        SUBJECT,
        corrected,
        org_id=principal.org_id,
        after={
            "corrects_id": str(corrects_id),
            "points": body.points,
            "reason": body.reason,
        },
    )
    return corrected


async def _require_active_rule(session: AsyncSession, org_id: uuid.UUID, code: str) -> None:
    await ledger.ensure_rules(session, org_id)
    active = await session.scalar(
        _RULE_BY_CODE.where(PointRule.org_id == org_id, PointRule.code == code)
    )
    if active is None:
        raise _refused(
            _("Unknown point rule"),
            [FieldError(field="code", message=_("no rule has the code {code}", code=code))],
        )
    if not active:
        raise _refused(
            _("The point rule is switched off"),
            [FieldError(field="code", message=_("the rule {code} is switched off", code=code))],
        )


async def _award(
    session: AsyncSession, principal: Principal, body: PointsEntryIn, now: datetime
) -> uuid.UUID:
    required = _("required for an award")
    errors = [
        FieldError(field=name, message=required)
        for name in ("employee_id", "code", "source_id")
        if getattr(body, name) is None
    ]
    errors += _unwanted(body, ("points", "reason"), _("only a correction sets this"))
    if errors or body.employee_id is None or body.code is None or body.source_id is None:
        raise _refused(_("The award is not complete"), errors)
    await people.require_employee(session, principal.org_id, body.employee_id)
    await _require_active_rule(session, principal.org_id, body.code)
    wanted = Award(
        body.employee_id, body.code, body.source_type, body.source_id, body.occurred_at or now
    )
    awarded = await ledger.award(session, principal.org_id, wanted)
    if awarded is None:
        raise Conflict(_("This rule was awarded for this source already"))
    audit.record(
        session,
        principal,
        "points.awarded",
        SUBJECT,
        awarded.entry_id,
        org_id=principal.org_id,
        after={
            "employee_id": str(body.employee_id),
            "code": body.code,
            "points": awarded.points,
            "source_type": body.source_type,
            "source_id": str(body.source_id),
        },
    )
    return awarded.entry_id
