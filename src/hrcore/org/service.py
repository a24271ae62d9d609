"""Departments, positions and position descriptions.

Everyone in the organization may read the structure (it is not personal data) and integration
keys may with `org:read`; only HR admins change it. Descriptions are co-edited 「协同文档」:
HR or the head of the position's department proposes a draft, the other side approves it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, Scope, require_hr_admin, require_user
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.org import repository
from hrcore.org.models import Department, DescriptionDraft, DraftComment, Position
from hrcore.org.schemas import (
    AuthorSide,
    CommentCreate,
    DepartmentCreate,
    DepartmentOut,
    DepartmentPatch,
    DepartmentSort,
    DraftStatus,
    PositionCreate,
    PositionDescription,
    PositionOut,
    PositionPatch,
    PositionSort,
)

NO_PATH = "//"
"""A path prefix no department has (paths are `/<id>/…`): a subtree that matches nothing."""
DEPARTMENT_SORT_KEYS = {"tree": Department.path, "name": Department.name}
POSITION_SORT_KEYS = {"title": Position.title, "code": Position.code}
POSITION_FIELDS = ("code", "title", "department_id", "grade", "is_management", "family")


@dataclass(frozen=True)
class DepartmentFilters:
    parent_id: uuid.UUID | None = None
    root_id: uuid.UUID | None = None
    q: str | None = None
    sort: DepartmentSort = "tree"


@dataclass(frozen=True)
class PositionFilters:
    department_id: uuid.UUID | None = None
    is_management: bool | None = None
    q: str | None = None
    sort: PositionSort = "title"


# --- references used by other domains -----------------------------------------------------


async def require_department(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID, field: str = "department_id"
) -> Department:
    """A department referenced in a request body: 422 when it is not in this organization."""
    department = await repository.department_by_id(session, org_id, department_id)
    if department is None:
        raise Unprocessable(
            "Unknown department", errors=[FieldError(field=field, message="no such department")]
        )
    return department


async def require_position(
    session: AsyncSession, org_id: uuid.UUID, position_id: uuid.UUID, field: str = "position_id"
) -> Position:
    """A position referenced in a request body: 422 when it is not in this organization."""
    position = await repository.position_by_id(session, org_id, position_id)
    if position is None:
        raise Unprocessable(
            "Unknown position", errors=[FieldError(field=field, message="no such position")]
        )
    return position


async def department_ref(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> Ref | None:
    department = await repository.department_by_id(session, org_id, department_id)
    return Ref(id=department.id, name=department.name) if department else None


async def subtree_ids(session: AsyncSession, org_id: uuid.UUID, root_id: uuid.UUID) -> Select[Any]:
    """A sub-select of the ids in a department's subtree, to embed in another domain's query.

    An unknown root yields a select that matches nothing, so callers need no special case.
    """
    root = await repository.department_by_id(session, org_id, root_id)
    return repository.subtree_ids(org_id, root.path if root else NO_PATH)


# --- access -------------------------------------------------------------------------------


def _require_reader(principal: Principal) -> None:
    """Users of the org read the structure; integration keys need `org:read`."""
    if principal.kind == "api_key" and not principal.has_scope(Scope.ORG_READ):
        raise Forbidden("This integration key lacks the org:read scope")


def _require_writer(principal: Principal) -> None:
    if principal.kind == "api_key":
        raise Forbidden("Integration keys cannot change the organization structure")
    require_hr_admin(principal)


# --- departments --------------------------------------------------------------------------


def department_view(department: Department) -> DepartmentOut:
    ancestors = [uuid.UUID(part) for part in department.path.strip("/").split("/")[:-1]]
    return DepartmentOut(
        id=department.id,
        name=department.name,
        code=department.code,
        parent_id=department.parent_id,
        ancestor_ids=ancestors,
        depth=len(ancestors),
        created_at=department.created_at,
        version=department.version,
    )


def _department_snapshot(department: Department) -> dict[str, Any]:
    return {
        "name": department.name,
        "code": department.code,
        "parent_id": str(department.parent_id) if department.parent_id else None,
        "path": department.path,
    }


async def list_departments(
    session: AsyncSession, principal: Principal, page: PageParams, filters: DepartmentFilters
) -> tuple[list[Department], str | None]:
    _require_reader(principal)
    prefix = None
    if filters.root_id is not None:
        root = await repository.department_by_id(session, principal.org_id, filters.root_id)
        prefix = root.path if root else NO_PATH
    statement = repository.departments_query(
        principal.org_id, parent_id=filters.parent_id, path_prefix=prefix, q=filters.q
    )
    keys = [DEPARTMENT_SORT_KEYS[filters.sort], Department.id]
    return await paginate(session, statement, keys, page)


async def _department(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> Department:
    department = await repository.department_by_id(session, principal.org_id, department_id)
    if department is None:
        raise NotFound("No such department")
    return department


async def get_department(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> Department:
    _require_reader(principal)
    return await _department(session, principal, department_id)


async def _ensure_department_code_free(
    session: AsyncSession, principal: Principal, code: str
) -> None:
    if await repository.department_code_taken(session, principal.org_id, code):
        raise Conflict(f"A department with code {code!r} exists")


async def create_department(
    session: AsyncSession, principal: Principal, body: DepartmentCreate
) -> Department:
    _require_writer(principal)
    parent = None
    if body.parent_id is not None:
        await repository.lock_tree(session, principal.org_id)
        parent = await require_department(session, principal.org_id, body.parent_id, "parent_id")
    await _ensure_department_code_free(session, principal, body.code)
    department = Department(
        org_id=principal.org_id, name=body.name, code=body.code, parent_id=body.parent_id, path=""
    )
    department.path = f"{parent.path if parent else '/'}{department.id}/"
    session.add(department)
    await session.flush()
    audit.record(
        session,
        principal,
        "department.created",
        "department",
        department.id,
        org_id=principal.org_id,
        after=_department_snapshot(department),
    )
    return department


async def update_department(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID,
    body: DepartmentPatch,
    *,
    if_match: str | None,
) -> Department:
    """Rename, re-code or move. A move takes the tree lock before reading any path."""
    _require_writer(principal)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    if "parent_id" in fields:
        await repository.lock_tree(session, principal.org_id)
    department = await _department(session, principal, department_id)
    check_version(department.version, if_match=if_match, body_version=body.version)
    before = _department_snapshot(department)
    if fields.get("code", department.code) != department.code:
        await _ensure_department_code_free(session, principal, fields["code"])
    for name in ("name", "code"):
        if name in fields:
            setattr(department, name, fields[name])
    if "parent_id" in fields and fields["parent_id"] != department.parent_id:
        await _move(session, principal, department, fields["parent_id"])
    await session.flush()
    changed_before, changed_after = audit.changes(before, _department_snapshot(department))
    if changed_after:
        action = "department.moved" if "parent_id" in changed_after else "department.updated"
        audit.record(
            session,
            principal,
            action,
            "department",
            department.id,
            org_id=principal.org_id,
            before=changed_before,
            after=changed_after,
        )
    return department


async def _move(
    session: AsyncSession,
    principal: Principal,
    department: Department,
    parent_id: uuid.UUID | None,
) -> None:
    """Re-parent the department; refuse a parent inside its own subtree (a cycle)."""
    parent_path = "/"
    if parent_id is not None:
        parent = await require_department(session, principal.org_id, parent_id, "parent_id")
        if parent.path.startswith(department.path):
            raise Unprocessable(
                "A department cannot move under itself or one of its sub-departments",
                errors=[FieldError(field="parent_id", message="inside the department's subtree")],
            )
        parent_path = parent.path
    await repository.move_subtree(session, department, f"{parent_path}{department.id}/")
    department.parent_id = parent_id


async def delete_department(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID, *, if_match: str | None
) -> None:
    """Only an empty department goes: nothing may be left pointing at a deleted one."""
    _require_writer(principal)
    department = await _department(session, principal, department_id)
    check_version(department.version, if_match=if_match, body_version=None)
    blockers = await repository.department_blockers(session, principal.org_id, department.id)
    if blockers:
        listed = ", ".join(name.replace("_", " ") for name in blockers)
        raise Conflict(f"The department still has {listed}; move or remove them first")
    before = _department_snapshot(department)
    await session.delete(department)
    await session.flush()
    audit.record(
        session,
        principal,
        "department.deleted",
        "department",
        department.id,
        org_id=principal.org_id,
        before=before,
    )


# --- positions ----------------------------------------------------------------------------


def _position_out(position: Position, next_ids: Sequence[uuid.UUID]) -> PositionOut:
    return PositionOut(
        id=position.id,
        code=position.code,
        title=position.title,
        department_id=position.department_id,
        grade=position.grade,
        is_management=position.is_management,
        family=position.family,
        description=PositionDescription.model_validate(position.description),
        description_revision=position.description_revision,
        next_position_ids=list(next_ids),
        created_at=position.created_at,
        version=position.version,
    )


def _position_snapshot(position: Position, next_ids: Sequence[uuid.UUID]) -> dict[str, Any]:
    return {
        "code": position.code,
        "title": position.title,
        "department_id": str(position.department_id),
        "grade": position.grade,
        "is_management": position.is_management,
        "family": position.family,
        "description": position.description,
        "description_revision": position.description_revision,
        "next_position_ids": sorted(str(next_id) for next_id in next_ids),
    }


async def list_positions(
    session: AsyncSession, principal: Principal, page: PageParams, filters: PositionFilters
) -> tuple[list[PositionOut], str | None]:
    """One page in two queries: the positions, then all their promotion paths."""
    _require_reader(principal)
    statement = repository.positions_query(
        principal.org_id,
        department_id=filters.department_id,
        is_management=filters.is_management,
        q=filters.q,
    )
    keys = [POSITION_SORT_KEYS[filters.sort], Position.id]
    rows, cursor = await paginate(session, statement, keys, page)
    paths = await repository.next_position_ids(session, principal.org_id, [p.id for p in rows])
    return [_position_out(row, paths.get(row.id, [])) for row in rows], cursor


async def _position(
    session: AsyncSession, principal: Principal, position_id: uuid.UUID, *, lock: bool = False
) -> Position:
    position = await repository.position_by_id(session, principal.org_id, position_id, lock=lock)
    if position is None:
        raise NotFound("No such position")
    return position


async def _next_ids(session: AsyncSession, position: Position) -> list[uuid.UUID]:
    paths = await repository.next_position_ids(session, position.org_id, [position.id])
    return paths.get(position.id, [])


async def get_position(
    session: AsyncSession, principal: Principal, position_id: uuid.UUID
) -> PositionOut:
    _require_reader(principal)
    position = await _position(session, principal, position_id)
    return _position_out(position, await _next_ids(session, position))


async def _ensure_position_code_free(
    session: AsyncSession, principal: Principal, code: str
) -> None:
    if await repository.position_code_taken(session, principal.org_id, code):
        raise Conflict(f"A position with code {code!r} exists")


async def _checked_next_ids(
    session: AsyncSession, principal: Principal, position_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """The promotion path as a sorted set: positions of this org, never the position itself."""
    wanted = sorted(set(ids))
    field = "next_position_ids"
    if position_id in wanted:
        raise Unprocessable(
            "A position cannot lead to itself",
            errors=[FieldError(field=field, message="contains the position itself")],
        )
    found = await repository.existing_position_ids(session, principal.org_id, wanted)
    missing = [position for position in wanted if position not in found]
    if missing:
        raise Unprocessable(
            "Unknown positions in the promotion path",
            errors=[FieldError(field=field, message=f"no such position: {m}") for m in missing],
        )
    return wanted


async def create_position(
    session: AsyncSession, principal: Principal, body: PositionCreate
) -> PositionOut:
    _require_writer(principal)
    await require_department(session, principal.org_id, body.department_id)
    await _ensure_position_code_free(session, principal, body.code)
    position = Position(
        org_id=principal.org_id,
        code=body.code,
        title=body.title,
        department_id=body.department_id,
        grade=body.grade,
        is_management=body.is_management,
        family=body.family,
        description=body.description.model_dump(),
        description_revision=0,
    )
    next_ids = await _checked_next_ids(session, principal, position.id, body.next_position_ids)
    session.add(position)
    await session.flush()
    await repository.replace_promotion_paths(session, principal.org_id, position.id, next_ids)
    audit.record(
        session,
        principal,
        "position.created",
        "position",
        position.id,
        org_id=principal.org_id,
        after=_position_snapshot(position, next_ids),
    )
    return _position_out(position, next_ids)


async def update_position(
    session: AsyncSession,
    principal: Principal,
    position_id: uuid.UUID,
    body: PositionPatch,
    *,
    if_match: str | None,
) -> PositionOut:
    """HR's direct edit; a changed description counts as a new description revision."""
    _require_writer(principal)
    position = await _position(session, principal, position_id)
    check_version(position.version, if_match=if_match, body_version=body.version)
    next_ids = await _next_ids(session, position)
    before = _position_snapshot(position, next_ids)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    if "department_id" in fields:
        await require_department(session, principal.org_id, fields["department_id"])
    if fields.get("code", position.code) != position.code:
        await _ensure_position_code_free(session, principal, fields["code"])
    for name in POSITION_FIELDS:
        if name in fields:
            setattr(position, name, fields[name])
    if "description" in fields and fields["description"] != position.description:
        _set_description(position, fields["description"])
    if "next_position_ids" in fields:
        wanted = await _checked_next_ids(
            session, principal, position.id, fields["next_position_ids"]
        )
        if wanted != next_ids:
            await repository.replace_promotion_paths(session, principal.org_id, position.id, wanted)
            repository.touch(position)
            next_ids = wanted
    await session.flush()
    _audit_change(session, principal, position, before, _position_snapshot(position, next_ids))
    return _position_out(position, next_ids)


