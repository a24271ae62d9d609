"""Live performance scores in the benchmark organization: 10,000 employees × 5 indicators ×
12 months — 50,000 indicator series for the decline-alert sweep.

    .venv/bin/python bench/generate_performance.py --database-url postgresql://postgres@127.0.0.1/hrcore_bench

Run after bench/generate.py, on a database migrated to the decline alerts (0063). Writes, as
the schema owner (row-level security does not apply):

- the scheme "Bench performance" (the seed's five indicators, default decline window 3 and
  threshold 25 %) for the root department;
- 12 monthly scores (the months before the current one, all over) for the first 10,000
  employees: per indicator a value within ±8 % of typical; every 50th employee's customer
  response time triples and output halves in the newest month (400 declines to find).

Idempotent: re-running deletes the scheme, which takes its scores and alerts with it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import date

import asyncpg

from hrcore.core.models import new_id

NAME = "Bench performance"
EMPLOYEES, MONTHS, DECLINING_EVERY = 10_000, 12, 50
RATIO = {"kind": "ratio"}
# key, name, unit, direction, weight, target, formula, aggregation, typical value
INDICATORS = [
    ("output", "Output", "orders", "higher", 30, 20, RATIO, "sum", 20),
    ("quality", "Quality", "%", "higher", 25, 95, RATIO, "mean", 95),
    (
        "customer_feedback",
        "Customer response",
        "h",
        "lower",
        20,
        1,
        {"kind": "linear", "floor": 3},
        "mean",
        1.2,
    ),
    ("innovation_proposals", "Innovation", "proposals", "higher", 15, 2, RATIO, "sum", 2),
    ("teamwork", "Teamwork", "points", "higher", 10, 4, RATIO, "last", 4.5),
]
DECLINE = {"output": 0.5, "customer_feedback": 3.0}
"""What the declining employees' newest month is multiplied by."""


def _spec(indicator: tuple[object, ...]) -> dict[str, object]:
    key, name, unit, direction, weight, target, formula, aggregation, _ = indicator
    return {
        "key": key,
        "name": name,
        "unit": unit,
        "direction": direction,
        "weight": weight,
        "target": target,
        "formula": {"cap": 100, "floor": 0, "bands": []} | formula,  # type: ignore[operator]
        "aggregation": aggregation,
        "decline_window": 3,
        "decline_threshold": 25,
    }


def _figure(indicator: tuple[object, ...]) -> str:
    """The SQL of one indicator's figures in a score's `indicators`, valued at random."""
    key, name, unit, direction, weight, target, formula, aggregation, typical = indicator
    factor = DECLINE.get(str(key), 1)
    value = (
        f"round(({typical} * (0.92 + random() * 0.16)"
        f" * CASE WHEN e.n % {DECLINING_EVERY} = 0 AND m.last THEN {factor} ELSE 1 END)"
        "::numeric, 2)::float8"
    )
    fixed = {
        "key": key,
        "name": name,
        "unit": unit,
        "direction": direction,
        "weight": weight,
        "weight_from": "scheme",
        "target": target,
        "target_from": "scheme",
        "formula": formula,
        "aggregation": aggregation,
        "observations": 1,
        "inputs": [],
        "score": 80,
    }
    return f"'{json.dumps(fixed)}'::jsonb || jsonb_build_object('value', {value})"


SCORES = f"""
INSERT INTO performance_scores (id, org_id, employee_id, period, starts_on, scheme_id,
                                scheme_revision, overall, indicators, computed_at)
SELECT gen_random_uuid(), $1, e.id, to_char(m.starts_on, 'YYYY-MM'), m.starts_on, $2, 1, 80,
       jsonb_build_array({", ".join(_figure(i) for i in INDICATORS)}), now()
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n
          FROM employees WHERE org_id = $1 ORDER BY id LIMIT {EMPLOYEES}) AS e
 CROSS JOIN (
       SELECT s::date AS starts_on, s = $4::date AS last
         FROM generate_series($3::date, $4::date, interval '1 month') AS s
 ) AS m
"""


def _months(today: date) -> tuple[date, date]:
    """The first and the newest of the `MONTHS` months before this one."""
    year, month = today.year, today.month - 1
    if month == 0:
        year, month = year - 1, 12
    newest = date(year, month, 1)
    total = year * 12 + month - 1 - (MONTHS - 1)
    return date(total // 12, total % 12 + 1, 1), newest


async def generate(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        org_id = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
        root = await connection.fetchval(
            "SELECT id FROM departments WHERE org_id = $1 AND parent_id IS NULL", org_id
        )
        first, newest = _months(date.today())
        started = time.perf_counter()
        async with connection.transaction():
            await connection.execute(
                "DELETE FROM performance_schemes WHERE org_id = $1 AND name = $2", org_id, NAME
            )
            scheme_id = new_id()
            await connection.execute(
                "INSERT INTO performance_schemes (id, org_id, name, revision, version, period,"
                " position_ids, department_ids, indicators, department_overrides)"
                " VALUES ($1, $2, $3, 1, 1, 'month', '[]', $4, $5, '[]')",
                scheme_id,
                org_id,
                NAME,
                json.dumps([str(root)]),
                json.dumps([_spec(i) for i in INDICATORS]),
            )
            await connection.execute(SCORES, org_id, scheme_id, first, newest)
        await connection.execute("ANALYZE performance_scores")
        took = time.perf_counter() - started
        print(
            f"{EMPLOYEES:,} employees × {len(INDICATORS)} indicators × {MONTHS} months"
            f" ({first:%Y-%m} to {newest:%Y-%m}) in {took:.1f}s"
        )
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="postgresql://… of the owner")
    asyncio.run(generate(parser.parse_args().database_url))


if __name__ == "__main__":
    main()
