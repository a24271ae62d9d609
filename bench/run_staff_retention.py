"""Benchmark the retention figure (`GET /analytics/retention`, issue 26) at 100,000 employees.

    .venv/bin/python bench/run_staff_retention.py \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench_retention

Run bench/generate.py first. Adds turnover to the bench organization (as the owner): an exit
event with a random reason for each generated leaver and for 6 % more, dated in the last two
years, and 8 % of the staff re-dated as hired in the last year (new hires). Then measures,
in-process through the real app and database: the whole figure rebuilt by the refresh job
(every employee's facts, the rollups), the figure read from the rollups (HR, the whole
organization; a division head, their subtree of 10,000), and how long an exit recorded over
HTTP takes to show in the figure through the outbox and the worker.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from run import REDIS, _tokens
from sqlalchemy import text

from hrcore.analytics import refresh, retention
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.people import api as people
from hrcore.settings import Settings
from hrcore.worker import run_burst


async def _turnover(runtime: Runtime, org_id: object, today: date) -> int:
    """Exit events for the leavers and some more, new hires; how many exits."""
    rng = random.Random(26)
    async with runtime.engine.begin() as connection:
        await connection.execute(
            text("SELECT set_config('app.org_id', :org, true)"), {"org": str(org_id)}
        )
        await connection.execute(
            text(
                "DELETE FROM employment_events WHERE org_id = :o AND kind = 'exit'"
                " AND note = 'bench'"
            ),
            {"o": org_id},
        )
        rows = (
            await connection.execute(
                text("SELECT id, hire_date, status FROM employees WHERE org_id = :o"),
                {"o": org_id},
            )
        ).all()
        exits, hires = [], []
        for employee_id, hired, status in rows:
            if status == "exited" or rng.random() < 0.06:
                day = max(hired + timedelta(days=30), today - timedelta(days=rng.randint(1, 730)))
                reason = rng.choice([*people.EXIT_REASONS, None])
                exits.append({"e": employee_id, "d": day, "r": reason, "o": org_id})
            elif rng.random() < 0.08:
                hires.append({"e": employee_id, "d": today - timedelta(days=rng.randint(1, 360))})
        await connection.execute(
            text(
                "INSERT INTO employment_events (id, org_id, employee_id, kind, effective_date,"
                " leads_team, note, exit_reason, applied_at, version)"
                " VALUES (gen_random_uuid(), :o, :e, 'exit', :d, false, 'bench', :r, now(), 1)"
            ),
            exits,
        )
        await connection.execute(
            text("UPDATE employees SET status = 'exited' WHERE id = :e"), exits
        )
        await connection.execute(text("UPDATE employees SET hire_date = :d WHERE id = :e"), hires)
    return len(exits)


async def main(url: str, runs: int, timeout_ms: int) -> None:
    settings = Settings(
        database_url=url, redis_url=REDIS, log_json=False, db_statement_timeout_ms=timeout_ms
    )
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    async with runtime.engine.connect() as connection:
        org_id = (
            await connection.execute(text("SELECT id FROM organizations WHERE slug = 'bench'"))
        ).scalar_one()
    now = datetime.now(UTC)
    exits = await _turnover(runtime, org_id, now.date())
    print(f"exits recorded: {exits}", flush=True)

    started = time.perf_counter()
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        await refresh.refresh_figure(session, org_id, retention.FIGURE, now, None)
    print(
        f"full refresh of the figure (every employee): {time.perf_counter() - started:.1f}s",
        flush=True,
    )
    async with runtime.engine.begin() as connection:
        await connection.execute(
            text("SELECT set_config('app.org_id', :org, true)"), {"org": str(org_id)}
        )
        for table in ("analytics_facts", "analytics_rollups"):
            count = (
                await connection.execute(
                    text(f"SELECT count(*) FROM {table} WHERE figure = 'retention'")
                )
            ).scalar_one()
            print(f"{table}: {count}", flush=True)

    tokens = await _tokens(runtime)
    hr, _division, _employee = tokens["hr@bench.example"]
    head, _, _ = tokens["head@bench.example"]
    app = create_app(runtime=runtime)
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        for name, headers in (("HR, whole organization", hr), ("division head, 10k", head)):
            timings = []
            for i in range(runs + 5):
                began = time.perf_counter()
                response = await client.get("/api/v1/analytics/retention", headers=headers)
                assert response.status_code == 200, response.text
                if i >= 5:
                    timings.append((time.perf_counter() - began) * 1000)
            timings.sort()
            print(
                f"GET /analytics/retention, {name}: median {statistics.median(timings):.1f}ms,"
                f" p95 {timings[int(len(timings) * 0.95) - 1]:.1f}ms",
                flush=True,
            )
        before = (await client.get("/api/v1/analytics/retention", headers=hr)).json()
        async with runtime.engine.begin() as connection:
            await connection.execute(
                text("SELECT set_config('app.org_id', :org, true)"), {"org": str(org_id)}
            )
            leaver = (
                await connection.execute(
                    text(
                        "SELECT id FROM employees WHERE org_id = :o AND status = 'active'"
                        " AND hire_date < :d LIMIT 1"
                    ),
                    {"o": org_id, "d": now.date() - timedelta(days=400)},
                )
            ).scalar_one()
        began = time.perf_counter()
        made = await client.post(
            f"/api/v1/employees/{leaver}/events",
            json={"kind": "exit", "effective_date": now.date().isoformat(), "exit_reason": "pay"},
            headers=hr,
        )
        assert made.status_code == 201, made.text
        await run_burst(runtime)
        after = (await client.get("/api/v1/analytics/retention", headers=hr)).json()
        elapsed = time.perf_counter() - began
        assert after["overall"]["leavers"] == before["overall"]["leavers"] + 1
        print(
            f"an exit over HTTP to the figure (outbox, worker, refresh): {elapsed:.2f}s", flush=True
        )
    await runtime.close()


def cli() -> None:
    parser = argparse.ArgumentParser(description="The retention figure at 100k employees.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--statement-timeout-ms",
        type=int,
        default=15_000,
        help="The app's statement timeout (default: the app's own, 15 s).",
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.runs, arguments.statement_timeout_ms))


if __name__ == "__main__":
    cli()
