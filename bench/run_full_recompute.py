"""Time the full competency recompute (`hrcore competencies recompute-all`) and say where
the time went: wall, this process's CPU and the database backend's CPU.

    .venv/bin/python bench/run_full_recompute.py \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench --review-weight 2

Run bench/generate.py and bench/generate_competencies.py first. The recompute runs in this
process as the command runs it (`competencies.api.recompute_all_profiles`, batches of
`--batch-size`) over one database connection, whose server process's CPU time is read from
/proc before and after (the database must run on this machine). `--review-weight` sets the
`review` kind's weight: a weight the last run did not use moves every score, so every
snapshot is new, as on a first run — where every employee and competency has several pieces
of evidence. With one a pair (`generate_competencies.py --rows-per-pair 1`) no weight moves a
score: `--fresh` deletes the organization's snapshots (and with them its current scores)
before the clock starts, so every snapshot is new.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import time

from sqlalchemy import text

from hrcore import domains
from hrcore.competencies import api as competencies
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.settings import Settings


def _backend_cpu(pid: int) -> float:
    """User + system CPU seconds of one server process."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main(
    database_url: str, org: str, review_weight: float, batch_size: int, fresh: bool
) -> None:
    domains.install()
    settings = Settings(
        database_url=database_url,
        redis_url=os.environ.get("HRCORE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        log_json=False,
        db_pool_size=1,
        db_max_overflow=0,
        competency_source_weights={"manual": 1.0, "review": review_weight},
    )
    runtime = Runtime.open(settings, application_name="bench-full-recompute")
    try:
        async with unit_of_work(runtime.sessionmaker) as session:
            org_id = await identity.org_id_by_slug(session, org)
            pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            assert org_id is not None, f"no organization {org!r}"
            if fresh:
                await set_tenant(session, org_id)
                await session.execute(
                    text("DELETE FROM competency_profiles WHERE org_id = :org"), {"org": org_id}
                )
        backend, own, started = _backend_cpu(pid), _own_cpu(), time.perf_counter()
        result = await competencies.recompute_all_profiles(
            runtime.sessionmaker, org_id, settings, runtime.clock, batch_size
        )
        wall = time.perf_counter() - started
        backend, own = _backend_cpu(pid) - backend, _own_cpu() - own
    finally:
        await runtime.close()
    print(
        f"{result.employees} employees, {result.stored} snapshots stored: {wall:.1f} s wall, "
        f"database backend {backend:.1f} s CPU, this process {own:.1f} s CPU "
        f"(load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--org", default="bench")
    parser.add_argument("--review-weight", type=float, default=1.0)
    parser.add_argument("--batch-size", type=int, default=1_000)
    parser.add_argument(
        "--fresh", action="store_true", help="delete the organization's snapshots first"
    )
    arguments = parser.parse_args()
    asyncio.run(
        main(
            arguments.database_url,
            arguments.org,
            arguments.review_weight,
            arguments.batch_size,
            arguments.fresh,
        )
    )
