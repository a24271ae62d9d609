"""Approval chains: per organization and kind, revisioned by `core.templates`, and the
preview of who would approve what.

A chain's kind must be declared by a domain and have no other chain (409); conditions may
only read the kind's declared facts; named people and departments must exist (422 naming
the field). A kind without a chain runs its declared default.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import access, dingtalk_start
from hrcore.approvals.kinds import HR_ONLY, ApprovalKindSpec, spec_of
from hrcore.approvals.models import APPROVAL_CHAINS, ApprovalChain
from hrcore.approvals.resolution import Approvers, Parties, fallback_approvers, resolve_from
from hrcore.approvals.schemas import (
    SUBJECT_DEPARTMENT,
    ApprovalChainIn,
    ApprovalPreviewIn,
    ApprovalStep,
)
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.templates import TemplateRules
from hrcore.org import api as org
from hrcore.people import api as people

STEPS = TypeAdapter(list[ApprovalStep])


def require_kind(kind: str, field: str = "kind") -> ApprovalKindSpec:
    spec = spec_of(kind)
    if spec is None:
        raise Unprocessable(
            _("Unknown approval kind"),
            errors=[FieldError(field=field, message=_("no domain declares this kind"))],
        )
    return spec


def _step_errors(spec: ApprovalKindSpec, where: str, step: ApprovalStep) -> list[FieldError]:
    """What a step asks that the kind cannot answer: an undeclared fact, a department rule
    over a fact that is not a department, a person not named, a comparison without a value."""
    errors = []
    approver, condition = step.approver, step.condition
    if condition is not None:
        fact_type = spec.fact_types.get(condition.fact)
        if fact_type is None:
            errors.append(
                FieldError(field=f"{where}.condition.fact", message=_("the kind has no such fact"))
            )
        elif condition.op == "involved" and fact_type != "department":
            errors.append(
                FieldError(field=f"{where}.condition.op", message=_("not a department fact"))
            )
        if condition.op != "involved" and condition.value is None:
            errors.append(
                FieldError(field=f"{where}.condition.value", message=_("compare with a value"))
            )
    if approver.rule == "person" and approver.employee_id is None:
        errors.append(
            FieldError(field=f"{where}.approver.employee_id", message=_("name the person"))
        )
    if approver.department_id is not None and approver.of != [SUBJECT_DEPARTMENT]:
        errors.append(
            FieldError(field=f"{where}.approver.of", message=_("name one department or the other"))
        )
    if approver.rule == "department_head":
        errors.extend(
            FieldError(field=f"{where}.approver.of.{index}", message=_("not a department fact"))
            for index, name in enumerate(approver.of)
            if name != SUBJECT_DEPARTMENT and spec.fact_types.get(name) != "department"
        )
    return errors


async def _validate(session: AsyncSession, principal: Principal, body: ApprovalChainIn) -> None:
    spec = require_kind(body.kind)
    errors = [
        error
        for index, step in enumerate(body.steps)
        for error in _step_errors(spec, f"steps.{index}", step)
    ]
    if errors:
        raise Unprocessable(_("The chain cannot run as written"), errors=errors)
    for index, step in enumerate(body.steps):
        where, approver = f"steps.{index}.approver", step.approver
        if approver.rule == "person" and approver.employee_id is not None:
            await people.require_employee(
                session, principal.org_id, approver.employee_id, f"{where}.employee_id"
            )
        if approver.department_id is not None:
            await org.require_department(
                session, principal.org_id, approver.department_id, f"{where}.department_id"
            )
        if approver.rule == "group":
            known = await people.employee_refs(session, principal.org_id, approver.employee_ids)
            unknown = [
                FieldError(field=f"{where}.employee_ids.{i}", message=_("no such employee"))
                for i, member in enumerate(approver.employee_ids)
                if member not in known
            ]
            if unknown:
                raise Unprocessable(_("Unknown employee"), errors=unknown)


def _content(body: ApprovalChainIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "kind": body.kind,
        "description": body.description,
        "steps": STEPS.dump_python(body.steps, mode="json"),
    }


async def chain_for(session: AsyncSession, org_id: uuid.UUID, kind: str) -> ApprovalChain | None:
    found: ApprovalChain | None = await session.scalar(
        select(ApprovalChain).where(ApprovalChain.org_id == org_id, ApprovalChain.kind == kind)
    )
    return found


@dataclass(frozen=True)
class ChainRules(TemplateRules[ApprovalChain, ApprovalChainIn]):
    """The template kit's use cases plus one chain per kind, whose kind never changes."""

    async def create_template(
        self, session: AsyncSession, principal: Principal, body: ApprovalChainIn
    ) -> ApprovalChain:
        require_hr_admin(principal)
        if await chain_for(session, principal.org_id, body.kind) is not None:
            raise Conflict(_("The kind {kind} has a chain already: edit it", kind=body.kind))
        return await super().create_template(session, principal, body)

    async def update_template(
        self,
        session: AsyncSession,
        principal: Principal,
        template_id: uuid.UUID,
        body: ApprovalChainIn,
        *,
        if_match: str | None,
        body_version: int | None,
    ) -> ApprovalChain:
        require_hr_admin(principal)
        chain = await self.readable(session, principal, template_id)
        if body.kind != chain.kind:
            raise Unprocessable(
                _("A chain's kind does not change"),
                errors=[FieldError(field="kind", message=_("create a chain for the other kind"))],
            )
        return await super().update_template(
            session,
            principal,
            template_id,
            body,
            if_match=if_match,
            body_version=body_version,
        )


