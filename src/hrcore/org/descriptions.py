"""Co-edited position descriptions 「协同文档」: a draft from one side, comments from both,
approval by the other side, which applies the content and supersedes the other open drafts.
The history stays readable, newest first.

A draft's approval runs on the approval engine (kind `org.position_description`, through
`approval_hook`): its default chain is the other side — the HR admins for a department's
draft, the position's department head for HR's — and `POST …/approve` decides its current
step as the two-sides rule always did; an organization's own chain may add steps, and the
draft applies when the chain completes, in the last decision's transaction. A draft with no
approval (written before drafts had one, or with nobody on the other side then) is approved
by the other side directly.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_user
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, NotFound
from hrcore.core.i18n import N_, _
from hrcore.core.labels import label
from hrcore.core.pagination import PageParams, paginate_rows
from hrcore.core.schemas import Ref
from hrcore.org import approval_hook, repository
from hrcore.org.access import (
    draft_in_reach,
    drafts_in_reach,
    find_position,
    require_other_side,
)
from hrcore.org.models import DescriptionDraft, DraftComment, Position
from hrcore.org.positions import set_description
from hrcore.org.schemas import (
    CommentCreate,
    CommentOut,
    DraftOut,
    DraftStatus,
    PositionDescription,
)


def draft_out(row: Any) -> DraftOut:
    """A draft row of `repository.drafts_query`, its author and approver named."""
    approver = (
        Ref(id=row.approved_by, name=row.approved_by_name)
        if row.approved_by is not None and row.approved_by_name is not None
        else None
    )
    return DraftOut.model_validate(
        {
            **row._mapping,
            "author": Ref(id=row.author_id, name=row.author_name),
            "approved_by_user": approver,
        }
    )


async def draft_view(session: AsyncSession, org_id: uuid.UUID, draft_id: uuid.UUID) -> DraftOut:
    """The draft as the list shows it (one statement)."""
    return draft_out(await repository.named_draft(session, org_id, draft_id))


def _comment_out(row: Any) -> CommentOut:
    return CommentOut.model_validate(
        {**row._mapping, "author": Ref(id=row.author_id, name=row.author_name)}
    )


def _require_open(draft: DescriptionDraft) -> None:
    if draft.status != "open":
        raise Conflict(
            _(
                "The draft is {status}; only open drafts take comments or approval",
                status=label(draft.status),
            )
        )


async def create_draft(
    session: AsyncSession,
    principal: Principal,
    clock: Clock,
    position_id: uuid.UUID,
    body: PositionDescription,
) -> DescriptionDraft:
    """Propose a description; HR admins write for HR even when they also head a department.
    Its approval starts with it, in this transaction."""
    require_user(principal)
    position, sides = await drafts_in_reach(session, principal, position_id)
    draft = DescriptionDraft(
        org_id=principal.org_id,
        position_id=position.id,
        author_id=principal.id,
        author_side="hr" if "hr" in sides else "department",
        content=body.model_dump(),
        status="open",
    )
    session.add(draft)
    await session.flush()
    audit.record(
        session,
        principal,
        "position_description_draft.created",
        "position_description_draft",
        draft.id,
        org_id=principal.org_id,
        after={"position_id": str(position.id), "author_side": draft.author_side},
    )
    facts = approval_hook.DraftFacts(
        draft.id, position.id, position.title, position.department_id, draft.author_side
    )
    await approval_hook.provided().submit(session, principal, facts, clock)
    return draft


async def list_drafts(
    session: AsyncSession,
    principal: Principal,
    position_id: uuid.UUID,
    page: PageParams,
    *,
    status: DraftStatus | None,
) -> tuple[list[DraftOut], str | None]:
    """The position's description history, newest first, its people named in the page's
    one statement."""
    await drafts_in_reach(session, principal, position_id)
    statement = repository.drafts_query(principal.org_id, position_id, status=status)
    rows, cursor = await paginate_rows(
        session, statement, [DescriptionDraft.id], page, descending=True
    )
    return [draft_out(row) for row in rows], cursor


async def get_draft(
    session: AsyncSession, principal: Principal, draft_id: uuid.UUID
) -> tuple[DescriptionDraft, DraftOut, list[CommentOut]]:
    """The draft (for its version), its view, and its comments with their authors named."""
    draft, _, _ = await draft_in_reach(session, principal, draft_id)
    comments = await repository.comments_of(session, principal.org_id, draft.id)
    view = await draft_view(session, principal.org_id, draft.id)
    return draft, view, [_comment_out(row) for row in comments]


async def add_comment(
    session: AsyncSession, principal: Principal, draft_id: uuid.UUID, body: CommentCreate
) -> CommentOut:
    """Either side comments while the draft is open. Comments are an append-only record with
    author and time, so they need no audit event of their own."""
    require_user(principal)
    draft, _, _ = await draft_in_reach(session, principal, draft_id)
    _require_open(draft)
    comment = DraftComment(
        org_id=principal.org_id, draft_id=draft.id, author_id=principal.id, body=body.body
    )
    session.add(comment)
    await session.flush()
    (row,) = await repository.comments_of(
        session, principal.org_id, draft.id, comment_id=comment.id
    )
    return _comment_out(row)


async def approve_draft(
    session: AsyncSession,
    principal: Principal,
    clock: Clock,
    draft_id: uuid.UUID,
    *,
    if_match: str | None,
) -> DescriptionDraft:
    """Approve the draft: on its approval's default chain (or without an approval) the other
    side decides (403 for the author's side), as before the engine; on the organization's
    own chain only the approvers its current step awaits (409 for the others). When that
    completes the approval the content becomes the position's description and the
    position's other open drafts are superseded; otherwise the draft stays open.

    The position row is locked first and the draft re-read, so of two drafts approved at
    once exactly one wins and the other answers 409.
    """
    require_user(principal)
    draft, position, sides = await draft_in_reach(session, principal, draft_id)
    position = await find_position(session, principal, position.id, lock=True)
    await session.refresh(draft)
    check_version(draft.version, if_match=if_match, body_version=None)
    _require_open(draft)
    hook = approval_hook.provided()
    approval = await hook.current(session, principal, draft.id)
    if approval is None or approval.on_default_chain:
        require_other_side(principal, draft, sides)
    if approval is None:
        await _apply(session, principal, clock, draft, position)
        return draft
    if not approval.on_default_chain and not approval.awaits_caller:
        raise Conflict(_("The draft awaits the decision of its approval's other approvers"))
    await hook.decide(session, principal, approval.id, clock, approval.on_default_chain)
    await session.refresh(draft)
    return draft


async def apply_approved(
    session: AsyncSession,
    org_id: uuid.UUID,
    draft_id: uuid.UUID,
    actor: Principal | None,
    clock: Clock,
) -> None:
    """The draft's approval completed (the engine's act, in the last decision's transaction):
    apply it, unless another draft won the position meanwhile (409 undoes the decision)."""
    draft = await get_or_404(
        session, DescriptionDraft, org_id, draft_id, what=N_("description draft")
    )
    position = await repository.position_by_id(session, org_id, draft.position_id, lock=True)
    if position is None:  # drafts go with their position: only a concurrent delete
        raise NotFound(_("No such position"))
    await session.refresh(draft)
    _require_open(draft)
    await _apply(session, actor, clock, draft, position)


async def _apply(
    session: AsyncSession,
    actor: Principal | None,
    clock: Clock,
    draft: DescriptionDraft,
    position: Position,
) -> None:
    """The content becomes the position's description; the other open drafts are superseded
    and their approvals withdrawn. Audited as the approver (None: the system)."""
    before = {"description": position.description, "revision": position.description_revision}
    set_description(position, draft.content)
    draft.status, draft.approved_at = "approved", clock.now()
    draft.approved_by = actor.user_id if actor is not None else None
    superseded = await repository.supersede_open_drafts(
        session, draft.org_id, position.id, except_id=draft.id
    )
    await session.flush()
    await approval_hook.provided().withdraw(session, draft.org_id, superseded, clock, actor)
    _audit_approval(session, actor, draft, superseded)
    audit.record(
        session,
        actor,
        "position.description_approved",
        "position",
        position.id,
        org_id=draft.org_id,
        before=before,
        after={"description": position.description, "revision": position.description_revision},
    )


def _audit_approval(
    session: AsyncSession,
    actor: Principal | None,
    draft: DescriptionDraft,
    superseded: list[uuid.UUID],
) -> None:
    audit.record(
        session,
        actor,
        "position_description_draft.approved",
        "position_description_draft",
        draft.id,
        org_id=draft.org_id,
        before={"status": "open"},
        after={"status": "approved", "superseded_draft_ids": [str(i) for i in superseded]},
    )
