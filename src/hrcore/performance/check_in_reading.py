"""Reading check-ins: one statement for a page or a check-in (names, the caller's own
private note and the action items joined in), plus workflow's answer for the action items'
tasks on a single check-in.

Who reads what (PIPL's minimum necessary): the two participants read everything except the
other's private note; HR admins read the metadata (who, when, status) of every check-in;
anyone else — another manager, a department head — finds nothing (404). The private note is
joined by author, so no query can return someone else's.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.performance import check_in_repository
from hrcore.performance.check_in_notices import SUBJECT
from hrcore.performance.check_in_schemas import CheckInOut
from hrcore.workflow import api as workflow


def _view(row: asyncpg.Record, viewer_id: uuid.UUID | None) -> dict[str, Any]:
    """The row as the viewer may see it: content blanked for a non-participant."""
    taking_part = viewer_id in (row["manager_id"], row["report_id"])
    return {
        "id": row["id"],
        "manager": {"id": row["manager_id"], "name": row["manager_name"]},
        "report": {"id": row["report_id"], "name": row["report_name"]},
        "scheduled_at": row["scheduled_at"],
        "status": row["status"],
        "closed_at": row["closed_at"],
        "agenda": row["agenda"] if taking_part else None,
        "shared_notes": row["shared_notes"] if taking_part else None,
        "private_note": row["private_note"] if taking_part else None,
        "action_items": None,
        "created_at": row["created_at"],
        "version": row["version"],
    }


async def check_ins(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    employee_id: uuid.UUID | None,
    status: str | None,
) -> Page[CheckInOut]:
    """The caller's own check-ins (as manager or report), or every one for HR admins,
    newest first; integration keys 403."""
    principal.require_key_scope(None)
    after = decode_cursor(page.cursor, [datetime, uuid.UUID]) if page.cursor else None
    rows = await check_in_repository.check_ins(
        session,
        principal.org_id,
        principal.employee_id,
        everyone=principal.is_hr_admin,
        employee_id=employee_id,
        status=status,
        after=(after[0], after[1]) if after else None,
        limit=page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["scheduled_at", "id"], page)
    led = [row["report_id"] for row in shown if row["manager_id"] == principal.employee_id]
    note_reads(principal, led, DataClass.EVALUATION, "check_in")
    items = [_view(row, principal.employee_id) for row in shown]
    return Page[CheckInOut].model_validate({"items": items, "next_cursor": cursor})


async def check_in(
    session: AsyncSession, principal: Principal, check_in_id: uuid.UUID, clock: Clock
) -> CheckInOut:
    """One check-in: with its action items and their tasks' state for a participant, its
    metadata for HR admins, 404 for anyone else."""
    principal.require_key_scope(None)
    me = principal.employee_id
    row = await check_in_repository.check_in(session, principal.org_id, me, check_in_id)
    taking_part = row is not None and me in (row["manager_id"], row["report_id"])
    if row is None or not (taking_part or principal.is_hr_admin):
        raise NotFound(_("No such check-in"))
    view = _view(row, me)
    if taking_part:
        view["action_items"] = await _action_items(
            session, principal.org_id, check_in_id, row["action_items"], clock
        )
    return CheckInOut.model_validate(view)


async def _action_items(
    session: AsyncSession,
    org_id: uuid.UUID,
    check_in_id: uuid.UUID,
    items: list[dict[str, Any]],
    clock: Clock,
) -> list[dict[str, Any]]:
    """Each item with its task's state (one read of the check-in's tasks, none without)."""
    if not items:
        return []
    tasks = await workflow.tasks_of_subjects(
        session, org_id=org_id, subject_type=SUBJECT, subject_ids=[check_in_id], now=clock.now()
    )
    by_id = {str(task.id): task for task in tasks}
    return [
        {
            "id": item["id"],
            "title": item["title"],
            "assignee": {"id": item["assignee_id"], "name": item["assignee_name"]},
            "due_on": item["due_on"],
            "task_id": item["task_id"],
            "status": by_id[item["task_id"]].status,
            "overdue": by_id[item["task_id"]].overdue,
            "completed_at": by_id[item["task_id"]].completed_at,
        }
        for item in items
    ]