def _set_description(position: Position, description: dict[str, Any]) -> None:
    position.description = description
    position.description_revision += 1


def _audit_change(
    session: AsyncSession,
    principal: Principal,
    position: Position,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    changed_before, changed_after = audit.changes(before, after)
    if changed_after:
        audit.record(
            session,
            principal,
            "position.updated",
            "position",
            position.id,
            org_id=principal.org_id,
            before=changed_before,
            after=changed_after,
        )


# --- description drafts -------------------------------------------------------------------


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


async def _drafts_of(
    session: AsyncSession, principal: Principal, position_id: uuid.UUID
) -> tuple[Position, set[AuthorSide]]:
    """The position and the caller's sides; 404 when its drafts are out of the caller's reach."""
    position = await repository.position_by_id(session, principal.org_id, position_id)
    if position is None:
        raise NotFound("No such position")
    sides = await _sides(session, principal, position)
    if not sides:
        raise NotFound("No description drafts of this position within your reach")
    return position, sides


async def _draft(
    session: AsyncSession, principal: Principal, draft_id: uuid.UUID
) -> tuple[DescriptionDraft, Position, set[AuthorSide]]:
    draft = await repository.draft_by_id(session, principal.org_id, draft_id)
    if draft is None:
        raise NotFound("No such description draft")
    try:
        position, sides = await _drafts_of(session, principal, draft.position_id)
    except NotFound:
        raise NotFound("No such description draft") from None
    return draft, position, sides


def _require_open(draft: DescriptionDraft) -> None:
    if draft.status != "open":
        raise Conflict(f"The draft is {draft.status}; only open drafts take comments or approval")


async def create_draft(
    session: AsyncSession, principal: Principal, position_id: uuid.UUID, body: PositionDescription
) -> DescriptionDraft:
    """Propose a description; HR admins write for HR even when they also head a department."""
    require_user(principal)
    position, sides = await _drafts_of(session, principal, position_id)
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
) -> tuple[list[DescriptionDraft], str | None]:
    """The position's description history, newest first."""
    await _drafts_of(session, principal, position_id)
    statement = repository.drafts_query(principal.org_id, position_id, status=status)
    return await paginate(session, statement, [DescriptionDraft.id], page, descending=True)


