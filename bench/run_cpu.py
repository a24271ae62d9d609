"""CPU per request of the four mobile reads, hrcore against the limit, in-process.

    .venv/bin/python bench/run_cpu.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench_fast

`bench/run_limit.py` measures requests per second under load, which on a shared machine swings
with everything else that runs. This measures what a request costs this process: each app
(hrcore and `bench/limit_app.py`) is called directly as ASGI, one request at a time, and
`time.process_time` counts only this process's CPU, not other processes' and not the time
spent waiting for PostgreSQL. Blocks of `--runs` requests alternate between the two apps;
the median block is shown. HTTP parsing and the socket are left out for both.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from typing import Any

from asgi_lifespan import LifespanManager
from run_limit import REDIS, reads

from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings


def _scope(path: str, headers: dict[str, str]) -> dict[str, Any]:
    route, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"host", b"bench")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }


async def _call(app: Any, path: str, headers: dict[str, str]) -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(_scope(path, headers), receive, send)
    if sent[0]["status"] != 200:
        raise SystemExit(f"{path}: {sent[0]['status']}")


async def _block(app: Any, path: str, headers: dict[str, str], runs: int) -> float:
    started = time.process_time()
    for _ in range(runs):
        await _call(app, path, headers)
    return (time.process_time() - started) / runs * 1000


async def measure(
    database_url: str, targets: dict[str, tuple[str, dict[str, str]]], runs: int, blocks: int
) -> None:
    os.environ.setdefault("HRCORE_DATABASE_URL", database_url)
    import limit_app

    settings = Settings(database_url=database_url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    async with (
        LifespanManager(create_app(runtime=runtime)) as hrcore,
        LifespanManager(limit_app.create_app()) as limit,
    ):
        apps = {"hrcore": hrcore.app, "limit": limit.app}
        print(f"{'read':<8} {'hrcore ms':>10} {'limit ms':>10} {'ratio':>6}  (CPU per request)")
        for name, (path, headers) in targets.items():
            for app in apps.values():
                await _block(app, path, headers, runs)  # warm-up
            cpu: dict[str, list[float]] = {server: [] for server in apps}
            for _ in range(blocks):
                for server, app in apps.items():
                    cpu[server].append(await _block(app, path, headers, runs))
            mine, theirs = statistics.median(cpu["hrcore"]), statistics.median(cpu["limit"])
            print(f"{name:<8} {mine:>10.3f} {theirs:>10.3f} {theirs / mine:>6.2f}")
    await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="CPU per request, hrcore against the limit.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=300, help="requests per block")
    parser.add_argument("--blocks", type=int, default=5, help="alternating blocks per app")
    parser.add_argument("--only", nargs="*", help="reads to measure (default: all four)")
    args = parser.parse_args()
    targets = reads(args.database_url)
    if args.only:
        targets = {name: targets[name] for name in args.only}
    asyncio.run(measure(args.database_url, targets, args.runs, args.blocks))


if __name__ == "__main__":
    main()
