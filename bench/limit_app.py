"""The limit: the four mobile reads as a bare Starlette + asyncpg app.

    HRCORE_DATABASE_URL=postgresql://postgres@127.0.0.1/hrcore_bench_fast \
        .venv/bin/uvicorn --factory bench.limit_app:create_app --port 8101

What hrcore cannot beat on the same SQL: the same JWT verification, the same tenant
`set_config` and user lookup, the byte-identical statements hrcore sends for the benchmark's
callers (captured with `bench/limit_check.py --show-sql`, hard-coded here, run as asyncpg
prepared statements in one transaction) and JSON-identical bodies. It serves only what the
benchmark asks — HR for the list and the profile, a user with an employee for the inbox
reads — and answers 501 to anything else: it is a yardstick, not a second implementation.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hrcore.core import i18n, security
from hrcore.mentoring.profile_section import PROFILE_ROWS as MENTORING
from hrcore.settings import Settings

SET_TENANT = "SELECT set_config('app.org_id', $1, true)"
USER = (
    "SELECT u.id, u.employee_id, u.roles, u.department_scope_id, u.is_active,"
    " u.must_change_password, u.token_version, u.locale, o.locale AS org_locale,"
    " o.timezone AS org_timezone"
    " FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.org_id = $1 AND u.id = $2"
)
SUBTREE = (
    "SELECT departments.id \nFROM departments \nWHERE departments.org_id = $1::UUID AND "
    "(departments.path LIKE (SELECT departments.path \nFROM departments \n"
    "WHERE departments.org_id = $2::UUID AND departments.id = $3::UUID) || '%')"
)
EMPLOYEE_COLUMNS = (
    "SELECT employees.id, employees.employee_number, employees.full_name, employees.email,"
    " employees.phone, employees.personal_phone, employees.id_number,"
    " employees.department_id, employees.position_id, employees.manager_id,"
    " employees.hire_date, employees.status, employees.dingtalk_user_id,"
    " employees.created_at, employees.version, departments.name AS department_name,"
    " positions.title AS position_title, managers.full_name AS manager_name \nFROM employees"
    " JOIN departments ON departments.id = employees.department_id"
    " AND departments.org_id = employees.org_id LEFT OUTER JOIN positions"
    " ON positions.id = employees.position_id AND positions.org_id = employees.org_id"
    " LEFT OUTER JOIN employees AS managers ON managers.id = employees.manager_id"
    " AND managers.org_id = employees.org_id \n"
)
SUBTREE_PAGE = (
    EMPLOYEE_COLUMNS + "WHERE employees.org_id = $1::UUID AND employees.department_id = "
    "ANY ($2::UUID[]) AND employees.status = $3::VARCHAR "
    "ORDER BY employees.full_name, employees.id \n LIMIT $4::INTEGER"
)
PROFILE_HEAD = (
    "SELECT e.id, e.employee_number, e.full_name, e.email, e.phone, e.personal_phone,"
    " e.id_number, e.department_id,"
    " e.position_id, e.manager_id, e.hire_date, e.status, d.name AS department_name,"
    " p.title AS position_title, p.is_management AS position_is_management,"
    " m.full_name AS manager_name, o.timezone"
    " FROM employees e JOIN organizations o ON o.id = e.org_id"
    " JOIN departments d ON d.id = e.department_id AND d.org_id = e.org_id"
    " LEFT JOIN positions p ON p.id = e.position_id AND p.org_id = e.org_id"
    " LEFT JOIN employees m ON m.id = e.manager_id AND m.org_id = e.org_id"
    " WHERE e.org_id = $1 AND e.id = $2"
)
HISTORY = (
    "SELECT ev.id, ev.employee_id, ev.kind, ev.effective_date, ev.end_date, ev.department_id,"
    " ev.position_id, ev.title, ev.leads_team, ev.allowance, ev.note, ev.created_at,"
    " ev.manager_id, ev.pay_terms_ref, ev.applied_at, ev.withdrawn_at, ev.withdrawal_reason,"
    " (ev.leads_team OR p.is_management IS true) AS management,"
    " d.name AS department_name, p.title AS position_title, m.full_name AS manager_name"
    " FROM employment_events ev"
    " LEFT JOIN positions p ON p.id = ev.position_id AND p.org_id = ev.org_id"
    " LEFT JOIN departments d ON d.id = ev.department_id AND d.org_id = ev.org_id"
    " LEFT JOIN employees m ON m.id = ev.manager_id AND m.org_id = ev.org_id"
    " WHERE ev.org_id = $1 AND ev.employee_id = $2 ORDER BY ev.effective_date, ev.id"
)
RATINGS = (
    "SELECT r.id, r.employee_id, r.period, r.letter, r.score, r.comment, r.rated_by,"
    " u.display_name AS rated_by_name, r.created_at"
    " FROM performance_ratings r"
    " LEFT JOIN users u ON u.id = r.rated_by AND u.org_id = r.org_id"
    " WHERE r.org_id = $1 AND r.employee_id = $2 AND r.period >= $3"
    " ORDER BY r.period, r.id"
)
GROWTH = (
    "SELECT skills, certifications, external_trainings, career_plan, submitted_at, version"
    " FROM growth_profiles WHERE org_id = $1 AND employee_id = $2"
)
PROGRAMS = (
    "SELECT program_runs.id, program_runs.name, program_participants.status,"
    " program_participant_stages.name AS name_1, program_runs.starts_on,"
    " program_participants.ended_at \nFROM program_participants JOIN program_runs"
    " ON program_runs.id = program_participants.run_id LEFT OUTER JOIN"
    " program_participant_stages ON program_participant_stages.participant_id ="
    " program_participants.id AND program_participant_stages.position ="
    " program_participants.current_position \nWHERE program_participants.org_id = $1::UUID"
    " AND program_participants.employee_id = $2::UUID"
    " ORDER BY program_runs.starts_on, program_runs.id"
)
CONTRACTS = (
    "SELECT contracts.id, contracts.kind, contracts.status, contracts.start_date,"
    " contracts.end_date, contracts.grade, contracts.allowance, contracts.work_location,"
    " contracts.pay_terms_ref \nFROM contracts \nWHERE contracts.org_id = $1::UUID"
    " AND contracts.employee_id = $2::UUID ORDER BY contracts.start_date, contracts.id"
)
DEVELOPMENT_PLAN = """
SELECT id, period, title, status, jsonb_array_length(goals) AS goals,
       jsonb_array_length(actions) AS actions, approved_at
  FROM development_plans
 WHERE org_id = $1 AND employee_id = $2 AND status IN ('draft', 'submitted', 'active')
 ORDER BY period DESC, id DESC
 LIMIT 1
