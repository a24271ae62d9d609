"""hrcore's writes measured as the reads are: statements per request, requests/s, latency
and, for completing a task, the ratio to the limit (bench/limit_writes.py).

    .venv/bin/python bench/run_writes.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench_fast

Run bench/generate.py and bench/generate_tasks.py first. A write changes what it acts on, so
every request gets a fresh object: the script copies one of the inbox user's open tasks
`--tasks` times (new ids and subjects, as the owner, bounded) and hands each connection the
next one. It lists the statements hrcore sends for one completion (in-process, captured with
a `before_cursor_execute` listener) and checks that the limit sends the same ones, then
measures hrcore (`hrcore serve`) and the limit (uvicorn) as bench/run_limit.py does: 32
keep-alive connections, alternating turns, median of `--rounds` rounds. Latency is the median
of one connection's requests, taken in a turn of its own. The tasks and their audit events
are deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import limit_writes
from run_limit import BENCH, BIN, REDIS, _settings, _wait_ready
from run_tasks import _as_owner, _inbox_token
from sqlalchemy import event, text

from hrcore.core.runtime import Runtime

COPY = (
    "INSERT INTO tasks SELECT (jsonb_populate_record(null::tasks, to_jsonb(t)"
    " || jsonb_build_object('id', gen_random_uuid(), 'subject_id', gen_random_uuid(),"
    " 'kind', 'bench.write', 'version', 1))).*"
    " FROM tasks t CROSS JOIN generate_series(1, {count})"
    " WHERE t.id = (SELECT id FROM tasks WHERE kind = 'bench.task' AND status = 'open'"
    " AND assignee_employee_id ="
    " (SELECT employee_id FROM users WHERE email = 'inbox@bench.example') LIMIT 1)"
)
FRESH = "SELECT id FROM tasks WHERE kind = 'bench.write' AND status = 'open'"
CLEAN = (
    "DELETE FROM audit_events WHERE object_type = 'task'"
    " AND object_id IN (SELECT id FROM tasks WHERE kind = 'bench.write')",
    "DELETE FROM tasks WHERE kind = 'bench.write'",
)
"""The bench's tasks and their audit events go, so other benchmarks see the data as generated."""


async def _prepare(runtime: Runtime, count: int) -> tuple[list[uuid.UUID], dict[str, str]]:
    copy = ("SET statement_timeout = 0", *CLEAN, COPY.format(count=count), "ANALYZE tasks")
    await _as_owner(runtime, (*copy, "RESET statement_timeout"))
    async with runtime.engine.connect() as connection:
        await connection.execute(text("SET ROLE NONE"))
        ids = list((await connection.execute(text(FRESH))).scalars())
    return ids, await _inbox_token(runtime)


async def hrcore_statements(
    runtime: Runtime, task_id: uuid.UUID, headers: dict[str, str]
) -> list[str]:
    """The statements hrcore sends to complete one task (in-process, after a warm-up read)."""
    from asgi_lifespan import LifespanManager

    from hrcore.main import create_app

    sent: list[str] = []
    event.listen(
        runtime.engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cu, statement, *_: sent.append(statement),
    )
    app = create_app(runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    async with LifespanManager(app), httpx.AsyncClient(transport=transport) as client:
        await client.get("http://bench/api/v1/me/tasks?status=open", headers=headers)
        sent.clear()
        response = await client.post(
            f"http://bench/api/v1/tasks/{task_id}/complete", headers=headers, json={}
        )
        if response.status_code != 200:
            raise SystemExit(f"hrcore answered {response.status_code}: {response.text}")
    return sent


async def _load(
    port: int, tasks: Iterator[uuid.UUID], headers: dict[str, str], seconds: float, conns: int
) -> tuple[float, list[float]]:
    """Completions per second over `seconds` with `conns` connections, and each latency."""
    extra = "".join(f"{key}: {value}\r\n" for key, value in headers.items())
    stop = time.perf_counter() + seconds
    latencies: list[float] = []

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < stop:
            task_id = next(tasks, None)
            if task_id is None:
                raise SystemExit("out of fresh tasks: raise --tasks")
            head = (
                f"POST /api/v1/tasks/{task_id}/complete HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}"
                "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            )
            started = time.perf_counter()
            writer.write(head.encode())
            answer = await reader.readuntil(b"\r\n\r\n")
            if not answer.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"port {port}: {answer.splitlines()[0]!r}")
            length = int(answer.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(conns)))
    return len(latencies) / (time.perf_counter() - started), latencies


