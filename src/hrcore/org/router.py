"""Departments, positions and co-edited position descriptions 「协同文档」."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.org import departments, descriptions, positions
from hrcore.org.departments import DepartmentFilters
from hrcore.org.positions import PositionFilters
from hrcore.org.schemas import (
    CommentCreate,
    CommentOut,
    DepartmentCreate,
    DepartmentOut,
    DepartmentPatch,
    DepartmentSort,
    DraftDetail,
    DraftOut,
    DraftStatus,
    PositionCreate,
    PositionDescription,
    PositionOut,
    PositionPatch,
    PositionSort,
)

router = APIRouter(route_class=HrcoreRoute)


async def _department_filters(
    parent_id: Annotated[uuid.UUID | None, Query(description="Direct sub-departments of.")] = None,
    root_id: Annotated[
        uuid.UUID | None, Query(description="This department and everything below it.")
    ] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Name contains (case-insensitive)."),
    ] = None,
    sort: Annotated[
        DepartmentSort,
        Query(
            description="`tree`: depth-first, each department right after its parent "
            "(siblings by creation); `name`: alphabetical. Ties by id."
        ),
    ] = "tree",
) -> DepartmentFilters:
    return DepartmentFilters(parent_id=parent_id, root_id=root_id, q=q, sort=sort)


async def _position_filters(
    department_id: Annotated[uuid.UUID | None, Query(description="In this department.")] = None,
    is_management: Annotated[bool | None, Query(description="Management posts only.")] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Title contains, or code starts with (case-insensitive).",
        ),
    ] = None,
    sort: Annotated[PositionSort, Query(description="Ascending, ties by id.")] = "title",
) -> PositionFilters:
    return PositionFilters(department_id=department_id, is_management=is_management, q=q, sort=sort)


# --- departments --------------------------------------------------------------------------


@router.get(
    "/departments", tags=["departments"], operation_id="list_departments", summary="Departments"
)
async def list_departments(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    filters: Annotated[DepartmentFilters, Depends(_department_filters)],
) -> Page[DepartmentOut]:
    """Every signed-in user of the organization reads the structure (an integration key needs
    `org:read`). Cursor-paginated; `parent_id` for direct sub-departments, `root_id` for a whole
    subtree, `q` for a name search; `sort=tree` (each department right after its parent, the
    default) or `name`. Each department carries `ancestor_ids` (top first) and `depth`."""
    rows, cursor = await departments.list_departments(session, principal, page, filters)
    return Page(items=await departments.department_views(session, rows), next_cursor=cursor)


@router.post(
    "/departments",
    tags=["departments"],
    operation_id="create_department",
    summary="Create a department (HR admin)",
    status_code=status.HTTP_201_CREATED,
)
async def create_department(
    body: DepartmentCreate, principal: CurrentPrincipal, session: DbSession, response: Response
) -> DepartmentOut:
    """For HR admins. Creates a department at the top or under `parent_id`; the code must be unique
    in the organization (409), an unknown parent is 422. Audited."""
    department = await departments.create_department(session, principal, body)
    set_etag(response, department.version)
    [view] = await departments.department_views(session, [department])
    return view


@router.get(
    "/departments/{department_id}",
    tags=["departments"],
    operation_id="get_department",
    summary="One department",
)
async def get_department(
    department_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> DepartmentOut:
    """One department, for any user of the organization (a key needs `org:read`). Its `ETag` serves
    `If-None-Match` polling and `If-Match` on the update."""
    department = await departments.get_department(session, principal, department_id)
    set_etag(response, department.version)
    [view] = await departments.department_views(session, [department])
    return view


@router.patch(
    "/departments/{department_id}",
    tags=["departments"],
    operation_id="update_department",
    summary="Rename, re-code or move a department with its subtree (HR admin)",
)
async def update_department(
    department_id: uuid.UUID,
    body: DepartmentPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> DepartmentOut:
    """For HR admins. Renames, re-codes or moves a department (`parent_id`) together with its whole
    subtree; moving it under itself or a descendant is 422. Guarded by `If-Match` or a body
    `version` (412/409 when stale); audited."""
    department = await departments.update_department(
        session, principal, department_id, body, if_match=if_match
    )
    set_etag(response, department.version)
    [view] = await departments.department_views(session, [department])
    return view


@router.delete(
    "/departments/{department_id}",
    tags=["departments"],
    operation_id="delete_department",
    summary="Delete an empty department (HR admin)",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def delete_department(
    department_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    """For HR admins. Deletes a department nothing refers to; while sub-departments, positions,
    employees or employment history refer to it the answer is 409 naming which. Honours `If-Match`;
    audited."""
    await departments.delete_department(session, principal, department_id, if_match=if_match)


# --- positions ----------------------------------------------------------------------------


@router.get("/positions", tags=["positions"], operation_id="list_positions", summary="Positions")
async def list_positions(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    filters: Annotated[PositionFilters, Depends(_position_filters)],
) -> Page[PositionOut]:
    """Every signed-in user of the organization reads positions (an integration key needs
    `org:read`). Cursor-paginated; filter by department, `is_management` or `q` (title contains, or
    code starts with); `sort` by `title` (default) or `code`."""
    items, cursor = await positions.list_positions(session, principal, page, filters)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/positions",
    tags=["positions"],
    operation_id="create_position",
    summary="Create a position (HR admin)",
    status_code=status.HTTP_201_CREATED,
)
async def create_position(
    body: PositionCreate, principal: CurrentPrincipal, session: DbSession, response: Response
) -> PositionOut:
    """For HR admins. Creates a position with its code (unique in the organization, 409), title,
    department, grade, job family, description and promotion path (`next_position_ids`: unknown,
    foreign or self references answer 422). Audited."""
    position = await positions.create_position(session, principal, body)
    set_etag(response, position.version)
    return position


@router.get(
    "/positions/{position_id}",
    tags=["positions"],
    operation_id="get_position",
    summary="One position with its description and promotion path",
)
async def get_position(
    position_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> PositionOut:
    """One position with its description (summary, responsibilities, core competencies with their
    required levels), its revision and its promotion path; for any user of the organization (a key
    needs `org:read`)."""
    position = await positions.get_position(session, principal, position_id)
    set_etag(response, position.version)
    return position


@router.patch(
    "/positions/{position_id}",
    tags=["positions"],
    operation_id="update_position",
    summary="Change a position, its promotion path or (directly) its description (HR admin)",
)
async def update_position(
    position_id: uuid.UUID,
    body: PositionPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PositionOut:
    """For HR admins. Changes the fields sent: title, department, grade, family (`null` clears it),
    management flag, promotion path, or the description directly (bumping `description_revision`;
    the co-edited way is a draft). Guarded by `If-Match` or a body `version`; audited."""
    position = await positions.update_position(
        session, principal, position_id, body, if_match=if_match
    )
    set_etag(response, position.version)
    return position


# --- description drafts -------------------------------------------------------------------


@router.post(
    "/positions/{position_id}/description-drafts",
    tags=["position descriptions"],
    operation_id="create_description_draft",
    summary="Propose a new description (HR admin or the department's head)",
    status_code=status.HTTP_201_CREATED,
)
async def create_draft(
    position_id: uuid.UUID,
    body: PositionDescription,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> DraftOut:
    """An HR admin (side `hr`) or the head of a department whose subtree holds the position (side
    `department`) proposes a new description; anyone else gets 404. Its approval (kind
    `org.position_description`) starts with it: by default the other side approves."""
    draft = await descriptions.create_draft(session, principal, clock, position_id, body)
    set_etag(response, draft.version)
    return await descriptions.draft_view(session, principal.org_id, draft.id)


@router.get(
    "/positions/{position_id}/description-drafts",
    tags=["position descriptions"],
    operation_id="list_description_drafts",
    summary="The position's drafts, approved and superseded ones included, newest first",
)
async def list_drafts(
    position_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    draft_status: Annotated[DraftStatus | None, Query(alias="status")] = None,
) -> Page[DraftOut]:
    """The position's description drafts — open, approved and superseded — newest first,
    cursor-paginated, for HR admins and the department heads over the position (anyone else 404);
    filter by `status`."""
    items, cursor = await descriptions.list_drafts(
        session, principal, position_id, page, status=draft_status
    )
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/description-drafts/{draft_id}",
    tags=["position descriptions"],
    operation_id="get_description_draft",
    summary="One draft with its comments",
)
async def get_draft(
    draft_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> DraftDetail:
    """One description draft with its comments, for the two sides of the position (anyone else
    404)."""
    draft, view, comments = await descriptions.get_draft(session, principal, draft_id)
    set_etag(response, draft.version)
    return DraftDetail(**view.model_dump(), comments=comments)


@router.post(
    "/description-drafts/{draft_id}/comments",
    tags=["position descriptions"],
    operation_id="comment_description_draft",
    summary="Comment on an open draft",
    status_code=status.HTTP_201_CREATED,
)
async def add_comment(
    draft_id: uuid.UUID, body: CommentCreate, principal: CurrentPrincipal, session: DbSession
) -> CommentOut:
    """Either side of the position comments on an open draft (a closed one answers 409; anyone else
    404)."""
    return await descriptions.add_comment(session, principal, draft_id, body)


@router.post(
    "/description-drafts/{draft_id}/approve",
    tags=["position descriptions"],
    operation_id="approve_description_draft",
    summary="Approve a draft written by the other side; it becomes the position's description",
)
async def approve_draft(
    draft_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
    if_match: IfMatch = None,
) -> DraftOut:
    """The side that did not write the draft approves it (the author's side gets 403), deciding
    its approval's current step; on the organization's own chain for the kind only the step's
    approvers do (409 for others). When the approval completes, its content becomes the
    position's description, the description revision is bumped and the position's other open
    drafts are marked superseded; until then the draft stays open. Of two approvals at once one
    wins, the other gets 409. Honours `If-Match`; audited."""
    draft = await descriptions.approve_draft(session, principal, clock, draft_id, if_match=if_match)
    set_etag(response, draft.version)
    return await descriptions.draft_view(session, principal.org_id, draft.id)
