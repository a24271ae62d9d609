"""Retention rules' routes: the list, creating and changing a rule, and the dry run (HR
admins)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.privacy import retention_dry_run, retention_rules
from hrcore.privacy.retention_schemas import (
    RetentionDryRunIn,
    RetentionDryRunOut,
    RetentionRuleChange,
    RetentionRuleIn,
    RetentionRuleOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])


@router.get(
    "/retention-rules",
    operation_id="list_retention_rules",
    summary="Retention rules (HR admin)",
    responses=FORBIDDEN,
)
async def list_rules(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[RetentionRuleOut]:
    """For HR admins: the organization's retention rules in the order they were made, each
    with what it purges (the kind, its data classes, the event its period runs from), the
    period and the action. The daily purge applies the enabled ones."""
    return await retention_rules.listed(session, principal, page)


@router.post(
    "/retention-rules",
    operation_id="create_retention_rule",
    summary="Create a retention rule (HR admin)",
    status_code=201,
    responses={**FORBIDDEN, **problem(409, "The kind has a rule already")},
)
async def create_rule(
    body: RetentionRuleIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> RetentionRuleOut:
    """For HR admins. One rule per purgeable kind (a second is 409): after `period` from the
    kind's event, its records are deleted or anonymised — the action the kind offers (another
    is 422). A period is 1 day to 100 years. Nothing is purged until the daily purge runs;
    the dry run shows what it would take. Audited."""
    rule = await retention_rules.create(session, principal, body)
    set_etag(response, rule.version)
    return rule


@router.patch(
    "/retention-rules/{rule_id}",
    operation_id="change_retention_rule",
    summary="Change a retention rule's period, action or switch it off (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def change_rule(
    rule_id: uuid.UUID,
    body: RetentionRuleChange,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> RetentionRuleOut:
    """For HR admins. The fields given change (`enabled: false` stops the rule), guarded by
    `If-Match` or the body's `version`; another organization's rule is 404. Audited with what
    changed."""
    rule = await retention_rules.change(session, principal, rule_id, body, if_match=if_match)
    set_etag(response, rule.version)
    return rule


@router.post(
    "/retention-rules/dry-run",
    operation_id="dry_run_retention_rules",
    summary="What the retention rules would purge now, writing nothing (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def dry_run(
    body: RetentionDryRunIn,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    clock: AppClock,
) -> RetentionDryRunOut:
    """For HR admins. Per rule (every enabled one, or `rule_id`'s): the cutoff, how many
    records would go now and a sample of `limit` of them, each with whose data it is and the
    day of its event; employees under legal hold are left out. `next_cursor` pages one
    rule's sample: send it back as `cursor` with that `rule_id`. Writes nothing and audits
    nothing."""
    return await retention_dry_run.dry_run(session, principal, body, page, clock)
