"""Time mentor eligibility for a whole organization: seed 003's rules (top performance A for
3 years, 2 former mentees with 20 % gain, the mentor course certificate) and a tenure rule,
evaluated for every active employee at once (`eligibility.evaluate_many`, what the nightly
flagging runs per program), median of `--runs` after one warm-up.

    .venv/bin/python bench/run_mentor_eligibility.py \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py first (bench/generate_mentoring.py too, for former mentees to count).
Reads only; each run in its own transaction as the application role of the organization.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from pydantic import TypeAdapter
from sqlalchemy import select

from hrcore import domains
from hrcore.core.db import tenant_transaction, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.mentoring import eligibility
from hrcore.mentoring.schemas import Rule
from hrcore.people.models import Employee
from hrcore.settings import Settings

SEED_RULES = TypeAdapter(list[Rule]).validate_python(
    [
        {"kind": "top_performance", "letter": "A", "periods": 3},
        {"kind": "former_mentees_gain", "min_mentees": 2, "min_gain_percent": 20},
        {"kind": "certificate", "name": "Mentor course"},
        {"kind": "tenure", "min_months": 36},
    ]
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
    runtime = Runtime.open(settings, application_name="bench-mentor-eligibility")
    timings, passing, evaluated = [], 0, 0
    try:
        async with unit_of_work(runtime.sessionmaker) as session:
            org_id = await identity.org_id_by_slug(session, org)
        assert org_id is not None, f"no organization {org!r}"
        for _ in range(runs + 1):
            async with tenant_transaction(runtime.sessionmaker, org_id) as session:
                ids = list(
                    await session.scalars(
                        select(Employee.id).where(
                            Employee.org_id == org_id, Employee.status == "active"
                        )
                    )
                )
                started = time.perf_counter()
                checks = await eligibility.evaluate_many(
                    session, org_id, ids, SEED_RULES, runtime.clock
                )
                timings.append(time.perf_counter() - started)
            evaluated = len(checks)
            passing = sum(all(check.passed for check in rows) for rows in checks.values())
    finally:
        await runtime.close()
    measured = timings[1:]
    print(
        f"{evaluated} employees evaluated, {passing} pass every rule: median "
        f"{statistics.median(measured) * 1000:.0f} ms, slowest {max(measured) * 1000:.0f} ms "
        f"over {runs} runs (load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--org", default="bench")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.org, arguments.runs))
