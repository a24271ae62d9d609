"""Time mentor eligibility for a whole organization: seed 003's rules (top performance A for
3 years, 2 former mentees with 20 % gain, the mentor course certificate) and a tenure rule,
evaluated for every active employee at once, median of `--runs` after one warm-up:
`--path bulk` (default) the pass/fail answer the nightly flagging asks first
(`eligibility_bulk.failing` over the whole organization: who fails, and which rules),
`--path detailed` every rule's value for each (`eligibility.evaluate_many` with the active
employees' ids, what flagging ran for everyone before the bulk answer).

    .venv/bin/python bench/run_mentor_eligibility.py \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench [--path detailed]

Run bench/generate.py first (bench/generate_mentoring.py too, for former mentees to count).
Reads only; each run in its own transaction as the application role of the organization.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore import domains
from hrcore.core.db import tenant_transaction, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.mentoring import eligibility, eligibility_bulk
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


async def _detailed(session: AsyncSession, org_id: uuid.UUID, runtime: Runtime) -> set[uuid.UUID]:
    """Who fails a rule, from every employee's checks (the active ids read first, untimed)."""
    ids = list(
        await session.scalars(
            select(Employee.id).where(Employee.org_id == org_id, Employee.status == "active")
        )
    )
    started = time.perf_counter()
    checks = await eligibility.evaluate_many(session, org_id, ids, SEED_RULES, runtime.clock)
    _TIMINGS.append(time.perf_counter() - started)
    return {key for key, rows in checks.items() if not all(check.passed for check in rows)}


async def _bulk(session: AsyncSession, org_id: uuid.UUID, runtime: Runtime) -> set[uuid.UUID]:
    started = time.perf_counter()
    failing = await eligibility_bulk.failing(session, org_id, SEED_RULES, runtime.clock)
    _TIMINGS.append(time.perf_counter() - started)
    return set(failing)


_TIMINGS: list[float] = []


async def main(database_url: str, org: str, runs: int, path: str) -> None:
    domains.install()
    settings = Settings(
        database_url=database_url,
        redis_url=os.environ.get("HRCORE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        log_json=False,
        db_pool_size=1,
        db_max_overflow=0,
    )
    runtime = Runtime.open(settings, application_name="bench-mentor-eligibility")
    evaluate = _bulk if path == "bulk" else _detailed
    failing: set[uuid.UUID] = set()
    try:
        async with unit_of_work(runtime.sessionmaker) as session:
            org_id = await identity.org_id_by_slug(session, org)
        assert org_id is not None, f"no organization {org!r}"
        for _ in range(runs + 1):
            async with tenant_transaction(runtime.sessionmaker, org_id) as session:
                failing = await evaluate(session, org_id, runtime)
    finally:
        await runtime.close()
    measured = _TIMINGS[1:]
    print(
        f"{path}: {len(failing)} employees fail a rule: median "
        f"{statistics.median(measured) * 1000:.0f} ms, slowest {max(measured) * 1000:.0f} ms "
        f"over {runs} runs (load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--org", default="bench")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", choices=["bulk", "detailed"], default="bulk")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.org, arguments.runs, arguments.path))
