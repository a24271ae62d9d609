"""Threaded comments on a development plan: whoever may read the plan comments on it in
any status (the employee, their managers, the department head, HR), a reply names the
plan's comment it answers. An append-only record, audited; the list pages oldest first."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import plan_access, plan_notices, plan_repository, plans
from hrcore.competencies.models import DevelopmentPlanComment
from hrcore.competencies.plan_schemas import PlanCommentIn, PlanCommentOut
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.errors import FieldError, Forbidden, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, paginate_rows
from hrcore.identity import api as identity


async def add_comment(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, body: PlanCommentIn
) -> PlanCommentOut:
    """A comment or a reply (422 on `reply_to` for a comment not of this plan)."""
    plan, _employee = await plan_access.readable_plan(session, principal, plan_id)
    if principal.user_id is None:
        raise Forbidden(_("Only a person comments on a development plan"))
    if body.reply_to is not None and not await plan_repository.comment_in_plan(
        session, plan.org_id, plan.id, body.reply_to
    ):
        raise Unprocessable(
            _("The comment answered is not one of this plan's"),
            errors=[FieldError(field="reply_to", message=_("not a comment on this plan"))],
        )
    comment = DevelopmentPlanComment(
        org_id=plan.org_id,
        plan_id=plan.id,
        reply_to_id=body.reply_to,
        author_id=principal.user_id,
        body=body.body,
    )
    session.add(comment)
    await session.flush()
    await session.refresh(comment)
    audit.record(
        session,
        principal,
        "development_plan.commented",
        plans.SUBJECT,
        plan.id,
        org_id=plan.org_id,
        after={
            "comment_id": str(comment.id),
            "reply_to": str(body.reply_to) if body.reply_to else None,
        },
    )
    await plan_notices.tell_co_editors(session, principal, plan, "commented", comment.created_at)
    author = await identity.user_refs(session, plan.org_id, [principal.user_id])
    return PlanCommentOut(
        id=comment.id,
        reply_to=comment.reply_to_id,
        author_id=comment.author_id,
        author=author[comment.author_id],
        body=comment.body,
        created_at=comment.created_at,
    )


async def list_comments(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, page: PageParams
) -> Page[PlanCommentOut]:
    """The plan's comments oldest first, each naming the one it answers, their authors named
    (one lookup per page)."""
    plan, _employee = await plan_access.readable_plan(session, principal, plan_id)
    rows, cursor = await paginate_rows(
        session,
        plan_repository.comments_of(plan.org_id, plan.id),
        [DevelopmentPlanComment.id],
        page,
    )
    authors = await identity.user_refs(session, plan.org_id, list({r.author_id for r in rows}))
    return Page[PlanCommentOut].model_validate(
        {
            "items": [
                {
                    "id": row.id,
                    "reply_to": row.reply_to_id,
                    "author_id": row.author_id,
                    "author": authors[row.author_id],
                    "body": row.body,
                    "created_at": row.created_at,
                }
                for row in rows
            ],
            "next_cursor": cursor,
        }
    )