RULES = ChainRules(
    kind=APPROVAL_CHAINS,
    require_reader=access.require_reader,
    readable=access.readable_chain,
    content=_content,
    validate=_validate,
)


async def check_facts(
    session: AsyncSession, org_id: uuid.UUID, spec: ApprovalKindSpec, facts: dict[str, Any]
) -> None:
    """422 naming the fact for one the kind does not declare, or a department fact that is
    not a department of the organization."""
    unknown = [name for name in facts if name not in spec.fact_types]
    if unknown:
        raise Unprocessable(
            _("Unknown fact"),
            errors=[
                FieldError(field=f"facts.{name}", message=_("the kind has no such fact"))
                for name in unknown
            ],
        )
    for name, value in facts.items():
        if spec.fact_types[name] != "department":
            continue
        try:
            department_id = uuid.UUID(str(value))
        except ValueError:
            raise Unprocessable(
                _("Unknown department"),
                errors=[FieldError(field=f"facts.{name}", message=_("no such department"))],
            ) from None
        await org.require_department(session, org_id, department_id, f"facts.{name}")


@dataclass(frozen=True)
class Plan:
    """The chain a new approval of a kind would keep, and its steps resolved now."""

    chain_id: uuid.UUID | None
    chain_revision: int | None
    steps: list[dict[str, Any]]
    resolved: list[dict[str, Any]]
    fallback: Approvers | None


async def plan(
    session: AsyncSession,
    org_id: uuid.UUID,
    spec: ApprovalKindSpec,
    facts: dict[str, Any],
    parties: Parties,
    *,
    until_first: bool,
) -> Plan:
    """Resolve the organization's chain for the kind (else the kind's default); `fallback`
    holds the HR admins when no step resolved to anyone."""
    chain = await chain_for(session, org_id, spec.kind)
    steps = (
        list(chain.steps)
        if chain is not None
        else [dict(step) for step in (spec.default_steps or HR_ONLY)]
    )
    resolved = await resolve_from(
        session,
        org_id,
        steps,
        0,
        facts=facts,
        fact_types=spec.fact_types,
        parties=parties,
        until_first=until_first,
    )
    fallback = await fallback_for(session, org_id, resolved, parties)
    return Plan(
        chain.id if chain else None, chain.revision if chain else None, steps, resolved, fallback
    )


async def fallback_for(
    session: AsyncSession,
    org_id: uuid.UUID,
    resolved: Sequence[dict[str, Any]],
    parties: Parties,
) -> Approvers | None:
    """None when a resolved step has approvers; else the HR admins who approve instead
    (422 when nobody could: never a stuck approval)."""
    if any(not step["skipped"] for step in resolved):
        return None
    fallback = await fallback_approvers(session, org_id, parties)
    if not fallback:
        raise Unprocessable(
            _("Nobody can approve this: no HR admin but the requester or the subject")
        )
    return fallback


async def preview(
    session: AsyncSession, principal: Principal, body: ApprovalPreviewIn
) -> dict[str, Any]:
    """Who would approve, step by step, if it were submitted now; for a kind the organization
    approves in DingTalk, only its process code (DingTalk's form decides who approves)."""
    access.require_reader(principal)
    spec = require_kind(body.kind)
    await check_facts(session, principal.org_id, spec, body.facts)
    subject = (
        await people.require_employee(
            session, principal.org_id, body.subject_employee_id, "subject_employee_id"
        )
        if body.subject_employee_id is not None
        else None
    )
    requester = body.requester_employee_id or principal.employee_id
    if body.requester_employee_id is not None:
        await people.require_employee(
            session, principal.org_id, body.requester_employee_id, "requester_employee_id"
        )
    process = await dingtalk_start.process_code(session, principal.org_id, spec.kind)
    if process is not None:  # no hrcore step runs
        return {"kind": spec.kind, "dingtalk_process_code": process}
    found = await plan(
        session,
        principal.org_id,
        spec,
        body.facts,
        Parties.of(
            subject, body.facts, requester, principal.user_id if requester is None else None
        ),
        until_first=False,
    )
    return {
        "kind": spec.kind,
        "chain_id": found.chain_id,
        "chain_revision": found.chain_revision,
        "resolved": found.resolved,
        "fallback": found.fallback,
    }
