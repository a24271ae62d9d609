"""The limit for the writes: completing a task, recording a promotion and submitting a
review answer as a bare Starlette + asyncpg app.

Served by `bench/run_writes.py` beside `hrcore serve`: the same JWT verification, tenant and
user lookup as `bench/limit_app.py`, then the byte-identical statements hrcore sends to
complete the caller's open task without a submission, to promote an employee to the post
they hold, effective today or earlier, or to submit a rater's saved draft (checked by the
script), as asyncpg prepared statements in one transaction. No submission validator,
completion listener or webhook delivery runs (the benchmark's tasks need none, as in hrcore:
the statements that find out are sent all the same); anything else the bench does not send
is refused with 501: a yardstick for what the SQL of the write costs, not a second
implementation.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from limit_app import (
    BENCH_KINDS,
    JSON_NULL,
    SET_TENANT,
    USER,
    Refused,
    _caller,
    _hr_only,
    _ref,
    _respond,
)
from limit_app import create_app as _reads_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from uuid6 import uuid7

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
EMPLOYEE = (
    "SELECT employees.employee_number, employees.full_name, employees.email, employees.phone,"
    " employees.department_id, employees.position_id, employees.manager_id,"
    " employees.manager_path, employees.hire_date, employees.status,"
    " employees.dingtalk_user_id, employees.id, employees.created_at, employees.updated_at,"
    " employees.version, employees.org_id \nFROM employees \n"
    "WHERE employees.org_id = $1::UUID AND employees.id = $2::UUID"
)
POSITION = (
    "SELECT positions.code, positions.title, positions.department_id, positions.grade,"
    " positions.is_management, positions.family, positions.description,"
    " positions.description_revision, positions.id, positions.created_at,"
    " positions.updated_at, positions.version, positions.org_id \nFROM positions \n"
    "WHERE positions.org_id = $1::UUID AND positions.id = $2::UUID"
)
EVENT = (
    "INSERT INTO employment_events (employee_id, kind, effective_date, end_date, department_id,"
    " position_id, title, leads_team, allowance, note, manager_id, pay_terms_ref, applied_at,"
    " id, version, org_id) VALUES ($1::UUID, $2::VARCHAR, $3::DATE, $4::DATE, $5::UUID,"
    " $6::UUID, $7::VARCHAR, $8::BOOLEAN, $9::NUMERIC(12, 2), $10::VARCHAR, $11::UUID,"
    " $12::VARCHAR, $13::TIMESTAMP WITH TIME ZONE, $14::UUID, $15::INTEGER, $16::UUID)"
    " RETURNING employment_events.created_at, employment_events.updated_at"
)
JOBS = (
    "contracts.draft_amendment",
    "talent.end_memberships_of_leaver",
    "talent.open_vacancy_for_vacated_post",
    "programs.withdraw_leaver",
)
"""The subscribers of `employment_event.recorded`, in hrcore's order (checked by the script)."""
_STAMP = "TIMESTAMP WITH TIME ZONE"
_OUTBOX_TYPES = ("UUID", "VARCHAR", "JSONB", "VARCHAR", "INTEGER", "VARCHAR", _STAMP, _STAMP)
_ROW = ", ".join(f"{{}}::{kind}" for kind in (*_OUTBOX_TYPES, "UUID"))
_ROWS = ", ".join(
    "(" + _ROW.format(*(f"${9 * n + i}" for i in range(1, 10))) + ")" for n in range(len(JOBS))
)
OUTBOX = (
    "INSERT INTO outbox_messages (org_id, job, payload, status, attempts, last_error,"
    f" queued_at, finished_at, id) VALUES {_ROWS}"
    " RETURNING outbox_messages.created_at, outbox_messages.available_at, outbox_messages.id"
)
ASSIGNMENT = (
    "SELECT review_assignments.cycle_id, review_assignments.participant_id,"
    " review_assignments.rater_employee_id, review_assignments.relationship,"
    " review_assignments.status, review_assignments.answers, review_assignments.comment,"
    " review_assignments.evidence, review_assignments.task_id, review_assignments.submitted_at,"
    " review_assignments.id, review_assignments.created_at, review_assignments.updated_at,"
    " review_assignments.version, review_assignments.org_id \nFROM review_assignments \n"
    "WHERE review_assignments.org_id = $1::UUID AND review_assignments.id = $2::UUID FOR UPDATE"
)
CYCLE = (
    "SELECT review_cycles.name, review_cycles.kind, review_cycles.template_id,"
    " review_cycles.template_revision, review_cycles.form, review_cycles.relationship_weights,"
    " review_cycles.starts_on, review_cycles.due_on, review_cycles.status,"
    " review_cycles.opened_at, review_cycles.closed_at, review_cycles.peer_nomination,"
    " review_cycles.min_raters, review_cycles.id, review_cycles.created_at,"
    " review_cycles.updated_at, review_cycles.version, review_cycles.org_id \n"
    "FROM review_cycles \nWHERE review_cycles.org_id = $1::UUID AND review_cycles.id = $2::UUID"
)
SUBMIT = (
    "UPDATE review_assignments SET status=$1::VARCHAR, submitted_at=$2::TIMESTAMP WITH TIME"
    " ZONE, updated_at=now(), version=$3::INTEGER WHERE review_assignments.id = $4::UUID AND"
    " review_assignments.version = $5::INTEGER"
)
STAGE_OF_TASK = (
    "SELECT program_participant_stages.run_id, program_participant_stages.participant_id,"
    " program_participant_stages.department_id, program_participant_stages.position,"
    " program_participant_stages.key, program_participant_stages.kind,"
    " program_participant_stages.name, program_participant_stages.config,"
    " program_participant_stages.starts_on, program_participant_stages.due_on,"
    " program_participant_stages.due_at, program_participant_stages.status,"
    " program_participant_stages.opened_at, program_participant_stages.completed_at,"
    " program_participant_stages.on_time, program_participant_stages.review_cycle_id,"
    " program_participant_stages.decision, program_participant_stages.id,"
    " program_participant_stages.created_at, program_participant_stages.updated_at,"
    " program_participant_stages.org_id \nFROM program_participant_stages JOIN"
    " program_stage_tasks ON program_stage_tasks.stage_id = program_participant_stages.id \n"
    "WHERE program_stage_tasks.org_id = $1::UUID AND program_stage_tasks.task_id = $2::UUID"
    " FOR UPDATE OF program_participant_stages"
)
PARTICIPANT = (
    "SELECT review_participants.cycle_id, review_participants.employee_id,"
    " review_participants.department_id, review_participants.id, review_participants.org_id"
    " \nFROM review_participants \nWHERE review_participants.org_id = $1::UUID AND"
    " review_participants.id IN ($2::UUID)"
)
SUMMARY = (
    "SELECT employees.id, employees.full_name, employees.department_id, employees.status,"
    " departments.name AS department_name \nFROM employees JOIN departments ON departments.id"
    " = employees.department_id AND departments.org_id = employees.org_id \n"
    "WHERE employees.org_id = $1::UUID AND employees.id IN ($2::UUID)"
)
ATTACHED = (
    "SELECT files.subject_id, files.id \nFROM files \nWHERE files.org_id = $1::UUID AND"
    " files.subject_type = $2::VARCHAR AND files.subject_id = ANY ($3::UUID[])"
    " ORDER BY files.uploaded_at, files.id"
)
_AUDIT_TYPES = ("VARCHAR", "UUID", "VARCHAR", "VARCHAR", "UUID", "JSONB", "JSONB", "VARCHAR")
_AUDIT_ROW = ", ".join(f"{{}}::{kind}" for kind in (*_AUDIT_TYPES, "UUID", "UUID"))
AUDIT_TWO = (
    "INSERT INTO audit_events (actor_kind, actor_id, action, object_type, object_id, before,"
    " after, request_id, id, org_id) VALUES "
    + ", ".join(
        "(" + _AUDIT_ROW.format(*(f"${10 * n + i}" for i in range(1, 11))) + ")" for n in (0, 1)
    )
    + " RETURNING audit_events.created_at, audit_events.id"
)
TODO_DONE = (
    "UPDATE task_todos SET wanted=$1::VARCHAR, status=$2::VARCHAR, attempts=$3::INTEGER,"
    " last_error=$4::VARCHAR, next_attempt_at=$5::TIMESTAMP WITH TIME ZONE WHERE"
    " task_todos.org_id = $6::UUID AND task_todos.task_id IN ($8::UUID) AND"
    " task_todos.wanted != $7::VARCHAR RETURNING task_todos.id"
)
"""A completed task's DingTalk to-do is asked to show done (the bench's tasks have none)."""


