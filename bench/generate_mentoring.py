"""Mentoring in the bench organization: 2,000 mentors and 10,000 pairings with a year of
sessions, surveys and ratings — what the nightly effectiveness recompute covers.

    .venv/bin/python bench/generate_mentoring.py --database-url postgresql://postgres@127.0.0.1/hrcore_bench

Run after bench/generate.py (its employees have lettered ratings for 2023–2025). Writes,
as the schema owner (row-level security does not apply), in set-based statements:

- one program and one mentee template; the first `--mentors` active employees (by number)
  become its mentors, the next `--mentors × --per-mentor` active ones their mentees;
- each pairing from 2025-01-06 to 2025-12-31 with an approved plan (a skill-test goal and a
  performance goal), 60 % completed, the rest running;
- per pairing 12 monthly 1:1s, each with the mentee's survey, and 4 quarterly skill tests
  (scores 55–95);
- a promotion in July 2025 for one mentee in ten.

Idempotent: re-running replaces the program and everything under it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid

import asyncpg

from hrcore.core.models import new_id

PROGRAM = "Bench mentoring"
TEMPLATE = "Bench new graduate"
GOALS = [
    {"kind": "skill_test_score", "target": 80},
    {"kind": "performance_rating", "target": 4.5},
]

CLEAR = [
    "DELETE FROM employment_events WHERE org_id = $1 AND note = 'bench mentoring'",
    "DELETE FROM mentorships WHERE org_id = $1 AND program_id IN "
    "(SELECT id FROM mentoring_programs WHERE org_id = $1 AND name = $2)",
    "DELETE FROM mentoring_programs WHERE org_id = $1 AND name = $2",
]

PEOPLE = """
SELECT id FROM employees WHERE org_id = $1 AND status = 'active'
 ORDER BY employee_number LIMIT $2
"""

APPLICATIONS = """
INSERT INTO mentor_applications (id, org_id, program_id, employee_id, source, status, eligible,
                                 checks, overridden, decided_at, version)
SELECT gen_random_uuid(), $1, $2, employee_id, 'hr', 'approved', true, '[]', false,
       '2024-12-01', 1
  FROM unnest($3::uuid[]) AS employee_id
"""

MENTORS = """
INSERT INTO mentors (id, org_id, program_id, employee_id, application_id, approved_at, version)
SELECT gen_random_uuid(), $1, $2, employee_id, id, decided_at, 1
  FROM mentor_applications WHERE org_id = $1 AND program_id = $2
"""

PAIRINGS = """
INSERT INTO mentorships (id, org_id, program_id, mentor_id, mentor_employee_id,
                         mentee_employee_id, template_id, status, starts_on, ends_on, checks,
                         ended_at, version)
SELECT gen_random_uuid(), $1, $2, mentor.id, mentor.employee_id, mentee.employee_id, $3,
       CASE WHEN mentee.n % 5 < 3 THEN 'completed' ELSE 'active' END,
       '2025-01-06', '2025-12-31', '[]',
       CASE WHEN mentee.n % 5 < 3 THEN timestamptz '2025-12-31 10:00+08' END, 1
  FROM unnest($4::uuid[]) WITH ORDINALITY AS mentee(employee_id, n)
  JOIN (SELECT id, employee_id, row_number() OVER (ORDER BY employee_id) - 1 AS k
          FROM mentors WHERE org_id = $1 AND program_id = $2) AS mentor
    ON mentor.k = mentee.n % $5
"""

PLANS = """
INSERT INTO mentorship_plans (id, org_id, mentorship_id, template_revision, status, goals,
                              checklist, schedule, approved_at, version)
SELECT gen_random_uuid(), $1, id, 1, 'approved', $3::jsonb, '[]', '[]', '2025-01-10', 1
  FROM mentorships WHERE org_id = $1 AND program_id = $2
"""

SESSIONS = """
INSERT INTO mentoring_sessions (id, org_id, mentorship_id, kind, held_on, notes,
                                checklist_covered, score, version)
