"""Approvals as their readers see them: the kept chain's steps as resolved so far, every
approver's part with names, a page of them in one lookup per kind of name."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import access, dingtalk_start, repository
from hrcore.approvals.dingtalk_models import ApprovalDingTalkInstance
from hrcore.approvals.models import Approval, ApprovalAssignment
from hrcore.approvals.resolution import Approvers, fallback_step, fallback_text, reason_text
from hrcore.approvals.schemas import ApprovalOut, ApprovalPreviewOut
from hrcore.core.authz import Principal, require_user
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.identity import api as identity
from hrcore.people import api as people


def _named(ids: Sequence[str], refs: dict[uuid.UUID, Ref]) -> list[Ref]:
    return [refs[uuid.UUID(a)] for a in ids if uuid.UUID(a) in refs]


def _steps(resolved: Sequence[dict[str, Any]], refs: Names) -> list[dict[str, Any]]:
    return [
        {
            "step": step["step"],
            "round": step.get("round", 1),
            "name": step.get("name"),
            "mode": step["mode"],
            "approvers": _named(step["approvers"], refs.employees),
            "approver_users": _named(step.get("users", []), refs.users),
            "skipped": step["skipped"],
            "reason": reason_text(step.get("reason")),
        }
        for step in resolved
    ]


@dataclass(frozen=True)
class Names:
    """Links to a page's employees and accounts."""

    employees: dict[uuid.UUID, Ref]
    users: dict[uuid.UUID, Ref]


async def _names(
    session: AsyncSession, org_id: uuid.UUID, employees: set[uuid.UUID], users: set[uuid.UUID]
) -> Names:
    """One lookup of employees, and one of accounts only when there are some."""
    return Names(
        await people.employee_refs(session, org_id, list(employees)),
        await identity.user_refs(session, org_id, list(users)) if users else {},
    )


def _employees(resolved: Sequence[dict[str, Any]]) -> set[uuid.UUID]:
    return {uuid.UUID(a) for step in resolved for a in step["approvers"]}


def _users(resolved: Sequence[dict[str, Any]]) -> set[uuid.UUID]:
    return {uuid.UUID(u) for step in resolved for u in step.get("users", [])}


def _ref(refs: dict[uuid.UUID, Ref], key: uuid.UUID | None) -> Ref | None:
    return refs.get(key) if key is not None else None


def _dingtalk(row: ApprovalDingTalkInstance | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"state": row.status, "instance_id": row.instance_id, "process_code": row.process_code}


def _runs_in(row: ApprovalDingTalkInstance | None) -> str:
    """DingTalk decides it unless DingTalk never started it (it then runs on its chain)."""
    return "dingtalk" if row is not None and row.status != "failed" else "hrcore"


async def views(
    session: AsyncSession, org_id: uuid.UUID, approvals: Sequence[Approval]
) -> list[ApprovalOut]:
    ids = [a.id for a in approvals]
    parts = await repository.assignments_of_many(session, org_id, ids)
    instances = await dingtalk_start.instances_of(session, org_id, ids)
    wanted: set[uuid.UUID | None] = set()
    users: set[uuid.UUID | None] = set()
    for approval in approvals:
        wanted |= {approval.subject_employee_id, approval.requester_employee_id}
        wanted |= _employees(approval.resolved)
        users |= {approval.requester_user_id, *_users(approval.resolved)}
    for part in parts:
        wanted |= {part.employee_id, part.delegated_to_id}
        users.add(part.user_id)
    names = await _names(
        session,
        org_id,
        {e for e in wanted if e is not None},
        {u for u in users if u is not None},
    )
    refs = names.employees
    by_approval: dict[uuid.UUID, list[ApprovalAssignment]] = {}
    for part in parts:
        by_approval.setdefault(part.approval_id, []).append(part)
    return [
        ApprovalOut.model_validate(
            {
                "id": a.id,
                "kind": a.kind,
                "title": a.title,
                "status": a.status,
                "subject_id": a.subject_id,
                "subject_employee": _ref(refs, a.subject_employee_id),
                "requester": _ref(refs, a.requester_employee_id),
                "requester_user": _ref(names.users, a.requester_user_id),
                "facts": a.facts,
                "chain_id": a.chain_id,
                "chain_revision": a.chain_revision,
                "current_step": a.current_step,
                "round": a.round,
                "runs_in": _runs_in(instances.get(a.id)),
                "dingtalk": _dingtalk(instances.get(a.id)),
                "fallback": a.fallback,
                "note": fallback_text(a.fallback),
                "steps": _steps(a.resolved, names),
                "assignments": [
                    {
                        "step": p.step,
                        "round": p.round,
                        "approver": _ref(refs, p.employee_id),
                        "approver_user": _ref(names.users, p.user_id),
                        "status": p.status,
                        "comment": p.comment,
                        "task_id": p.task_id,
                        "delegated_to": _ref(refs, p.delegated_to_id),
                        "decided_at": p.decided_at,
                    }
                    for p in by_approval.get(a.id, [])
                ],
                "created_at": a.created_at,
                "decided_at": a.decided_at,
            }
        )
        for a in approvals
    ]


