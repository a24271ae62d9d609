"""Competencies in the 100,000-employee organization: 20,000,000 evidence rows.

    .venv/bin/python bench/generate_competencies.py --database-url postgresql://postgres@127.0.0.1/hrcore_bench

Run after bench/generate.py. Writes, as the schema owner (row-level security does not apply):

- 20 competencies of 5 levels each;
- a model for the organization's position (10 of them, required level 3 or 4, weights
  summing to 100);
- 10 evidence rows per employee and competency (`manual` and `review`, values 0–10, observed
  over the last three years, source weights 1 or 1.5): one set-based `INSERT … SELECT`, with
  the table's secondary indexes dropped and rebuilt around it (their exact definitions are
  read from the catalog first);
- 5,000 open stretch assignments in "Division 0" (above the division head's team: the "5,000
  assignments for one person" figure) and one in the root department (all 100,000 people
  are candidates);
- every employee's post in competencies' roster (`competency_roster`), as migration 0086
  copies it.

No profile snapshots: the full recompute (`hrcore competencies recompute-all`) makes them.
Idempotent: re-running replaces the competencies (their evidence and profiles) and the
stretch assignments it wrote.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from datetime import date, timedelta

import asyncpg

from hrcore.core.models import new_id

COMPETENCIES, LEVELS, MODELLED = 20, 5, 10
ROWS_PER_PAIR = 10
DIVISION_ASSIGNMENTS = 5_000
PREFIX = "Bench competency"
ASSIGNMENT_PREFIX = "Bench stretch"

EVIDENCE = """
INSERT INTO competency_evidence (id, org_id, employee_id, competency_id, value, source_kind,
                                 source_id, observed_at, source_weight, note)
SELECT gen_random_uuid(), $1, employee.id, competency.id, round((random() * 10)::numeric, 1),
       CASE WHEN n % 3 = 0 THEN 'review' ELSE 'manual' END, gen_random_uuid(),
       now() - random() * interval '1095 days', CASE WHEN n % 4 = 0 THEN 1.5 ELSE 1 END, NULL
  FROM employees AS employee
 CROSS JOIN (SELECT id FROM competencies WHERE org_id = $1) AS competency
 CROSS JOIN generate_series(1, $2) AS n
 WHERE employee.org_id = $1
"""

# Each employee's post in competencies' roster, as migration 0086 copies it: bench/generate.py
# writes employees as rows, without the employment events the roster follows.
ROSTER = """
INSERT INTO competency_roster (org_id, employee_id, department_id, position_id, active)
SELECT org_id, id, CASE WHEN status = 'active' THEN department_id END,
       CASE WHEN status = 'active' THEN position_id END, status = 'active'
  FROM employees
 WHERE org_id = $1
ON CONFLICT (org_id, employee_id) DO UPDATE
   SET department_id = excluded.department_id, position_id = excluded.position_id,
       active = excluded.active
"""

SECONDARY = """
SELECT index.relname AS name, pg_get_indexdef(index.oid) AS definition,
       constraint_.conname AS constraint_name, pg_get_constraintdef(constraint_.oid) AS rule
  FROM pg_index AS meta
  JOIN pg_class AS index ON index.oid = meta.indexrelid
  LEFT JOIN pg_constraint AS constraint_ ON constraint_.conindid = meta.indexrelid
 WHERE meta.indrelid = 'competency_evidence'::regclass AND NOT meta.indisprimary