async def get_draft(
    session: AsyncSession, principal: Principal, draft_id: uuid.UUID
) -> tuple[DescriptionDraft, list[DraftComment]]:
    draft, _, _ = await _draft(session, principal, draft_id)
    return draft, await repository.comments_of(session, principal.org_id, draft.id)


async def add_comment(
    session: AsyncSession, principal: Principal, draft_id: uuid.UUID, body: CommentCreate
) -> DraftComment:
    """Either side comments while the draft is open. Comments are an append-only record with
    author and time, so they need no audit event of their own."""
    require_user(principal)
    draft, _, _ = await _draft(session, principal, draft_id)
    _require_open(draft)
    comment = DraftComment(
        org_id=principal.org_id, draft_id=draft.id, author_id=principal.id, body=body.body
    )
    session.add(comment)
    await session.flush()
    return comment


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
    draft, position, sides = await _draft(session, principal, draft_id)
    position = await _position(session, principal, position.id, lock=True)
    await session.refresh(draft)
    check_version(draft.version, if_match=if_match, body_version=None)
    _require_open(draft)
    _require_other_side(principal, draft, sides)
    before = {"description": position.description, "revision": position.description_revision}
    _set_description(position, draft.content)
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


def _require_other_side(
    principal: Principal, draft: DescriptionDraft, sides: set[AuthorSide]
) -> None:
    """Four eyes from two sides: never the author, never the author's side."""
    other: AuthorSide = "department" if draft.author_side == "hr" else "hr"
    if other not in sides:
        raise Forbidden(f"A draft by the {draft.author_side} side is approved by the other side")
    if draft.author_id == principal.id:
        raise Forbidden("Nobody approves their own draft")


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