"""
TRAININGS = """
SELECT c.id, c.name, (en.completed_at AT TIME ZONE $3)::date AS completed_on,
       CASE WHEN en.passed_at IS NOT NULL THEN 'passed'
            WHEN en.late THEN 'late' ELSE 'attended' END AS result
FROM training_enrolments en
JOIN training_courses c ON c.org_id = en.org_id AND c.id = en.course_id
WHERE en.org_id = $1 AND en.employee_id = $2 AND en.status = 'completed'
ORDER BY en.completed_at DESC NULLS LAST, c.name
"""
POINTS = """
SELECT period, total FROM points_balances
WHERE org_id = $1 AND employee_id = $2 AND (length(period) = 4 OR period LIKE '%-Q%')
ORDER BY left(period, 4) DESC, length(period), period COLLATE "C" DESC
"""
OPEN_TASKS = (
    "SELECT t.id, t.subject_type, t.subject_id, t.kind, t.title, t.assignee_employee_id,"
    " e.full_name AS assignee_name, t.department_id, d.name AS department_name, t.due_at,"
    " t.status, t.completed_at, t.on_time, t.submission_required, t.submission_rule,"
    " t.completion_params, t.subject_employee_id, s.full_name AS subject_employee_name,"
    " t.confidential, t.submission, t.policy, t.created_at, t.version"
    " FROM tasks t JOIN employees e ON e.id = t.assignee_employee_id AND e.org_id = t.org_id"
    " JOIN departments d ON d.id = t.department_id AND d.org_id = t.org_id"
    " LEFT JOIN employees s ON s.id = t.subject_employee_id AND s.org_id = t.org_id"
    " WHERE t.org_id = $1 AND t.assignee_employee_id = $2 AND t.status = $4"
    " ORDER BY t.due_at, t.id LIMIT $3"
)
INBOX = (
    "SELECT n.id, n.kind, n.title, n.body, n.subject_type, n.subject_id, n.created_at,"
    " n.read_at, t.title AS subject_name, t.assignee_employee_id, e.full_name AS employee_name"
    " FROM notifications n LEFT JOIN tasks t ON n.subject_type = 'task'"
    " AND t.id = n.subject_id AND t.org_id = n.org_id"
    " AND (NOT t.confidential OR t.assignee_employee_id = $4)"
    " LEFT JOIN employees e ON e.id = t.assignee_employee_id AND e.org_id = t.org_id"
    " WHERE n.org_id = $1 AND n.user_id = $2 ORDER BY n.id DESC LIMIT $3"
)
UNREAD = "SELECT count(*) FROM notifications WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL"
STATEMENTS = {
    "list": (SET_TENANT, USER, SUBTREE, SUBTREE_PAGE),
    "profile": (
        SET_TENANT,
        USER,
        PROFILE_HEAD,
        HISTORY,
        RATINGS,
        GROWTH,
        PROGRAMS,
        CONTRACTS,
        DEVELOPMENT_PLAN,
        TRAININGS,
        POINTS,
        MENTORING,
    ),
    "tasks": (SET_TENANT, USER, OPEN_TASKS),
    "inbox": (SET_TENANT, USER, INBOX, UNREAD),
}
"""What each read sends, in order: `bench/limit_check.py` compares it with hrcore's."""

