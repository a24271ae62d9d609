"""Queries of the organization structure. Tenant tables are also filtered by RLS."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    Select,
    Uuid,
    and_,
    bindparam,
    case,
    column,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from hrcore.core.db import fetch_compiled
from hrcore.org.models import (
    Department,
    DescriptionDraft,
    DraftComment,
    Position,
    PromotionPath,
)

# User accounts belong to identity: only their display names are read, to name authors.
_users = table("users", column("id"), column("org_id"), column("display_name"))
_authors = _users.alias("authors")
_approvers = _users.alias("approvers")

# Employees and their history belong to the people domain: read here as raw SQL, not models.
_DEPARTMENT_BLOCKERS = text(
    """
    SELECT
        EXISTS (SELECT 1 FROM departments WHERE org_id = :org_id AND parent_id = :id)
            AS sub_departments,
        EXISTS (SELECT 1 FROM positions WHERE org_id = :org_id AND department_id = :id)
            AS positions,
        EXISTS (SELECT 1 FROM employees WHERE org_id = :org_id AND department_id = :id)
            AS employees,
        EXISTS (SELECT 1 FROM employment_events WHERE org_id = :org_id AND department_id = :id)
            AS employment_history
    """
)


# --- departments --------------------------------------------------------------------------


async def department_by_id(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> Department | None:
    return await session.scalar(
        select(Department).where(Department.org_id == org_id, Department.id == department_id)
    )


async def subtree_of(
    session: AsyncSession, org_id: uuid.UUID, root_id: uuid.UUID
) -> list[uuid.UUID]:
    """Ids of a department and everything below it: the root's path read in the same
    statement (an organization's departments are few, so no prefix index is needed)."""
    rows = await fetch_compiled(
        session,
        "org.subtree_of",
        _subtree_statement,
        org_id=org_id,
        root_org_id=org_id,
        root_id=root_id,
    )
    return [row[0] for row in rows]


def _subtree_statement() -> Select[Any]:
    root_path = (
        select(Department.path)
        .where(
            Department.org_id == bindparam("root_org_id", type_=Uuid()),
            Department.id == bindparam("root_id", type_=Uuid()),
        )
        .scalar_subquery()
    )
    return select(Department.id).where(
        Department.org_id == bindparam("org_id", type_=Uuid()),
        Department.path.startswith(root_path, autoescape=False),
    )


async def lock_tree(session: AsyncSession, org_id: uuid.UUID) -> None:
    """Serialize changes of the org's tree shape until the transaction ends.

    A move rewrites the paths below a node in one statement; a department created under a
    node being moved, or two crossing moves, would otherwise leave wrong paths or a cycle.
    """
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended('hrcore.departments:' || :org, 0))"),
        {"org": str(org_id)},
    )


async def department_code_taken(session: AsyncSession, org_id: uuid.UUID, code: str) -> bool:
    found = await session.scalar(
        select(exists().where(Department.org_id == org_id, Department.code == code))
    )
    return bool(found)


def departments_query(
    org_id: uuid.UUID,
    *,
    parent_id: uuid.UUID | None,
    path_prefix: str | None,
    q: str | None,
) -> Select[Any]:
    conditions = [
        Department.parent_id == parent_id if parent_id is not None else None,
        Department.path.startswith(path_prefix) if path_prefix else None,
        Department.name.icontains(q, autoescape=True) if q else None,
    ]
    return select(Department).where(
        Department.org_id == org_id, *(c for c in conditions if c is not None)
    )


async def move_subtree(session: AsyncSession, department: Department, new_path: str) -> None:
    """Re-root the department and everything below it in one UPDATE (prefix replaced).

    Descendants get a new version (their ancestors changed); the department's own version is
    left to the ORM, which bumps it with its other changes and checks it.
    """
    old_path = department.path
    await session.execute(
        update(Department)
        .where(
            Department.org_id == department.org_id,
            Department.path.startswith(old_path),
        )
        .values(
            path=new_path + func.substr(Department.path, len(old_path) + 1),
            version=Department.version + case((Department.id == department.id, 0), else_=1),
        )
        .execution_options(synchronize_session=False)
    )
    set_committed_value(department, "path", new_path)


