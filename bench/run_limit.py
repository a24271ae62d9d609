"""hrcore against the limit (bench/limit_app.py) on the four mobile reads: the ratio of
requests per second, the bodies checked JSON-identical first.

    .venv/bin/python bench/run_limit.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench_fast

Run bench/generate.py and bench/generate_tasks.py first. Starts `hrcore serve` and the limit
app under uvicorn as child processes (one worker each, both idle while the other is
measured), checks that both answer each read with the same JSON and that hrcore sends the
statements the limit app hard-codes, then for `--rounds` rounds measures each read for
`--seconds` on each server, in alternating turns, with `--concurrency` keep-alive
connections, and prints the median requests/s and ratio. hrcore logs at WARNING (no access
log line), as the limit does.
The load client is a few lines of asyncio (no HTTP library): it must cost far less CPU than
the servers it drives, on the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import limit_app
from run import REDIS, _tokens
from run_tasks import _inbox_token
from sqlalchemy import event

from hrcore.core.runtime import Runtime
from hrcore.settings import Settings

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LANGUAGE = {"Accept-Language": "zh-CN"}
"""What a mobile app sends with every request (docs/performance.md)."""


def reads(database_url: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The four reads as the mobile app asks them: path and headers."""

    async def build() -> dict[str, tuple[str, dict[str, str]]]:
        runtime = Runtime.open(_settings(database_url), application_name="hrcore-bench")
        try:
            tokens = await _tokens(runtime)
            inbox = await _inbox_token(runtime)
        finally:
            await runtime.close()
        hr, division, employee = tokens["hr@bench.example"]
        hr = {**hr, **LANGUAGE}
        inbox = {**inbox, **LANGUAGE}
        subtree = f"department_id={division}&include_subtree=true&status=active"
        return {
            "list": (f"/api/v1/employees?{subtree}", hr),
            "profile": (f"/api/v1/employees/{employee}/profile", hr),
            "tasks": ("/api/v1/me/tasks?status=open", inbox),
            "inbox": ("/api/v1/me/notifications", inbox),
        }

    return asyncio.run(build())


def _settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, redis_url=REDIS, log_json=False)


async def hrcore_statements(database_url: str, path: str, headers: dict[str, str]) -> list[str]:
    """The statements hrcore sends for one read (in-process, the second of two calls)."""
    from asgi_lifespan import LifespanManager

    from hrcore.main import create_app

    runtime = Runtime.open(_settings(database_url), application_name="hrcore-bench")
    sent: list[str] = []
    event.listen(
        runtime.engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cu, statement, *_: sent.append(statement),
    )
    app = create_app(runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    async with LifespanManager(app), httpx.AsyncClient(transport=transport) as client:
        await client.get(f"http://bench{path}", headers=headers)
        sent.clear()
        await client.get(f"http://bench{path}", headers=headers)
    await runtime.close()
    return sent


@contextmanager
def servers(database_url: str, hrcore_port: int, limit_port: int) -> Iterator[None]:
    env = {
        **os.environ,
        "HRCORE_DATABASE_URL": database_url,
        "HRCORE_REDIS_URL": REDIS,
        "HRCORE_LOG_LEVEL": "WARNING",
    }
    children = [
        subprocess.Popen([BIN / "hrcore", "serve", "--port", str(hrcore_port)], env=env),
        subprocess.Popen(
            [
                *(BIN / "uvicorn", "--factory", "limit_app:create_app"),
                *("--app-dir", str(BENCH), "--port", str(limit_port)),
                *("--no-access-log", "--log-level", "warning"),
            ],
            env=env,
        ),
    ]
    try:
        for port in (hrcore_port, limit_port):
            _wait_ready(port)
        yield
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/employees", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.5)
    raise SystemExit(f"nothing answers on port {port}")


def check(database_url: str, ports: dict[str, int], targets: dict[str, Any]) -> None:
    """Same JSON from both, and hrcore sends exactly the statements the limit hard-codes."""
    for name, (path, headers) in targets.items():
        bodies, languages = {}, {}
        for server, port in ports.items():
            response = httpx.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=30)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {server} answered {response.status_code}")
            bodies[server] = response.json()
            languages[server] = response.headers.get("content-language")
        if bodies["hrcore"] != bodies["limit"]:
            raise SystemExit(f"{name}: bodies differ\n{bodies['hrcore']}\n{bodies['limit']}")
        if languages["hrcore"] != languages["limit"]:
            raise SystemExit(f"{name}: Content-Language differs: {languages}")
        sent = asyncio.run(hrcore_statements(database_url, path, headers))
        if sent != list(limit_app.STATEMENTS[name]):
            shown = "\n".join(sent)
            raise SystemExit(f"{name}: hrcore sent other statements than the limit:\n{shown}")
        print(f"{name}: same JSON, same {len(sent)} statements")


async def _load(port: int, path: str, headers: dict[str, str], seconds: float, conns: int) -> float:
    """Requests per second over `seconds` with `conns` keep-alive connections."""
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{key}: {value}" for key, value in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    done = 0
    stop = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < stop:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"port {port}: {head.splitlines()[0]!r}")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            done += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(conns)))
    return done / (time.perf_counter() - started)


def measure(ports: dict[str, int], targets: dict[str, Any], args: argparse.Namespace) -> None:
    """Each round gives each read `--seconds` on each server, in `--slice`-second turns
    hrcore, limit, hrcore, … (the first turn alternates per round): on a shared machine whose
    speed swings from one second to the next, both servers see the same load."""
    rates: dict[tuple[str, str], list[float]] = {}
    turns = max(1, round(args.seconds / args.slice))
    for round_number in range(args.rounds):
        order = ["hrcore", "limit"] if round_number % 2 == 0 else ["limit", "hrcore"]
        for name, (path, headers) in targets.items():
            for server in order:  # warm-up
                asyncio.run(_load(ports[server], path, headers, 1.0, args.concurrency))
            done = dict.fromkeys(order, 0.0)
            for _ in range(turns):
                for server in order:
                    done[server] += asyncio.run(
                        _load(ports[server], path, headers, args.slice, args.concurrency)
                    )
            for server in order:
                rate = done[server] / turns
                rates.setdefault((name, server), []).append(rate)
                print(f"round {round_number + 1} {name:<8} {server:<6} {rate:8.1f} req/s")
    print(f"\n{'read':<8} {'hrcore':>10} {'limit':>10} {'ratio':>6}  (median of rounds, req/s)")
    for name in targets:
        hrcore = statistics.median(rates[(name, "hrcore")])
        limit = statistics.median(rates[(name, "limit")])
        pairs = zip(rates[(name, "hrcore")], rates[(name, "limit")], strict=True)
        ratios = sorted(h / lim for h, lim in pairs)
        spread = ", ".join(f"{r:.2f}" for r in ratios)
        print(
            f"{name:<8} {hrcore:>10.1f} {limit:>10.1f} {statistics.median(ratios):>6.2f}"
            f"  round ratios: {spread}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="hrcore's mobile reads against the limit.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0, help="per read, server, round")
    parser.add_argument("--slice", type=float, default=2.0, help="seconds of one turn")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--check-only", action="store_true")
    parser.add_argument("--only", nargs="*", help="reads to measure (default: all four)")
    args = parser.parse_args()
    targets = reads(args.database_url)
    if args.only:
        targets = {name: targets[name] for name in args.only}
    ports = {"hrcore": 8171, "limit": 8172}
    with servers(args.database_url, ports["hrcore"], ports["limit"]):
        check(args.database_url, ports, targets)
        if not args.check_only:
            measure(ports, targets, args)


if __name__ == "__main__":
    main()
