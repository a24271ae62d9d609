"""Give the benchmark organization a population of mobile-app users for bench/soak.py.

    .venv/bin/python bench/generate_soak.py --database-url postgresql://postgres@127.0.0.1/hrcore_soak

Run after bench/generate.py. Picks the first `--teams` team leads and `--staff` active
members of each of their teams, gives each a login (`soak-<n>@bench.example`, the bench
password), open tasks that need no submission (so the app can complete them) and an inbox
of notifications, a third of them read. Writes with COPY as the schema owner, as the other
generators do; the review cycle they rate in is opened through the API by bench/soak.py.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from generate import PASSWORD
from generate_tasks import _copy_tasks, _task

from hrcore.core import security
from hrcore.core.models import new_id


async def _people(
    connection: asyncpg.Connection, org: uuid.UUID, teams: int, staff: int
) -> list[asyncpg.Record]:
    """Team leads first, then their staff: (id, department_id, is_lead)."""
    return list(
        await connection.fetch(
            "WITH leads AS (SELECT id, department_id FROM employees WHERE org_id = $1"
            " AND manager_id IS NULL AND status = 'active' ORDER BY employee_number LIMIT $2)"
            " SELECT id, department_id, true AS is_lead FROM leads"
            " UNION ALL SELECT s.id, s.department_id, false FROM leads l CROSS JOIN LATERAL"
            " (SELECT id, department_id FROM employees e WHERE e.org_id = $1"
            " AND e.manager_id = l.id AND e.status = 'active'"
            " ORDER BY e.employee_number LIMIT $3) s",
            org,
            teams,
            staff,
        )
    )


async def generate(url: str, teams: int, staff: int, tasks: int, notifications: int) -> None:
    connection = await asyncpg.connect(url)
    started = time.perf_counter()
    now = datetime.now(UTC)
    try:
        org = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
        people = await _people(connection, org, teams, staff)
        password = security.hash_password(PASSWORD)
        users = [(new_id(), person) for person in people]
        async with connection.transaction():
            await connection.copy_records_to_table(
                "users",
                records=[
                    (
                        user_id,
                        org,
                        f"soak-{n}@bench.example",
                        f"Soak {n}",
                        password,
                        ["employee"],
                        person["id"],
                        True,
                        False,
                        1,
                    )
                    for n, (user_id, person) in enumerate(users)
                ],
                columns=[
                    "id",
                    "org_id",
                    "email",
                    "display_name",
                    "password_hash",
                    "roles",
                    "employee_id",
                    "is_active",
                    "must_change_password",
                    "version",
                ],
            )
            await _copy_tasks(
                connection,
                [_task(org, person, now, overdue=False) for person in people for _ in range(tasks)],
            )
            await connection.copy_records_to_table(
                "notifications",
                records=[
                    (
                        new_id(),
                        org,
                        user_id,
                        "task.reminder",
                        f"Reminder {n}",
                        "Due soon",
                        "task",
                        new_id(),
                        f"soak:{n}",
                        now - timedelta(minutes=n),
                        None if n % 3 else now,
                    )
                    for user_id, _ in users
                    for n in range(notifications)
                ],
                columns=[
                    "id",
                    "org_id",
                    "user_id",
                    "kind",
                    "title",
                    "body",
                    "subject_type",
                    "subject_id",
                    "dedupe_key",
                    "created_at",
                    "read_at",
                ],
            )
        await connection.execute("ANALYZE users; ANALYZE tasks; ANALYZE notifications")
    finally:
        await connection.close()
    print(
        f"generated {len(users)} app users ({teams} leads), {len(users) * tasks} tasks, "
        f"{len(users) * notifications} notifications in {time.perf_counter() - started:.1f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="postgresql://… of the owner")
    parser.add_argument("--teams", type=int, default=60)
    parser.add_argument("--staff", type=int, default=3, help="users per team besides the lead")
    parser.add_argument("--tasks", type=int, default=40, help="open tasks per user")
    parser.add_argument("--notifications", type=int, default=200, help="per user")
    arguments = parser.parse_args()
    asyncio.run(
        generate(
            arguments.database_url,
            arguments.teams,
            arguments.staff,
            arguments.tasks,
            arguments.notifications,
        )
    )


if __name__ == "__main__":
    main()