async def department_lookup(session: AsyncSession, org_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Departments by code and by their path of names from the top (`Sales/East`), for imports.

    Name paths are matched case-insensitively; codes exactly.
    """
    rows = await repository.department_rows(session, org_id)
    by_id = {department_id: (parent_id, name) for department_id, parent_id, name, _ in rows}

    def name_path(department_id: uuid.UUID) -> str:
        parent_id, name = by_id[department_id]
        return f"{name_path(parent_id)}/{name}" if parent_id in by_id else name

    lookup = {code: department_id for department_id, _, _, code in rows}
    for department_id in by_id:
        lookup.setdefault(name_path(department_id).casefold(), department_id)
    return lookup


async def position_lookup(session: AsyncSession, org_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Positions by code, for imports."""
    return await repository.position_codes(session, org_id)


# --- directory sync (DingTalk): system changes, audited with actor None --------------------

DIRECTORY_CODE_PREFIX = "dingtalk-"
"""Code of a department created from the DingTalk directory: `dingtalk-<dept id>`."""


def _directory_snapshot(department: Department) -> dict[str, Any]:
    return {**_department_snapshot(department), "dingtalk_dept_id": department.dingtalk_dept_id}


async def department_ids_for_dingtalk(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_dept_ids: Sequence[str]
) -> dict[str, uuid.UUID]:
    """Our department ids by DingTalk department id (unknown ids are absent)."""
    return await repository.department_ids_by_dingtalk_ids(session, org_id, set(dingtalk_dept_ids))


async def apply_directory_department(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    dingtalk_dept_id: str,
    name: str,
    parent_dingtalk_dept_id: str | None,
) -> str:
    """Create or update the department linked to a DingTalk department; idempotent.

    Returns "created", "updated" or "unchanged". A parent that is not (yet) synced leaves a
    new department at the top and an existing one where it is. Moves refuse cycles (422).
    """
    await repository.lock_tree(session, org_id)
    department = await repository.department_by_dingtalk_id(session, org_id, dingtalk_dept_id)
    parent = None
    if parent_dingtalk_dept_id is not None and parent_dingtalk_dept_id != dingtalk_dept_id:
        parent = await repository.department_by_dingtalk_id(
            session, org_id, parent_dingtalk_dept_id
        )
    if department is None:
        code = f"{DIRECTORY_CODE_PREFIX}{dingtalk_dept_id}"
        if await repository.department_code_taken(session, org_id, code):
            raise Conflict(f"A department with code {code!r} exists")
        department = Department(
            org_id=org_id,
            name=name,
            code=code,
            parent_id=parent.id if parent else None,
            path="",
            dingtalk_dept_id=dingtalk_dept_id,
        )
        department.path = f"{parent.path if parent else '/'}{department.id}/"
        session.add(department)
        await session.flush()
        audit.record(
            session,
            None,
            "department.created",
            "department",
            department.id,
            org_id=org_id,
            after=_directory_snapshot(department),
        )
        return "created"
    before = _directory_snapshot(department)
    department.name = name
    if parent is not None and parent.id != department.parent_id:
        if parent.path.startswith(department.path):
            raise Unprocessable(
                "A department cannot move under itself or one of its sub-departments",
                errors=[FieldError(field="parent_id", message="inside the department's subtree")],
            )
        await repository.move_subtree(session, department, f"{parent.path}{department.id}/")
        department.parent_id = parent.id
    await session.flush()
    changed_before, changed_after = audit.changes(before, _directory_snapshot(department))
    if not changed_after:
        return "unchanged"
    action = "department.moved" if "parent_id" in changed_after else "department.updated"
    audit.record(
        session,
        None,
        action,
        "department",
        department.id,
        org_id=org_id,
        before=changed_before,
        after=changed_after,
    )
    return "updated"


async def remove_directory_department(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_dept_id: str
) -> bool:
    """Delete the department linked to a DingTalk department; False when there is none.

    Only an empty department goes: 409 naming what still refers to it.
    """
    department = await repository.department_by_dingtalk_id(session, org_id, dingtalk_dept_id)
    if department is None:
        return False
    blockers = await repository.department_blockers(session, org_id, department.id)
    if blockers:
        listed = ", ".join(name.replace("_", " ") for name in blockers)
        raise Conflict(
            f"Department {department.name!r} (DingTalk {dingtalk_dept_id}) still has {listed}; "
            "move or remove them first"
        )
    before = _directory_snapshot(department)
    await session.delete(department)
    await session.flush()
    audit.record(
        session,
        None,
        "department.deleted",
        "department",
        department.id,
        org_id=org_id,
        before=before,
    )
    return True


async def department_paths(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Tree paths (`/root/…/id/`) of these departments in one query: `a` is inside `b` when
    `a`'s path starts with `b`'s."""
    if not department_ids:
        return {}
    return await repository.paths_of(session, org_id, department_ids)


async def position_refs(
    session: AsyncSession, org_id: uuid.UUID, position_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Ref]:
    """Links to many positions in one query (for another domain's lists)."""
    titles = await repository.position_titles(session, org_id, list(set(position_ids)))
    return {position_id: Ref(id=position_id, name=title) for position_id, title in titles.items()}


async def position_families(
    session: AsyncSession, org_id: uuid.UUID, position_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str | None]:
    """Each position's job family (None when it has none), in one query."""
    return await repository.position_families(session, org_id, list(set(position_ids)))


def positions_in_families(org_id: uuid.UUID, families: Select[Any]) -> Select[Any]:
    """The ids of positions whose family is one the `families` select yields, to embed."""
    return repository.positions_in_families(org_id, families)


async def department_refs(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Ref]:
    """Links to many departments in one query (for another domain's reports)."""
    names = await repository.department_names(session, org_id, list(set(department_ids)))
    return {
        department_id: Ref(id=department_id, name=name) for department_id, name in names.items()
    }