async def _todo_done(connection: Any, org_id: uuid.UUID, task_id: uuid.UUID) -> None:
    """The bench's people have no DingTalk to-do; one would need an outbox row: 501."""
    if await connection.fetch(TODO_DONE, "done", "pending", 0, None, None, org_id, "done", task_id):
        raise Refused(501)


STATEMENTS = {
    "complete": (SET_TENANT, USER, LOCKED_TASK, COMPLETE, SUBSCRIBERS, TODO_DONE, NAMES, AUDIT),
    "submit": (
        *(SET_TENANT, USER, ASSIGNMENT, CYCLE, SUBMIT, LOCKED_TASK, COMPLETE, STAGE_OF_TASK),
        *(TODO_DONE, PARTICIPANT, SUMMARY, ATTACHED, AUDIT_TWO),
    ),
    "promote": (
        *(SET_TENANT, USER, EMPLOYEE, POSITION),
        *(EVENT, AUDIT, OUTBOX),
    ),
}
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
    await _todo_done(connection, org_id, task["id"])
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


_PROMOTION_KEYS = {"kind", "effective_date", "position_id", "note"}
_EVENT_AUDITED = (
    *("employee_id", "kind", "effective_date", "end_date", "department_id", "position_id"),
    *("title", "leads_team", "allowance", "manager_id", "pay_terms_ref"),
)