PAGE = 50
BENCH_KINDS = ("bench.task", "bench.write")
"""The benchmarks' tasks (read, completed): kinds nobody declares, completed at
`/tasks/{id}/complete` (what hrcore shows for them); the limit answers 501 to any other."""
TREND_YEARS = 3


class Refused(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, uuid.UUID | date | Decimal):
        return str(value)
    raise TypeError(type(value))


def _respond(body: Any, locale: str) -> Response:
    content = json.dumps(body, default=_json, ensure_ascii=False, separators=(",", ":"))
    return Response(content, media_type="application/json", headers={"content-language": locale})


def _cursor(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else str(v) for v in values]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def _caller(request: Request, connection: Any) -> tuple[uuid.UUID, Any]:
    """The same verification hrcore does: the token, then the tenant, then the user row."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise Refused(401)
    settings: Settings = request.app.state.settings
    try:
        claims = security.decode_access_token(settings, header[7:])
    except security.InvalidToken as exc:
        raise Refused(401) from exc
    await connection.fetchval(SET_TENANT, str(claims.org_id))
    user = await connection.fetchrow(USER, claims.org_id, claims.user_id)
    if user is None or not user["is_active"] or user["token_version"] != claims.version:
        raise Refused(401)
    if user["must_change_password"]:
        raise Refused(403)
    # hrcore's choice: the user's locale, else Accept-Language, else the organization's.
    request.state.locale = (
        i18n.supported(user["locale"])
        or i18n.negotiate(request.headers.get("accept-language"))
        or i18n.supported(user["org_locale"])
        or i18n.DEFAULT_LOCALE
    )
    return claims.org_id, user


def _masked(id_number: str | None) -> str | None:
    """HR reads an ID number masked without the permission and a purpose, as hrcore does."""
    return None if id_number is None else id_number[:3] + "*" * 11 + id_number[-4:]


def _employee(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "employee_number": row["employee_number"],
        "full_name": row["full_name"],
        "email": row["email"],
        "phone": row["phone"],
        "personal_phone": row["personal_phone"],
        "id_number": _masked(row["id_number"]),
        "department_id": row["department_id"],
        "position_id": row["position_id"],
        "manager_id": row["manager_id"],
        "department": _ref(row["department_id"], row["department_name"]),
        "position": _ref(row["position_id"], row["position_title"]) if row["position_id"] else None,
        "manager": _ref(row["manager_id"], row["manager_name"]) if row["manager_id"] else None,
        "hire_date": row["hire_date"],
        "status": row["status"],
        "dingtalk_user_id": row["dingtalk_user_id"],
        "created_at": row["created_at"],
        "version": row["version"],
    }


def _hr_only(user: Any) -> None:
    if "hr_admin" not in user["roles"]:
        raise Refused(501)


async def employee_list(request: Request, connection: Any) -> Any:
    query = request.query_params
    if set(query) != {"department_id", "include_subtree", "status"}:
        raise Refused(501)
    org_id, user = await _caller(request, connection)
    _hr_only(user)
    subtree = await connection.fetch(SUBTREE, org_id, org_id, uuid.UUID(query["department_id"]))
    department_ids = [row["id"] for row in subtree]
    rows = await connection.fetch(SUBTREE_PAGE, org_id, department_ids, query["status"], PAGE + 1)
    last = rows[PAGE - 1] if len(rows) > PAGE else None
    cursor = _cursor([last["full_name"], last["id"]]) if last else None
    return {"items": [_employee(row) for row in rows[:PAGE]], "next_cursor": cursor}


def _ref(ref_id: Any, name: Any) -> dict[str, Any]:
    return {"id": ref_id, "name": name}


async def profile(request: Request, connection: Any) -> Any:
    org_id, user = await _caller(request, connection)
    _hr_only(user)
    employee_id = uuid.UUID(request.path_params["employee_id"])
    employee = refs = await connection.fetchrow(PROFILE_HEAD, org_id, employee_id)
    if employee is None:
        raise Refused(404)
    today = datetime.now(UTC).astimezone(ZoneInfo(employee["timezone"])).date()
    history = await connection.fetch(HISTORY, org_id, employee_id)
    ratings = await connection.fetch(RATINGS, org_id, employee_id, str(today.year - TREND_YEARS))
    growth = await connection.fetchrow(GROWTH, org_id, employee_id)
    if growth is not None:
        raise Refused(501)
    participations = await connection.fetch(PROGRAMS, org_id, employee_id)
    contracts = await connection.fetch(CONTRACTS, org_id, employee_id)
    plan = await connection.fetchrow(DEVELOPMENT_PLAN, org_id, employee_id)
    if plan is not None and plan["status"] == "submitted":
        raise Refused(501)  # hrcore then asks its approval too: not a read the benchmark makes
    trainings = await connection.fetch(TRAININGS, org_id, employee_id, employee["timezone"])
    points = await connection.fetch(POINTS, org_id, employee_id)
    mentoring = await connection.fetch(MENTORING, org_id, employee_id, True)
    if any(row["plan_status"] == "submitted" for row in mentoring):
        raise Refused(501)  # hrcore then asks the plans' approvals too
    events = [
        {
            "id": e["id"],
            "employee_id": e["employee_id"],
            "kind": e["kind"],
            "effective_date": e["effective_date"],
            "end_date": e["end_date"],
            "department_id": e["department_id"],
            "department": _ref(e["department_id"], e["department_name"])
            if e["department_id"]
            else None,
            "position_id": e["position_id"],
            "position": _ref(e["position_id"], e["position_title"]) if e["position_id"] else None,
            "title": e["title"],
            "leads_team": e["leads_team"],
            "allowance": e["allowance"],
            "note": e["note"],
            "manager_id": e["manager_id"],
            "manager": _ref(e["manager_id"], e["manager_name"]) if e["manager_id"] else None,
            "pay_terms_ref": e["pay_terms_ref"],
            "applied_at": e["applied_at"],
            "withdrawn_at": e["withdrawn_at"],
            "withdrawal_reason": e["withdrawal_reason"],
            "created_at": e["created_at"],
        }
        for e in history
    ]
    applied = [e for e in history if e["applied_at"] is not None]
    pending = [
        {
            "event_id": e["id"],
            "kind": e["kind"],
            "effective_date": e["effective_date"],
            "department": _ref(e["department_id"], e["department_name"])
            if e["department_id"]
            else None,
            "position": _ref(e["position_id"], e["position_title"]) if e["position_id"] else None,
            "manager": _ref(e["manager_id"], e["manager_name"]) if e["manager_id"] else None,
        }
        for e in history
        if e["applied_at"] is None and e["withdrawn_at"] is None
    ]
    department = _ref(employee["department_id"], refs["department_name"])
    position = (
        {
            "id": employee["position_id"],
            "name": refs["position_title"],
            "is_management": refs["position_is_management"],
        }
        if employee["position_id"]
        else None
    )
    manager = _ref(employee["manager_id"], refs["manager_name"]) if employee["manager_id"] else None
    running = [
        e
        for e in events
        if e["applied_at"] is not None
        and e["kind"] == "temporary_post"
        and e["effective_date"] <= today
        and (e["end_date"] is None or e["end_date"] >= today)
    ]
    return {
        "basics": {
            "id": employee["id"],
            "employee_number": employee["employee_number"],
            "full_name": employee["full_name"],
            "department": department,
            "position": position,
            "manager": manager,
            "hire_date": employee["hire_date"],
            "status": employee["status"],
            "tenure_years": max(0.0, round((today - employee["hire_date"]).days / 365.25, 1)),
            "email": employee["email"],
            "phone": employee["phone"],
            "personal_phone": employee["personal_phone"],
            "id_number": _masked(employee["id_number"]),
        },
        "current_post": {
            "department": department,
            "position": position,
            "temporary_posts": running,
            "pending_changes": pending,
        },
        "employment_history": events,
        "management_experience": sum(1 for e in applied if e["management"]),
        "performance_trend": [
            {
                "id": r["id"],
                "employee_id": r["employee_id"],
                "period": r["period"],
                "letter": r["letter"],
                "score": r["score"],
                "comment": r["comment"],
                "rated_by": r["rated_by"],
                "rated_by_user": _ref(r["rated_by"], r["rated_by_name"])
                if r["rated_by"] is not None and r["rated_by_name"] is not None
                else None,
                "created_at": r["created_at"],
            }
            for r in ratings
        ],
        "growth_profile": None,
        "trainings": [
            {
                "course": _ref(t["id"], t["name"]),
                "completed_on": t["completed_on"],
                "result": t["result"],
            }
            for t in trainings
        ],
        "points": [{"period": p["period"], "total": p["total"]} for p in points],
        "program_participation": [
            {
                "program": _ref(p["id"], p["name"]),
                "status": p["status"],
                "current_stage": p["name_1"],
                "started_on": p["starts_on"],
                "ended_at": p["ended_at"],
            }
            for p in participations
        ],
        "contracts": [
            {
                "id": c["id"],
                "type": c["kind"],
                "status": c["status"],
                "starts_on": c["start_date"],
                "ends_on": c["end_date"],
                "grade": c["grade"],
                "allowance": c["allowance"],
                "work_location": c["work_location"],
                "pay_terms_ref": c["pay_terms_ref"],
            }
            for c in contracts
        ],
        "development_plan": dict(plan) if plan is not None else None,
        "mentoring": [
            {
                "mentorship_id": m["id"],
                "role": m["role"],
                "program": _ref(m["program_id"], m["program_name"]),
                "other": _ref(m["other_id"], m["other_name"]),
                "status": m["status"],
                "starts_on": m["starts_on"],
                "ends_on": m["ends_on"],
                "ended_at": m["ended_at"],
                "plan_status": m["plan_status"],
                "sessions_held": m["sessions_held"],
            }
            for m in mentoring
            if m["row_kind"] == "pairing"
        ],
        "mentor_effectiveness": [
            {
                "mentor_id": m["id"],
                "program": _ref(m["program_id"], m["program_name"]),
                "score": m["score"],
                "pairings": m["pairings"],
                "computed_at": m["computed_at"],
            }
            for m in mentoring
            if m["row_kind"] == "score"
        ],
    }


def _policy(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored policy as `TaskOut` shows it: a part written before working days counts
    calendar days and holds a notice off a non-working day (the schema's defaults)."""
    defaults = {"days_are": "calendar", "hold_on_non_working_days": True}
    return {part: rules and {**defaults, **rules} for part, rules in stored.items()}


