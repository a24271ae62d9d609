"""Reading action plans: one statement for a page or a plan (names joined in), after the
caller's reach (`people.visible_employee_ids`: nothing for HR admins)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.training import action_plan_repository
from hrcore.training.action_plan_access import ensure_in_reach, no_plan
from hrcore.training.action_plan_schemas import ActionPlanOut


def _link(row: asyncpg.Record, id_column: str, name_column: str) -> dict[str, Any] | None:
    if row[id_column] is None or row[name_column] is None:
        return None
    return {"id": row[id_column], "name": row[name_column]}


def _view(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": row["id"],
        "enrolment_id": row["enrolment_id"],
        "employee_id": row["employee_id"],
        "employee": {"id": row["employee_id"], "name": row["employee_name"]},
        "course_id": row["course_id"],
        "course": {"id": row["course_id"], "name": row["course_name"]},
        "task_id": row["task_id"],
        "status": row["status"],
        "due_on": row["due_on"],
        "content": row["content"],
        "submitted_at": row["submitted_at"],
        "hr_score": row["hr_score"],
        "hr_scored_by": row["hr_scored_by"],
        "hr_scored_by_user": _link(row, "hr_scored_by", "hr_scored_by_name"),
        "manager_score": row["manager_score"],
        "manager_scored_by": row["manager_scored_by"],
        "manager_scored_by_user": _link(row, "manager_scored_by", "manager_scored_by_name"),
        "score": row["score"],
        "scored_at": row["scored_at"],
        "adopted": row["adopted_at"] is not None,
        "adopted_at": row["adopted_at"],
        "adopted_by": row["adopted_by"],
        "adopted_by_user": _link(row, "adopted_by", "adopted_by_name"),
        "adoption_note": row["adoption_note"],
        "outcome": row["outcome"],
        "created_at": row["created_at"],
    }


async def plans(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    status: str | None,
    course_id: uuid.UUID | None,
    employee_id: uuid.UUID | None,
    adopted: bool | None,
) -> Page[ActionPlanOut]:
    """The plans the caller reaches (their own, their reach's, or all for HR admins), newest
    first; integration keys 403."""
    principal.require_key_scope(None)
    after = decode_cursor(page.cursor, [datetime, uuid.UUID]) if page.cursor else None
    among = await people.visible_employee_ids(session, principal)
    rows = await action_plan_repository.plans(
        session,
        principal.org_id,
        await identity.org_timezone(session, principal.org_id),
        among=among,
        status=status,
        course_id=course_id,
        employee_id=employee_id,
        adopted=adopted,
        after=(after[0], after[1]) if after else None,
        limit=page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["created_at", "id"], page)
    return Page[ActionPlanOut].model_validate(
        {"items": [_view(row) for row in shown], "next_cursor": cursor}
    )


async def plan(session: AsyncSession, principal: Principal, plan_id: uuid.UUID) -> ActionPlanOut:
    """One plan with its names; 404 outside the caller's reach."""
    principal.require_key_scope(None)
    row = await action_plan_repository.plan(
        session,
        principal.org_id,
        await identity.org_timezone(session, principal.org_id),
        plan_id,
    )
    if row is None:
        raise no_plan()
    await ensure_in_reach(session, principal, row["employee_id"])
    return ActionPlanOut.model_validate(_view(row))
