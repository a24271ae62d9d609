"""The limit for a write: completing a task as a bare Starlette + asyncpg app.

Served by `bench/run_writes.py` beside `hrcore serve`: the same JWT verification, tenant and
user lookup as `bench/limit_app.py`, then the byte-identical statements hrcore sends to
complete the caller's open task without a submission (checked by the script), as asyncpg
prepared statements in one transaction. No submission validator, completion listener or
webhook delivery runs (the benchmark's tasks have none, as in hrcore): a yardstick for what
the SQL of the write costs, not a second implementation.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from limit_app import BENCH_KINDS, SET_TENANT, USER, Refused, _caller, _ref, _respond
from limit_app import create_app as _reads_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

LOCKED_TASK = (
    "SELECT tasks.subject_type, tasks.subject_id, tasks.kind, tasks.title,"
    " tasks.assignee_employee_id, tasks.department_id, tasks.due_at, tasks.status,"
    " tasks.completed_at, tasks.completed_by, tasks.on_time, tasks.cancelled_at,"
    " tasks.submission_required, tasks.confidential, tasks.submission,"
    " tasks.subject_employee_id, tasks.submission_rule, tasks.completion_params, tasks.policy,"
    " tasks.schedule, tasks.handled_until, tasks.next_action_at, tasks.id, tasks.created_at,"
    " tasks.updated_at, tasks.version, tasks.org_id \nFROM tasks \n"
    "WHERE tasks.org_id = $1::UUID AND tasks.id = $2::UUID FOR UPDATE"
)
COMPLETE = (
    "UPDATE tasks SET status=$1::VARCHAR, completed_at=$2::TIMESTAMP WITH TIME ZONE,"
    " completed_by=$3::UUID, on_time=$4::BOOLEAN, next_action_at=$5::TIMESTAMP WITH TIME ZONE,"
    " updated_at=now(), version=$6::INTEGER"
    " WHERE tasks.id = $7::UUID AND tasks.version = $8::INTEGER"
)
SUBSCRIBERS = (
    "SELECT webhook_subscriptions.id \nFROM webhook_subscriptions \n"
    "WHERE webhook_subscriptions.org_id = $1::UUID AND webhook_subscriptions.active IS true"
    " AND webhook_subscriptions.event_types @> $2::VARCHAR(64)[]"
)
NAMES = (
    "SELECT id, full_name AS name FROM employees WHERE org_id = $1 AND id = ANY($2::uuid[])"
    " UNION ALL SELECT id, name FROM departments WHERE org_id = $1 AND id = ANY($3::uuid[])"
)
AUDIT = (
    "INSERT INTO audit_events (actor_kind, actor_id, action, object_type, object_id, before,"
    " after, request_id, id, org_id) VALUES ($1::VARCHAR, $2::UUID, $3::VARCHAR, $4::VARCHAR,"
    " $5::UUID, $6::JSONB, $7::JSONB, $8::VARCHAR, $9::UUID, $10::UUID)"
    " RETURNING audit_events.created_at"
)
STATEMENTS = {"complete": (SET_TENANT, USER, LOCKED_TASK, COMPLETE, SUBSCRIBERS, NAMES, AUDIT)}
"""What each write sends, in order: `bench/run_writes.py` compares it with hrcore's."""


def _stamp(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def complete(request: Request, connection: Any) -> Any:
    org_id, user = await _caller(request, connection)
    task = await connection.fetchrow(LOCKED_TASK, org_id, uuid.UUID(request.path_params["id"]))
    if task is None:
        raise Refused(404)
    if task["assignee_employee_id"] != user["employee_id"] or task["submission_required"]:
        raise Refused(501)
    if task["kind"] not in BENCH_KINDS or task["submission_rule"] or task["completion_params"]:
        raise Refused(501)
    if task["subject_employee_id"] is not None:
        raise Refused(501)
    if task["status"] != "open":
        raise Refused(409)
    now = datetime.now(UTC)
    on_time = now <= task["due_at"]
    version = task["version"] + 1
    await connection.execute(
        COMPLETE, "completed", now, user["id"], on_time, None, version, task["id"], task["version"]
    )
    subscribers = await connection.fetch(SUBSCRIBERS, org_id, ["task.completed"])
    if subscribers:
        raise Refused(501)
    names = {
        row["id"]: row["name"]
        for row in await connection.fetch(
            NAMES, org_id, [task["assignee_employee_id"]], [task["department_id"]]
        )
    }
    before = {"status": "open", "completed_at": None, "on_time": None}
    after = {"status": "completed", "completed_at": _stamp(now), "on_time": on_time}
    await connection.fetchval(
        AUDIT,
        *("user", user["id"], "task.completed", "task", task["id"]),
        *(before, after, uuid.uuid4().hex, uuid.uuid4(), org_id),
    )
    return {
        "id": task["id"],
        "subject": {"type": task["subject_type"], "id": task["subject_id"]},
        "kind": task["kind"],
        "title": task["title"],
        "assignee_employee_id": task["assignee_employee_id"],
        "assignee": _ref(task["assignee_employee_id"], names[task["assignee_employee_id"]]),
        "department_id": task["department_id"],
        "department": _ref(task["department_id"], names[task["department_id"]]),
        "subject_employee": None,
        "completed_by": {
            "operation_id": "complete_task",
            "method": "POST",
            "path": f"/api/v1/tasks/{task['id']}/complete",
        },
        "submission_rule": {
            "required": False,
            "min_text_length": 0,
            "min_links": 0,
            "min_attachments": 0,
        },
        "due_at": task["due_at"],
        "status": "completed",
        "overdue": False,
        "completed_at": now,
        "on_time": on_time,
        "submission_required": task["submission_required"],
        "confidential": task["confidential"],
        "submission": None,
        "policy": task["policy"],
        "created_at": task["created_at"],
        "version": version,
    }


async def _endpoint(request: Request) -> Response:
    try:
        async with request.app.state.pool.acquire() as connection, connection.transaction():
            return _respond(await complete(request, connection), request.state.locale)
    except Refused as refused:
        return Response(status_code=refused.status)


def create_app() -> Starlette:
    """The reads' limit app (its pool and lifespan) with the task completion added."""
    app = _reads_app()
    app.router.routes.append(Route("/api/v1/tasks/{id}/complete", _endpoint, methods=["POST"]))
    return app
