"""Approval chains (templates per kind, and the preview) and running approvals."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hrcore.approvals import chains, deciding, reading, running
from hrcore.approvals.schemas import (
    ApprovalChainIn,
    ApprovalChainOut,
    ApprovalChainPatch,
    ApprovalChainRevisionOut,
    ApprovalCommentIn,
    ApprovalDecisionIn,
    ApprovalDelegateIn,
    ApprovalIn,
    ApprovalOut,
    ApprovalPreviewIn,
    ApprovalPreviewOut,
    ApprovalResubmitIn,
    Status,
)
from hrcore.core.authz import require_user
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND
from hrcore.core.template_routes import Summaries, TemplateRoutes, add_template_routes
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.people import api as people

router = APIRouter(route_class=HrcoreRoute, tags=["approvals"])


@router.post(
    "/approval-chains/preview",
    operation_id="preview_approval_chain",
    summary="Who would approve, in which order",
    response_model=ApprovalPreviewOut,
    responses=FORBIDDEN,
)
async def preview(
    body: ApprovalPreviewIn, principal: CurrentPrincipal, session: DbSession
) -> ApprovalPreviewOut:
    """For HR admins and department heads: the kind's chain (or its default) resolved now for
    the subject and facts — each step's approvers, or why it is skipped — and the HR admins'
    fallback when no step has anyone. Nothing is written."""
    found = await chains.preview(session, principal, body)
    return await reading.preview_view(session, principal.org_id, found)


add_template_routes(
    router,
    TemplateRoutes(
        path="/approval-chains",
        noun="approval_chain",
        rules=chains.RULES,
        body=ApprovalChainIn,
        patch=ApprovalChainPatch,
        output=ApprovalChainOut,
        revision=ApprovalChainRevisionOut,
        principal=CurrentPrincipal,
        summaries=Summaries(
            list="Approval chains (HR admins and department heads)",
            create="Create the chain of an approval kind: ordered steps, approver rules, "
            "conditions (HR admin)",
            get="One approval chain",
            update="Replace a chain's steps; running approvals keep their revision (HR admin)",
            list_revisions="Every revision of an approval chain, oldest first",
            get_revision="An approval chain as it was at one revision",
        ),
        read_responses=FORBIDDEN,
    ),
)


@router.get(
    "/approvals",
    operation_id="list_approvals",
    summary="Approvals",
    response_model=Page[ApprovalOut],
)
async def list_approvals(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[Status | None, Query(description="Only approvals in this state.")] = None,
    subject_id: Annotated[
        uuid.UUID | None, Query(description="Only those about this object of the owning domain.")
    ] = None,
    subject_employee_id: Annotated[
        uuid.UUID | None, Query(description="Only those about this employee.")
    ] = None,
) -> Page[ApprovalOut]:
    """HR admins read every approval of the organization; others those they requested or
    are or were an approver of. Filtered by `subject_id` or `subject_employee_id` it is the
    subject's approval history, each with every round's decisions and comments, oldest
    first, for the subject's own screens. Cursor-paginated."""
    return await reading.listed(session, principal, page, status, subject_id, subject_employee_id)