async def my_tasks(request: Request, connection: Any) -> Any:
    if dict(request.query_params) != {"status": "open"}:
        raise Refused(501)
    org_id, user = await _caller(request, connection)
    now = datetime.now(UTC)
    rows = await connection.fetch(OPEN_TASKS, org_id, user["employee_id"], PAGE + 1, "open")
    if any(t["kind"] not in BENCH_KINDS or t["completion_params"] for t in rows):
        raise Refused(501)
    items = [
        {
            "id": t["id"],
            "subject": {"type": t["subject_type"], "id": t["subject_id"]},
            "kind": t["kind"],
            "title": t["title"],
            "assignee_employee_id": t["assignee_employee_id"],
            "assignee": _ref(t["assignee_employee_id"], t["assignee_name"]),
            "department_id": t["department_id"],
            "department": _ref(t["department_id"], t["department_name"]),
            "subject_employee": _ref(t["subject_employee_id"], t["subject_employee_name"])
            if t["subject_employee_name"] is not None
            else None,
            "completed_by": {
                "operation_id": "complete_task",
                "method": "POST",
                "path": f"/api/v1/tasks/{t['id']}/complete",
            },
            "submission_rule": t["submission_rule"]
            or {
                "required": t["submission_required"],
                "min_text_length": 0,
                "min_links": 0,
                "min_attachments": 0,
            },
            "due_at": t["due_at"],
            "status": t["status"],
            "overdue": t["status"] == "open" and t["due_at"] < now,
            "completed_at": t["completed_at"],
            "on_time": t["on_time"],
            "submission_required": t["submission_required"],
            "confidential": t["confidential"],
            "submission": t["submission"],
            "policy": _policy(t["policy"]),
            "deep_link": f"hrcore://open/task/{t['id']}",
            "created_at": t["created_at"],
            "version": t["version"],
        }
        for t in rows[:PAGE]
    ]
    last = rows[PAGE - 1] if len(rows) > PAGE else None
    return {"items": items, "next_cursor": _cursor([last["due_at"], last["id"]]) if last else None}


