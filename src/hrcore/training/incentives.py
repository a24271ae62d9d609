"""Reading and granting incentives. HR admins read the organization's, a department head
their reach (people's rule), anyone else their own; integration keys none (403). HR admins
grant an owed incentive once (409 otherwise, audited); the owed-but-not-granted report is the
list filtered by status, and the export hands the same rows to payroll."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import fetch, get_or_404
from hrcore.core.errors import Conflict
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.people import api as people
from hrcore.training import incentive_queries
from hrcore.training.incentive_models import Incentive, IncentiveKind, IncentiveStatus
from hrcore.training.incentive_schemas import IncentiveOut

SUBJECT = "incentive"
CURSOR_KEYS = ["period", "kind", "employee_id"]


@dataclass(frozen=True)
class IncentiveFilters:
    period: str | None = None
    kind: IncentiveKind | None = None
    status: IncentiveStatus | None = None
    employee_id: uuid.UUID | None = None

    def args(self) -> tuple[Any, ...]:
        return (
            self.period,
            self.kind.value if self.kind else None,
            self.status.value if self.status else None,
            self.employee_id,
        )


async def _reach(session: AsyncSession, principal: Principal) -> list[uuid.UUID] | None:
    principal.require_key_scope(None)
    if principal.is_hr_admin:
        return None
    if principal.is_dept_head:
        return await people.visible_employee_ids(session, principal)
    return [own_employee_id(principal)]


def shaped(rows: Sequence[asyncpg.Record]) -> list[dict[str, Any]]:
    """Rows as the response's fields: names beside ids, the reasons parsed."""
    return [
        dict(row)
        | {
            "employee": {"id": row["employee_id"], "name": row["employee_name"]},
            "granted_by_user": {"id": row["granted_by"], "name": row["granted_by_name"]}
            if row["granted_by"]
            else None,
            "reasons": json.loads(row["reasons"], parse_float=Decimal),
        }
        for row in rows
    ]


async def listed(
    session: AsyncSession, principal: Principal, page: PageParams, filters: IncentiveFilters
) -> Page[IncentiveOut]:
    """Newest period first; two statements for a user's reach, one for an HR admin."""
    reach = await _reach(session, principal)
    after = decode_cursor(page.cursor, [str, str, uuid.UUID]) if page.cursor else (None,) * 3
    rows = await fetch(
        session,
        incentive_queries.PAGE_SQL,
        principal.org_id,
        reach,
        *filters.args(),
        *after,
        page.limit + 1,
    )
    shown, cursor = cut_page(rows, CURSOR_KEYS, page)
    note_reads(principal, [row["employee_id"] for row in shown], DataClass.EVALUATION, "incentive")
    return Page[IncentiveOut].model_validate({"items": shaped(shown), "next_cursor": cursor})


async def exported(
    session: AsyncSession, principal: Principal, filters: IncentiveFilters
) -> list[asyncpg.Record]:
    """Every incentive the filters find in the caller's reach, in one statement."""
    reach = await _reach(session, principal)
    return await fetch(
        session, incentive_queries.EXPORT_SQL, principal.org_id, reach, *filters.args()
    )


async def grant(
    session: AsyncSession, principal: Principal, incentive_id: uuid.UUID, clock: Clock
) -> IncentiveOut:
    """Mark an owed incentive granted (HR admins): 404 outside the organization, 409 unless
    owed. Audited."""
    require_hr_admin(principal)
    incentive = await get_or_404(
        session, Incentive, principal.org_id, incentive_id, what=N_("incentive"), for_update=True
    )
    if incentive.status != IncentiveStatus.OWED:
        raise Conflict(_("Only an owed incentive can be granted"))
    incentive.status = IncentiveStatus.GRANTED.value
    incentive.granted_by = principal.id
    incentive.granted_at = clock.now()
    await session.flush()
    audit.record(
        session,
        principal,
        f"{SUBJECT}.granted",
        SUBJECT,
        incentive.id,
        org_id=principal.org_id,
        before={"status": IncentiveStatus.OWED.value},
        after={"status": incentive.status, "granted_at": incentive.granted_at.isoformat()},
    )
    rows = await fetch(session, incentive_queries.ONE_SQL, principal.org_id, incentive.id)
    return IncentiveOut.model_validate(shaped(rows)[0])