async def view(session: AsyncSession, approval: Approval) -> ApprovalOut:
    await session.flush()
    await session.refresh(approval)
    [found] = await views(session, approval.org_id, [approval])
    return found


async def get(session: AsyncSession, principal: Principal, approval_id: uuid.UUID) -> ApprovalOut:
    return await view(session, await access.visible_approval(session, principal, approval_id))


async def listed(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    status: str | None,
    subject_id: uuid.UUID | None = None,
    subject_employee_id: uuid.UUID | None = None,
) -> Page[ApprovalOut]:
    """HR admins read every approval; others those they requested or are or were on. Filtered
    by subject, it is that subject's approval history with every decision."""
    statement = repository.approvals_seen_by(
        principal.org_id,
        principal.employee_id,
        principal.user_id,
        everyone=principal.is_hr_admin,
        status=status,
        subject_id=subject_id,
        subject_employee_id=subject_employee_id,
    )
    if not principal.is_hr_admin and principal.employee_id is None and principal.user_id is None:
        return Page[ApprovalOut](items=[], next_cursor=None)
    rows, cursor = await paginate(session, statement, [Approval.id], page)
    return Page[ApprovalOut](items=await views(session, principal.org_id, rows), next_cursor=cursor)


async def mine(session: AsyncSession, principal: Principal, page: PageParams) -> Page[ApprovalOut]:
    """The approvals awaiting the caller's decision, by their employee record or account."""
    require_user(principal)
    statement = repository.awaiting(principal.org_id, principal.employee_id, principal.user_id)
    rows, cursor = await paginate(session, statement, [Approval.id], page)
    return Page[ApprovalOut](items=await views(session, principal.org_id, rows), next_cursor=cursor)


async def preview_view(
    session: AsyncSession, org_id: uuid.UUID, found: dict[str, Any]
) -> ApprovalPreviewOut:
    if (process := found.get("dingtalk_process_code")) is not None:  # DingTalk's form decides
        return ApprovalPreviewOut.model_validate(
            {
                "kind": found["kind"],
                "runs_in": "dingtalk",
                "dingtalk_process_code": process,
                "chain_id": None,
                "chain_revision": None,
                "steps": [],
                "fallback": False,
                "note": _("Approved in DingTalk's approval app, on process {code}", code=process),
            }
        )
    resolved = list(found["resolved"])
    fallback: Approvers | None = found["fallback"]
    if fallback is not None:
        resolved.append(fallback_step(len(resolved), fallback))
    names = await _names(session, org_id, _employees(resolved), _users(resolved))
    steps = _steps(resolved, names)
    return ApprovalPreviewOut.model_validate(
        {
            "kind": found["kind"],
            "runs_in": "hrcore",
            "chain_id": found["chain_id"],
            "chain_revision": found["chain_revision"],
            "steps": steps,
            "fallback": fallback is not None,
            "note": fallback_text(fallback is not None),
        }
    )


async def subject_history(
    session: AsyncSession, org_id: uuid.UUID, kind: str, subject_id: uuid.UUID
) -> list[ApprovalOut]:
    """A subject's approvals of the kind, oldest first, each with every round's decisions:
    what the owning domain shows on its object to whoever may read the object."""
    return await views(
        session, org_id, await repository.of_subject(session, org_id, kind, subject_id)
    )