def measure(
    ports: dict[str, int], tasks: Iterator[uuid.UUID], headers: dict[str, str], args: Any
) -> None:
    rates: dict[str, list[float]] = {"hrcore": [], "limit": []}
    latency: dict[str, list[float]] = {"hrcore": [], "limit": []}
    turns = max(1, round(args.seconds / args.slice))
    for number in range(args.rounds):
        order = ["hrcore", "limit"] if number % 2 == 0 else ["limit", "hrcore"]
        for server in order:
            asyncio.run(_load(ports[server], tasks, headers, 1.0, args.concurrency))
        done = dict.fromkeys(order, 0.0)
        for _ in range(turns):
            for server in order:
                done[server] += asyncio.run(
                    _load(ports[server], tasks, headers, args.slice, args.concurrency)
                )[0]
        for server in order:
            rates[server].append(done[server] / turns)
            latency[server] += asyncio.run(_load(ports[server], tasks, headers, args.slice, 1))[1]
            print(f"round {number + 1} complete {server:<6} {rates[server][-1]:8.1f} req/s")
    ratios = sorted(h / lim for h, lim in zip(rates["hrcore"], rates["limit"], strict=True))
    ms = {server: statistics.median(values) for server, values in latency.items()}
    print(
        f"\n{'write':<9} {'hrcore':>8} {'limit':>8} {'ratio':>6} {'hrcore ms':>10} {'limit ms':>9}"
    )
    print(
        f"{'complete':<9} {statistics.median(rates['hrcore']):>8.1f}"
        f" {statistics.median(rates['limit']):>8.1f} {statistics.median(ratios):>6.2f}"
        f" {ms['hrcore']:>10.1f} {ms['limit']:>9.1f}"
        f"  round ratios: {', '.join(f'{r:.2f}' for r in ratios)}"
    )


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


def main() -> None:
    parser = argparse.ArgumentParser(description="hrcore's writes against the limit.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0, help="per server and round")
    parser.add_argument("--slice", type=float, default=2.0, help="seconds of one turn")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--tasks", type=int, default=40_000, help="fresh tasks (bounded)")
    args = parser.parse_args()
    runtime = Runtime.open(_settings(args.database_url), application_name="hrcore-bench")

    async def prepare() -> tuple[list[uuid.UUID], dict[str, str], list[str]]:
        ids, headers = await _prepare(runtime, min(args.tasks, 200_000))
        sent = await hrcore_statements(runtime, ids.pop(), headers)
        await runtime.close()
        return ids, headers, sent

    ids, headers, sent = asyncio.run(prepare())
    print(f"complete a task: {len(sent)} statements")
    for statement in sent:
        print("  " + " ".join(statement.split())[:160])
    if sent != list(limit_writes.STATEMENTS["complete"]):
        raise SystemExit("hrcore sent other statements than the limit")
    ports = {"hrcore": 8173, "limit": 8174}
    children = _serve(args.database_url, ports)
    try:
        for port in ports.values():
            _wait_ready(port)
        measure(ports, iter(ids), headers, args)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)
        cleanup = Runtime.open(_settings(args.database_url), application_name="hrcore-bench")

        async def clean() -> None:
            await _as_owner(cleanup, ("SET statement_timeout = 0", *CLEAN))
            await cleanup.close()

        asyncio.run(clean())


if __name__ == "__main__":
    main()