async def inbox(request: Request, connection: Any) -> Any:
    if request.query_params:
        raise Refused(501)
    org_id, user = await _caller(request, connection)
    user_id = user["id"]
    rows = await connection.fetch(INBOX, org_id, user_id, PAGE + 1, user["employee_id"])
    if any(n["subject_type"] not in (None, "task") for n in rows[:PAGE]):
        raise Refused(501)  # hrcore names other subjects in one more statement
    unread = await connection.fetchval(UNREAD, org_id, user_id)
    items = [
        {
            "id": n["id"],
            "kind": n["kind"],
            "title": n["title"],
            "body": n["body"],
            "subject": {
                "type": n["subject_type"],
                "id": n["subject_id"],
                "name": n["subject_name"],
            }
            if n["subject_type"] is not None
            else None,
            "employee": _ref(n["assignee_employee_id"], n["employee_name"])
            if n["assignee_employee_id"] is not None
            else None,
            "deep_link": f"hrcore://open/{n['subject_type']}/{n['subject_id']}"
            if n["subject_type"] is not None
            else f"hrcore://open/notification/{n['id']}",
            "created_at": n["created_at"],
            "read_at": n["read_at"],
        }
        for n in rows[:PAGE]
    ]
    cursor = _cursor([rows[PAGE - 1]["id"]]) if len(rows) > PAGE else None
    return {"items": items, "next_cursor": cursor, "unread_count": unread}