@router.post(
    "/approvals",
    operation_id="submit_approval",
    summary="Submit something for approval",
    status_code=201,
    response_model=ApprovalOut,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def submit(
    body: ApprovalIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> ApprovalOut:
    """The caller (a user: by their employee record, else by their account) asks for an
    approval of a declared kind about an employee in their reach (404 otherwise); only a kind
    whose facts a requester may state is started here (422 for the others: their domain
    starts them). The chain's current revision is kept; the first step with approvers gets
    its decision tasks."""
    require_user(principal)
    subject = await people.ensure_can_view(session, principal, body.subject_employee_id)
    running.require_requestable(body.kind)
    approval = await running.submit(
        session,
        org_id=principal.org_id,
        kind=body.kind,
        title=body.title,
        subject_employee=subject,
        subject_id=body.subject_id or subject.id,
        requester_employee_id=principal.employee_id,
        requester_user_id=principal.user_id if principal.employee_id is None else None,
        facts=body.facts,
        clock=clock,
        actor=principal,
    )
    return await reading.view(session, approval)


@router.get(
    "/approvals/{approval_id}",
    operation_id="get_approval",
    summary="One approval with its history",
    response_model=ApprovalOut,
    responses=NOT_FOUND,
)
async def get_approval(
    approval_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> ApprovalOut:
    """The steps as resolved so far and every approver's part (decision, comment, delegation);
    for HR admins, the requester and its approvers (404 for others)."""
    return await reading.get(session, principal, approval_id)


DECIDING = {**NOT_FOUND, **CONFLICT}


@router.post(
    "/approvals/{approval_id}/approve",
    operation_id="approve_approval",
    summary="Approve the current step",
    response_model=ApprovalOut,
    responses=DECIDING,
)
async def approve(
    approval_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    body: ApprovalDecisionIn | None = None,
) -> ApprovalOut:
    """An approver of the current step approves (404 for anyone else, 409 when decided
    already). 或签 closes the step on the first approval, 会签 waits for all; after the last
    step the kind's act runs in this transaction."""
    comment = body.comment if body else None
    approval = await deciding.decide(session, principal, approval_id, "approved", comment, clock)
    return await reading.view(session, approval)


@router.post(
    "/approvals/{approval_id}/reject",
    operation_id="reject_approval",
    summary="Reject, with a comment",
    response_model=ApprovalOut,
    responses=DECIDING,
)
async def reject(
    approval_id: uuid.UUID,
    body: ApprovalCommentIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ApprovalOut:
    """An approver of the current step rejects it, saying why (the comment is required): the
    approval ends rejected and every other open decision task is cancelled."""
    approval = await deciding.decide(
        session, principal, approval_id, "rejected", body.comment, clock
    )
    return await reading.view(session, approval)


@router.post(
    "/approvals/{approval_id}/return",
    operation_id="return_approval",
    summary="Return for changes, with a comment",
    response_model=ApprovalOut,
    responses=DECIDING,
)
async def return_approval(
    approval_id: uuid.UUID,
    body: ApprovalCommentIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ApprovalOut:
    """An approver of the current step sends it back to the requester for changes (comment
    required): it ends `returned` and the other open tasks are cancelled."""
    approval = await deciding.decide(
        session, principal, approval_id, "returned", body.comment, clock
    )
    return await reading.view(session, approval)


@router.post(
    "/approvals/{approval_id}/delegate",
    operation_id="delegate_approval",
    summary="Hand your decision to someone else",
    response_model=ApprovalOut,
    responses=DECIDING,
)
async def delegate(
    approval_id: uuid.UUID,
    body: ApprovalDelegateIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ApprovalOut:
    """An approver of the current step hands their part to another employee, who gets the
    decision task; the delegation is kept in the history."""
    approval = await deciding.delegate(
        session, principal, approval_id, body.employee_id, body.comment, clock
    )
    return await reading.view(session, approval)


@router.post(
    "/approvals/{approval_id}/withdraw",
    operation_id="withdraw_approval",
    summary="Withdraw your request",
    response_model=ApprovalOut,
    responses={**FORBIDDEN, **DECIDING},
)
async def withdraw(
    approval_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> ApprovalOut:
    """The requester withdraws a pending approval; every open decision task is cancelled
    (403 for others, 409 once decided)."""
    approval = await deciding.withdraw(session, principal, approval_id, clock)
    return await reading.view(session, approval)


@router.post(
    "/approvals/{approval_id}/resubmit",
    operation_id="resubmit_approval",
    summary="Resubmit a returned approval",
    response_model=ApprovalOut,
    responses={**FORBIDDEN, **DECIDING},
)
async def resubmit(
    approval_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    body: ApprovalResubmitIn | None = None,
) -> ApprovalOut:
    """The requester sends an approval returned for changes again, with changed facts where
    the kind lets the requester state them (422 otherwise): it starts over at the first step
    of its kept chain in a new `round`, and the returned round stays in its history (403 for
    others, 409 unless returned)."""
    approval = await deciding.resubmit(
        session, principal, approval_id, body or ApprovalResubmitIn(), clock
    )
    return await reading.view(session, approval)


@router.get(
    "/me/approvals",
    operation_id="list_my_approvals",
    summary="Approvals awaiting my decision",
    response_model=Page[ApprovalOut],
    responses=FORBIDDEN,
)
async def my_approvals(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[ApprovalOut]:
    """Pending approvals whose current step waits for the caller's decision (by their
    employee record or, for an account without one, by the account)."""
    return await reading.mine(session, principal, page)