SELECT gen_random_uuid(), $1, m.id,
       CASE WHEN month.n % 3 = 0 AND test.k = 1 THEN 'skill_test' ELSE 'one_on_one' END,
       date '2025-01-20' + (month.n - 1) * interval '1 month' + (test.k - 1) * interval '2 days',
       NULL, '[]',
       CASE WHEN month.n % 3 = 0 AND test.k = 1
            THEN round((55 + random() * 40)::numeric, 2) END, 1
  FROM mentorships m
 CROSS JOIN generate_series(1, 12) AS month(n)
 CROSS JOIN generate_series(1, 2) AS test(k)
 WHERE m.org_id = $1 AND m.program_id = $2 AND (test.k = 1 OR month.n % 3 = 0)
"""
"""A 1:1 every month and, every third month, a skill test as well (12 + 4 per pairing)."""

SURVEYS = """
INSERT INTO mentoring_surveys (id, org_id, mentorship_id, session_id, on_time, relevant,
                               solved, comment, version)
SELECT gen_random_uuid(), $1, s.mentorship_id, s.id, 1 + floor(random() * 5)::int,
       1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int, NULL, 1
  FROM mentoring_sessions s
  JOIN mentorships m ON m.id = s.mentorship_id
 WHERE s.org_id = $1 AND m.program_id = $2 AND s.kind = 'one_on_one'
"""

PROMOTIONS = """
INSERT INTO employment_events (id, org_id, employee_id, kind, effective_date, leads_team,
                               note, applied_at, version)
SELECT gen_random_uuid(), $1, employee_id, 'promotion', '2025-07-01', false,
       'bench mentoring', '2025-07-01', 1
  FROM unnest($2::uuid[]) WITH ORDINALITY AS mentee(employee_id, n)
 WHERE n % 10 = 0
"""


async def generate(url: str, mentors: int, per_mentor: int) -> None:
    connection = await asyncpg.connect(url)
    started = time.perf_counter()
    try:
        org_id = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
        assert org_id is not None, "run bench/generate.py first"
        async with connection.transaction():
            counts = await _write(connection, org_id, mentors, per_mentor)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    print(
        "generated "
        + ", ".join(f"{count} {what}" for what, count in counts.items())
        + f" in {time.perf_counter() - started:.1f}s"
    )


async def _write(
    connection: asyncpg.Connection, org_id: uuid.UUID, mentors: int, per_mentor: int
) -> dict[str, int]:
    for statement in CLEAR:
        await connection.execute(statement, org_id, *([PROGRAM] if "$2" in statement else []))
    await connection.execute(
        "DELETE FROM mentee_templates WHERE org_id = $1 AND name = $2", org_id, TEMPLATE
    )
    people = [
        row["id"] for row in await connection.fetch(PEOPLE, org_id, mentors * (1 + per_mentor))
    ]
    assert len(people) == mentors * (1 + per_mentor), "too few active employees"
    chosen, mentees = people[:mentors], people[mentors:]
    program_id, template_id = new_id(), new_id()
    await connection.execute(
        "INSERT INTO mentoring_programs (id, org_id, name, capacity, rules, active, version) "
        "VALUES ($1, $2, $3, $4, '[]', true, 1)",
        program_id,
        org_id,
        PROGRAM,
        per_mentor,
    )
    await connection.execute(
        "INSERT INTO mentee_templates (id, org_id, name, revision, role, duration_months, goals, "
        "checklist, schedule, version) VALUES ($1, $2, $3, 1, 'new_graduate', 12, $4, '[]', "
        "'[]', 1)",
        template_id,
        org_id,
        TEMPLATE,
        json.dumps(GOALS),
    )
    await connection.execute(APPLICATIONS, org_id, program_id, chosen)
    await connection.execute(MENTORS, org_id, program_id)
    counts = {"mentors": mentors}
    for what, statement, args in (
        ("pairings", PAIRINGS, (template_id, mentees, mentors)),
        ("plans", PLANS, (json.dumps(GOALS),)),
        ("sessions", SESSIONS, ()),
        ("surveys", SURVEYS, ()),
    ):
        status = await connection.execute(statement, org_id, program_id, *args)
        counts[what] = int(status.rsplit(" ", 1)[1])
    status = await connection.execute(PROMOTIONS, org_id, mentees)
    counts["promotions"] = int(status.rsplit(" ", 1)[1])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="postgresql://… of the owner")
    parser.add_argument("--mentors", type=int, default=2_000)
    parser.add_argument("--per-mentor", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(generate(arguments.database_url, arguments.mentors, arguments.per_mentor))


if __name__ == "__main__":
    main()
