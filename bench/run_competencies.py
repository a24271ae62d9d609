"""Benchmark competency reads, matching and profile freshness at 100,000 employees.

    .venv/bin/python bench/run_competencies.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py, bench/generate_competencies.py and `hrcore competencies recompute-all
--org bench` first. In-process through the real app (as bench/run.py: median and p95 of the
whole request, SQL statements per request, auth included):

- one profile read and one gap read (HR, an employee of the division head's team: 20
  competencies × 10 evidence rows);
- `GET /me/stretch-assignment-matches` for the division head: 5,001 open assignments ranked;
- `GET /stretch-assignments/{id}/matches` (HR) of the assignment in the root department:
  every active employee ranked (~95,000).

Then freshness: a real `hrcore worker` in a child process (same database, the benchmark's
Redis), and `--samples` times one `POST /competency-evidence` for a random employee
followed by polling that employee's profile read every 20 ms until its `computed_at` is
newer than the recording: the time from the request's start to the profile being current
(outbox relay → arq job → snapshot).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient, Response
from run import REDIS, Result, _measure, _tokens, statement_counter
from sqlalchemy import text

from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings

API = "/api/v1"
ROOT_ASSIGNMENT = "Bench stretch 05000"


async def _ids(runtime: Runtime, employee: str) -> tuple[str, str, list[str]]:
    """The assignment of the root department, a competency, and the active employees."""
    async with runtime.engine.begin() as connection:
        org = (
            await connection.execute(text("SELECT id FROM organizations WHERE slug = 'bench'"))
        ).scalar_one()
        await connection.execute(
            text("SELECT set_config('app.org_id', :org, true)"), {"org": str(org)}
        )
        assignment = (
            await connection.execute(
                text("SELECT id FROM stretch_assignments WHERE title = :t"),
                {"t": ROOT_ASSIGNMENT},
            )
        ).scalar_one()
        competency = (
            await connection.execute(
                text(
                    "SELECT competency_id FROM competency_evidence WHERE employee_id = :e LIMIT 1"
                ),
                {"e": employee},
            )
        ).scalar_one()
        people = (
            await connection.execute(text("SELECT id FROM employees WHERE status = 'active'"))
        ).scalars()
        return str(assignment), str(competency), [str(person) for person in people]


async def _freshness(
    client: AsyncClient,
    hr: dict[str, str],
    competency: str,
    people: list[str],
    samples: int,
) -> list[float]:
    """Seconds from recording one piece of evidence to the profile read showing it."""
    rng = random.Random(11)
    delays = []
    for _ in range(samples):
        employee = rng.choice(people)
        recorded = datetime.now(UTC)
        started = time.perf_counter()
        response = await client.post(
            f"{API}/competency-evidence",
            json={
                "employee_id": employee,
                "competency_id": competency,
                "value": round(rng.uniform(0, 10), 1),
                "note": "Benchmark assessment",
            },
            headers=hr,
        )
        assert response.status_code == 201, response.text
        while True:
            profile = await client.get(f"{API}/employees/{employee}/competency-profile", headers=hr)
            computed = profile.json()["computed_at"]
            if computed and datetime.fromisoformat(computed) >= recorded:
                break
            if time.perf_counter() - started > 60:
                raise RuntimeError(f"the profile of {employee} did not follow within 60 s")
            await asyncio.sleep(0.02)
        delays.append(time.perf_counter() - started)
    return delays


async def _slow(
    name: str, runs: int, counter: list[int], call: Callable[[], Awaitable[Response]]
) -> Result:
    """`_measure` for reads of seconds: the one warm-up above, then `runs` timed."""
    timings = []
    for _ in range(runs):
        counter[0] = 0
        started = time.perf_counter()
        response = await call()
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return Result(name, statistics.median(timings), p95, counter[0])


def _worker(url: str) -> subprocess.Popen[bytes]:
    environment = dict(os.environ)
    environment.update(
        {"HRCORE_DATABASE_URL": url, "HRCORE_REDIS_URL": REDIS, "HRCORE_LOG_LEVEL": "WARNING"}
    )
    command = [sys.executable, "-m", "hrcore", "worker"]
    return subprocess.Popen(command, env=environment)


async def main(url: str, runs: int, ranking_runs: int, samples: int) -> list[Result]:
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    counter = statement_counter(runtime)
    app = create_app(runtime=runtime)
    tokens = await _tokens(runtime)
    hr, _, employee = tokens["hr@bench.example"]
    head, _, _ = tokens["head@bench.example"]
    assignment, competency, people = await _ids(runtime, employee)
    results = []
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        calls = {
            "profile": lambda: client.get(
                f"{API}/employees/{employee}/competency-profile", headers=hr
            ),
            "gaps": lambda: client.get(f"{API}/employees/{employee}/competency-gaps", headers=hr),
            "assignments": lambda: client.get(f"{API}/me/stretch-assignment-matches", headers=head),
            "people": lambda: client.get(
                f"{API}/stretch-assignments/{assignment}/matches", headers=hr
            ),
        }
        for name, call in calls.items():
            started = time.perf_counter()
            body = (await call()).json()
            took = time.perf_counter() - started
            print(f"{name}: {_describe(name, body)}, first call {took:.2f}s", flush=True)
        scenarios = [
            ("profile read (HR): 20 competencies × 10 evidence", calls["profile"]),
            ("gap read (HR): own position's model, 10 competencies", calls["gaps"]),
        ]
        for label, call in scenarios:
            results.append(await _measure(label, runs, counter, call))
        rankings = [
            ("matches for one person: 5,001 open assignments", calls["assignments"]),
            ("matches for one assignment: every active employee", calls["people"]),
        ]
        for label, call in rankings:
            results.append(await _slow(label, ranking_runs, counter, call))
        if samples:
            worker = _worker(url)
            try:
                await asyncio.sleep(5)  # the worker's start-up (migrations checked, arq ready)
                delays = sorted(await _freshness(client, hr, competency, people, samples))
            finally:
                worker.terminate()
                worker.wait(timeout=30)
            p95 = delays[max(0, int(len(delays) * 0.95) - 1)]
            print(
                f"freshness over {samples} recordings: median {statistics.median(delays):.2f}s, "
                f"p95 {p95:.2f}s, max {delays[-1]:.2f}s"
            )
    await runtime.close()
    return results


def _describe(name: str, body: dict[str, object]) -> str:
    if name == "profile":
        competencies = body["competencies"]
        assert isinstance(competencies, list)
        return f"{len(competencies)} competencies"
    if name == "gaps":
        return f"match {body['match']}, model version {body['model_version']}"
    if name == "people":
        return f"{body['candidates']} candidates ranked"
    items = body["items"]
    assert isinstance(items, list)
    return f"{len(items)} assignments on the page"


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--ranking-runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    results = asyncio.run(main(args.database_url, args.runs, args.ranking_runs, args.samples))
    print(f"{'scenario':<60} {'median':>8} {'p95':>8} {'SQL':>4}")
    for result in results:
        print(
            f"{result.name:<60} {result.median_ms:>6.1f}ms {result.p95_ms:>6.1f}ms "
            f"{result.statements:>4}"
        )


if __name__ == "__main__":
    cli()
