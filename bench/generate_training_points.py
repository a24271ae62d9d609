"""Points in the benchmark organization: 10,000,000 ledger entries for 100,000 employees (100
each over 2026) and their balances per month, quarter and year.

    .venv/bin/python bench/generate_training_points.py --database-url postgresql://postgres@127.0.0.1/hrcore_bench

Run after bench/generate.py, on a database migrated to the points ledger (0074). Writes, as
the schema owner (row-level security does not apply), in set-based statements: the default
point rules of the organization; per employee 100 awards of a rule drawn from the employee
and the entry's number (so totals spread and tie), spread over 2026; then every balance
from the ledger in one statement, as the award's statement keeps them. The foreign-key
checks are skipped (`session_replication_role`): the rows name the employees and rules the
statements just read.

Re-running replaces them: the ledger refuses `DELETE` (its trigger), so it and the balances
are TRUNCATEd — every organization's points in the database, a benchmark database's only.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import asyncpg

from hrcore.core.models import new_ids
from hrcore.training.ledger import DEFAULT_RULES

ENTRIES_PER_EMPLOYEE = 100
CHUNK = 10_000
"""Employees per ledger statement (1,000,000 entries): progress, and a bounded transaction."""

LEDGER = """
WITH rules AS (
    SELECT id, category, points, row_number() OVER (ORDER BY code) - 1 AS k
    FROM point_rules WHERE org_id = $1 AND code = ANY($2::text[])
), people AS (
    SELECT id FROM employees WHERE org_id = $1 ORDER BY id OFFSET $3 LIMIT $4
), drawn AS (
    SELECT p.id AS employee_id, n,
           abs(hashtext(p.id::text || n::text)) AS h,
           timestamptz '2026-01-01 00:00+08'
             + (n * 8760.0 / $5 + abs(hashtext(p.id::text)) % 80) * interval '1 hour'
               AS occurred_at
    FROM people p, generate_series(0, $5 - 1) AS n
)
INSERT INTO points_ledger
    (id, org_id, employee_id, rule_id, category, points, source_type, source_id, occurred_at)
SELECT (lpad(to_hex(floor(extract(epoch FROM d.occurred_at) * 1000)::bigint), 12, '0')
        || '7' || substr(md5(d.employee_id::text || d.n::text), 1, 19))::uuid,
       $1, d.employee_id, r.id, r.category, r.points, 'bench',
       md5(d.employee_id::text || d.n::text)::uuid, d.occurred_at
FROM drawn d JOIN rules r ON r.k = d.h % 7
"""

BALANCES = """
INSERT INTO points_balances (org_id, period, employee_id, participation, outcome, sharing, total)
SELECT $1, p.period, l.employee_id,
       coalesce(sum(l.points) FILTER (WHERE l.category = 'participation'), 0),
       coalesce(sum(l.points) FILTER (WHERE l.category = 'outcome'), 0),
       coalesce(sum(l.points) FILTER (WHERE l.category = 'sharing'), 0),
       sum(l.points)
FROM points_ledger l, LATERAL (VALUES
    (to_char(l.occurred_at AT TIME ZONE $2, 'YYYY')),
    (to_char(l.occurred_at AT TIME ZONE $2, 'YYYY-"Q"Q')),
    (to_char(l.occurred_at AT TIME ZONE $2, 'YYYY-MM'))
) AS p(period)
WHERE l.org_id = $1
GROUP BY p.period, l.employee_id
"""


async def _rules(connection: asyncpg.Connection, org: object) -> None:
    await connection.execute(
        "INSERT INTO point_rules (id, org_id, code, name, category, points, active, version)"
        " SELECT r.id, $1, r.code, r.name, r.category, r.points, true, 1"
        " FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[])"
        " AS r(id, code, name, category, points)"
        " ON CONFLICT (org_id, code) DO NOTHING",
        org,
        new_ids(len(DEFAULT_RULES)),
        [rule.code for rule in DEFAULT_RULES],
        [rule.name for rule in DEFAULT_RULES],
        [rule.category.value for rule in DEFAULT_RULES],
        [rule.points for rule in DEFAULT_RULES],
    )


async def generate(url: str, per_employee: int) -> None:
    started = time.perf_counter()
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        org, timezone = await connection.fetchrow(
            "SELECT id, timezone FROM organizations WHERE slug = 'bench'"
        )
        await connection.execute("TRUNCATE points_balances, points_ledger")
        # the rows reference rules and employees just read: skip the foreign-key triggers
        await connection.execute("SET session_replication_role = replica")
        await _rules(connection, org)
        people = await connection.fetchval("SELECT count(*) FROM employees WHERE org_id = $1", org)
        codes = [rule.code for rule in DEFAULT_RULES]
        for offset in range(0, people, CHUNK):
            await connection.execute(LEDGER, org, codes, offset, CHUNK, per_employee)
            print(
                f"ledger: {offset + CHUNK:,} employees, {time.perf_counter() - started:.0f}s",
                flush=True,
            )
        await connection.execute("SET work_mem = '256MB'")
        await connection.execute(BALANCES, org, timezone)
        # the visibility map too: counting ranks reads the leaderboard's index only
        await connection.execute("VACUUM ANALYZE points_ledger")
        await connection.execute("VACUUM ANALYZE points_balances")
        entries = await connection.fetchval("SELECT count(*) FROM points_ledger")
        balances = await connection.fetchval("SELECT count(*) FROM points_balances")
    finally:
        await connection.close()
    print(
        f"generated {entries:,} ledger entries and {balances:,} balances "
        f"in {time.perf_counter() - started:.1f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="postgresql://… of the owner")
    parser.add_argument("--per-employee", type=int, default=ENTRIES_PER_EMPLOYEE)
    arguments = parser.parse_args()
    asyncio.run(generate(arguments.database_url, arguments.per_employee))


if __name__ == "__main__":
    main()
