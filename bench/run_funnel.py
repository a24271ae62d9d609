"""Benchmark the funnel and the vacancy fill, in-process through the real app and database.

    .venv/bin/python bench/run_funnel.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py and bench/generate_talent.py first (2,200 active pool members, a
2,000-participant program run with finished participants). Times:

- the whole organization's refresh of each figure (collect + facts + rollups), once;
- one person's refresh as an event leaves it (a mark, then the refresh job's work), the
  outbox's pickup not included;
- `GET /analytics/funnel` and `GET /analytics/vacancy-fill` from the rollups, as HR (the
  whole organization) and as a division head (a 10,000-person subtree): median, p95, SQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from run import Result, _measure, _tokens, statement_counter
from sqlalchemy import text

from hrcore.analytics import funnel, refresh, vacancy_fill
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings

REDIS = os.environ.get("HRCORE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


async def _refreshes(runtime: Runtime) -> None:
    """Print the whole organization's refresh of each figure and one person's."""
    async with unit_of_work(runtime.sessionmaker) as session:
        org = uuid.UUID(
            str(
                (
                    await session.execute(text("SELECT id FROM organizations WHERE slug = 'bench'"))
                ).scalar_one()
            )
        )
    for figure in (funnel.FIGURE, vacancy_fill.FIGURE):
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, org)
            started = time.perf_counter()
            await refresh.refresh_figure(session, org, figure, runtime.clock.now(), None)
            took = (time.perf_counter() - started) * 1000
            facts = (
                await session.execute(
                    text("SELECT count(*) FROM analytics_facts WHERE figure = :f"),
                    {"f": figure.name},
                )
            ).scalar_one()
        print(f"whole refresh of {figure.name}: {took:.0f} ms, {facts} facts")
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org)
        person = (
            await session.execute(
                text("SELECT employee_id FROM talent_pool_members WHERE status = 'active' LIMIT 1")
            )
        ).scalar_one()
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, org)
            await refresh.mark(session, org, [funnel.NAME, vacancy_fill.NAME], [person])
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, org)
            await refresh.refresh(session, org, runtime.clock.now())
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"one person's mark + refresh (both figures): median {timings[5]:.0f} ms")


async def main(url: str, runs: int) -> list[Result]:
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    await _refreshes(runtime)
    counter = statement_counter(runtime)
    app = create_app(runtime=runtime)
    tokens = await _tokens(runtime)
    hr, division, _ = tokens["hr@bench.example"]
    head, _, _ = tokens["head@bench.example"]
    results = []
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        for path in ("/api/v1/analytics/funnel", "/api/v1/analytics/vacancy-fill"):
            body = (await client.get(path, headers=hr)).json()
            print(path, {k: v for k, v in body.items() if k not in ("department", "start")})
            results.append(
                await _measure(
                    f"{path}: HR, whole org",
                    runs,
                    counter,
                    lambda p=path: client.get(p, headers=hr),
                )
            )
            results.append(
                await _measure(
                    f"{path}: division head, own subtree",
                    runs,
                    counter,
                    lambda p=path: client.get(p, params={"department_id": division}, headers=head),
                )
            )
    await runtime.close()
    return results


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    results = asyncio.run(main(args.database_url, args.runs))
    print(f"{'scenario':<62} {'median':>8} {'p95':>8} {'SQL':>4}")
    for result in results:
        print(
            f"{result.name:<62} {result.median_ms:>6.1f}ms {result.p95_ms:>6.1f}ms "
            f"{result.statements:>4}"
        )


if __name__ == "__main__":
    cli()
