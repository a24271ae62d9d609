"""Position descriptions on the engine: the kind `org.position_description` and the hook org
asks for (`org.api.DescriptionApprovals`), provided here because org sits below approvals.

The subject is the draft (no person: the position's department anchors department rules),
the requester its author, by employee record or account. The default chain is today's
two-sides rule, one step whichever side wrote it: the HR admins approve a department head's
draft, the head of the position's department (the nearest head at or above it) HR's. On it
org's `POST …/approve` decides the step with authority for whoever is on the other side, as
before the engine (any head over the position, not only the nearest). When the default
chain finds nobody on the other side, no approval starts: the other side approves the draft
directly once it has someone, rather than the HR fallback deciding a draft HR wrote. The
act applies the draft in the last decision's transaction (org's `apply_approved_description`:
409 when another draft won the position meanwhile, which undoes the decision).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import chains, running
from hrcore.approvals.authority import decide_current_step, subject_approval, withdraw_for_subjects
from hrcore.approvals.kinds import ApprovalKindSpec, ApprovedSubject, Fact
from hrcore.approvals.resolution import Parties, resolve_from
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.i18n import _
from hrcore.org import api as org

KIND = "org.position_description"
FACTS = (Fact("department_id", "department"), Fact("author_side"), Fact("position_id"))
"""The position's department (the anchor of department rules), who wrote the draft (`hr`,
`department`) and the position."""
DEFAULT_STEPS: tuple[dict[str, Any], ...] = (
    {
        "name": "HR",
        "approver": {"rule": "hr_admins"},
        "mode": "any",
        "condition": {"fact": "author_side", "op": "eq", "value": "department"},
    },
    {
        "name": "Department",
        "approver": {"rule": "department_head"},
        "mode": "any",
        "condition": {"fact": "author_side", "op": "eq", "value": "hr"},
    },
)


async def _approved(session: AsyncSession, subject: ApprovedSubject, clock: Clock) -> None:
    await org.apply_approved_description(
        session, subject.org_id, subject.subject_id, subject.actor, clock
    )


SPEC = ApprovalKindSpec(KIND, _approved, facts=FACTS, default_steps=DEFAULT_STEPS)


async def submit(
    session: AsyncSession, principal: Principal, draft: org.DraftFacts, clock: Clock
) -> None:
    """Start the draft's approval, requested by its author (by account without an employee
    record); none when the default chain finds nobody on the other side."""
    facts = {
        "department_id": str(draft.department_id),
        "author_side": draft.author_side,
        "position_id": str(draft.position_id),
    }
    requester_user = principal.user_id if principal.employee_id is None else None
    if await chains.chain_for(session, principal.org_id, KIND) is None:
        found = await resolve_from(
            session,
            principal.org_id,
            DEFAULT_STEPS,
            0,
            facts=facts,
            fact_types=SPEC.fact_types,
            parties=Parties.of(None, facts, principal.employee_id, requester_user),
            until_first=True,
        )
        if all(step["skipped"] for step in found):
            return
    await running.submit(
        session,
        org_id=principal.org_id,
        kind=KIND,
        title=str(_("Description of the position {position}", position=draft.position_title))[:200],
        subject_employee=None,
        subject_id=draft.draft_id,
        requester_employee_id=principal.employee_id,
        requester_user_id=requester_user,
        facts=facts,
        clock=clock,
        actor=principal,
    )


async def current(
    session: AsyncSession, principal: Principal, draft_id: uuid.UUID
) -> org.DraftApproval | None:
    found = await subject_approval(session, principal.org_id, KIND, draft_id)
    if found is None:
        return None
    return org.DraftApproval(
        found.id, found.status, found.on_default_chain, found.awaits(principal)
    )


async def decide(
    session: AsyncSession,
    principal: Principal,
    approval_id: uuid.UUID,
    clock: Clock,
    authority: bool,
) -> None:
    await decide_current_step(
        session, principal, approval_id, "approved", clock, authority=authority
    )


async def withdraw(
    session: AsyncSession,
    org_id: uuid.UUID,
    draft_ids: Sequence[uuid.UUID],
    clock: Clock,
    actor: Principal | None,
) -> None:
    await withdraw_for_subjects(session, org_id, KIND, draft_ids, clock, actor)


PROVIDER = org.DescriptionApprovals(submit, current, decide, withdraw)
