"""Benchmark bench strength and selection accuracy: rebuilding their facts and rollups,
recollecting one person after an event, and reading each figure, in-process through the
real app and database.

    .venv/bin/python bench/run_bench_strength.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py and bench/generate_talent.py first (100,000 employees; a pool of 200
active reserve members with readiness aiming at one key position). Prints the time of a
whole rebuild of both figures (what the cron's mark and the refresh job do), of one
successor's recollection (what the refresh job does after an event marks them), and the
median and p95 of `GET /analytics/bench-strength`, `GET /analytics/selection-accuracy` and
the bench's drill-down, as HR over the whole organization.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from run import REDIS, Result, _measure, _tokens, statement_counter
from sqlalchemy import text

from hrcore.analytics import bench_strength, refresh, selection
from hrcore.core.clock import SystemClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings

NAMES = [bench_strength.NAME, selection.NAME]


async def _timed_refresh(runtime: Runtime, org: uuid.UUID, people: list[uuid.UUID] | None) -> float:
    """Mark the figures (for `people`, None: everyone) and run the refresh; milliseconds."""
    started = time.perf_counter()
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org)
        await refresh.mark(session, org, NAMES, people)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org)
        assert await refresh.refresh(session, org, SystemClock().now())
    return (time.perf_counter() - started) * 1000


async def _org_and_successor(runtime: Runtime) -> tuple[uuid.UUID, uuid.UUID]:
    async with unit_of_work(runtime.sessionmaker) as session:
        org = uuid.UUID(
            str(
                (
                    await session.execute(text("SELECT id FROM organizations WHERE slug = 'bench'"))
                ).scalar_one()
            )
        )
        await set_tenant(session, org)
        person = (
            await session.execute(
                text("SELECT employee_id FROM talent_pool_members WHERE status = 'active' LIMIT 1")
            )
        ).scalar_one()
    return org, person


async def main(url: str, runs: int) -> list[Result]:
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    counter = statement_counter(runtime)
    app = create_app(runtime=runtime)
    hr, _, _ = (await _tokens(runtime))["hr@bench.example"]
    org, successor = await _org_and_successor(runtime)
    print(f"whole rebuild of both figures: {await _timed_refresh(runtime, org, None):.0f} ms")
    one = sorted([await _timed_refresh(runtime, org, [successor]) for _ in range(10)])
    print(f"one successor recollected (mark + refresh), median of 10: {one[5]:.0f} ms")
    results = []
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        body = (await client.get("/api/v1/analytics/bench-strength", headers=hr)).json()
        print(
            f"bench strength: {len(body['positions'])} key positions, "
            f"{body['total']['successors']} successors, "
            f"{body['positions_without_successor']} without any"
        )
        scenarios = [
            (
                "bench strength (HR, organization)",
                lambda: client.get("/api/v1/analytics/bench-strength", headers=hr),
            ),
            (
                "selection accuracy (HR, organization, 12 months)",
                lambda: client.get("/api/v1/analytics/selection-accuracy", headers=hr),
            ),
            (
                "bench strength drill-down, first page",
                lambda: client.get("/api/v1/analytics/bench-strength/people", headers=hr),
            ),
        ]
        for label, call in scenarios:
            results.append(await _measure(label, runs, counter, call))
    await runtime.close()
    return results


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    results = asyncio.run(main(args.database_url, args.runs))
    print(f"{'scenario':<60} {'median':>8} {'p95':>8} {'SQL':>4}")
    for result in results:
        print(
            f"{result.name:<60} {result.median_ms:>6.1f}ms {result.p95_ms:>6.1f}ms "
            f"{result.statements:>4}"
        )


if __name__ == "__main__":
    cli()