async def department_blockers(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> list[str]:
    """What still refers to the department, by name; empty when it may be deleted."""
    row = (
        await session.execute(_DEPARTMENT_BLOCKERS, {"org_id": org_id, "id": department_id})
    ).one()
    return [name for name, present in row._mapping.items() if present]


async def in_subtree(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID, root_id: uuid.UUID
) -> bool:
    """Whether the department is `root_id` or below it."""
    root = aliased(Department)
    found = await session.scalar(
        select(
            exists().where(
                Department.org_id == org_id,
                Department.id == department_id,
                root.org_id == org_id,
                root.id == root_id,
                Department.path.startswith(root.path),
            )
        )
    )
    return bool(found)


# --- positions ----------------------------------------------------------------------------


async def position_by_id(
    session: AsyncSession, org_id: uuid.UUID, position_id: uuid.UUID, *, lock: bool = False
) -> Position | None:
    """`lock` takes the row for update and re-reads it, so a waiter sees the winner's state."""
    statement = select(Position).where(Position.org_id == org_id, Position.id == position_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(statement)


async def position_code_taken(session: AsyncSession, org_id: uuid.UUID, code: str) -> bool:
    found = await session.scalar(
        select(exists().where(Position.org_id == org_id, Position.code == code))
    )
    return bool(found)


async def existing_position_ids(
    session: AsyncSession, org_id: uuid.UUID, position_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    if not position_ids:
        return set()
    rows = await session.scalars(
        select(Position.id).where(Position.org_id == org_id, Position.id.in_(position_ids))
    )
    return set(rows)


def positions_query(
    org_id: uuid.UUID,
    *,
    department_id: uuid.UUID | None,
    is_management: bool | None,
    q: str | None,
) -> Select[Any]:
    conditions = [
        Position.department_id == department_id if department_id is not None else None,
        Position.is_management.is_(is_management) if is_management is not None else None,
        or_(
            Position.title.icontains(q, autoescape=True),
            Position.code.istartswith(q, autoescape=True),
        )
        if q
        else None,
    ]
    return select(Position).where(
        Position.org_id == org_id, *(c for c in conditions if c is not None)
    )


async def next_position_ids(
    session: AsyncSession, org_id: uuid.UUID, position_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The promotion paths of many positions in one query (no N+1 for a page)."""
    if not position_ids:
        return {}
    rows = await session.execute(
        select(PromotionPath.from_position_id, PromotionPath.to_position_id)
        .where(PromotionPath.org_id == org_id, PromotionPath.from_position_id.in_(position_ids))
        .order_by(PromotionPath.from_position_id, PromotionPath.to_position_id)
    )
    paths: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for from_id, to_id in rows:
        paths[from_id].append(to_id)
    return paths


async def replace_promotion_paths(
    session: AsyncSession, org_id: uuid.UUID, from_id: uuid.UUID, to_ids: Collection[uuid.UUID]
) -> None:
    await session.execute(
        delete(PromotionPath).where(
            PromotionPath.org_id == org_id, PromotionPath.from_position_id == from_id
        )
    )
    if to_ids:
        await session.execute(
            insert(PromotionPath),
            [
                {"org_id": org_id, "from_position_id": from_id, "to_position_id": to_id}
                for to_id in to_ids
            ],
        )


def touch(position: Position) -> None:
    """Make the next flush update the row (new version) although no column changed: its
    promotion paths did, and a client holding the old ETag must notice."""
    position.updated_at = func.now()


# --- description drafts -------------------------------------------------------------------


def _named_drafts(org_id: uuid.UUID) -> Select[Any]:
    """Drafts with their author's and approver's display names (`author_name`,
    `approved_by_name`) joined in: one statement however many drafts."""
    drafts = DescriptionDraft.__table__
    return (
        select(
            *drafts.c,
            _authors.c.display_name.label("author_name"),
            _approvers.c.display_name.label("approved_by_name"),
        )
        .select_from(
            drafts.join(
                _authors,
                and_(_authors.c.id == drafts.c.author_id, _authors.c.org_id == drafts.c.org_id),
            ).outerjoin(
                _approvers,
                and_(
                    _approvers.c.id == drafts.c.approved_by,
                    _approvers.c.org_id == drafts.c.org_id,
                ),
            )
        )
        .where(drafts.c.org_id == org_id)
    )


def drafts_query(org_id: uuid.UUID, position_id: uuid.UUID, *, status: str | None) -> Select[Any]:
    statement = _named_drafts(org_id).where(DescriptionDraft.position_id == position_id)
    if status is not None:
        statement = statement.where(DescriptionDraft.status == status)
    return statement


async def named_draft(session: AsyncSession, org_id: uuid.UUID, draft_id: uuid.UUID) -> Any:
    """One draft as `drafts_query` lists it."""
    result = await session.execute(_named_drafts(org_id).where(DescriptionDraft.id == draft_id))
    return result.one()


async def comments_of(
    session: AsyncSession,
    org_id: uuid.UUID,
    draft_id: uuid.UUID,
    *,
    comment_id: uuid.UUID | None = None,
) -> list[Any]:
    """The draft's comments (or the one `comment_id`), oldest first, with their author's
    display name (`author_name`) joined in."""
    comments = DraftComment.__table__
    statement = (
        select(*comments.c, _authors.c.display_name.label("author_name"))
        .select_from(
            comments.join(
                _authors,
                and_(_authors.c.id == comments.c.author_id, _authors.c.org_id == comments.c.org_id),
            )
        )
        .where(comments.c.org_id == org_id, comments.c.draft_id == draft_id)
        .order_by(comments.c.id)
    )
    if comment_id is not None:
        statement = statement.where(comments.c.id == comment_id)
    return list((await session.execute(statement)).all())


async def supersede_open_drafts(
    session: AsyncSession, org_id: uuid.UUID, position_id: uuid.UUID, *, except_id: uuid.UUID
) -> list[uuid.UUID]:
    """Close the position's other open drafts; returns their ids."""
    result = await session.execute(
        update(DescriptionDraft)
        .where(
            DescriptionDraft.org_id == org_id,
            DescriptionDraft.position_id == position_id,
            DescriptionDraft.status == "open",
            DescriptionDraft.id != except_id,
        )
        .values(status="superseded", version=DescriptionDraft.version + 1)
        .returning(DescriptionDraft.id)
        .execution_options(synchronize_session=False)
    )
    return list(result.scalars())


async def department_rows(
    session: AsyncSession, org_id: uuid.UUID
) -> list[tuple[uuid.UUID, uuid.UUID | None, str, str]]:
    """(id, parent_id, name, code) of every department: small enough to load whole."""
    rows = await session.execute(
        select(Department.id, Department.parent_id, Department.name, Department.code).where(
            Department.org_id == org_id
        )
    )
    return [(row.id, row.parent_id, row.name, row.code) for row in rows]


async def position_codes(session: AsyncSession, org_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = await session.execute(
        select(Position.code, Position.id).where(Position.org_id == org_id)
    )
    return {row.code: row.id for row in rows}


# --- directory sync (DingTalk) ------------------------------------------------------------


async def department_by_dingtalk_id(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_dept_id: str
) -> Department | None:
    return await session.scalar(
        select(Department).where(
            Department.org_id == org_id, Department.dingtalk_dept_id == dingtalk_dept_id
        )
    )


async def department_ids_by_dingtalk_ids(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_dept_ids: Collection[str]
) -> dict[str, uuid.UUID]:
    if not dingtalk_dept_ids:
        return {}
    rows = await session.execute(
        select(Department.dingtalk_dept_id, Department.id).where(
            Department.org_id == org_id, Department.dingtalk_dept_id.in_(list(dingtalk_dept_ids))
        )
    )
    return {str(row.dingtalk_dept_id): row.id for row in rows}


async def dingtalk_ids_of_departments(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    if not department_ids:
        return {}
    rows = await session.execute(
        select(Department.id, Department.dingtalk_dept_id).where(
            Department.org_id == org_id,
            Department.id.in_(list(department_ids)),
            Department.dingtalk_dept_id.is_not(None),
        )
    )
    return {row.id: str(row.dingtalk_dept_id) for row in rows}


async def paths_of(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(Department.id, Department.path).where(
            Department.org_id == org_id, Department.id.in_(list(department_ids))
        )
    )
    return {row.id: row.path for row in rows}


async def position_families(
    session: AsyncSession, org_id: uuid.UUID, position_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str | None]:
    if not position_ids:
        return {}
    rows = await session.execute(
        select(Position.id, Position.family).where(
            Position.org_id == org_id, Position.id.in_(list(position_ids))
        )
    )
    return {row.id: row.family for row in rows}


async def positions_in_families(
    session: AsyncSession, org_id: uuid.UUID, families: Sequence[str]
) -> list[uuid.UUID]:
    found = await session.scalars(
        select(Position.id).where(Position.org_id == org_id, Position.family.in_(families))
    )
    return list(found)
