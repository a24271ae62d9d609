"""Co-edited position descriptions 「协同文档」: a draft from one side, comments from both,
approval by the other side, which applies the content and supersedes the other open drafts.
The history stays readable, newest first."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_user
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.core.pagination import PageParams, paginate_rows
from hrcore.core.schemas import Ref
from hrcore.org import repository
from hrcore.org.access import (
    draft_in_reach,
    drafts_in_reach,
    find_position,
    require_other_side,
)
from hrcore.org.models import DescriptionDraft, DraftComment
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
    session: AsyncSession, principal: Principal, position_id: uuid.UUID, body: PositionDescription
) -> DescriptionDraft:
    """Propose a description; HR admins write for HR even when they also head a department."""
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
    """The other side approves: the content becomes the position's description and the
    position's other open drafts are superseded.

    The position row is locked first and the draft re-read, so of two drafts approved at
    once exactly one wins and the other answers 409.
    """
    require_user(principal)
    draft, position, sides = await draft_in_reach(session, principal, draft_id)
    position = await find_position(session, principal, position.id, lock=True)
    await session.refresh(draft)
    check_version(draft.version, if_match=if_match, body_version=None)
    _require_open(draft)
    require_other_side(principal, draft, sides)
    before = {"description": position.description, "revision": position.description_revision}
    set_description(position, draft.content)
    draft.status, draft.approved_by, draft.approved_at = "approved", principal.id, clock.now()
    superseded = await repository.supersede_open_drafts(
        session, principal.org_id, position.id, except_id=draft.id
    )
    await session.flush()
    _audit_approval(session, principal, draft, superseded)
    audit.record(
        session,
        principal,
        "position.description_approved",
        "position",
        position.id,
        org_id=principal.org_id,
        before=before,
        after={"description": position.description, "revision": position.description_revision},
    )
    return draft


def _audit_approval(
    session: AsyncSession,
    principal: Principal,
    draft: DescriptionDraft,
    superseded: list[uuid.UUID],
) -> None:
    audit.record(
        session,
        principal,
        "position_description_draft.approved",
        "position_description_draft",
        draft.id,
        org_id=principal.org_id,
        before={"status": "open"},
        after={"status": "approved", "superseded_draft_ids": [str(i) for i in superseded]},
    )
