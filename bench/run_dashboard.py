"""Benchmark the performance dashboards at 100,000 employees, in-process through the real app
(as bench/run.py: median and p95 of the whole request, SQL statements per request, auth
included).

    .venv/bin/python bench/run_dashboard.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench_fast

Run bench/generate.py and bench/generate_dashboard.py first (12 months of scores for the
division head's division, ~9,500 active people). Scenarios: `/me/dashboard` of the division
head, then department dashboards of a team (~100 people), a department (~1,000: at most 20
runs) and the whole division (~9,500: at most 3 runs), each as a full read and as a poll
answered 304 (`If-None-Match`).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from run import REDIS, Result, _tokens, statement_counter
from sqlalchemy import text

from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings

API = "/api/v1"


async def _measure(
    name: str, runs: int, counter: list[int], status: int, call: Callable[[], Awaitable[Any]]
) -> Result:
    for _ in range(min(runs, 5)):
        await call()
    timings, other = [], []
    for _ in range(runs):
        counter[0] = 0
        started = time.perf_counter()
        response = await call()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != status:
            other.append(response.status_code)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    if other:  # a statement timeout answers 503: said, not hidden
        name = f"{name} ({len(other)} of {runs} answered {sorted(set(other))})"
    return Result(name, statistics.median(timings), p95, counter[0])


async def _departments(runtime: Runtime, division: str) -> tuple[str, str]:
    """The division's largest team (a leaf) and its largest department under it."""
    async with runtime.engine.begin() as connection:
        await connection.execute(
            text(
                "SELECT set_config('app.org_id', id::text, true) FROM organizations "
                "WHERE slug = 'bench'"
            )
        )
        rows = (
            await connection.execute(
                text(
                    "SELECT d.id, (SELECT count(*) FROM departments x "
                    "WHERE x.path LIKE d.path || '%') AS size FROM departments d "
                    "WHERE d.path LIKE (SELECT path FROM departments WHERE id = :d) || '%' "
                    "AND d.id <> :d ORDER BY length(d.path), d.id"
                ),
                {"d": division},
            )
        ).all()
    department = next(str(row.id) for row in rows if row.size > 1)
    team = next(str(row.id) for row in reversed(rows) if row.size == 1)
    return team, department


async def main(url: str, runs: int) -> list[Result]:
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    counter = statement_counter(runtime)
    app = create_app(runtime=runtime)
    tokens = await _tokens(runtime)
    hr, division, _ = tokens["hr@bench.example"]
    head, _, _ = tokens["head@bench.example"]
    team, department = await _departments(runtime, division)
    results = []
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        reads: list[tuple[str, str, dict[str, str], int]] = [
            ("/me/dashboard: the division head", f"{API}/me/dashboard", head, runs),
            (
                "department dashboard: a team (~100), head",
                f"{API}/departments/{team}/dashboard",
                head,
                runs,
            ),
            (
                "department dashboard: a department (~1,000), head",
                f"{API}/departments/{department}/dashboard",
                head,
                min(runs, 20),
            ),
            (
                "department dashboard: the division (~9,500), HR",
                f"{API}/departments/{division}/dashboard",
                hr,
                min(runs, 3),
            ),
        ]
        for name, path, headers, times in reads:
            first = await client.get(path, headers=headers)
            tag = first.headers.get("etag", '"none"')
            results.append(
                await _measure(
                    name, times, counter, 200, lambda p=path, h=headers: client.get(p, headers=h)
                )
            )
            polled = headers | {"If-None-Match": tag}
            results.append(
                await _measure(
                    "  the same, polled: 304",
                    times,
                    counter,
                    304,
                    lambda p=path, h=polled: client.get(p, headers=h),
                )
            )
    await runtime.close()
    return results


def cli() -> None:
    parser = argparse.ArgumentParser(description="Latency of the performance dashboards.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    arguments = parser.parse_args()
    results = asyncio.run(main(arguments.database_url, arguments.runs))
    print(f"{'scenario':<60} {'median':>8} {'p95':>8} {'SQL':>4}")
    for result in results:
        print(
            f"{result.name:<60} {result.median_ms:>6.1f}ms {result.p95_ms:>6.1f}ms "
            f"{result.statements:>4}"
        )


if __name__ == "__main__":
    cli()
