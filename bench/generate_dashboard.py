"""Performance dashboards' data in the 100,000-employee organization: a scheme and 12 months
of live scores for the 10,000 people of the division head's division.

    .venv/bin/python bench/generate_dashboard.py --database-url postgresql://postgres@127.0.0.1/hrcore_bench_fast

Run after bench/generate.py. Writes, as the schema owner (row-level security does not apply):

- the scheme "Bench dashboards" (the seed's five weights, monthly) for the division, with its
  revision 1 in `template_revisions`; a scheme another run already made for the division is
  reused as it is;
- for every active employee of the division's subtree and each month of 2026, one score row
  computed by `performance.figures.score_period` (the worker's own arithmetic) from one
  synthetic observation per indicator — each row carries the full explanation, as the
  worker writes it;
- three observations of the division itself (`quality`, the department-level context).

Idempotent: re-running replaces those scores and observations.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

import asyncpg

from hrcore.core.models import new_id
from hrcore.performance.figures import Observation, score_period

NAME = "Bench dashboards"
MONTHS = [f"2026-{month:02d}" for month in range(1, 13)]
SOURCE = "bench-dashboard"


def _indicator(key: str, weight: float, target: float, **more: Any) -> dict[str, Any]:
    return {
        "key": key,
        "name": key.replace("_", " ").capitalize(),
        "unit": "count",
        "direction": "higher",
        "weight": weight,
        "target": target,
        "formula": {"kind": "ratio", "cap": 100, "floor": 0, "bands": []},
        "aggregation": "sum",
    } | more


INDICATORS = [
    _indicator("output", 30, 100),
    _indicator("quality", 25, 95, aggregation="mean", unit="%"),
    _indicator(
        "customer_feedback",
        20,
        1,
        direction="lower",
        unit="h",
        aggregation="mean",
        formula={"kind": "linear", "cap": 100, "floor": 3, "bands": []},
    ),
    _indicator("innovation_proposals", 15, 2),
    _indicator("teamwork", 10, 4, aggregation="last", unit="points"),
]

SAVE = """
INSERT INTO performance_scores (id, org_id, employee_id, period, starts_on, scheme_id,
                                scheme_revision, overall, indicators, computed_at)
SELECT t.id, $1, t.employee_id, t.period, t.starts_on, $2, $3, t.overall, t.indicators::jsonb,
       now()
FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::date[], $8::float8[], $9::text[])
     AS t(id, employee_id, period, starts_on, overall, indicators)
ON CONFLICT (org_id, employee_id, period) DO UPDATE
SET scheme_id = excluded.scheme_id, scheme_revision = excluded.scheme_revision,
    overall = excluded.overall, indicators = excluded.indicators,
    computed_at = excluded.computed_at
"""


async def _scheme(connection: asyncpg.Connection, org: uuid.UUID, division: uuid.UUID) -> Any:
    """The division's scheme (id, revision, content): an existing one, else a new one."""
    found = await connection.fetchrow(
        "SELECT id, revision, indicators FROM performance_schemes "
        "WHERE org_id = $1 AND department_ids @> to_jsonb(ARRAY[$2::text])",
        org,
        str(division),
    )
    if found is not None:
        return found["id"], found["revision"], json.loads(found["indicators"])
    scheme_id = new_id()
    content = {
        "name": NAME,
        "period": "month",
        "position_ids": [],
        "department_ids": [str(division)],
        "indicators": INDICATORS,
        "department_overrides": [],
    }
    await connection.execute(
        "INSERT INTO performance_schemes (id, org_id, name, period, position_ids, "
        "department_ids, indicators, department_overrides, revision, version) "
        "VALUES ($1, $2, $3, 'month', '[]', $4::jsonb, $5::jsonb, '[]', 1, 1)",
        scheme_id,
        org,
        NAME,
        json.dumps([str(division)]),
        json.dumps(INDICATORS),
    )
    await connection.execute(
        "INSERT INTO template_revisions (kind, template_id, revision, content, org_id) "
        "VALUES ('performance_scheme', $1, 1, $2::jsonb, $3)",
        scheme_id,
        json.dumps(content),
        org,
    )
    return scheme_id, 1, INDICATORS


def _observations(rng: random.Random, month: str, drift: float) -> list[Observation]:
    at = datetime(int(month[:4]), int(month[5:]), 10, 9, tzinfo=UTC)
    values = {
        "output": 100 * drift * rng.uniform(0.5, 1.2),
        "quality": rng.uniform(80, 100),
        "customer_feedback": rng.uniform(0.5, 3.5),
        "innovation_proposals": float(rng.randint(0, 3)),
        "teamwork": float(rng.randint(2, 5)),
    }
    return [Observation(str(new_id()), key, value, at) for key, value in values.items()]


async def generate(url: str) -> None:
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    started = time.perf_counter()
    try:
        org = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
        hr = await connection.fetchval("SELECT id FROM users WHERE email = 'hr@bench.example'")
        head = await connection.fetchrow(
            "SELECT employee_id, department_scope_id FROM users WHERE email = 'head@bench.example'"
        )
        division = head["department_scope_id"]
        people = [
            row["id"]
            for row in await connection.fetch(
                "SELECT e.id FROM employees e JOIN departments d ON d.id = e.department_id "
                "WHERE e.org_id = $1 AND e.status = 'active' AND d.path LIKE "
                "(SELECT path FROM departments WHERE id = $2) || '%'",
                org,
                division,
            )
        ]
        if head["employee_id"] not in people:
            people.append(head["employee_id"])
        async with connection.transaction():
            scheme_id, revision, indicators = await _scheme(connection, org, division)
            scheme = {"indicators": indicators}
            rng = random.Random(22)
            rows: list[tuple[Any, ...]] = []
            for employee in people:
                drift = rng.uniform(0.8, 1.1)
                for month in MONTHS:
                    result = score_period(scheme, {}, _observations(rng, month, drift))
                    assert result is not None
                    overall, figures = result
                    starts = date(int(month[:4]), int(month[5:]), 1)
                    rows.append((new_id(), employee, month, starts, overall, json.dumps(figures)))
            for offset in range(0, len(rows), 20_000):
                chunk = list(zip(*rows[offset : offset + 20_000], strict=True))
                await connection.execute(SAVE, org, scheme_id, revision, *map(list, chunk))
            await connection.execute(
                "DELETE FROM metric_observations WHERE org_id = $1 AND source = $2", org, SOURCE
            )
            for n, month in enumerate(MONTHS[-3:]):
                await connection.execute(
                    "INSERT INTO metric_observations (id, org_id, department_id, indicator, "
                    "value, observed_at, source, external_id, revision, recorded_by) "
                    "VALUES ($1, $2, $3, 'quality', $4, $5, $6, $7, 1, $8)",
                    new_id(),
                    org,
                    division,
                    90.0 + n,
                    datetime(int(month[:4]), int(month[5:]), 20, tzinfo=UTC),
                    SOURCE,
                    f"division-quality-{month}",
                    hr,
                )
        await connection.execute("ANALYZE performance_scores")
    finally:
        await connection.close()
    print(
        f"{len(people)} employees × {len(MONTHS)} months = {len(rows)} scores "
        f"in {time.perf_counter() - started:.1f} s"
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description="Scores for the dashboards' benchmark.")
    parser.add_argument("--database-url", required=True)
    asyncio.run(generate(parser.parse_args().database_url))


if __name__ == "__main__":
    cli()
