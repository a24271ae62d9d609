"""Where people stand in a period, read from the balances (never a sum over the ledger): my
points — by category against the target weights, my ranks, my badges — and the leaderboard
of the organization or a department subtree.

Ranks are competition ranks (1, 2, 2, 4): one more than the number of people with more
points. The board is keyset-paginated by (total, employee id); its cursor carries the last
row's rank and position, so a page ranks its rows without counting what came before."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.clock import Clock
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import Page, PageParams, decode_cursor, encode_cursor
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.training import points_entries, points_repository
from hrcore.training.ledger import DEFAULT_CATEGORY_WEIGHTS
from hrcore.training.models import PointCategory
from hrcore.training.points_periods import current_quarter, parse_period
from hrcore.training.points_schemas import LeaderboardEntryOut, MyPointsOut

LATEST_ENTRIES = 5
DEPARTMENT = N_("department")


def _rank(count: int, above: int, ranked: bool) -> dict[str, Any]:
    return {"rank": above + 1 if ranked else None, "of": count}


def _categories(row: Any, weights: dict[str, int]) -> list[dict[str, Any]]:
    total = row["total"] or 0
    return [
        {
            "category": category,
            "points": row[category.value] or 0,
            "target_weight": weights[category.value],
            "share": round(100 * (row[category.value] or 0) / total, 1) if total > 0 else None,
        }
        for category in PointCategory
    ]


def _badges(row: Any, total: int) -> tuple[list[Any], Any]:
    thresholds = sorted(row["badge_thresholds"] or [], key=lambda badge: badge["points"])
    earned = [badge for badge in thresholds if badge["points"] <= total]
    upcoming = next((badge for badge in thresholds if badge["points"] > total), None)
    return earned, upcoming


async def my_points(
    session: AsyncSession, principal: Principal, clock: Clock, period: str | None
) -> MyPointsOut:
    """The caller's standing in `period` (default: this quarter where the organization is)
    and their latest entries in it: two statements."""
    principal.require_key_scope(None)
    employee_id = own_employee_id(principal)
    timezone = await identity.org_timezone(session, principal.org_id)
    label = period or current_quarter(clock, timezone)
    row = await points_repository.my_standing(session, principal.org_id, label, employee_id)
    if row is None:
        raise NotFound(_("Your account is not linked to an employee"))
    bounds = parse_period(label, timezone)
    latest = await points_repository.my_latest(
        session, principal.org_id, employee_id, bounds.starts_at, bounds.ends_at, LATEST_ENTRIES
    )
    ranked = row["total"] is not None
    total = row["total"] or 0
    earned, upcoming = _badges(row, total)
    return MyPointsOut.model_validate(
        {
            "period": label,
            "employee": {"id": employee_id, "name": row["full_name"]},
            "total": total,
            "categories": _categories(row, row["category_weights"] or DEFAULT_CATEGORY_WEIGHTS),
            "organization_rank": _rank(
                row["organization_count"], row["organization_above"], ranked
            ),
            "department": {"id": row["department_id"], "name": row["department_name"]},
            "department_rank": _rank(row["department_count"], row["department_above"], ranked),
            "badges": earned,
            "next_badge": upcoming,
            "latest": points_entries.shaped(latest),
        }
    )


async def _board_departments(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID | None
) -> list[uuid.UUID] | None:
    """The departments a board covers (None: the organization's, open to everyone in it). A
    department's subtree is for HR admins and the heads above it; 404 outside a head's."""
    if department_id is None:
        return None
    if not principal.is_hr_admin:
        if not principal.is_dept_head or principal.department_scope is None:
            raise Forbidden(_("Only HR admins and department heads read a department's board"))
        scope = await org.subtree_ids(session, principal.org_id, principal.department_scope)
        if department_id not in scope:
            raise NotFound(_("No such {what}", what=DEPARTMENT))
    subtree = await org.subtree_ids(session, principal.org_id, department_id)
    if not subtree:
        raise NotFound(_("No such {what}", what=DEPARTMENT))
    return subtree


async def leaderboard(
    session: AsyncSession,
    principal: Principal,
    clock: Clock,
    page: PageParams,
    *,
    period: str | None,
    department_id: uuid.UUID | None,
) -> Page[LeaderboardEntryOut]:
    """A period's board, highest total first. The organization's shows everyone names and
    totals (categories to HR admins); a department's, to HR and the heads above it, shows
    the categories too."""
    principal.require_key_scope(None)
    departments = await _board_departments(session, principal, department_id)
    label = period or current_quarter(clock, await identity.org_timezone(session, principal.org_id))
    total, after_id, rank, position = (
        decode_cursor(page.cursor, [int, uuid.UUID, int, int]) if page.cursor else (0, None, 0, 0)
    )
    rows = await points_repository.board(
        session,
        principal.org_id,
        label,
        departments=departments,
        after=(total, after_id) if after_id else None,
        limit=page.limit + 1,
    )
    detailed = principal.is_hr_admin or departments is not None
    items = []
    for row in rows[: page.limit]:
        position += 1
        if row["total"] != total or rank == 0:
            rank = position
        total = row["total"]
        items.append(
            {
                "rank": rank,
                "employee": {"id": row["employee_id"], "name": row["employee_name"]},
                "department": {"id": row["department_id"], "name": row["department_name"]},
                "total": row["total"],
                "participation": row["participation"] if detailed else None,
                "outcome": row["outcome"] if detailed else None,
                "sharing": row["sharing"] if detailed else None,
            }
        )
    cursor = None
    if len(rows) > page.limit:
        cursor = encode_cursor([total, rows[page.limit - 1]["employee_id"], rank, position])
    return Page[LeaderboardEntryOut].model_validate({"items": items, "next_cursor": cursor})
