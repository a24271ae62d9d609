"""A closed review cycle of 10,000 participants × 8 raters × 20 indicators (1.6M answers).

    .venv/bin/python bench/generate_reviews.py --database-url postgresql://postgres@127.0.0.1/hrcore_bench

Run after bench/generate.py (the 100,000-employee organization). Each participant is rated
by themself, a supervisor, 3 peers and 3 subordinates, every rater answering all 20
indicators (4 quantitative, 16 qualitative); the cycle is left closed, ready to aggregate.
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

QUANTITATIVE = 4
QUALITATIVE = 16
RELATIONSHIPS = ["self", "supervisor"] + ["peer"] * 3 + ["subordinate"] * 3
CYCLE_NAME = "Benchmark year-end"


def _indicators() -> list[dict[str, Any]]:
    quantitative = [
        {
            "key": f"q{n}",
            "name": f"Result {n}",
            "section": "Results",
            "kind": "quantitative",
            "weight": 100 / QUANTITATIVE,
            "target": 100,
            "formula": {"kind": "ratio", "cap": 100, "floor": 0, "bands": []},
        }
        for n in range(QUANTITATIVE)
    ]
    qualitative = [
        {
            "key": f"b{n}",
            "name": f"Behaviour {n}",
            "section": "Behaviour",
            "kind": "qualitative",
            "weight": 100 / QUALITATIVE,
            "scale": {"min": 1, "max": 5, "labels": {}},
        }
        for n in range(QUALITATIVE)
    ]
    return quantitative + qualitative


def _answers(rng: random.Random) -> str:
    answers: dict[str, Any] = {f"q{n}": {"actual": rng.randint(50, 130)} for n in range(4)}
    answers |= {f"b{n}": {"score": rng.randint(1, 5)} for n in range(QUALITATIVE)}
    return json.dumps(answers)


async def generate(url: str, participants: int, seed: int) -> None:
    rng = random.Random(seed)
    connection = await asyncpg.connect(url)
    started = time.perf_counter()
    try:
        org = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
        employees = await connection.fetch(
            "SELECT id, department_id FROM employees WHERE org_id = $1 AND status = 'active'"
            " ORDER BY id",
            org,
        )
        async with connection.transaction():
            await connection.execute("TRUNCATE review_templates CASCADE")
            cycle_id = await _cycle(connection, org)
            await _participants_and_answers(connection, org, cycle_id, employees, participants, rng)
        await connection.execute("ANALYZE review_participants; ANALYZE review_assignments")
    finally:
        await connection.close()
    answers = participants * len(RELATIONSHIPS) * (QUANTITATIVE + QUALITATIVE)
    print(f"generated {answers} answers in {time.perf_counter() - started:.1f}s")


async def _cycle(connection: asyncpg.Connection, org: uuid.UUID) -> uuid.UUID:
    template_id, cycle_id = new_id(), new_id()
    form = {
        "indicators": _indicators(),
        "kind_weights": {"quantitative": 60, "qualitative": 40},
        "department_overrides": [],
    }
    await connection.execute(
        "INSERT INTO review_templates (id, org_id, name, indicators, kind_weights,"
        " department_overrides, revision, version) VALUES ($1, $2, $3, $4, $5, '[]', 1, 1)",
        template_id,
        org,
        "Benchmark form",
        json.dumps(form["indicators"]),
        json.dumps(form["kind_weights"]),
    )
    weights = {"self": 0, "supervisor": 50, "peer": 30, "subordinate": 20}
    now = datetime.now(UTC)
    await connection.execute(
        "INSERT INTO review_cycles (id, org_id, name, kind, template_id, template_revision, form,"
        " relationship_weights, starts_on, due_on, status, opened_at, closed_at, version)"
        " VALUES ($1, $2, $3, 'year_end', $4, 1, $5, $6, $7, $8, 'closed', $9, $9, 1)",
        cycle_id,
        org,
        CYCLE_NAME,
        template_id,
        json.dumps(form),
        json.dumps(weights),
        date(2026, 12, 1),
        date(2026, 12, 20),
        now,
    )
    return cycle_id


async def _participants_and_answers(
    connection: asyncpg.Connection,
    org: uuid.UUID,
    cycle_id: uuid.UUID,
    employees: list[asyncpg.Record],
    participants: int,
    rng: random.Random,
) -> None:
    now = datetime.now(UTC)
    members, assignments = [], []
    for employee in employees[:participants]:
        member_id = new_id()
        members.append((member_id, org, cycle_id, employee["id"], employee["department_id"]))
        others = rng.sample(employees, len(RELATIONSHIPS))
        raters = [employee] + [e for e in others if e["id"] != employee["id"]]
        for rater, relationship in zip(raters, RELATIONSHIPS, strict=False):
            answer = (rater["id"], relationship, "submitted", _answers(rng), "[]", now, 1)
            assignments.append((new_id(), org, cycle_id, member_id, *answer))
    await connection.copy_records_to_table(
        "review_participants",
        records=members,
        columns=["id", "org_id", "cycle_id", "employee_id", "department_id"],
    )
    await connection.copy_records_to_table(
        "review_assignments",
        records=assignments,
        columns=[
            "id",
            "org_id",
            "cycle_id",
            "participant_id",
            "rater_employee_id",
            "relationship",
            "status",
            "answers",
            "evidence",
            "submitted_at",
            "version",
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    asyncio.run(generate(args.database_url, args.participants, args.seed))


if __name__ == "__main__":
    main()
