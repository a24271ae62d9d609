"""Metric ingestion at scale (issue #22): 10,000 employees × 5 indicators, 1,000,000
observations through `POST /metric-observations` in batches of 10,000, against one API
process (`hrcore serve`: uvicorn, one worker) and the real worker (`hrcore worker`: the outbox
relay and arq), both child processes as bench/run_limit.py starts them.

    .venv/bin/python bench/run_ingestion.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench_fast

Run bench/generate.py first and migrate the database. The script sets up its own scheme
(the seed's five indicators over the whole organization) and an integration key with
`metrics:write` through the API as the bench HR admin, picks 10,000 active employees with a
post, and sends batch b to the employees of slice b mod 5 (2,000 people × 5 indicators, one
observation each, on day b div 5 of December 2026: each employee gets 20 per indicator).
It prints the ingestion rate (observations over the wall time from the first request to the
last answer, `--connections` at a time) and how soon the scores are current: for each batch,
from its answer (its commit) to the first moment none of its employees has a stale key
(`performance_stale_scores`) older than that answer — a drained key is deleted in the
transaction that saves its scores; polled every 50 ms — median and p95, and how many
recompute jobs the batches cost. What it wrote is deleted first and at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from run_limit import BIN

from hrcore.core import security
from hrcore.settings import Settings

REDIS = os.environ.get("HRCORE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
EMPLOYEES = 10_000
SLICES = 5
BATCH = 10_000
SOURCE = "bench"
SCHEME = "Bench value"
KEY_NAME = "bench-ingestion"
JOB = "performance.recompute_scores"
INDICATORS = ("output", "quality", "customer_feedback", "innovation_proposals", "teamwork")
DECEMBER = datetime(2026, 12, 1, 9, tzinfo=UTC)
"""An open month: the hourly close cron closes November once its grace days are over, and
observations in a closed period are refused."""
CLEAN = (
    "DELETE FROM audit_events WHERE org_id = $1 AND object_type = 'metric_observation_batch'"
    " AND actor_id IN (SELECT id FROM api_keys WHERE org_id = $1 AND name = 'bench-ingestion')",
    "DELETE FROM metric_observations WHERE org_id = $1 AND source = 'bench'",
    "DELETE FROM outbox_messages WHERE org_id = $1 AND job = 'performance.recompute_scores'"
    " AND payload = '{}'::jsonb",
    "DELETE FROM performance_stale_scores WHERE org_id = $1",
    "DELETE FROM performance_schemes WHERE org_id = $1 AND name = 'Bench value'",
    "DELETE FROM api_keys WHERE org_id = $1 AND name = 'bench-ingestion'",
)
DIVISIONS = (
    "SELECT d.id, d.path FROM departments d WHERE d.org_id = $1 AND d.parent_id ="
    " (SELECT id FROM departments WHERE org_id = $1 AND parent_id IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM performance_schemes s"
    " WHERE s.department_ids ? d.id::text AND s.name <> 'Bench value')"
    " ORDER BY d.name DESC LIMIT 2"
)
"""Two top-level divisions (9,500 people each) no other benchmark's scheme names: theirs."""
"""Everything the bench writes and nothing else (other benchmarks share the database):
its observations, its key's audit events, the coalesced recompute jobs and stale keys, its
scheme (its scores go with it) and key."""


def _indicator(key: str, weight: int, target: float, **more: Any) -> dict[str, Any]:
    return {
        "key": key,
        "name": key,
        "unit": "count",
        "direction": "higher",
        "weight": weight,
        "target": target,
        "formula": {"kind": "ratio"},
        "aggregation": "sum",
    } | more