"""


def _competency_rows(org_id: uuid.UUID) -> list[tuple[object, ...]]:
    levels = [
        {"name": f"Level {n}", "indicators": [f"Does level-{n} work unaided"]}
        for n in range(1, LEVELS + 1)
    ]
    categories = ("management", "professional", "general")
    return [
        (
            new_id(),
            org_id,
            f"{PREFIX} {n:02d}",
            categories[n % 3],
            "Synthetic competency for the benchmark",
            json.dumps(levels),
            1,
            1,
        )
        for n in range(COMPETENCIES)
    ]


def _assignment_rows(
    org_id: uuid.UUID,
    division: uuid.UUID,
    root: uuid.UUID,
    competencies: list[uuid.UUID],
    seed: int,
) -> list[tuple[object, ...]]:
    rng = random.Random(seed)
    starts = date.today() + timedelta(days=14)
    rows = []
    for n in range(DIVISION_ASSIGNMENTS + 1):
        picked = rng.sample(competencies, 3)
        entries = [
            {"competency_id": str(c), "start_level": rng.randint(1, LEVELS - 1)} for c in picked
        ]
        department = root if n == DIVISION_ASSIGNMENTS else division
        rows.append(
            (
                new_id(),
                org_id,
                f"{ASSIGNMENT_PREFIX} {n:05d}",
                department,
                3,
                starts,
                starts + timedelta(days=60),
                3,
                json.dumps(entries),
                "open",
                1,
            )
        )
    return rows


async def _evidence(connection: asyncpg.Connection, org_id: uuid.UUID, per_pair: int) -> float:
    """The evidence rows (20,000,000 by default), secondary indexes rebuilt after: seconds."""
    started = time.perf_counter()
    secondary = await connection.fetch(SECONDARY)
    for row in secondary:
        if row["constraint_name"]:
            await connection.execute(
                f'ALTER TABLE competency_evidence DROP CONSTRAINT "{row["constraint_name"]}"'
            )
        else:
            await connection.execute(f'DROP INDEX "{row["name"]}"')
    await connection.execute("SET LOCAL maintenance_work_mem = '1GB'")
    await connection.execute(EVIDENCE, org_id, per_pair)
    for row in secondary:
        if row["constraint_name"]:
            await connection.execute(
                f'ALTER TABLE competency_evidence ADD CONSTRAINT "{row["constraint_name"]}" '
                f"{row['rule']}"
            )
        else:
            await connection.execute(row["definition"])
    return time.perf_counter() - started


async def generate(url: str, seed: int, per_pair: int) -> None:
    connection = await asyncpg.connect(url)
    started = time.perf_counter()
    try:
        async with connection.transaction():
            org_id = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
            await connection.execute(
                "DELETE FROM stretch_assignments WHERE org_id = $1 AND title LIKE $2",
                org_id,
                f"{ASSIGNMENT_PREFIX} %",
            )
            await connection.execute("DELETE FROM competency_profiles WHERE org_id = $1", org_id)
            await connection.execute("DELETE FROM competency_models WHERE org_id = $1", org_id)
            await connection.execute(
                "DELETE FROM competencies WHERE org_id = $1 AND name LIKE $2", org_id, f"{PREFIX} %"
            )
            competencies = _competency_rows(org_id)
            await connection.copy_records_to_table(
                "competencies",
                records=competencies,
                columns=[
                    "id",
                    "org_id",
                    "name",
                    "category",
                    "description",
                    "levels",
                    "revision",
                    "version",
                ],
            )
            ids = [uuid.UUID(str(row[0])) for row in competencies]
            position = await connection.fetchval(
                "SELECT id FROM positions WHERE org_id = $1 AND code = 'STAFF'", org_id
            )
            entries = [
                {"competency_id": str(c), "required_level": 3 + n % 2, "weight": 100 // MODELLED}
                for n, c in enumerate(ids[:MODELLED])
            ]
            await connection.execute(
                "INSERT INTO competency_models (id, org_id, position_id, department_id, version, "
                "entries) VALUES ($1, $2, $3, NULL, 1, $4::jsonb)",
                new_id(),
                org_id,
                position,
                json.dumps(entries),
            )
            evidence_seconds = await _evidence(connection, org_id, per_pair)
            root, division = await connection.fetchrow(
                "SELECT (SELECT id FROM departments WHERE org_id = $1 AND parent_id IS NULL), "
                "(SELECT id FROM departments WHERE org_id = $1 AND name = 'Division 0')",
                org_id,
            )
            await connection.copy_records_to_table(
                "stretch_assignments",
                records=_assignment_rows(org_id, division, root, ids, seed),
                columns=[
                    "id",
                    "org_id",
                    "title",
                    "department_id",
                    "team_size",
                    "starts_on",
                    "ends_on",
                    "slots",
                    "competencies",
                    "status",
                    "version",
                ],
            )
            await connection.execute(ROSTER, org_id)
        await connection.execute("VACUUM ANALYZE competency_evidence")
        await connection.execute("VACUUM ANALYZE competency_roster")
        await connection.execute("ANALYZE")
        count = await connection.fetchval(
            "SELECT count(*) FROM competency_evidence WHERE org_id = $1", org_id
        )
    finally:
        await connection.close()
    print(
        f"generated {COMPETENCIES} competencies, {count} evidence rows "
        f"({evidence_seconds:.1f}s with the index rebuild), {DIVISION_ASSIGNMENTS + 1} "
        f"stretch assignments in {time.perf_counter() - started:.1f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="postgresql://… of the owner")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--rows-per-pair",
        type=int,
        default=ROWS_PER_PAIR,
        help="evidence rows per employee and competency (1 makes 2,000,000 rows, a tenth the time)",
    )
    arguments = parser.parse_args()
    asyncio.run(generate(arguments.database_url, arguments.seed, arguments.rows_per_pair))


if __name__ == "__main__":
    main()
