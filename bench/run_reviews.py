"""Benchmark review aggregation (1.6M answers) in the real worker, and the result page.

    .venv/bin/python bench/run_reviews.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py and bench/generate_reviews.py first. Each run puts the cycle back to
closed without results, queues its aggregation through the outbox as closing does, and
times `run_burst` — the arq worker relaying the outbox and running the job — to the end.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from run import _measure, _tokens, statement_counter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.reviews import api as reviews
from hrcore.settings import Settings
from hrcore.worker import run_burst


async def _bench_org(session: AsyncSession) -> uuid.UUID:
    query = text("SELECT id FROM organizations WHERE slug = 'bench'")
    return uuid.UUID(str((await session.execute(query)).scalar_one()))


async def _reset_and_queue(runtime: Runtime) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        org = await _bench_org(session)
        await set_tenant(session, org)
        cycle = (
            await session.execute(
                text("SELECT id FROM review_cycles WHERE name = 'Benchmark year-end'")
            )
        ).scalar_one()
        await session.execute(text("DELETE FROM review_results WHERE cycle_id = :c"), {"c": cycle})
        await session.execute(
            text("UPDATE review_cycles SET status = 'closed' WHERE id = :c"), {"c": cycle}
        )
        outbox.enqueue(session, reviews.AGGREGATE_JOB, {"cycle_id": str(cycle)}, org_id=org)


async def _aggregate(runtime: Runtime) -> float:
    await _reset_and_queue(runtime)
    started = time.perf_counter()
    await run_burst(runtime)
    elapsed = time.perf_counter() - started
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, await _bench_org(session))
        query = text(
            "SELECT count(*) FROM review_results r JOIN review_cycles c ON c.id = r.cycle_id"
            " WHERE c.name = 'Benchmark year-end'"
        )
        made = (await session.execute(query)).scalar_one()
    assert made == 10_000, f"{made} results"
    return elapsed


async def _result_page(runtime: Runtime, runs: int) -> tuple[float, float, int]:
    counter = statement_counter(runtime)
    app = create_app(runtime=runtime)
    hr, _, _ = (await _tokens(runtime))["hr@bench.example"]
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, await _bench_org(session))
        query = text(
            "SELECT r.id FROM review_results r JOIN review_cycles c ON c.id = r.cycle_id"
            " WHERE c.name = 'Benchmark year-end' ORDER BY r.id LIMIT 1"
        )
        result_id = (await session.execute(query)).scalar_one()
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        measured = await _measure(
            "review result page",
            runs,
            counter,
            lambda: client.get(f"/api/v1/review-results/{result_id}", headers=hr),
        )
    return measured.median_ms, measured.p95_ms, measured.statements


async def main(url: str, rounds: int, runs: int) -> None:
    settings = Settings(database_url=url, redis_url="redis://127.0.0.1:6379/9", log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    try:
        for n in range(rounds):
            print(f"aggregation {n + 1}: {await _aggregate(runtime):.1f} s")
        median, p95, statements = await _result_page(runtime, runs)
        print(f"result page: median {median:.1f} ms, p95 {p95:.1f} ms, {statements} SQL")
    finally:
        await runtime.close()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.database_url, args.rounds, args.runs))


if __name__ == "__main__":
    cli()
