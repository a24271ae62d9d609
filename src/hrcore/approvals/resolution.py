"""Who approves a step, read from the org chart when the step is reached.

A step's approvers are resolved when it begins, not at submission: an approval that waits
across a reorganization asks whoever manages or heads the subject's department then (the
documented rule for an org chart changing mid-approval). The requester never approves
their own request (removed from a step); a step whose condition does not hold, or that
resolves to nobody, is skipped with its reason kept; when no step is left with anyone the
HR admins approve (`fallback`) — but for the requester and the subject, there too.

Approvers are employees, and HR admins and department heads who have only an account (by
their user id: the `hr_admins` and `department_head` rules and the fallback); a subject
that is no person (a position) anchors its department rules on the kind's `department_id`
fact, and a `manager` rule names nobody.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals.kinds import FactType, holds
from hrcore.approvals.schemas import DEPARTMENT_FACT, SUBJECT_DEPARTMENT
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


@dataclass(frozen=True)
class Approvers:
    """Who decides: employees (each gets a decision task) and accounts without an employee
    record (HR admins and department heads who have only an account: told in their
    inbox)."""

    employees: list[uuid.UUID] = field(default_factory=list)
    users: list[uuid.UUID] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.employees or self.users)


@dataclass(frozen=True)
class Parties:
    """Whom an approval is about and who asks for it: neither approves it. `subject` is None
    for a subject that is no person (a position), whose `department` (the kind's
    `department_id` fact) then anchors department rules; the requester is an employee
    (`requester_id`) or an account without one (`requester_user_id`)."""

    subject: people.EmployeeInfo | None
    requester_id: uuid.UUID | None
    requester_user_id: uuid.UUID | None = None
    department: uuid.UUID | None = None

    @classmethod
    def of(
        cls,
        subject: people.EmployeeInfo | None,
        facts: Mapping[str, Any],
        requester_id: uuid.UUID | None,
        requester_user_id: uuid.UUID | None,
    ) -> Parties:
        department = subject.department_id if subject is not None else facts.get(DEPARTMENT_FACT)
        return cls(
            subject,
            requester_id,
            requester_user_id,
            uuid.UUID(str(department)) if department else None,
        )

    def excluded(self, approvers: Approvers) -> Approvers:
        """The approvers but the requester and the subject."""
        subject = self.subject.id if self.subject is not None else None
        return Approvers(
            [e for e in approvers.employees if e not in (self.requester_id, subject)],
            [u for u in approvers.users if u != self.requester_user_id],
        )


async def hr_admins(session: AsyncSession, org_id: uuid.UUID) -> Approvers:
    """Every active HR admin: by their employee record when linked to one, else by their
    account."""
    users = await identity.hr_admin_user_ids(session, org_id)
    linked = await identity.employee_ids_for_users(session, org_id, users)
    return Approvers(sorted(set(linked.values())), sorted(u for u in users if u not in linked))


async def fallback_approvers(
    session: AsyncSession, org_id: uuid.UUID, parties: Parties
) -> Approvers:
    """The HR admins who approve when no step has anyone: as on every step, never the
    requester nor the subject (empty: nobody can approve, and submitting is refused)."""
    return parties.excluded(await _active(session, org_id, await hr_admins(session, org_id)))


async def _active(session: AsyncSession, org_id: uuid.UUID, found: Approvers) -> Approvers:
    """Inactive employees never approve (HR admins' accounts are active ones already)."""
    employees = list(dict.fromkeys(found.employees))
    summaries = await people.employee_summaries(session, org_id, employees)
    return Approvers(
        [e for e in employees if e in summaries and summaries[e].status == "active"],
        list(dict.fromkeys(found.users)),
    )


def _department_ids(
    approver: Mapping[str, Any], facts: Mapping[str, Any], parties: Parties
) -> list[uuid.UUID]:
    """The departments whose heads a `department_head` rule asks: a named one, else those
    `of` names (the subject's, department facts); a fact not stated names none."""
    if approver.get("department_id"):
        return [uuid.UUID(str(approver["department_id"]))]
    found = []
    for name in approver.get("of") or [SUBJECT_DEPARTMENT]:
        value = parties.department if name == SUBJECT_DEPARTMENT else facts.get(name)
        if value:
            found.append(uuid.UUID(str(value)))
    return list(dict.fromkeys(found))


async def _nearest_heads(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> Approvers:
    """For each department, the active heads of the nearest department at or above it that
    has one (a department without a head of its own is approved above it): by employee
    record, or by account for a head without one. Three queries whatever the depth: the
    paths, the heads on them, their employees' states."""
    paths = await org.department_paths(session, org_id, department_ids)
    ladders = [
        [uuid.UUID(part) for part in reversed(paths[d].split("/")) if part]
        for d in department_ids
        if d in paths
    ]
    heads = await identity.department_heads(
        session, org_id, list({d for ladder in ladders for d in ladder})
    )
    linked = [e for found in heads.values() for _, e in found if e is not None]
    summaries = await people.employee_summaries(session, org_id, linked)
    chosen = Approvers()
    for ladder in ladders:
        for department in ladder:
            holders = heads.get(department, [])
            employees = [
                e
                for _, e in holders
                if e is not None and e in summaries and summaries[e].status == "active"
            ]
            users = [u for u, e in holders if e is None]
            if employees or users:
                chosen.employees.extend(employees)
                chosen.users.extend(users)
                break
    return chosen


async def _candidates(
    session: AsyncSession,
    org_id: uuid.UUID,
    approver: Mapping[str, Any],
    facts: Mapping[str, Any],
    parties: Parties,
) -> Approvers:
    """Whom the rule names; a `manager` rule about no person names nobody."""
    rule = approver["rule"]
    if rule == "manager":
        if parties.subject is None:
            return Approvers()
        chain = await people.manager_chain(session, org_id, parties.subject.id)
        level = int(approver.get("level") or 1)
        return Approvers(chain[level - 1 : level])
    if rule == "department_head":
        return await _nearest_heads(session, org_id, _department_ids(approver, facts, parties))
    if rule == "hr_admins":
        return await hr_admins(session, org_id)
    if rule == "group":
        return Approvers([uuid.UUID(str(member)) for member in approver.get("employee_ids") or []])
    return Approvers([uuid.UUID(str(approver["employee_id"]))])


def _applies(
    condition: Mapping[str, Any] | None,
    facts: Mapping[str, Any],
    fact_types: Mapping[str, FactType],
    parties: Parties,
) -> bool:
    """Whether the step's condition holds; `involved`: the department fact names a
    department other than the subject's."""
    if condition is None:
        return True
    actual = facts.get(condition["fact"])
    if condition["op"] == "involved":
        return bool(actual) and str(actual) != str(parties.department)
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
    parties: Parties,
) -> dict[str, Any]:
    """One step resolved now: `approvers` (employee ids, in order) and `users` (accounts
    without one), or `skipped` with its reason."""
    resolved: dict[str, Any] = {
        "step": index,
        "name": step.get("name"),
        "mode": step.get("mode", "any"),
        "approvers": [],
        "users": [],
        "skipped": True,
        "reason": None,
    }
    if not _applies(step.get("condition"), facts, fact_types, parties):
        resolved["reason"] = "condition"
        return resolved
    found = await _candidates(session, org_id, step["approver"], facts, parties)
    active = await _active(session, org_id, found)
    approvers = parties.excluded(active)
    if not approvers:
        resolved["reason"] = "requester" if active else "nobody"
        return resolved
    resolved.update(
        approvers=[str(a) for a in approvers.employees],
        users=[str(u) for u in approvers.users],
        skipped=False,
    )
    return resolved


async def resolve_from(
    session: AsyncSession,
    org_id: uuid.UUID,
    steps: Sequence[Mapping[str, Any]],
    start: int,
    *,
    facts: Mapping[str, Any],
    fact_types: Mapping[str, FactType],
    parties: Parties,
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
            parties=parties,
        )
        found.append(step)
        if until_first and not step["skipped"]:
            break
    return found


def fallback_step(index: int, approvers: Approvers) -> dict[str, Any]:
    return {
        "step": index,
        "name": None,
        "mode": "any",
        "approvers": [str(a) for a in approvers.employees],
        "users": [str(u) for u in approvers.users],
        "skipped": False,
        "reason": None,
        "fallback": True,
    }
