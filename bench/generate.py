"""Generate a synthetic organization for benchmarks: 100,000 employees, 3 years of ratings.

    .venv/bin/python bench/generate.py --database-url postgresql://postgres@127.0.0.1/hrcore_bench

Writes with COPY as the schema owner (fast; row-level security does not apply to owners);
the benchmark itself then reads through the API as the restricted app role. The database
must be migrated first (`HRCORE_DATABASE_URL=… hrcore migrate`). Re-running replaces the
"bench" organization.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from datetime import date

import asyncpg

from hrcore.core import security
from hrcore.core.models import new_id

SLUG = "bench"
PASSWORD = "bench-password-2026"
DIVISIONS, DEPARTMENTS, TEAMS = 10, 10, 10


def _tree(org_id: uuid.UUID) -> tuple[list[tuple[object, ...]], list[uuid.UUID]]:
    """Root → 10 divisions → 10 departments → 10 teams (1,111 departments); returns teams."""
    rows: list[tuple[object, ...]] = []
    teams: list[uuid.UUID] = []

    def add(name: str, parent: uuid.UUID | None, path: str) -> tuple[uuid.UUID, str]:
        department_id = new_id()
        own_path = f"{path}{department_id}/"
        rows.append((department_id, org_id, name, f"C{len(rows)}", parent, own_path, 1))
        return department_id, own_path

    root, root_path = add("Company", None, "/")
    for d in range(DIVISIONS):
        division, division_path = add(f"Division {d}", root, root_path)
        for p in range(DEPARTMENTS):
            department, department_path = add(f"Department {d}.{p}", division, division_path)
            for t in range(TEAMS):
                team, _ = add(f"Team {d}.{p}.{t}", department, department_path)
                teams.append(team)
    return rows, teams


async def generate(url: str, employees: int, seed: int) -> None:
    rng = random.Random(seed)
    connection = await asyncpg.connect(url)
    started = time.perf_counter()
    try:
        async with connection.transaction():
            # An organization's audit trail outlives it unless its owner removes it first.
            await connection.execute(
                "DELETE FROM audit_events WHERE org_id = "
                "(SELECT id FROM organizations WHERE slug = $1)",
                SLUG,
            )
            await connection.execute("DELETE FROM organizations WHERE slug = $1", SLUG)
            org_id = new_id()
            await connection.execute(
                "INSERT INTO organizations (id, slug, name, timezone, locale, version) "
                "VALUES ($1, $2, 'Bench Corp', 'Asia/Shanghai', 'zh-CN', 1)",
                org_id,
                SLUG,
            )
            departments, teams = _tree(org_id)
            await connection.copy_records_to_table(
                "departments",
                records=departments,
                columns=["id", "org_id", "name", "code", "parent_id", "path", "version"],
            )
            position_id = new_id()
            await connection.execute(
                "INSERT INTO positions (id, org_id, code, title, department_id, grade, "
                "is_management, description, description_revision, version) "
                "VALUES ($1, $2, 'STAFF', 'Staff', $3, 'P3', false, '{}', 0, 1)",
                position_id,
                org_id,
                departments[0][0],
            )
            people, ratings = _people(org_id, teams, position_id, employees, rng)
            await connection.copy_records_to_table(
                "employees",
                records=people,
                columns=[
                    "id",
                    "org_id",
                    "employee_number",
                    "full_name",
                    "email",
                    "phone",
                    "personal_phone",
                    "id_number",
                    "department_id",
                    "position_id",
                    "manager_id",
                    "manager_path",
                    "hire_date",
                    "status",
                    "version",
                ],
            )
            await connection.copy_records_to_table(
                "performance_ratings",
                records=ratings,
                columns=["id", "org_id", "employee_id", "period", "letter", "version"],
            )
            await _users(connection, org_id, departments, people)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    print(
        f"generated {len(departments)} departments, {len(people)} employees, "
        f"{len(ratings)} ratings in {time.perf_counter() - started:.1f}s"
    )


def _id_number(n: int) -> str:
    """A resident ID number with a valid GB 11643 check digit: masking has real data."""
    body = f"110105{1960 + n % 40}0101{n % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def _people(
    org_id: uuid.UUID,
    teams: list[uuid.UUID],
    position_id: uuid.UUID,
    count: int,
    rng: random.Random,
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    people: list[tuple[object, ...]] = []
    ratings: list[tuple[object, ...]] = []
    leads: dict[uuid.UUID, uuid.UUID] = {}
    for n in range(count):
        team = teams[n % len(teams)]
        employee_id = new_id()
        manager = leads.setdefault(team, employee_id)
        is_lead = manager == employee_id
        people.append(
            (
                employee_id,
                org_id,
                f"B{n:06d}",
                f"Person {n:06d}",
                f"p{n}@bench.example",
                f"138{n:08d}",
                f"139{n:08d}",
                _id_number(n),
                team,
                position_id,
                None if is_lead else manager,
                "/" if is_lead else f"/{manager}/",
                date(rng.randint(2010, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                "active" if rng.random() > 0.05 else "exited",
                1,
            )
        )
        for year in ("2023", "2024", "2025"):
            ratings.append((new_id(), org_id, employee_id, year, rng.choice("AABBBBCCD"), 1))
    return people, ratings


async def _users(
    connection: asyncpg.Connection,
    org_id: uuid.UUID,
    departments: list[tuple[object, ...]],
    people: list[tuple[object, ...]],
) -> None:
    password = security.hash_password(PASSWORD)
    division = departments[1][0]
    await connection.executemany(
        "INSERT INTO users (id, org_id, email, display_name, password_hash, roles, employee_id, "
        "department_scope_id, is_active, must_change_password, version) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, false, 1)",
        [
            (new_id(), org_id, "hr@bench.example", "HR", password, ["hr_admin"], None, None),
            (
                new_id(),
                org_id,
                "head@bench.example",
                "Division head",
                password,
                ["dept_head", "employee"],
                people[1][0],
                division,
            ),
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="postgresql://… of the owner")
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    asyncio.run(generate(arguments.database_url, arguments.employees, arguments.seed))


if __name__ == "__main__":
    main()