async def promote(request: Request, connection: Any) -> Any:
    """A promotion to the post the employee holds, effective today or earlier, as the bench
    sends it: no employee update, no manager change, the event recorded and announced."""
    org_id, user = await _caller(request, connection)
    body = json.loads(await request.body())
    if set(body) - _PROMOTION_KEYS or body.get("kind") != "promotion":
        raise Refused(501)
    _hr_only(user)
    if user["department_scope_id"] is not None:
        raise Refused(501)
    employee_id = uuid.UUID(request.path_params["id"])
    employee = await connection.fetchrow(EMPLOYEE, org_id, employee_id)
    if employee is None:
        raise Refused(404)
    position_id = uuid.UUID(body["position_id"])
    position = await connection.fetchrow(POSITION, org_id, position_id)
    if position is None:
        raise Refused(422)
    effective = date.fromisoformat(body["effective_date"])
    if employee["status"] == "exited":
        raise Refused(409)
    if effective < employee["hire_date"] or position_id != employee["position_id"]:
        raise Refused(501)
    now = datetime.now(UTC)
    if effective > now.astimezone(ZoneInfo(user["org_timezone"])).date():
        raise Refused(501)
    event_id = uuid.UUID(bytes=uuid7().bytes)
    event = {
        "employee_id": employee_id,
        "kind": "promotion",
        "effective_date": effective,
        "end_date": None,
        "department_id": None,
        "position_id": position_id,
        "title": None,
        "leads_team": False,
        "allowance": None,
        "note": body.get("note"),
        "manager_id": None,
        "pay_terms_ref": None,
    }
    stamps = await connection.fetchrow(EVENT, *event.values(), now, event_id, 1, org_id)
    after = {key: _plain(event[key]) for key in _EVENT_AUDITED}
    await connection.fetchval(
        AUDIT,
        *("user", user["id"], "employment_event.created", "employment_event", event_id),
        *(JSON_NULL, after, uuid.uuid4().hex, uuid.uuid4(), org_id),
    )
    payload = {
        "event": "employment_event.recorded",
        "event_id": str(event_id),
        "employee_id": str(employee_id),
        "kind": "promotion",
        "applied": True,
    }
    rows = [
        (org_id, job, payload, "pending", 0, None, None, None, uuid.UUID(bytes=uuid7().bytes))
        for job in JOBS
    ]
    await connection.fetch(OUTBOX, *(value for row in rows for value in row))
    return {
        "id": event_id,
        **{key: event[key] for key in ("employee_id", "kind", "effective_date", "end_date")},
        "department_id": None,
        "department": None,
        "position_id": position_id,
        "position": _ref(position["id"], position["title"]),
        **{key: event[key] for key in ("title", "leads_team", "allowance", "note")},
        "manager_id": None,
        "manager": None,
        "pay_terms_ref": None,
        "applied_at": now,
        "created_at": stamps["created_at"],
    }


RATER_TASK = "review.rate"


