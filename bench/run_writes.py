"""hrcore's writes measured as the reads are: statements per request, requests/s, latency
and the ratio to the limit (bench/limit_writes.py) for completing a task, a promotion and
submitting a review answer.

    .venv/bin/python bench/run_writes.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench_fast

Run bench/generate.py and bench/generate_tasks.py first. A write changes what it acts on, so
every request gets a fresh object: the script copies one of the inbox user's open tasks
`--objects` times (new ids and subjects, as the owner, bounded), promotes up to 60,000 active
employees, one each, to the position they hold, and opens a review cycle in which the inbox
user has 30,000 draft answers to submit (bench/review_submissions.py). It lists the
statements hrcore sends for each write (in-process, captured with a `before_cursor_execute`
listener) and stops unless the limit sends the same; then unless both servers answer one
promotion with equal bodies and write equal audit and outbox rows, and answer one submission
of the same draft (put back between the two) with equal bodies and equal audit rows. Then it
measures hrcore (`hrcore serve`) and the limit (uvicorn) as bench/run_limit.py does: 32
keep-alive connections, alternating turns, median of `--rounds` rounds. Latency is the
median of one connection's requests, taken in a turn of its own. What the bench wrote is
deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import limit_writes
import review_submissions
from run import _tokens
from run_limit import BENCH, BIN, REDIS, _settings, _wait_ready
from run_tasks import INBOX_USER, _as_owner, _inbox_token
from sqlalchemy import event, text

from hrcore.core.runtime import Runtime

COPY = (
    "INSERT INTO tasks SELECT (jsonb_populate_record(null::tasks, to_jsonb(t)"
    " || jsonb_build_object('id', gen_random_uuid(), 'subject_id', gen_random_uuid(),"
    " 'kind', 'bench.write', 'version', 1))).*"
    " FROM tasks t CROSS JOIN generate_series(1, {count})"
    " WHERE t.id = (SELECT id FROM tasks WHERE kind = 'bench.task' AND status = 'open'"
    " AND next_action_at IS NOT NULL"
    " AND assignee_employee_id ="
    " (SELECT employee_id FROM users WHERE email = 'inbox@bench.example') LIMIT 1)"
)
FRESH = "SELECT id FROM tasks WHERE kind = 'bench.write' AND status = 'open'"
NOTE = "bench.write"
SUBMISSIONS = 30_000
"""Draft answers the bench rater (the inbox user) submits at most: more than hrcore and the
limit submit together in the measured seconds."""
PROMOTIONS = 60_000
"""Employees promoted at most (one each): more than hrcore and the limit write together in
the measured seconds."""
UNAVOIDABLE = ("id", "applied_at", "created_at")
"""What differs between two promotions' bodies only because each is a new row."""
WRITTEN = (
    "SELECT a.after, a.before, o.jobs FROM audit_events a, LATERAL (SELECT"
    " jsonb_agg(jsonb_build_object('job', job, 'payload', payload - 'event_id',"
    " 'status', status, 'attempts', attempts) ORDER BY id) AS jobs FROM outbox_messages"
    " WHERE payload->>'event_id' = :id) o WHERE a.object_id = CAST(:id AS uuid)"
)
EFFECTIVE = "2026-12-01"
EMPLOYEES = (
    "SELECT id, position_id FROM employees WHERE status = 'active'"
    f" AND position_id IS NOT NULL AND hire_date <= '{EFFECTIVE}' ORDER BY id LIMIT :count"
)
CLEAN = (
    "DELETE FROM audit_events WHERE object_type = 'task'"
    " AND object_id IN (SELECT id FROM tasks WHERE kind = 'bench.write')",
    "DELETE FROM tasks WHERE kind = 'bench.write'",
    "DELETE FROM outbox_messages WHERE payload->>'event_id' IN"
    f" (SELECT id::text FROM employment_events WHERE note = '{NOTE}')",
    "DELETE FROM audit_events WHERE object_type = 'employment_event'"
    f" AND object_id IN (SELECT id FROM employment_events WHERE note = '{NOTE}')",
    f"DELETE FROM employment_events WHERE note = '{NOTE}'",
)
"""What the bench wrote goes (tasks, events, their audit events and outbox jobs), so other
benchmarks see the data as generated."""
DRAFT = (
    "SELECT a.status, a.submitted_at, a.version, t.id AS task_id, t.status AS task_status,"
    " t.completed_at, t.completed_by, t.on_time, t.next_action_at, t.version AS task_version"
    " FROM review_assignments a JOIN tasks t ON t.id = a.task_id WHERE a.id = :id"
)
UNSUBMIT = (
    "UPDATE review_assignments SET status = :status, submitted_at = :submitted_at,"
    " version = :version WHERE id = :id",
    "UPDATE tasks SET status = :task_status, completed_at = :completed_at,"
    " completed_by = :completed_by, on_time = :on_time, next_action_at = :next_action_at,"
    " version = :task_version WHERE id = :task_id",
)
"""A submitted draft put back as it was, so the limit submits the very same one."""
SUBMITTED = (
    "SELECT actor_kind, actor_id, action, object_type, object_id, before,"
    " after - 'completed_at' AS after FROM audit_events"
    " WHERE object_id IN (:id, :task_id) AND action <> 'task.created'"
    " ORDER BY created_at, action"
)


