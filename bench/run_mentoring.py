"""Time the nightly mentor effectiveness recompute for a whole organization (what the cron
`mentoring.recompute_effectiveness_nightly` runs) and say where the time went: wall, this
process's CPU and the database backend's CPU.

    .venv/bin/python bench/run_mentoring.py \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py and bench/generate_mentoring.py first. The recompute runs in this
process in one transaction, as the cron does for one organization; the database must run on
this machine (the backend's CPU is read from /proc). Run it twice: the first run stores
every score (and queues a webhook per mentor, when someone subscribes), the second finds
them unchanged.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import time

from sqlalchemy import func, select, text

from hrcore import domains
from hrcore.core.db import tenant_transaction, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.mentoring import effectiveness
from hrcore.mentoring.effectiveness_models import MentorEffectiveness, PairingEffectiveness
from hrcore.settings import Settings


def _backend_cpu(pid: int) -> float:
    """User + system CPU seconds of one server process."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main(database_url: str, org: str) -> None:
    domains.install()
    settings = Settings(
        database_url=database_url,
        redis_url=os.environ.get("HRCORE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        log_json=False,
        db_pool_size=1,
        db_max_overflow=0,
    )
    runtime = Runtime.open(settings, application_name="bench-mentoring")
    try:
        async with unit_of_work(runtime.sessionmaker) as session:
            org_id = await identity.org_id_by_slug(session, org)
        assert org_id is not None, f"no organization {org!r}"
        async with tenant_transaction(runtime.sessionmaker, org_id) as session:
            pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            backend, own, started = _backend_cpu(pid), _own_cpu(), time.perf_counter()
            moved = await effectiveness.recompute(session, org_id, settings, runtime.clock.now())
            wall = time.perf_counter() - started
            backend, own = _backend_cpu(pid) - backend, _own_cpu() - own
            mentors = await session.scalar(select(func.count()).select_from(MentorEffectiveness))
            pairings = await session.scalar(select(func.count()).select_from(PairingEffectiveness))
    finally:
        await runtime.close()
    print(
        f"{mentors} mentors, {pairings} pairings, {moved} scores moved: {wall:.2f} s wall, "
        f"database backend {backend:.2f} s CPU, this process {own:.2f} s CPU "
        f"(load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--org", default="bench")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.org))
