"""Who approves a step, read from the org chart when the step is reached.

A step's approvers are resolved when it begins, not at submission: an approval that waits
across a reorganization asks whoever manages or heads the subject's department then (the
documented rule for an org chart changing mid-approval). The requester never approves
their own request (removed from a step); a step whose condition does not hold, or that
resolves to nobody, is skipped with its reason kept; when no step is left with anyone the
HR admins approve (`fallback`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals.kinds import FactType, holds
from hrcore.core.i18n import N_, Text, _
from hrcore.identity import api as identity
from hrcore.people import api as people

REASONS = {
    "condition": N_("Its condition does not hold"),
    "nobody": N_("Nobody holds this role for the subject"),
    "requester": N_("The only approver is the requester or the subject"),
}
FALLBACK_NOTE = N_("No step had an approver, so the HR admins approve it")


def reason_text(code: str | None) -> Text | None:
    return _(REASONS[code]) if code is not None else None


def fallback_text(fallback: bool) -> Text | None:
    return _(FALLBACK_NOTE) if fallback else None


async def hr_admin_employees(session: AsyncSession, org_id: uuid.UUID) -> list[uuid.UUID]:
    users = await identity.hr_admin_user_ids(session, org_id)
    return sorted(set((await identity.employee_ids_for_users(session, org_id, users)).values()))


async def _candidates(
    session: AsyncSession,
    org_id: uuid.UUID,
    approver: Mapping[str, Any],
    subject: people.EmployeeInfo,
) -> list[uuid.UUID]:
    rule = approver["rule"]
    if rule == "manager":
        current: uuid.UUID | None = subject.id
        for _level in range(int(approver.get("level") or 1)):
            if current is None:
                break
            current = (await people.managers_of(session, org_id, [current])).get(current)
        return [current] if current is not None else []
    if rule == "department_head":
        department = approver.get("department_id") or subject.department_id
        return await identity.department_head_employee_ids(
            session, org_id, uuid.UUID(str(department))
        )
    if rule == "hr_admins":
        return await hr_admin_employees(session, org_id)
    return [uuid.UUID(str(approver["employee_id"]))]


async def resolve_step(
    session: AsyncSession,
    org_id: uuid.UUID,
    index: int,
    step: Mapping[str, Any],
    *,
    facts: Mapping[str, Any],
    fact_types: Mapping[str, FactType],
    subject: people.EmployeeInfo,
    requester_id: uuid.UUID,
) -> dict[str, Any]:
    """One step resolved now: `approvers` (ids, in order) or `skipped` with its reason."""
    resolved: dict[str, Any] = {
        "step": index,
        "name": step.get("name"),
        "mode": step.get("mode", "any"),
        "approvers": [],
        "skipped": True,
        "reason": None,
    }
    condition = step.get("condition")
    if condition is not None and not holds(
        fact_types.get(condition["fact"], "text"),
        facts.get(condition["fact"]),
        condition["op"],
        condition["value"],
    ):
        resolved["reason"] = "condition"
        return resolved
    found = list(dict.fromkeys(await _candidates(session, org_id, step["approver"], subject)))
    summaries = await people.employee_summaries(session, org_id, found)
    active = [a for a in found if a in summaries and summaries[a].status == "active"]
    approvers = [str(a) for a in active if a not in (requester_id, subject.id)]
    if not approvers:
        resolved["reason"] = "requester" if active else "nobody"
        return resolved
    resolved.update(approvers=approvers, skipped=False)
    return resolved


async def resolve_from(
    session: AsyncSession,
    org_id: uuid.UUID,
    steps: Sequence[Mapping[str, Any]],
    start: int,
    *,
    facts: Mapping[str, Any],
    fact_types: Mapping[str, FactType],
    subject: people.EmployeeInfo,
    requester_id: uuid.UUID,
    until_first: bool,
) -> list[dict[str, Any]]:
    """Steps from `start` on, stopping after the first with approvers when `until_first`
    (running) or resolving them all (a preview)."""
    found = []
    for index in range(start, len(steps)):
        step = await resolve_step(
            session,
            org_id,
            index,
            steps[index],
            facts=facts,
            fact_types=fact_types,
            subject=subject,
            requester_id=requester_id,
        )
        found.append(step)
        if until_first and not step["skipped"]:
            break
    return found


def fallback_step(index: int, approvers: Sequence[uuid.UUID]) -> dict[str, Any]:
    return {
        "step": index,
        "name": None,
        "mode": "any",
        "approvers": [str(a) for a in approvers],
        "skipped": False,
        "reason": None,
        "fallback": True,
    }