async def _prepare(runtime: Runtime, count: int) -> tuple[list[uuid.UUID], dict[str, str]]:
    copy = ("SET statement_timeout = 0", *CLEAN, *review_submissions.CLEAN)
    copy += (COPY.format(count=count), "ANALYZE tasks")
    await _as_owner(runtime, (*copy, "RESET statement_timeout"))
    async with runtime.engine.connect() as connection:
        await connection.execute(text("SET ROLE NONE"))
        ids = list((await connection.execute(text(FRESH))).scalars())
    return ids, await _inbox_token(runtime)


async def _promotion_targets(runtime: Runtime, count: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Active employees with a post: each gets one promotion to the position they hold (so
    the bench leaves every employee as generated; the event row is what it writes)."""
    async with runtime.engine.connect() as connection:
        await connection.execute(text("SET ROLE NONE"))
        rows = await connection.execute(text(EMPLOYEES), {"count": count})
        return [(row.id, row.position_id) for row in rows]


def _completion(task_id: uuid.UUID) -> tuple[str, bytes]:
    return f"/api/v1/tasks/{task_id}/complete", b"{}"


def _submission(assignment_id: uuid.UUID) -> tuple[str, bytes]:
    return f"/api/v1/review-assignments/{assignment_id}/submit", b"{}"


def _promotion(target: tuple[uuid.UUID, uuid.UUID]) -> tuple[str, bytes]:
    employee_id, position_id = target
    body = {
        "kind": "promotion",
        "effective_date": EFFECTIVE,
        "position_id": str(position_id),
        "note": NOTE,
    }
    return f"/api/v1/employees/{employee_id}/events", json.dumps(body).encode()


async def hrcore_statements(
    runtime: Runtime, writes: list[tuple[str, bytes]], headers: dict[str, str]
) -> list[tuple[str, Any]]:
    """The statements hrcore sends for the last of `writes`, with their parameters
    (in-process; the first warm up)."""
    from asgi_lifespan import LifespanManager

    from hrcore.main import create_app

    sent: list[tuple[str, Any]] = []

    def listener(_connection: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", listener)
    app = create_app(runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    json_headers = {**headers, "Content-Type": "application/json"}
    async with LifespanManager(app), httpx.AsyncClient(transport=transport) as client:
        for path, body in writes:
            sent.clear()
            response = await client.post(f"http://bench{path}", headers=json_headers, content=body)
            if response.status_code not in (200, 201):
                raise SystemExit(f"hrcore answered {response.status_code}: {response.text}")
    event.remove(runtime.engine.sync_engine, "before_cursor_execute", listener)
    return sent


async def _load(
    port: int, writes: Iterator[bytes], seconds: float, conns: int
) -> tuple[float, list[float]]:
    """Writes per second over `seconds` with `conns` connections, and each latency."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < stop:
            request = next(writes, None)
            if request is None:
                raise SystemExit("out of fresh objects: raise --objects")
            started = time.perf_counter()
            writer.write(request)
            answer = await reader.readuntil(b"\r\n\r\n")
            if not answer.startswith(b"HTTP/1.1 20"):
                raise SystemExit(f"port {port}: {answer.splitlines()[0]!r}")
            length = int(answer.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(conns)))
    return len(latencies) / (time.perf_counter() - started), latencies


def _requests(writes: Iterator[tuple[str, bytes]], headers: dict[str, str]) -> Iterator[bytes]:
    extra = "".join(f"{key}: {value}\r\n" for key, value in headers.items())
    for path, body in writes:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        yield head.encode() + body


