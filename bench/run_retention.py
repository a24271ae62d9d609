"""Time the daily retention purge over 100,000 departed employees' expired data (issue 25's
target: under 5 minutes in the worker).

    .venv/bin/python bench/run_retention.py \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_retention_test

Writes a fresh organization into the (migrated) database: `--employees` people who left
between 2015 and 2021, each with an applied exit event, two performance ratings and a growth
profile, and two rules — identity anonymised 3 years after the exit, evaluation records
deleted 2 years after it. Then runs what the worker's daily cron runs for one organization
(`retention_purge.apply_organization_rules`, batches of `--batch`, each its own transaction
with its audit event) and prints the time, the records purged and the audit events written;
then checks nothing is left to purge. The organization is left in the database: use a
benchmark or scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid

from sqlalchemy import text

from hrcore import domains
from hrcore.core.db import unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.privacy import retention_purge
from hrcore.settings import Settings

DEPARTMENT = text(
    "INSERT INTO departments (id, org_id, name, code, path, version)"
    " VALUES (:id, :org_id, 'Former staff', 'FS', :path, 1)"
)
EMPLOYEES = text(
    "INSERT INTO employees (id, org_id, employee_number, full_name, email, phone, department_id,"
    " manager_path, hire_date, status, version)"
    " SELECT gen_random_uuid(), :org_id, 'R' || lpad(n::text, 7, '0'), 'Leaver ' || n,"
    " 'leaver' || n || '@bench.example', '+86 138 ' || lpad(n::text, 8, '0'), :department_id,"
    " '/', date '2010-01-01', 'exited', 1 FROM generate_series(1, :count) AS n"
)
EXITS = text(
    "INSERT INTO employment_events (id, org_id, employee_id, kind, effective_date, leads_team,"
    " applied_at, version)"
    " SELECT gen_random_uuid(), e.org_id, e.id, 'exit',"
    " date '2015-01-01' + (hashtext(e.id::text) & 2047), false, now(), 1"
    " FROM employees e WHERE e.org_id = :org_id"
)
RATINGS = text(
    "INSERT INTO performance_ratings (id, org_id, employee_id, period, letter, version)"
    " SELECT gen_random_uuid(), e.org_id, e.id, p, 'B', 1"
    " FROM employees e, unnest(ARRAY['2013', '2014']) AS p WHERE e.org_id = :org_id"
)
GROWTH = text(
    "INSERT INTO growth_profiles (id, org_id, employee_id, skills, certifications,"
    " external_trainings, career_plan, version)"
    " SELECT gen_random_uuid(), e.org_id, e.id, '[]', '[]', '[]', '{\"goal\": \"lead\"}', 1"
    " FROM employees e WHERE e.org_id = :org_id"
)
RULES = text(
    "INSERT INTO retention_rules (id, org_id, subject_kind, period_amount, period_unit, action,"
    " enabled, version) VALUES"
    " (gen_random_uuid(), :org_id, 'departed_employee_identity', 3, 'years', 'anonymise', true, 1),"
    " (gen_random_uuid(), :org_id, 'departed_employee_evaluations', 2, 'years', 'delete', true, 1)"
)
AUDITED = text(
    "SELECT count(*), coalesce(sum((after->>'count')::int), 0) FROM audit_events"
    " WHERE org_id = :org_id AND action = 'retention.purged'"
)


async def _populate(runtime: Runtime, count: int) -> uuid.UUID:
    slug = f"retention{uuid.uuid4().hex[:8]}"
    async with unit_of_work(runtime.sessionmaker) as session:
        org, _admin, _ = await identity.create_organization(
            session, slug=slug, name="Retention bench", admin_email=f"hr@{slug}.example"
        )
    values = {"org_id": org.id, "department_id": uuid.uuid4(), "count": count}
    async with runtime.engine.begin() as connection:
        await connection.execute(
            text("SELECT set_config('app.org_id', :org_id, true)"), {"org_id": str(org.id)}
        )
        await connection.execute(text("SET LOCAL statement_timeout = 0"))
        department = values["department_id"]
        await connection.execute(
            DEPARTMENT, {"id": department, "org_id": org.id, "path": f"/{department}/"}
        )
        for statement in (EMPLOYEES, EXITS, RATINGS, GROWTH, RULES):
            await connection.execute(statement, values)
        await connection.execute(text("ANALYZE employees, employment_events"))
    return org.id


async def main(database_url: str, count: int, batch: int) -> None:
    domains.install()
    settings = Settings(
        database_url=database_url,
        redis_url=os.environ.get("HRCORE_BENCH_REDIS_URL", "redis://127.0.0.1:6380/7"),
        log_json=False,
        db_pool_size=2,
        db_max_overflow=0,
    )
    runtime = Runtime.open(settings, application_name="bench-retention")
    try:
        started = time.perf_counter()
        org_id = await _populate(runtime, count)
        print(f"{count} departed employees written in {time.perf_counter() - started:.1f} s")
        load = os.getloadavg()[0]
        started = time.perf_counter()
        purged = await retention_purge.apply_organization_rules(runtime, org_id, batch_size=batch)
        elapsed = time.perf_counter() - started
        async with runtime.engine.begin() as connection:
            await connection.execute(
                text("SELECT set_config('app.org_id', :org_id, true)"), {"org_id": str(org_id)}
            )
            events, audited = (await connection.execute(AUDITED, {"org_id": org_id})).one()
        again = await retention_purge.apply_organization_rules(runtime, org_id, batch_size=batch)
    finally:
        await runtime.close()
    print(
        f"purged {purged} records (identities anonymised + employees' evaluations deleted)"
        f" in {elapsed:.1f} s, batches of {batch}, {events} audit events covering {audited};"
        f" a second run purged {again} (load average {load:.1f} → {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=retention_purge.PURGE_BATCH)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.employees, arguments.batch))
