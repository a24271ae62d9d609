"""Benchmark screening, vacancy ranking and program progress, in-process through the real app.

    .venv/bin/python bench/run_talent.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py and bench/generate_talent.py first. As HR, times (median and p95 of the
whole request, SQL statements per request, auth included):

- `POST /talent-pools/{id}/screen` of the reserve pool's 3 rules over the whole organization
  (100,000 employees, 300,000 ratings), the first 100 who pass;
- `GET /vacancies/{id}/candidates`: the ~200 active reserve members ranked, first page;
- `GET /programs/{id}/progress` of the 2,000-participant run.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from typing import Any

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from run import Result, _measure, _tokens, statement_counter
from sqlalchemy import text

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings

RESERVE = "Department head reserve"
PROGRAM = "Leadership program 2026"


async def _ids(runtime: Runtime) -> tuple[str, str, str]:
    """The reserve pool, its position's open vacancy and the 2,000-participant run."""
    async with unit_of_work(runtime.sessionmaker) as session:
        query = text("SELECT id FROM organizations WHERE slug = 'bench'")
        org = uuid.UUID(str((await session.execute(query)).scalar_one()))
        await set_tenant(session, org)
        pool, position = (
            await session.execute(
                text("SELECT id, target_position_id FROM talent_pools WHERE name = :n"),
                {"n": RESERVE},
            )
        ).one()
        vacancy = (
            await session.execute(
                text("SELECT id FROM vacancies WHERE position_id = :p AND status = 'open'"),
                {"p": position},
            )
        ).scalar_one()
        run = (
            await session.execute(
                text("SELECT id FROM program_runs WHERE name = :n"), {"n": PROGRAM}
            )
        ).scalar_one()
    return str(pool), str(vacancy), str(run)


def _describe(name: str, body: Any) -> str:
    if name == "screen":
        return f"evaluated {body['evaluated']}, returned {len(body['candidates'])} passing"
    if name == "candidates":
        return f"{len(body['items'])} candidates on the first page"
    stages = body["stages"]
    departments = sum(len(s["departments"]) for s in stages)
    late = sum(len(s["late"]) for s in stages)
    participants = stages[0]["participants"] if stages else 0
    return (
        f"{len(stages)} stages, {participants} participants, {departments} department rows, "
        f"{late} late entries"
    )


async def main(url: str, screen_runs: int, runs: int) -> list[Result]:
    settings = Settings(database_url=url, redis_url="redis://127.0.0.1:6379/9", log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    counter = statement_counter(runtime)
    app = create_app(runtime=runtime)
    hr, _, _ = (await _tokens(runtime))["hr@bench.example"]
    pool, vacancy, run = await _ids(runtime)
    results = []
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        calls = {
            "screen": lambda: client.post(
                f"/api/v1/talent-pools/{pool}/screen", json={"limit": 100}, headers=hr
            ),
            "candidates": lambda: client.get(f"/api/v1/vacancies/{vacancy}/candidates", headers=hr),
            "progress": lambda: client.get(f"/api/v1/programs/{run}/progress", headers=hr),
        }
        for name, call in calls.items():
            response = await call()
            assert response.status_code == 200, response.text
            print(f"{name}: {_describe(name, response.json())}, {len(response.content)} bytes")
        scenarios = [
            ("screen: 3 rules over 100k employees (HR), first 100", screen_runs, calls["screen"]),
            ("vacancy candidates: ~200 reserve members ranked (HR)", runs, calls["candidates"]),
            ("program progress: 2,000 participants (HR)", runs, calls["progress"]),
        ]
        for label, count_of_runs, call in scenarios:
            results.append(await _measure(label, count_of_runs, counter, call))
    await runtime.close()
    return results


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--screen-runs", type=int, default=20)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    results = asyncio.run(main(args.database_url, args.screen_runs, args.runs))
    print(f"{'scenario':<60} {'median':>8} {'p95':>8} {'SQL':>4}")
    for result in results:
        print(
            f"{result.name:<60} {result.median_ms:>6.1f}ms {result.p95_ms:>6.1f}ms "
            f"{result.statements:>4}"
        )


if __name__ == "__main__":
    cli()