def measure(name: str, ports: dict[str, int], writes: Iterator[bytes], args: Any) -> None:
    """As bench/run_limit.py: alternating turns per round (hrcore alone where no limit)."""
    rates: dict[str, list[float]] = {server: [] for server in ports}
    latency: dict[str, list[float]] = {server: [] for server in ports}
    turns = max(1, round(args.seconds / args.slice))
    for number in range(args.rounds):
        order = list(ports) if number % 2 == 0 else list(reversed(ports))
        for server in order:
            asyncio.run(_load(ports[server], writes, 1.0, args.concurrency))
        done = dict.fromkeys(order, 0.0)
        for _ in range(turns):
            for server in order:
                done[server] += asyncio.run(
                    _load(ports[server], writes, args.slice, args.concurrency)
                )[0]
        for server in order:
            rates[server].append(done[server] / turns)
            latency[server] += asyncio.run(_load(ports[server], writes, args.slice, 1))[1]
            print(f"round {number + 1} {name} {server:<6} {rates[server][-1]:8.1f} req/s")
    for server in ports:
        print(
            f"{name} {server}: {statistics.median(rates[server]):.1f} req/s,"
            f" {statistics.median(latency[server]):.1f} ms median latency"
        )
    if "limit" in ports:
        pairs = zip(rates["hrcore"], rates["limit"], strict=True)
        ratios = sorted(h / lim for h, lim in pairs)
        spread = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"{name} ratio: {statistics.median(ratios):.2f}  round ratios: {spread}")


def _serve(database_url: str, ports: dict[str, int]) -> list[subprocess.Popen[bytes]]:
    env = {
        "HRCORE_DATABASE_URL": database_url,
        "HRCORE_REDIS_URL": REDIS,
        "HRCORE_LOG_LEVEL": "WARNING",
    }

    env = {**os.environ, **env}
    return [
        subprocess.Popen([BIN / "hrcore", "serve", "--port", str(ports["hrcore"])], env=env),
        subprocess.Popen(
            [
                *(BIN / "uvicorn", "--factory", "limit_writes:create_app"),
                *("--app-dir", str(BENCH), "--port", str(ports["limit"])),
                *("--no-access-log", "--log-level", "warning"),
            ],
            env=env,
        ),
    ]


def _show(name: str, sent: list[tuple[str, Any]]) -> None:
    print(f"{name}: {len(sent)} statements")
    for statement, _ in sent:
        print("  " + " ".join(statement.split())[:160])


def _check(name: str, sent: list[tuple[str, Any]], write: str) -> None:
    """Print hrcore's statements; stop unless they are the limit's."""
    _show(name, sent)
    if [statement for statement, _ in sent] != list(limit_writes.STATEMENTS[write]):
        raise SystemExit(f"{name}: hrcore sent other statements than the limit")


def _check_jobs(sent: list[tuple[str, Any]]) -> None:
    """The promotion's outbox rows name the jobs the limit writes, in its order."""
    jobs = tuple(sent[-1][1][1::9])
    if jobs != limit_writes.JOBS:
        raise SystemExit(f"promotion: hrcore queued {jobs}, the limit {limit_writes.JOBS}")


def same_promotion(ports: dict[str, int], target: Any, headers: dict[str, str]) -> list[str]:
    """Promote one employee through both servers; stop unless the bodies are equal but for
    `UNAVOIDABLE`. Returns the two event ids (their rows are compared by `same_rows`)."""
    path, body = _promotion(target)
    bodies = {}
    for server, port in ports.items():
        response = httpx.post(
            f"http://127.0.0.1:{port}{path}",
            headers={**headers, "Content-Type": "application/json"},
            content=body,
        )
        if response.status_code != 201:
            raise SystemExit(f"{server} answered {response.status_code} to a promotion")
        bodies[server] = response.json()
    ids = [bodies[server]["id"] for server in ports]
    for answer in bodies.values():
        for key in UNAVOIDABLE:
            answer.pop(key)
    if bodies["hrcore"] != bodies["limit"]:
        raise SystemExit(f"promotion bodies differ: {bodies}")
    print(f"promotion: bodies equal but for {', '.join(UNAVOIDABLE)}")
    return ids


async def same_rows(database_url: str, ids: list[str]) -> None:
    """The audit row and the outbox jobs written for each are equal but for the event id."""
    runtime = Runtime.open(_settings(database_url), application_name="hrcore-bench")
    async with runtime.engine.connect() as connection:
        await connection.execute(text("SET ROLE NONE"))
        rows = [tuple((await connection.execute(text(WRITTEN), {"id": i})).one()) for i in ids]
    await runtime.close()
    if rows[0] != rows[1] or not rows[0][2]:
        raise SystemExit(f"promotion rows differ: {rows}")
    print("promotion: audit and outbox rows equal but for the event id")


async def _as_draft(database_url: str, assignment_id: str, saved: Any = None) -> Any:
    """The draft's and its task's state (`saved` None), or put them back to `saved`."""
    runtime = Runtime.open(_settings(database_url), application_name="hrcore-bench")
    async with runtime.engine.begin() as connection:
        await connection.execute(text("SET LOCAL ROLE NONE"))
        if saved is None:
            saved = (await connection.execute(text(DRAFT), {"id": assignment_id})).one()._asdict()
        else:
            for statement in UNSUBMIT:
                await connection.execute(text(statement), {**saved, "id": assignment_id})
    await runtime.close()
    return saved


