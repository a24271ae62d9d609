"""Time a quarter's incentive evaluation for a whole organization (target: 100,000 employees
under 10 s): every active employee gets points in 2026-Q3 and the 12 months before its end
(random totals, 0–255 a period, kept where balances exist), then the worker's use case
(`incentive_evaluation.evaluate`) runs once per run; median of `--runs` after one warm-up.

    .venv/bin/python bench/run_incentives.py \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py first. Every run is rolled back: nothing stays.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from sqlalchemy import text

from hrcore import domains
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.settings import Settings
from hrcore.training import incentive_evaluation
from hrcore.training.incentive_models import IncentiveEvaluation
from hrcore.training.incentive_periods import parse

PERIOD = "2026-Q3"

BALANCES = text(
    "INSERT INTO points_balances (org_id, period, employee_id, participation, outcome,"
    " sharing, total)"
    " SELECT :org_id, p, e.id, 0, 0, 0, (hashtext(e.id::text || p) & 255)"
    " FROM employees e, unnest(CAST(:periods AS text[])) AS p"
    " WHERE e.org_id = :org_id AND e.status = 'active'"
    " ON CONFLICT DO NOTHING"
)


async def main(database_url: str, org: str, runs: int) -> None:
    domains.install()
    settings = Settings(
        database_url=database_url,
        redis_url=os.environ.get("HRCORE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        log_json=False,
        db_pool_size=1,
        db_max_overflow=0,
    )
    runtime = Runtime.open(settings, application_name="bench-incentives")
    timings, written = [], 0
    periods = [PERIOD, *parse(PERIOD).last_twelve_months()]
    try:
        async with unit_of_work(runtime.sessionmaker) as session:
            org_id = await identity.org_id_by_slug(session, org)
        assert org_id is not None, f"no organization {org!r}"
        for _ in range(runs + 1):
            async with runtime.sessionmaker() as session:
                await set_tenant(session, org_id)
                await session.execute(BALANCES, {"org_id": org_id, "periods": periods})
                evaluation = IncentiveEvaluation(org_id=org_id, period=PERIOD, status="queued")
                session.add(evaluation)
                await session.flush()
                started = time.perf_counter()
                await incentive_evaluation.evaluate(session, org_id, evaluation.id, runtime.clock)
                timings.append(time.perf_counter() - started)
                written = evaluation.incentives or 0
                await session.rollback()
    finally:
        await runtime.close()
    measured = timings[1:]
    print(
        f"{written} incentives written for {PERIOD}: median {statistics.median(measured):.2f} s,"
        f" slowest {max(measured):.2f} s over {runs} runs"
        f" (load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--org", default="bench")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.org, arguments.runs))
