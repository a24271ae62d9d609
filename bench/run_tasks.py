"""Benchmark the deadline sweep at 1,000,000 open tasks and the inbox reads.

    .venv/bin/python bench/run_tasks.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py and bench/generate_tasks.py first. Each round first puts the swept
tasks back as they were generated (2 days overdue, a reminder due), so rounds compare.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import time
from datetime import UTC, datetime

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text

from hrcore.core import security
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings
from hrcore.workflow import api as workflow

INBOX_USER = "inbox@bench.example"
RESET = (
    "UPDATE tasks SET handled_until = due_at - interval '23 hours',"
    " next_action_at = now() - interval '5 minutes'"
    " WHERE id IN (SELECT task_id FROM task_actions)",
    "DELETE FROM task_actions",
    "DELETE FROM notifications WHERE dedupe_key LIKE 'task:%'",
    "VACUUM ANALYZE tasks, task_actions, notifications",
)


async def _as_owner(runtime: Runtime, statements: tuple[str, ...]) -> None:
    async with runtime.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("SET ROLE NONE"))
        for statement in statements:
            await autocommit.execute(text(statement))


async def _reset(runtime: Runtime) -> None:
    """Undo the previous round's sweep."""
    await _as_owner(runtime, RESET)


async def _inbox_token(runtime: Runtime) -> dict[str, str]:
    async with runtime.engine.begin() as connection:
        org = (
            await connection.execute(text("SELECT id FROM organizations WHERE slug = 'bench'"))
        ).scalar_one()
        await connection.execute(
            text("SELECT set_config('app.org_id', :org, true)"), {"org": str(org)}
        )
        user = (
            await connection.execute(
                text("SELECT id FROM users WHERE email = :e"), {"e": INBOX_USER}
            )
        ).scalar_one()
    token, _ = security.issue_access_token(
        runtime.settings, user_id=user, org_id=org, now=datetime.now(UTC), version=0
    )
    return {"Authorization": f"Bearer {token}"}


async def _median_ms(client: AsyncClient, url: str, headers: dict[str, str], runs: int) -> float:
    for _ in range(5):
        await client.get(url, headers=headers)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = await client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    return statistics.median(timings)


async def main(url: str, runs: int, rounds: int) -> None:
    settings = Settings(database_url=url, redis_url="redis://127.0.0.1:6379/9", log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    try:
        async with runtime.sessionmaker() as session:  # connected, as the running worker is
            await session.execute(text("SELECT 1"))
        gc.freeze()  # as the worker does once started
        for _ in range(rounds):
            await _reset(runtime)
            started = time.perf_counter()
            handled = await workflow.sweep(runtime.sessionmaker, runtime.clock)
            print(f"sweep: {handled} due tasks handled in {time.perf_counter() - started:.2f}s")
        started = time.perf_counter()
        idle = await workflow.sweep(runtime.sessionmaker, runtime.clock)
        idle_ms = (time.perf_counter() - started) * 1000
        print(f"sweep with nothing due: {idle} tasks in {idle_ms:.1f}ms")
        # The sweep wrote 10,000 notifications for 10,000 users: refresh the statistics, as
        # autovacuum would, or the planner keeps believing the inbox user owns them all.
        await _as_owner(runtime, ("ANALYZE tasks, notifications",))
        headers = await _inbox_token(runtime)
        app = create_app(runtime=runtime)
        async with (
            LifespanManager(app),
            AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
        ):
            for url_path in ("/api/v1/me/notifications", "/api/v1/me/tasks"):
                median = await _median_ms(client, url_path, headers, runs)
                print(f"GET {url_path} (1,000 items, page of 50): {median:.1f}ms median")
    finally:
        await runtime.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Sweep and inbox latency at 1M open tasks.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="sweeps, each after a reset")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.runs, arguments.rounds))