def _submit(port: int, assignment_id: uuid.UUID, headers: dict[str, str]) -> Any:
    path, body = _submission(assignment_id)
    response = httpx.post(
        f"http://127.0.0.1:{port}{path}",
        headers={**headers, "Content-Type": "application/json"},
        content=body,
    )
    if response.status_code != 200:
        raise SystemExit(f"port {port} answered {response.status_code} to a submission")
    return response.json()


def same_submission(
    database_url: str, ports: dict[str, int], assignment_id: uuid.UUID, headers: dict[str, str]
) -> None:
    """Submit one draft through hrcore, put it back, submit it through the limit; stop unless
    the bodies are equal but for `submitted_at` and both wrote the same two audit rows (but
    for the completion time)."""
    saved = asyncio.run(_as_draft(database_url, str(assignment_id)))
    bodies = []
    for server, port in ports.items():
        bodies.append(_submit(port, assignment_id, headers))
        if server == "hrcore":
            asyncio.run(_as_draft(database_url, str(assignment_id), saved))
    for answer in bodies:
        answer.pop("submitted_at")
    if bodies[0] != bodies[1]:
        raise SystemExit(f"submission bodies differ: {bodies}")
    print("submit: bodies equal but for submitted_at")

    async def audited() -> list[Any]:
        runtime = Runtime.open(_settings(database_url), application_name="hrcore-bench")
        async with runtime.engine.connect() as connection:
            await connection.execute(text("SET ROLE NONE"))
            ids = {"id": assignment_id, "task_id": saved["task_id"]}
            rows = [tuple(row) for row in await connection.execute(text(SUBMITTED), ids)]
        await runtime.close()
        return rows

    rows = asyncio.run(audited())
    if len(rows) != 4 or sorted(rows[:2]) != sorted(rows[2:]):
        raise SystemExit(f"submission audit rows differ: {rows}")
    print("submit: audit rows equal but for the completion time")


def main() -> None:
    parser = argparse.ArgumentParser(description="hrcore's writes against the limit.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0, help="per server and round")
    parser.add_argument("--slice", type=float, default=2.0, help="seconds of one turn")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--objects", type=int, default=60_000, help="fresh tasks (bounded)")
    parser.add_argument("--check-only", action="store_true", help="compare, do not measure")
    args = parser.parse_args()
    count = min(args.objects, 100_000)
    runtime = Runtime.open(_settings(args.database_url), application_name="hrcore-bench")

    async def prepare() -> tuple[list[uuid.UUID], list[Any], list[Any], Any, Any]:
        tasks, inbox = await _prepare(runtime, count)
        drafts = await review_submissions.open_cycle(runtime, INBOX_USER, SUBMISSIONS)
        targets = await _promotion_targets(runtime, min(count, PROMOTIONS))
        hr = (await _tokens(runtime))["hr@bench.example"][0]
        completing = [_completion(tasks.pop()) for _ in range(2)]
        _check("complete a task", await hrcore_statements(runtime, completing, inbox), "complete")
        promoting = [_promotion(targets.pop()) for _ in range(2)]
        promoted = await hrcore_statements(runtime, promoting, hr)
        _check("promotion", promoted, "promote")
        _check_jobs(promoted)
        submitting = [_submission(drafts.pop()) for _ in range(2)]
        _check(
            "submit a review answer", await hrcore_statements(runtime, submitting, inbox), "submit"
        )
        await runtime.close()
        return tasks, targets, drafts, inbox, hr

    tasks, targets, drafts, inbox, hr = asyncio.run(prepare())
    ports = {"hrcore": 8173, "limit": 8174}
    children = _serve(args.database_url, ports)
    try:
        for port in ports.values():
            _wait_ready(port)
        ids = same_promotion(ports, targets.pop(), hr)
        asyncio.run(same_rows(args.database_url, ids))
        same_submission(args.database_url, ports, drafts.pop(), inbox)
        if args.check_only:
            return
        completions = _requests((_completion(task) for task in tasks), inbox)
        measure("complete", ports, completions, args)
        promotions = _requests((_promotion(target) for target in targets), hr)
        measure("promotion", ports, promotions, args)
        submissions = _requests((_submission(draft) for draft in drafts), inbox)
        measure("submit", ports, submissions, args)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)
        cleanup = Runtime.open(_settings(args.database_url), application_name="hrcore-bench")

        async def clean() -> None:
            await _as_owner(cleanup, ("SET statement_timeout = 0", *CLEAN))
            await _as_owner(cleanup, review_submissions.CLEAN)
            await cleanup.close()

        asyncio.run(clean())


if __name__ == "__main__":
    main()