def _scheme(departments: list[str]) -> dict[str, Any]:
    return {
        "name": SCHEME,
        "period": "month",
        "department_ids": departments,
        "indicators": [
            _indicator("output", 30, 100),
            _indicator("quality", 25, 95, aggregation="mean"),
            _indicator(
                "customer_feedback",
                20,
                1,
                direction="lower",
                aggregation="mean",
                formula={"kind": "linear", "floor": 3},
            ),
            _indicator("innovation_proposals", 15, 2),
            _indicator("teamwork", 10, 4, aggregation="last"),
        ],
    }


def _bodies(employees: list[str]) -> list[tuple[list[str], bytes]]:
    """The batches, serialized before the clock starts: each with its employees."""
    per_slice = len(employees) // SLICES
    batches = []
    for number in range(len(employees) * len(INDICATORS) * 20 // BATCH):
        chosen = employees[(number % SLICES) * per_slice : (number % SLICES + 1) * per_slice]
        at = (DECEMBER + timedelta(days=number // SLICES)).isoformat()
        items = [
            {
                "employee_id": employee,
                "indicator": key,
                "value": float((number * 7 + index + position) % 10),
                "observed_at": at,
                "source": SOURCE,
                "external_id": f"{number}-{index}-{position}",
            }
            for index, employee in enumerate(chosen)
            for position, key in enumerate(INDICATORS)
        ]
        batches.append((chosen, json.dumps({"items": items}).encode()))
    return batches


async def _setup(url: str, port: int) -> tuple[str, dict[str, str], list[str]]:
    await _clean(url)
    connection = await asyncpg.connect(url)
    try:
        org = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
        hr = await connection.fetchval(
            "SELECT id FROM users WHERE org_id = $1 AND email = 'hr@bench.example'", org
        )
        divisions = await connection.fetch(DIVISIONS, org)
        employees = await connection.fetch(
            "SELECT e.id FROM employees e JOIN departments d ON d.id = e.department_id"
            " WHERE e.org_id = $1 AND e.status = 'active' AND e.position_id IS NOT NULL"
            " AND d.path LIKE ANY($2::text[]) ORDER BY e.id LIMIT $3",
            org,
            [row["path"] + "%" for row in divisions],
            EMPLOYEES,
        )
    finally:
        await connection.close()
    settings = Settings(database_url=url, redis_url=REDIS)
    token, _ = security.issue_access_token(
        settings, user_id=hr, org_id=org, now=datetime.now(UTC), version=0
    )
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}/api/v1", timeout=60) as client:
        scheme = await client.post(
            "/performance-schemes",
            json=_scheme([str(row["id"]) for row in divisions]),
            headers=headers,
        )
        scheme.raise_for_status()
        key = await client.post(
            "/api-keys", json={"name": KEY_NAME, "scopes": ["metrics:write"]}, headers=headers
        )
        key.raise_for_status()
    key_headers = {"Authorization": f"Bearer {key.json()['key']}"}
    return str(org), key_headers, [str(row["id"]) for row in employees]


async def _watch(
    url: str,
    org: str,
    batches: list[tuple[list[str], bytes]],
    answered: list[float],
    current: list[float],
) -> None:
    """When each answered batch's scores are first seen current: none of its employees has a
    key stale since before its answer (a later batch's marking is newer). Until all are."""
    slice_of = {e: n % SLICES for n, (employees, _) in enumerate(batches) for e in employees}
    connection = await asyncpg.connect(url)
    try:
        while not all(current):
            rows = await connection.fetch(
                "SELECT employee_id::text, since FROM performance_stale_scores WHERE org_id = $1",
                org,
            )
            now = time.time()
            oldest: dict[int, float] = {}
            for row in rows:
                part = slice_of.get(row["employee_id"])
                if part is not None:
                    since = row["since"].timestamp()
                    oldest[part] = min(oldest.get(part, since), since)
            for number, moment in enumerate(answered):
                stale = oldest.get(number % SLICES)
                if moment and not current[number] and (stale is None or stale > moment):
                    current[number] = now
            await asyncio.sleep(0.05)
    finally:
        await connection.close()


async def _ingest(
    port: int,
    key: dict[str, str],
    batches: list[tuple[list[str], bytes]],
    connections: int,
    answered: list[float],
) -> tuple[float, list[float]]:
    """Seconds for every batch and each batch's latency; `answered` gets each batch's
    answer moment."""
    queue = list(enumerate(batches))
    latencies = [0.0] * len(batches)
    headers = key | {"Content-Type": "application/json"}

    async def client() -> None:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}/api/v1", timeout=600
        ) as http:
            while queue:
                number, (_, body) = queue.pop(0)
                started = time.perf_counter()
                response = await http.post("/metric-observations", content=body, headers=headers)
                if response.status_code != 200 or response.json()["recorded"] != BATCH:
                    raise SystemExit(
                        f"batch {number}: {response.status_code} {response.text[:300]}"
                    )
                latencies[number] = time.perf_counter() - started
                answered[number] = time.time()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return time.perf_counter() - started, latencies


