"""Add 1,000,000 open tasks to the benchmark organization, 10,000 of them needing action now.

    .venv/bin/python bench/generate_tasks.py --database-url postgresql://postgres@127.0.0.1/hrcore_bench

Run after bench/generate.py. The 10,000 due tasks are 2 days overdue (a reminder is due) and
their assignees have user accounts, so the sweep really writes notifications; one of those
users also gets 1,000 tasks and 1,000 notifications for the inbox and task-list figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from hrcore.core.models import new_id

POLICY = json.dumps(
    {
        "reminder": {"before_due_days": [3], "repeat_every_days": 2},
        "escalation": {"manager_after_days": 3, "hr_after_days": 7},
    }
)
INBOX_USER = "inbox@bench.example"


async def generate(url: str, total: int, due_now: int, seed: int) -> None:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    connection = await asyncpg.connect(url)
    started = time.perf_counter()
    try:
        org = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
        employees = await connection.fetch(
            "SELECT id, department_id FROM employees WHERE org_id = $1 AND status = 'active'", org
        )
        async with connection.transaction():
            # The benchmark database is the benchmark's own: start the task tables afresh.
            await connection.execute("TRUNCATE tasks, task_actions, notifications CASCADE")
            await connection.execute(
                "DELETE FROM users WHERE org_id = $1 AND (email LIKE 'u%' OR email = $2)",
                org,
                INBOX_USER,
            )
            due = employees[:due_now]
            await _users(connection, org, due)
            records = [
                _task(org, employee, now, overdue=index < due_now)
                for index, employee in enumerate(
                    due + [rng.choice(employees) for _ in range(total - due_now)]
                )
            ]
            await _copy_tasks(connection, records)
            await _inbox(connection, org, due[0], now)
        await connection.execute("ANALYZE tasks; ANALYZE notifications; ANALYZE users")
    finally:
        await connection.close()
    print(f"generated {total} tasks ({due_now} due now) in {time.perf_counter() - started:.1f}s")


def _task(
    org: uuid.UUID, employee: asyncpg.Record, now: datetime, *, overdue: bool
) -> tuple[object, ...]:
    due_at = now - timedelta(days=2, hours=1) if overdue else now + timedelta(days=30)
    next_action = now - timedelta(minutes=5) if overdue else due_at - timedelta(days=3)
    return (
        new_id(),
        org,
        "bench",
        new_id(),
        "bench.task",
        "Benchmark task",
        employee["id"],
        employee["department_id"],
        due_at,
        "open",
        False,
        POLICY,
        1,
        now - timedelta(days=3) if overdue else None,
        next_action,
        1,
    )


async def _copy_tasks(connection: asyncpg.Connection, records: list[tuple[object, ...]]) -> None:
    await connection.copy_records_to_table(
        "tasks",
        records=records,
        columns=[
            "id",
            "org_id",
            "subject_type",
            "subject_id",
            "kind",
            "title",
            "assignee_employee_id",
            "department_id",
            "due_at",
            "status",
            "submission_required",
            "policy",
            "schedule",
            "handled_until",
            "next_action_at",
            "version",
        ],
    )


async def _users(
    connection: asyncpg.Connection, org: uuid.UUID, employees: list[asyncpg.Record]
) -> None:
    await connection.copy_records_to_table(
        "users",
        records=[
            (
                new_id(),
                org,
                INBOX_USER if n == 0 else f"u{n}@bench.example",
                f"User {n}",
                "unused",
                ["employee"],
                employee["id"],
                True,
                False,
                1,
            )
            for n, employee in enumerate(employees)
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


async def _inbox(
    connection: asyncpg.Connection, org: uuid.UUID, employee: asyncpg.Record, now: datetime
) -> None:
    """1,000 tasks and 1,000 notifications for one user, for the read figures."""
    user = await connection.fetchval("SELECT id FROM users WHERE email = $1", INBOX_USER)
    await _copy_tasks(connection, [_task(org, employee, now, overdue=False) for _ in range(1000)])
    await connection.copy_records_to_table(
        "notifications",
        records=[
            (
                new_id(),
                org,
                user,
                "task.reminder",
                f"Reminder {n}",
                "Due soon",
                "task",
                new_id(),
                f"bench:{n}",
                now - timedelta(minutes=n),
                None if n % 3 else now,
            )
            for n in range(1000)
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


def main() -> None:
    parser = argparse.ArgumentParser(description="Open tasks for the sweep benchmark.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--due-now", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    arguments = parser.parse_args()
    asyncio.run(
        generate(arguments.database_url, arguments.tasks, arguments.due_now, arguments.seed)
    )


if __name__ == "__main__":
    main()
