"""Benchmark mentor suggestions: one mentee, 2,000 mentors, at 100,000 employees.

    .venv/bin/python bench/run_mentor_suggestions.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py first. Writes, as the schema owner (row-level security does not
apply), replacing what an earlier run wrote: 10 competencies and a model of 5 of them for the
organization's position (a newer version than any there), a program ("Bench mentoring",
capacity 3), 2,000 mentors drawn from the whole organization (with their applications),
3,000 running pairings (one template), and a profile snapshot (10 scores) for each mentor
and the mentee. Then, in process through the real app as bench/run.py (median and p95 of the
whole request, SQL statements per request, auth included):
`GET /mentoring-programs/{id}/mentor-suggestions?mentee_id=` by HR.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
from datetime import UTC, date, datetime

import asyncpg
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from run import REDIS, Result, _measure, _tokens, statement_counter

from hrcore.core.models import new_id
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings

MENTORS, PAIRINGS, COMPETENCIES, MODELLED = 2_000, 3_000, 10, 5
PROGRAM = "Bench mentoring"
PREFIX = "Bench mentoring competency"


async def generate(url: str, seed: int) -> tuple[str, str]:
    """The program's and the mentee's ids, after writing the rows."""
    rng = random.Random(seed)
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        async with connection.transaction():
            org = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
            await _clear(connection, org)
            people = await connection.fetch(
                "SELECT id FROM employees WHERE org_id = $1 AND status = 'active'", org
            )
            chosen = [row["id"] for row in rng.sample(people, MENTORS + 1)]
            mentee, mentors = chosen[0], chosen[1:]
            competencies = [new_id() for _ in range(COMPETENCIES)]
            await connection.executemany(
                "INSERT INTO competencies (id, org_id, name, category, description, levels, "
                "revision, version) VALUES ($1, $2, $3, 'professional', '', $4::jsonb, 1, 1)",
                [
                    (c, org, f"{PREFIX} {n}", json.dumps(_levels()))
                    for n, c in enumerate(competencies)
                ],
            )
            position = await connection.fetchval(
                "SELECT id FROM positions WHERE org_id = $1 AND code = 'STAFF'", org
            )
            entries = [
                {"competency_id": str(c), "required_level": 4, "weight": 20}
                for c in competencies[:MODELLED]
            ]
            await connection.execute(
                "INSERT INTO competency_models (id, org_id, position_id, department_id, version, "
                "entries) SELECT $1, $2, $3, NULL, coalesce(max(version), 0) + 1, $4::jsonb "
                "FROM competency_models WHERE org_id = $2 AND position_id = $3",
                new_id(),
                org,
                position,
                json.dumps(entries),
            )
            now = datetime.now(UTC)
            await connection.copy_records_to_table(
                "competency_profiles",
                records=[
                    (new_id(), org, person, now, "[]", json.dumps(_scores(competencies, rng)))
                    for person in chosen
                ],
                columns=["id", "org_id", "employee_id", "computed_at", "figures", "scores"],
            )
            program = await _program(connection, org, mentors, mentee, rng)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return str(program), str(mentee)


async def _clear(connection: asyncpg.Connection, org: object) -> None:
    program = await connection.fetchval(
        "SELECT id FROM mentoring_programs WHERE org_id = $1 AND name = $2", org, PROGRAM
    )
    if program is not None:
        await connection.execute("DELETE FROM mentorships WHERE program_id = $1", program)
        await connection.execute("DELETE FROM mentoring_programs WHERE id = $1", program)
    await connection.execute("DELETE FROM mentee_templates WHERE org_id = $1", org)
    await connection.execute(
        "DELETE FROM competency_models WHERE org_id = $1 AND entries::text LIKE '%' || "
        "(SELECT id::text FROM competencies WHERE org_id = $1 AND name = $2) || '%'",
        org,
        f"{PREFIX} 0",
    )
    await connection.execute(
        "DELETE FROM competencies WHERE org_id = $1 AND name LIKE $2", org, f"{PREFIX} %"
    )


def _levels() -> list[dict[str, object]]:
    return [{"name": f"L{n}", "indicators": [f"level {n}"]} for n in range(1, 6)]


def _scores(competencies: list[object], rng: random.Random) -> list[dict[str, object]]:
    return [{"competency_id": str(c), "score": round(rng.uniform(0, 10), 1)} for c in competencies]


async def _program(
    connection: asyncpg.Connection,
    org: object,
    mentors: list[object],
    mentee: object,
    rng: random.Random,
) -> object:
    program = new_id()
    await connection.execute(
        "INSERT INTO mentoring_programs (id, org_id, name, capacity, rules, active, version) "
        "VALUES ($1, $2, $3, 3, '[]', true, 1)",
        program,
        org,
        PROGRAM,
    )
    now = datetime.now(UTC)
    applications = [(new_id(), org, program, person) for person in mentors]
    await connection.copy_records_to_table(
        "mentor_applications",
        records=[
            (a, o, p, e, "hr", "approved", True, "[]", False, now, 1) for a, o, p, e in applications
        ],
        columns=[
            "id",
            "org_id",
            "program_id",
            "employee_id",
            "source",
            "status",
            "eligible",
            "checks",
            "overridden",
            "decided_at",
            "version",
        ],
    )
    rows = [(new_id(), o, p, e, a, now, 1) for a, o, p, e in applications]
    await connection.copy_records_to_table(
        "mentors",
        records=rows,
        columns=[
            "id",
            "org_id",
            "program_id",
            "employee_id",
            "application_id",
            "approved_at",
            "version",
        ],
    )
    template = new_id()
    await connection.execute(
        "INSERT INTO mentee_templates (id, org_id, name, revision, role, duration_months, goals, "
        "checklist, schedule, version) VALUES ($1, $2, 'Bench graduate', 1, 'new_graduate', 12, "
        "'[]', '[]', '[]', 1)",
        template,
        org,
    )
    mentees = iter(rng.sample(await _others(connection, org, mentors, mentee), PAIRINGS))
    pairings = []
    for n in range(PAIRINGS):
        mentor = rows[n % MENTORS]
        pairings.append(
            (
                new_id(),
                org,
                program,
                mentor[0],
                mentor[3],
                next(mentees),
                template,
                "active",
                date(2026, 9, 1),
                date(2027, 9, 1),
                "[]",
                1,
            )
        )
    await connection.copy_records_to_table(
        "mentorships",
        records=pairings,
        columns=[
            "id",
            "org_id",
            "program_id",
            "mentor_id",
            "mentor_employee_id",
            "mentee_employee_id",
            "template_id",
            "status",
            "starts_on",
            "ends_on",
            "checks",
            "version",
        ],
    )
    return program


async def _others(
    connection: asyncpg.Connection, org: object, mentors: list[object], mentee: object
) -> list[object]:
    taken = {*mentors, mentee}
    rows = await connection.fetch(
        "SELECT id FROM employees WHERE org_id = $1 AND status = 'active' LIMIT 20000", org
    )
    return [row["id"] for row in rows if row["id"] not in taken]


async def main(url: str, runs: int, seed: int) -> list[Result]:
    program, mentee = await generate(url, seed)
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    counter = statement_counter(runtime)
    app = create_app(runtime=runtime)
    tokens = await _tokens(runtime)
    hr, _, _ = tokens["hr@bench.example"]
    path = f"/api/v1/mentoring-programs/{program}/mentor-suggestions"
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        result = await _measure(
            f"mentor suggestions: HR, 1 mentee, {MENTORS:,} mentors, {PAIRINGS:,} pairings",
            runs,
            counter,
            lambda: client.get(path, params={"mentee_id": mentee}, headers=hr),
        )
    await runtime.close()
    return [result]


def cli() -> None:
    parser = argparse.ArgumentParser(description="Latency of mentor suggestions.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    results = asyncio.run(main(arguments.database_url, arguments.runs, arguments.seed))
    print(f"{'scenario':<72} {'median':>8} {'p95':>8} {'SQL':>4}")
    for result in results:
        print(
            f"{result.name:<72} {result.median_ms:>6.1f}ms {result.p95_ms:>6.1f}ms "
            f"{result.statements:>4}"
        )


if __name__ == "__main__":
    cli()
