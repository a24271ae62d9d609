"""Points: the rules and settings, the ledger, my points and the leaderboard."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.training import points_entries, points_rules, points_standing
from hrcore.training.models import PointCategory, PointRule
from hrcore.training.points_schemas import (
    PERIOD_PATTERN,
    LeaderboardEntryOut,
    MyPointsOut,
    PointRuleIn,
    PointRuleOut,
    PointRulePatch,
    PointsEntryIn,
    PointsEntryOut,
    PointSettingsIn,
    PointSettingsOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["training"])

Period = Annotated[
    str | None,
    Query(
        pattern=PERIOD_PATTERN,
        description="`2026`, `2026-Q4` or `2026-11`, in the organization's time zone.",
    ),
]


def _rule_view(rule: PointRule) -> PointRuleOut:
    return PointRuleOut.model_validate(rule, from_attributes=True)


@router.get(
    "/point-rules",
    operation_id="list_point_rules",
    summary="The organization's point rules",
    responses=FORBIDDEN,
)
async def list_point_rules(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[PointRuleOut]:
    """Every rule by code, with its category and value now; the defaults (attendance +10,
    online course +5, late −2, action plan +20, adopted +50, teaching +30, article +15) are
    added in the organization's language the first time. Integration keys: 403."""
    rows, cursor = await points_rules.list_rules(session, principal, page)
    return Page(items=[_rule_view(rule) for rule in rows], next_cursor=cursor)


@router.post(
    "/point-rules",
    operation_id="create_point_rule",
    summary="Add a point rule (HR admin)",
    status_code=201,
    responses={**FORBIDDEN, **problem(409, "The code is taken")},
)
async def create_point_rule(
    body: PointRuleIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> PointRuleOut:
    """For HR admins: a rule manual awards name by its `code` (unique: 409). Audited."""
    rule = await points_rules.create_rule(session, principal, body)
    set_etag(response, rule.version)
    return _rule_view(rule)


@router.patch(
    "/point-rules/{rule_id}",
    operation_id="update_point_rule",
    summary="Change a point rule's value, name or active state (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_point_rule(
    rule_id: uuid.UUID,
    body: PointRulePatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PointRuleOut:
    """For HR admins; guarded by `If-Match` or a body `version`. Entries already in the
    ledger keep the value they were awarded with: the change applies forward. A rule
    switched off awards nothing. Audited."""
    rule = await points_rules.update_rule(session, principal, rule_id, body, if_match=if_match)
    set_etag(response, rule.version)
    return _rule_view(rule)


@router.get(
    "/point-settings",
    operation_id="get_point_settings",
    summary="The categories' target weights and the badge thresholds",
    responses=FORBIDDEN,
)
async def get_point_settings(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> PointSettingsOut:
    """Target weights of participation, outcome and sharing in percent (30 / 40 / 30 by
    default) and the badges a period's total earns. Its `ETag` serves `If-Match` on the
    update. Integration keys: 403."""
    row = await points_rules.read_settings(session, principal)
    set_etag(response, row.version)
    return points_rules.settings_view(row)


@router.put(
    "/point-settings",
    operation_id="update_point_settings",
    summary="Replace the target weights and the badge thresholds (HR admin)",
    responses={**FORBIDDEN, **STALE},
)
async def update_point_settings(
    body: PointSettingsIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PointSettingsOut:
    """For HR admins. The weights must sum to 100 and two badges cannot share a threshold
    (422); guarded by `If-Match` or a body `version`. Audited."""
    row = await points_rules.write_settings(session, principal, body, if_match=if_match)
    set_etag(response, row.version)
    return points_rules.settings_view(row)


@router.get(
    "/points/ledger",
    operation_id="list_points_ledger",
    summary="Ledger entries in my reach, newest first",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_points_ledger(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    employee_id: Annotated[
        uuid.UUID | None, Query(description="Only this employee's (404 outside reach).")
    ] = None,
    period: Period = None,
    category: Annotated[PointCategory | None, Query(description="Only this category.")] = None,
    code: Annotated[
        str | None, Query(max_length=64, description="Only awards of this rule.")
    ] = None,
) -> Page[PointsEntryOut]:
    """The append-only ledger, cursor-paginated by when the points were earned: HR admins
    read everyone's, department heads their subtree's, managers their reports', anyone
    their own. Each entry links its employee, rule and (corrections) who recorded it."""
    return await points_entries.listed(
        session,
        principal,
        page,
        employee_id=employee_id,
        period=period,
        category=category,
        code=code,
    )


@router.post(
    "/points/ledger",
    operation_id="create_points_entry",
    summary="Award a rule by hand or correct an entry (HR admin)",
    status_code=201,
    responses={
        **FORBIDDEN,
        **problem(404, "No such entry to correct"),
        **problem(409, "The rule was awarded for this source already"),
    },
)
async def create_points_entry(
    body: PointsEntryIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> PointsEntryOut:
    """For HR admins. An award names the employee, the rule's `code` and the source it
    rewards (`source_type`, `source_id`: the article published…); one award per employee,
    rule and source (409), at the rule's value now. A correction names the entry it
    corrects (`corrects_id`, 404 if unknown), its `points` and a `reason` (422 without:
    nothing written); it counts in the corrected entry's period and category. Audited."""
    return await points_entries.record(session, principal, body, clock.now())


@router.get(
    "/me/points",
    operation_id="get_my_points",
    summary="My points in a period: categories, ranks, badges, latest entries",
    responses=NOT_FOUND,
)
async def get_my_points(
    principal: CurrentPrincipal, session: DbSession, clock: AppClock, period: Period = None
) -> MyPointsOut:
    """My balance in `period` (default: this quarter where the organization is): the total
    and each category's share against its target weight, my rank in the organization and in
    my department (competition ranking), the badges the total earned and the next one, and
    my latest entries. 404 for an account not linked to an employee."""
    return await points_standing.my_points(session, principal, clock, period)


@router.get(
    "/points/leaderboard",
    operation_id="get_points_leaderboard",
    summary="The points leaderboard of the organization or a department",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_points_leaderboard(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    page: Pagination,
    period: Period = None,
    department_id: Annotated[
        uuid.UUID | None, Query(description="The board of this department's subtree.")
    ] = None,
) -> Page[LeaderboardEntryOut]:
    """Highest total first in `period` (default: this quarter); ties share a rank (1, 2, 2,
    4). The organization's board is open to everyone in it (names and totals; categories for
    HR admins); a department subtree's to HR admins and the heads above it (403 for others,
    404 outside a head's subtree), with the categories."""
    return await points_standing.leaderboard(
        session, principal, clock, page, period=period, department_id=department_id
    )
