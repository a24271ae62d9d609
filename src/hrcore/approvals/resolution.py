"""Who approves a step, read from the org chart when the step is reached.

A step's approvers are resolved when it begins, not at submission: an approval that waits
across a reorganization asks whoever manages or heads the subject's department then (the
documented rule for an org chart changing mid-approval). The requester never approves
their own request (removed from a step); a step whose condition does not hold, or that
resolves to nobody, is skipped with its reason kept; when no step is left with anyone the
HR admins approve (`fallback`) — but for the requester and the subject, there too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals.kinds import FactType, holds
from hrcore.approvals.schemas import SUBJECT_DEPARTMENT
from hrcore.core.i18n import N_, Text, _
from hrcore.identity import api as identity
from hrcore.org import api as org
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


async def fallback_approvers(
    session: AsyncSession, org_id: uuid.UUID, *, requester_id: uuid.UUID, subject_id: uuid.UUID
) -> list[uuid.UUID]:
    """The HR admins who approve when no step has anyone: as on every step, never the
    requester nor the subject (empty: nobody can approve, and submitting is refused)."""
    admins = await hr_admin_employees(session, org_id)
    return [a for a in admins if a not in (requester_id, subject_id)]


def _department_ids(
    approver: Mapping[str, Any], facts: Mapping[str, Any], subject: people.EmployeeInfo
) -> list[uuid.UUID]:
    """The departments whose heads a `department_head` rule asks: a named one, else those
    `of` names (the subject's, department facts); a fact not stated names none."""
    if approver.get("department_id"):
        return [uuid.UUID(str(approver["department_id"]))]
    found = []
    for name in approver.get("of") or [SUBJECT_DEPARTMENT]:
        value = subject.department_id if name == SUBJECT_DEPARTMENT else facts.get(name)
        if value:
            found.append(uuid.UUID(str(value)))
    return list(dict.fromkeys(found))


async def _nearest_heads(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """For each department, the active heads of the nearest department at or above it that
    has one (a department without a head of its own is approved above it). Three queries
    whatever the depth: the paths, the heads on them, their employees' states."""
    paths = await org.department_paths(session, org_id, department_ids)
    ladders = [
        [uuid.UUID(part) for part in reversed(paths[d].split("/")) if part]
        for d in department_ids
        if d in paths
    ]
    heads = await identity.department_heads(
        session, org_id, list({d for ladder in ladders for d in ladder})
    )
    everyone = [e for found in heads.values() for e in found]
    summaries = await people.employee_summaries(session, org_id, everyone)
    chosen: list[uuid.UUID] = []
    for ladder in ladders:
        for department in ladder:
            active = [
                e
                for e in heads.get(department, [])
                if e in summaries and summaries[e].status == "active"
            ]
            if active:
                chosen.extend(active)
                break
    return chosen


async def _candidates(
    session: AsyncSession,
    org_id: uuid.UUID,
    approver: Mapping[str, Any],
    facts: Mapping[str, Any],
    subject: people.EmployeeInfo,
) -> list[uuid.UUID]:
    rule = approver["rule"]
    if rule == "manager":
        chain = await people.manager_chain(session, org_id, subject.id)
        level = int(approver.get("level") or 1)
        return chain[level - 1 : level]
    if rule == "department_head":
        return await _nearest_heads(session, org_id, _department_ids(approver, facts, subject))
    if rule == "hr_admins":
        return await hr_admin_employees(session, org_id)
    if rule == "group":
        return [uuid.UUID(str(member)) for member in approver.get("employee_ids") or []]
    return [uuid.UUID(str(approver["employee_id"]))]


def _applies(
    condition: Mapping[str, Any] | None,
    facts: Mapping[str, Any],
    fact_types: Mapping[str, FactType],
    subject: people.EmployeeInfo,
) -> bool:
    """Whether the step's condition holds; `involved`: the department fact names a
    department other than the subject's."""
    if condition is None:
        return True
    actual = facts.get(condition["fact"])
    if condition["op"] == "involved":
        return bool(actual) and str(actual) != str(subject.department_id)
    return holds(
        fact_types.get(condition["fact"], "text"), actual, condition["op"], condition["value"]
    )


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
    if not _applies(step.get("condition"), facts, fact_types, subject):
        resolved["reason"] = "condition"
        return resolved
    found = list(
        dict.fromkeys(await _candidates(session, org_id, step["approver"], facts, subject))
    )
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