async def _jobs(url: str, org: str) -> dict[str, int]:
    """The coalesced recompute jobs by status."""
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT status, count(*) AS n FROM outbox_messages WHERE org_id = $1 AND job = $2"
            " AND payload = '{}'::jsonb GROUP BY status",
            org,
            JOB,
        )
    finally:
        await connection.close()
    return {row["status"]: row["n"] for row in rows}


async def _measure(url: str, port: int, connections: int) -> None:
    print(f"load average before: {os.getloadavg()} at {datetime.now(UTC):%H:%M:%S} UTC")
    org, key, employees = await _setup(url, port)
    batches = _bodies(employees)
    answered = [0.0] * len(batches)
    current = [0.0] * len(batches)
    watcher = asyncio.create_task(_watch(url, org, batches, answered, current))
    seconds, latencies = await _ingest(port, key, batches, connections, answered)
    total = len(batches) * BATCH
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(watcher, timeout=1800)
    lags = [seen - moment for seen, moment in zip(current, answered, strict=True) if seen]
    print(f"load average after: {os.getloadavg()} at {datetime.now(UTC):%H:%M:%S} UTC")
    print(
        f"ingested {total:,} observations in {len(batches)} batches of {BATCH:,}, "
        f"{connections} connection(s): {seconds:.1f} s, {total / seconds:,.0f} observations/s"
    )
    print(
        f"batch latency: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {_p95(latencies) * 1000:.0f} ms"
    )
    print(
        f"scores current after the answer: median {statistics.median(lags):.2f} s, "
        f"p95 {_p95(lags):.2f} s, max {max(lags):.2f} s ({len(lags)} of {len(batches)} "
        f"batches); recompute jobs: {await _jobs(url, org)}"
    )


async def _clean(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        org = await connection.fetchval("SELECT id FROM organizations WHERE slug = 'bench'")
        for statement in CLEAN:
            await connection.execute(statement, org)
    finally:
        await connection.close()


def main(url: str, connections: int, port: int) -> None:
    env = {
        **os.environ,
        "HRCORE_DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://"),
        "HRCORE_REDIS_URL": REDIS,
        "HRCORE_LOG_LEVEL": "WARNING",
    }
    plain = url.replace("postgresql+asyncpg://", "postgresql://")
    children = [
        subprocess.Popen([BIN / "hrcore", "serve", "--port", str(port)], env=env),
        subprocess.Popen([BIN / "hrcore", "worker"], env=env),
    ]
    try:
        _wait_ready(port)
        asyncio.run(_measure(plain, port, connections))
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()  # a worker left running took the next runs' jobs with old code
                child.wait()
        asyncio.run(_clean(plain))


def _wait_ready(port: int) -> None:
    """Until the API answers (minutes on a loaded machine: run_limit's two are too few)."""
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(1)
    raise SystemExit(f"nothing answers on port {port}")


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    arguments = parser.parse_args()
    main(arguments.database_url, arguments.connections, arguments.port)
