"""Benchmark the two hot reads at scale, in-process through the real app and database.

    .venv/bin/python bench/run.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py first. For each scenario prints the median and p95 latency of the whole
request (HTTP parsing, auth, SQL, serialization) and the number of SQL statements it issues.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from sqlalchemy import event, text

from hrcore.core import db as core_db
from hrcore.core import read_log, security
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings

REDIS = os.environ.get("HRCORE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
"""The benchmarks' Redis (`HRCORE_BENCH_REDIS_URL`: a database of one's own on a shared
machine)."""


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    statements: int


async def _measure(
    name: str, runs: int, counter: list[int], call: Callable[[], Awaitable[Any]]
) -> Result:
    for _ in range(5):
        await call()
    timings = []
    for _ in range(runs):
        counter[0] = 0
        started = time.perf_counter()
        response = await call()
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return Result(name, statistics.median(timings), p95, counter[0])


async def _tokens(runtime: Runtime) -> dict[str, tuple[dict[str, str], str, str]]:
    async with runtime.engine.begin() as connection:
        org = (
            await connection.execute(text("SELECT id FROM organizations WHERE slug = 'bench'"))
        ).scalar_one()
        await connection.execute(
            text("SELECT set_config('app.org_id', :org, true)"), {"org": str(org)}
        )
        users = (
            await connection.execute(
                text("SELECT email, id, department_scope_id FROM users WHERE org_id = :o"),
                {"o": org},
            )
        ).all()
        division = next(scope for _, _, scope in users if scope is not None)
        team = (
            await connection.execute(
                text(
                    "SELECT d.id FROM departments d WHERE d.org_id = :o AND d.path LIKE "
                    "(SELECT path FROM departments WHERE id = :d) || '%' "
                    "ORDER BY length(d.path) DESC LIMIT 1"
                ),
                {"o": org, "d": division},
            )
        ).scalar_one()
        employee = (
            await connection.execute(
                text("SELECT id FROM employees WHERE department_id = :t LIMIT 1"), {"t": team}
            )
        ).scalar_one()
    now = datetime.now(UTC)
    result = {}
    for email, user_id, _ in users:
        token, _ = security.issue_access_token(
            runtime.settings, user_id=user_id, org_id=org, now=now, version=0
        )
        result[email] = ({"Authorization": f"Bearer {token}"}, str(division), str(employee))
    return result


def statement_counter(runtime: Runtime) -> list[int]:
    """A one-element list that counts every SQL statement the runtime's engine sends."""
    counter = [0]

    def count(*_: object) -> None:
        counter[0] += 1

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    return counter


async def main(url: str, runs: int) -> list[Result]:
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    counter = statement_counter(runtime)
    app = create_app(runtime=runtime)
    tokens = await _tokens(runtime)
    hr, division, employee = tokens["hr@bench.example"]
    head, _, _ = tokens["head@bench.example"]
    results = []
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        subtree = {"department_id": division, "include_subtree": "true", "status": "active"}
        scenarios: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            (
                "list employees: HR, division subtree (10k people), active, 50 by name",
                lambda: client.get("/api/v1/employees", params=subtree, headers=hr),
            ),
            (
                "list employees: dept head (own subtree + reports), name search",
                lambda: client.get("/api/v1/employees", params={"q": "12345"}, headers=head),
            ),
            (
                "list employees: dept head, everyone visible, 50 by name",
                lambda: client.get("/api/v1/employees", headers=head),
            ),
            (
                "list employees: HR, whole org (100k), 50 by hire date",
                lambda: client.get("/api/v1/employees", params={"sort": "hire_date"}, headers=hr),
            ),
            (
                "panoramic profile: HR",
                lambda: client.get(f"/api/v1/employees/{employee}/profile", headers=hr),
            ),
            (
                "panoramic profile: dept head",
                lambda: client.get(f"/api/v1/employees/{employee}/profile", headers=head),
            ),
        ]
        for name, call in scenarios:
            results.append(await _measure(name, runs, counter, call))
    await runtime.close()
    return results


async def _timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    response = await call()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.text
    return elapsed


async def read_log_pairs(url: str, runs: int) -> list[tuple[str, float, float]]:
    """The read-access log's cost (issue 25), side by side in one run: each pair reads once
    with the log's request scope installed and once without (`core.db`'s list of request
    scopes), in alternating order so drift and caches fall on both sides. Returns per read
    the median with and without, in ms."""
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    app = create_app(runtime=runtime)
    tokens = await _tokens(runtime)
    hr, division, employee = tokens["hr@bench.example"]
    head, _, _ = tokens["head@bench.example"]
    scopes = core_db._REQUEST_SCOPES  # the bench switches the log off and on between reads
    logging_scopes = list(scopes)
    results = []
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        profile = f"/api/v1/employees/{employee}/profile"
        subtree = {"department_id": division, "include_subtree": "true", "status": "active"}
        reads: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            ("panoramic profile: HR (2 entries logged)", lambda: client.get(profile, headers=hr)),
            ("panoramic profile: dept head (1 entry)", lambda: client.get(profile, headers=head)),
            (
                "list employees: HR, division subtree, 50 (nothing to log)",
                lambda: client.get("/api/v1/employees", params=subtree, headers=hr),
            ),
        ]
        for name, call in reads:
            on: list[float] = []
            off: list[float] = []
            for _ in range(5):
                await call()
            for i in range(runs):
                for logged in (True, False) if i % 2 == 0 else (False, True):
                    scopes[:] = logging_scopes if logged else []
                    (on if logged else off).append(await _timed(call))
            scopes[:] = logging_scopes
            results.append((name, statistics.median(on), statistics.median(off)))
        await runtime.redis.delete(read_log.buffer_key(settings.queue_name))
    await runtime.close()
    return results


def cli() -> None:
    parser = argparse.ArgumentParser(description="Latency of hot reads at 100k employees.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--read-log", action="store_true", help="Only the read-access log's cost, in pairs."
    )
    arguments = parser.parse_args()
    if arguments.read_log:
        pairs = asyncio.run(read_log_pairs(arguments.database_url, arguments.runs))
        print(f"{'read':<60} {'logged':>8} {'not':>8} {'cost':>6}")
        for name, on, off in pairs:
            print(f"{name:<60} {on:>6.2f}ms {off:>6.2f}ms {(on / off - 1) * 100:>5.1f}%")
        return
    results = asyncio.run(main(arguments.database_url, arguments.runs))
    print(f"{'scenario':<72} {'median':>8} {'p95':>8} {'SQL':>4}")
    for result in results:
        print(
            f"{result.name:<72} {result.median_ms:>6.1f}ms {result.p95_ms:>6.1f}ms "
            f"{result.statements:>4}"
        )


if __name__ == "__main__":
    cli()
