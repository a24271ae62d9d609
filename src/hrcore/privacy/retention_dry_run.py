"""The dry run: what the retention rules would purge now — per rule, how many records and a
sample of them (paginated, each named by whose data it is) — writing nothing. Employees
under legal hold are left out, as the purge leaves them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, decode_cursor, encode_cursor
from hrcore.core.retention import DueItem
from hrcore.people import api as people
from hrcore.privacy import holds_repository
from hrcore.privacy.retention_kinds import KINDS, RetentionAction, SubjectKind
from hrcore.privacy.retention_models import RetentionRule
from hrcore.privacy.retention_rules import WHAT, cutoff, enabled_rules
from hrcore.privacy.retention_schemas import (
    RetentionDryRunIn,
    RetentionDryRunItem,
    RetentionDryRunOut,
    RetentionDryRunRule,
)


async def dry_run(
    session: AsyncSession,
    principal: Principal,
    body: RetentionDryRunIn,
    page: PageParams,
    clock: Clock,
) -> RetentionDryRunOut:
    """HR admins (403). A cursor pages one rule's sample, so it needs `rule_id` (422)."""
    require_hr_admin(principal)
    org_id = principal.org_id
    if body.rule_id is not None:
        rules = [await get_or_404(session, RetentionRule, org_id, body.rule_id, what=WHAT)]
    elif page.cursor is not None:
        raise Unprocessable(
            _("A cursor pages one rule's sample"),
            errors=[FieldError(field="body.rule_id", message=_("name the rule to page"))],
        )
    else:
        rules = list(await enabled_rules(session, org_id))
    after = decode_cursor(page.cursor, [uuid.UUID])[0] if page.cursor else None
    held = await holds_repository.held_employee_ids(session, org_id)
    now = clock.now()
    found: list[tuple[RetentionRule, int, Sequence[DueItem]]] = []
    for rule in rules:
        kind = KINDS[SubjectKind(rule.subject_kind)]
        before = cutoff(rule, now)
        count = await kind.count(session, org_id, before, held)
        items = (
            await kind.due(session, org_id, before, held, after, page.limit + 1) if count else []
        )
        found.append((rule, count, items))
    names = await people.employee_refs(
        session,
        org_id,
        list({item[1] for _rule, _count, items in found for item in items if item[1]}),
    )
    return RetentionDryRunOut(
        rules=[
            RetentionDryRunRule(
                rule_id=rule.id,
                subject_kind=SubjectKind(rule.subject_kind),
                action=RetentionAction(rule.action),
                cutoff=cutoff(rule, now),
                count=count,
                sample=Page(
                    items=[
                        RetentionDryRunItem(
                            id=item[0],
                            employee_id=item[1],
                            employee=names[item[1]] if item[1] else None,
                            event_on=item[2],
                        )
                        for item in items[: page.limit]
                    ],
                    next_cursor=encode_cursor([items[page.limit - 1][0]])
                    if len(items) > page.limit
                    else None,
                ),
            )
            for rule, count, items in found
        ]
    )