def _endpoint(read: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        pool: asyncpg.Pool = request.app.state.pool
        try:
            async with pool.acquire() as connection, connection.transaction():
                body = await read(request, connection)
                return _respond(body, request.state.locale)
        except Refused as refused:
            return Response(status_code=refused.status)

    return endpoint


JSON_NULL = object()
"""A JSON `null` value, as SQLAlchemy's JSON type sends None (asyncpg sends None as NULL)."""


def _encode(value: Any) -> str:
    return "null" if value is JSON_NULL else json.dumps(value)


async def _init(connection: Any) -> None:
    for kind in ("json", "jsonb"):
        await connection.set_type_codec(
            kind, encoder=_encode, decoder=json.loads, schema="pg_catalog"
        )


def create_app() -> Starlette:
    settings = Settings()
    url = os.environ["HRCORE_DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        server_settings = {
            "application_name": "hrcore-limit",
            "statement_timeout": str(settings.db_statement_timeout_ms),
            "jit": "off",
        }
        if settings.db_role:
            server_settings["role"] = settings.db_role
        app.state.settings = settings
        app.state.pool = await asyncpg.create_pool(
            url,
            min_size=1,
            max_size=settings.db_pool_size + settings.db_max_overflow,
            server_settings=server_settings,
            init=_init,
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    routes = [
        Route("/api/v1/employees", _endpoint(employee_list)),
        Route("/api/v1/employees/{employee_id}/profile", _endpoint(profile)),
        Route("/api/v1/me/tasks", _endpoint(my_tasks)),
        Route("/api/v1/me/notifications", _endpoint(inbox)),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
