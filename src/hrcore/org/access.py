"""Who may see and do what in the organization structure.

Everyone in the organization reads the structure (it is not personal data); integration keys
need `org:read`. Only HR admins change departments and positions, never a key. A position's
description drafts are in reach of its sides only: HR, and the head of a department subtree
holding the position; the other side approves. Anything out of reach answers 404.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope, require_hr_admin
from hrcore.core.db import get_or_404
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, _
from hrcore.core.labels import label
from hrcore.org import repository
from hrcore.org.models import Department, DescriptionDraft, Position
from hrcore.org.schemas import AuthorSide


def require_reader(principal: Principal) -> None:
    """Users of the org read the structure; integration keys need `org:read`."""
    if principal.kind == "api_key" and not principal.has_scope(Scope.ORG_READ):
        raise Forbidden(_("This integration key lacks the org:read scope"))


def require_writer(principal: Principal) -> None:
    if principal.kind == "api_key":
        raise Forbidden(_("Integration keys cannot change the organization structure"))
    require_hr_admin(principal)


async def find_department(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> Department:
    """A department of the caller's organization, else 404; the caller checks the role first."""
    return await get_or_404(
        session, Department, principal.org_id, department_id, what=N_("department")
    )


async def find_position(
    session: AsyncSession, principal: Principal, position_id: uuid.UUID, *, lock: bool = False
) -> Position:
    """A position of the caller's organization, else 404; the caller checks the role first."""
    position = await repository.position_by_id(session, principal.org_id, position_id, lock=lock)
    if position is None:
        raise NotFound(_("No such position"))
    return position


async def _sides(
    session: AsyncSession, principal: Principal, position: Position
) -> set[AuthorSide]:
    """The sides the caller may act for on the position's description: HR, and the
    department side for a head whose subtree contains the position's department."""
    sides: set[AuthorSide] = set()
    if principal.kind != "user":
        return sides
    if principal.is_hr_admin:
        sides.add("hr")
    if principal.is_dept_head and principal.department_scope is not None:
        scope = principal.department_scope
        if await repository.in_subtree(session, principal.org_id, position.department_id, scope):
            sides.add("department")
    return sides


async def drafts_in_reach(
    session: AsyncSession, principal: Principal, position_id: uuid.UUID
) -> tuple[Position, set[AuthorSide]]:
    """The position and the caller's sides; 404 when its drafts are out of the caller's reach."""
    position = await get_or_404(
        session, Position, principal.org_id, position_id, what=N_("position")
    )
    sides = await _sides(session, principal, position)
    if not sides:
        raise NotFound(_("No description drafts of this position within your reach"))
    return position, sides


async def draft_in_reach(
    session: AsyncSession, principal: Principal, draft_id: uuid.UUID
) -> tuple[DescriptionDraft, Position, set[AuthorSide]]:
    """The draft, its position and the caller's sides; 404 as if the draft did not exist."""
    draft = await get_or_404(
        session, DescriptionDraft, principal.org_id, draft_id, what=N_("description draft")
    )
    try:
        position, sides = await drafts_in_reach(session, principal, draft.position_id)
    except NotFound:
        raise NotFound(_("No such description draft")) from None
    return draft, position, sides


def require_other_side(
    principal: Principal, draft: DescriptionDraft, sides: set[AuthorSide]
) -> None:
    """Four eyes from two sides: never the author, never the author's side."""
    other: AuthorSide = "department" if draft.author_side == "hr" else "hr"
    if other not in sides:
        raise Forbidden(
            _(
                "A draft by the {author_side} side is approved by the other side",
                author_side=label(draft.author_side),
            )
        )
    if draft.author_id == principal.id:
        raise Forbidden(_("Nobody approves their own draft"))