async def submit(request: Request, connection: Any) -> Any:
    """A rater's saved draft made final, as the bench sends it: no evidence or files, the
    rater's task (confidential: never published to webhooks) in no program stage."""
    org_id, user = await _caller(request, connection)
    assignment_id = uuid.UUID(request.path_params["id"])
    assignment = await connection.fetchrow(ASSIGNMENT, org_id, assignment_id)
    if assignment is None or assignment["rater_employee_id"] != user["employee_id"]:
        raise Refused(404)
    cycle = await connection.fetchrow(CYCLE, org_id, assignment["cycle_id"])
    if cycle["status"] != "open" or assignment["status"] == "submitted":
        raise Refused(409)
    if not assignment["answers"]:
        raise Refused(422)
    if assignment["task_id"] is None or assignment["evidence"]:
        raise Refused(501)
    submitted_at = datetime.now(UTC)
    version = assignment["version"] + 1
    await connection.execute(
        SUBMIT, "submitted", submitted_at, version, assignment_id, assignment["version"]
    )
    task = await connection.fetchrow(LOCKED_TASK, org_id, assignment["task_id"])
    if task["status"] != "open":
        raise Refused(409)
    required = task["submission_required"] or (task["submission_rule"] or {}).get("required")
    if task["kind"] != RATER_TASK or not task["confidential"] or required:
        raise Refused(501)
    now = datetime.now(UTC)
    on_time = now <= task["due_at"]
    await connection.execute(
        COMPLETE,
        *("completed", now, user["id"], on_time, None),
        *(task["version"] + 1, task["id"], task["version"]),
    )
    if await connection.fetch(STAGE_OF_TASK, org_id, task["id"]):
        raise Refused(501)
    await _todo_done(connection, org_id, task["id"])
    participant = await connection.fetchrow(PARTICIPANT, org_id, assignment["participant_id"])
    person = await connection.fetchrow(SUMMARY, org_id, participant["employee_id"])
    if await connection.fetch(ATTACHED, org_id, "review_assignment", [assignment_id]):
        raise Refused(501)
    request_id = uuid.uuid4().hex
    before = {"status": "open", "completed_at": None, "on_time": None}
    after = {"status": "completed", "completed_at": _stamp(now), "on_time": on_time}
    submitted = {"relationship": assignment["relationship"]}
    await connection.fetch(
        AUDIT_TWO,
        *("user", user["id"], "task.completed", "task", task["id"], before, after, request_id),
        *(uuid.UUID(bytes=uuid7().bytes), org_id, "user", user["id"]),
        *("review_assignment.submitted", "review_assignment", assignment_id, JSON_NULL),
        *(submitted, request_id, uuid.UUID(bytes=uuid7().bytes), org_id),
    )
    return {
        "id": assignment_id,
        "cycle_id": assignment["cycle_id"],
        "cycle": _ref(cycle["id"], cycle["name"]),
        "participant_id": assignment["participant_id"],
        "participant": _ref(person["id"], person["full_name"]),
        "relationship": assignment["relationship"],
        "status": "submitted",
        "due_on": cycle["due_on"],
        "indicators": [_indicator(stored) for stored in cycle["form"]["indicators"]],
        "answers": {key: _answer(answer) for key, answer in assignment["answers"].items()},
        "comment": assignment["comment"],
        "evidence": [],
        "attachments": [],
        "task_id": task["id"],
        "submitted_at": submitted_at,
        "version": version,
    }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _indicator(stored: dict[str, Any]) -> dict[str, Any]:
    """A form's indicator as `AssignmentOut` shows it: defaults filled, numbers as floats."""
    scale, formula = stored.get("scale"), stored.get("formula")
    if scale is None and stored["kind"] == "qualitative":
        scale = {}
    return {
        **{key: stored[key] for key in ("key", "name", "section", "kind")},
        "weight": float(stored["weight"]),
        "scale": None
        if scale is None
        else {
            "min": scale.get("min", 1),
            "max": scale.get("max", 5),
            "labels": scale.get("labels", {}),
        },
        "target": _number(stored.get("target")),
        "formula": None
        if formula is None
        else {
            "kind": formula["kind"],
            "cap": float(formula.get("cap", 100)),
            "floor": float(formula.get("floor", 0)),
            "bands": [
                {"at_least": float(band["at_least"]), "score": float(band["score"])}
                for band in formula.get("bands", [])
            ],
        },
        "competency_id": stored.get("competency_id"),
    }


def _answer(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        "score": _number(stored.get("score")),
        "actual": _number(stored.get("actual")),
        "comment": stored.get("comment"),
    }


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID | date) else value


def _endpoint(write: Any, status: int) -> Any:
    async def endpoint(request: Request) -> Response:
        try:
            async with request.app.state.pool.acquire() as connection, connection.transaction():
                response = _respond(await write(request, connection), request.state.locale)
        except Refused as refused:
            return Response(status_code=refused.status)
        response.status_code = status
        return response

    return endpoint


def create_app() -> Starlette:
    """The reads' limit app (its pool and lifespan) with the writes added."""
    app = _reads_app()
    routes = app.router.routes
    routes.append(Route("/api/v1/tasks/{id}/complete", _endpoint(complete, 200), methods=["POST"]))
    routes.append(Route("/api/v1/employees/{id}/events", _endpoint(promote, 201), methods=["POST"]))
    routes.append(
        Route("/api/v1/review-assignments/{id}/submit", _endpoint(submit, 200), methods=["POST"])
    )
    return app
