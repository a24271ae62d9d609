"""Legal holds: HR admins put a person on hold with a reason (a dispute, an investigation, a
court order), which stops every retention purge of that person's data until the hold is
released; a deletion request for the person is refused with the reason (`holds_api`).
Placing and releasing are audited; a released hold is kept as the record."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import Page, PageParams, paginate
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.privacy import holds_repository
from hrcore.privacy.holds_models import LegalHold
from hrcore.privacy.holds_schemas import LegalHoldIn, LegalHoldOut

SUBJECT = "legal_hold"


async def _out(
    session: AsyncSession, org_id: uuid.UUID, rows: Sequence[LegalHold]
) -> list[LegalHoldOut]:
    """The holds with their employee's and users' names: one lookup per kind of name."""
    employees = await people.employee_refs(session, org_id, list({row.employee_id for row in rows}))
    user_ids = {user for row in rows for user in (row.placed_by, row.released_by) if user}
    users = await identity.user_refs(session, org_id, list(user_ids))
    return [
        LegalHoldOut(
            id=row.id,
            employee_id=row.employee_id,
            employee=employees[row.employee_id],
            reason=row.reason,
            case_reference=row.case_reference,
            placed_by=row.placed_by,
            placed_by_user=users.get(row.placed_by) if row.placed_by else None,
            placed_at=row.created_at,
            released_at=row.released_at,
            released_by=row.released_by,
            released_by_user=users.get(row.released_by) if row.released_by else None,
        )
        for row in rows
    ]


async def place(session: AsyncSession, principal: Principal, body: LegalHoldIn) -> LegalHoldOut:
    """HR admins (403); an employee of another organization or none is 422. Audited."""
    require_hr_admin(principal)
    await people.require_employee(session, principal.org_id, body.employee_id, "body.employee_id")
    hold = LegalHold(
        org_id=principal.org_id,
        employee_id=body.employee_id,
        reason=body.reason,
        case_reference=body.case_reference,
        placed_by=principal.id,
    )
    session.add(hold)
    await session.flush()
    await session.refresh(hold, ["created_at"])
    audit.record(
        session,
        principal,
        f"{SUBJECT}.placed",
        SUBJECT,
        hold.id,
        org_id=principal.org_id,
        after={
            "employee_id": str(hold.employee_id),
            "reason": hold.reason,
            "case_reference": hold.case_reference,
        },
    )
    [out] = await _out(session, principal.org_id, [hold])
    return out


async def release(
    session: AsyncSession, principal: Principal, hold_id: uuid.UUID, clock: Clock
) -> None:
    """HR admins (403); another organization's hold is 404, a released one 409. The next
    purge may then take the person's expired data. Audited."""
    require_hr_admin(principal)
    hold = await get_or_404(
        session, LegalHold, principal.org_id, hold_id, what=N_("legal hold"), for_update=True
    )
    if hold.released_at is not None:
        raise Conflict(_("This legal hold is released already"))
    hold.released_at = clock.now()
    hold.released_by = principal.id
    await session.flush()
    audit.record(
        session,
        principal,
        f"{SUBJECT}.released",
        SUBJECT,
        hold.id,
        org_id=principal.org_id,
        before={"released_at": None},
        after={"employee_id": str(hold.employee_id), "released_at": hold.released_at.isoformat()},
    )


async def listed(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    active: bool | None,
    employee_id: uuid.UUID | None,
    case_reference: str | None,
) -> Page[LegalHoldOut]:
    """HR admins (403): newest first."""
    require_hr_admin(principal)
    statement = holds_repository.holds(
        principal.org_id, active=active, employee_id=employee_id, case_reference=case_reference
    )
    rows, cursor = await paginate(session, statement, [LegalHold.id], page, descending=True)
    return Page(items=await _out(session, principal.org_id, rows), next_cursor=cursor)
