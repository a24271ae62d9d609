"""Soak: the mobile app's traffic against a real API and worker for a fixed time.

    .venv/bin/python bench/soak.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_soak

Sets up its own database (dropped and created again: migrations, the demo
organization, bench/generate.py's 100,000 employees and bench/generate_soak.py's app users),
starts `hrcore serve` and `hrcore worker` as child processes, opens a review cycle and a
webhook subscription (to a receiver in this script) through the API, then runs a fixed
number of virtual users with no think time for `--warmup` and `--duration` seconds. Reports
requests/s per minute, p50/p99 per endpoint, errors, the resident memory of both processes
from the end of the warm-up to the end, and whether every completed task's webhook arrived
exactly once. Stops its children on the way out; exits 1 on any error, a webhook missing or
doubled, or memory growth of 10 % or more.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
from generate import PASSWORD
from redis.asyncio import Redis
from soak_app import API, Recorder, Session, virtual_user

from hrcore.seed import DEMO_FORM, DEMO_PASSWORD

BENCH = Path(__file__).resolve().parent
Child = subprocess.Popen[bytes]


@dataclass
class Receiver:
    """The webhook target: counts deliveries by task (a duplicate is an effect doubled)."""

    deliveries: Counter[str] = field(default_factory=Counter)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
                headers = dict(line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line)
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.deliveries[json.loads(body)["data"]["task_id"]] += 1
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


# --- the stack ---------------------------------------------------------------------------


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _env(arguments: argparse.Namespace) -> dict[str, str]:
    return {
        **os.environ,
        "HRCORE_DATABASE_URL": arguments.database_url,
        "HRCORE_REDIS_URL": arguments.redis_url,
        "HRCORE_LOG_LEVEL": "WARNING",
        "HRCORE_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
    }


async def _recreate_database(arguments: argparse.Namespace) -> None:
    base, name = arguments.database_url.replace("+asyncpg", "").rsplit("/", 1)
    connection = await asyncpg.connect(f"{base}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    redis = Redis.from_url(arguments.redis_url)
    await redis.flushdb()  # this soak's own Redis database: no stale jobs
    await redis.aclose()


def set_up(arguments: argparse.Namespace, env: dict[str, str]) -> None:
    """A fresh database: migrated, the demo organization, the bench one and its app users."""
    asyncio.run(_recreate_database(arguments))
    owner = ["--database-url", arguments.database_url.replace("+asyncpg", "")]
    hrcore = [sys.executable, "-m", "hrcore"]
    employees = ["--employees", str(arguments.employees)]
    for command in (
        [*hrcore, "migrate"],
        [*hrcore, "seed"],
        [sys.executable, str(BENCH / "generate.py"), *owner, *employees],
        [sys.executable, str(BENCH / "generate_soak.py"), *owner],
    ):
        subprocess.run(command, env=env, check=True)


def start(arguments: argparse.Namespace, env: dict[str, str], logs: Path) -> list[Child]:
    """`hrcore serve` and `hrcore worker`, their output in `logs`."""
    children = []
    for name, command in (
        ("api", ["serve", "--port", str(arguments.port)]),
        ("worker", ["worker"]),
    ):
        with (logs / f"{name}.log").open("wb") as log:
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "hrcore", *command],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    return children


def stop(children: list[Child]) -> None:
    for child in children:
        child.terminate()
    for child in children:
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


async def _ready(client: httpx.AsyncClient, seconds: float = 300) -> None:
    """Wait for /readyz (generous: start-up on a busy machine takes a while)."""
    deadline, last = time.monotonic() + seconds, "no answer"
    while time.monotonic() < deadline:
        try:
            response = await client.get("/readyz")
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:300]}"
        except httpx.HTTPError as exc:
            last = f"{type(exc).__name__}: {exc}"
        await asyncio.sleep(0.5)
    raise SystemExit(f"the API was not ready in {seconds:.0f} s: {last}")


async def _app_users(arguments: argparse.Namespace) -> tuple[list[str], list[str]]:
    """Soak users' emails, and the employee ids of those who are not team leads."""
    connection = await asyncpg.connect(arguments.database_url.replace("+asyncpg", ""))
    try:
        rows = await connection.fetch(
            "SELECT u.email, e.id, e.manager_id IS NULL AS lead FROM users u"
            " JOIN employees e ON e.id = u.employee_id WHERE u.email LIKE 'soak-%'"
            " ORDER BY u.email"
        )
    finally:
        await connection.close()
    return [row["email"] for row in rows], [str(row["id"]) for row in rows if not row["lead"]]


async def _prepare(client: httpx.AsyncClient, staff: list[str], hook_url: str) -> dict[str, str]:
    """Through the API, as HR: a webhook on completed tasks, an open review cycle of the
    app users' teams (self and supervisor raters); and the demo ids the office reads."""
    recorder = Recorder(time.monotonic())
    hr = Session(client, recorder, random.Random(0))
    assert await hr.login("bench", "hr@bench.example", PASSWORD)
    await hr.call(
        "webhook",
        "POST",
        f"{API}/webhooks",
        expect=201,
        json={"url": hook_url, "event_types": ["task.completed"]},
    )
    template = await hr.call(
        "template",
        "POST",
        f"{API}/review-templates",
        expect=201,
        json={"name": "Soak review", "indicators": DEMO_FORM},
    )
    today = date.today()
    cycle = await hr.call(
        "cycle",
        "POST",
        f"{API}/review-cycles",
        expect=201,
        json={
            "name": f"Soak {today}",
            "kind": "mid_year",
            "template_id": template["id"],
            "starts_on": str(today),
            "due_on": str(today + timedelta(days=30)),
            "peer_nomination": True,
        },
    )
    participants = f"{API}/review-cycles/{cycle['id']}/participants"
    await hr.call("participants", "POST", participants, json={"employee_ids": staff})
    await hr.call("open", "POST", f"{API}/review-cycles/{cycle['id']}/open")
    demo = Session(client, recorder, random.Random(0))
    assert await demo.login("demo", "hr@demo.example", DEMO_PASSWORD)
    pool = (await demo.call("pools", "GET", f"{API}/talent-pools"))["items"][0]["id"]
    run = (await demo.call("programs", "GET", f"{API}/programs"))["items"][0]["id"]
    people = await demo.call("participants", "GET", f"{API}/programs/{run}/participants")
    assert not recorder.errors, recorder.error_examples
    return {"pool": pool, "run": run, "participant": people["items"][0]["id"]}


# --- the run and its report --------------------------------------------------------------


@dataclass
class Memory:
    """Resident set sizes (kB) of the API and the worker, sampled every few seconds."""

    api: int
    worker: int
    samples: list[tuple[float, int, int]] = field(default_factory=list)

    async def sample(self, recorder: Recorder, deadline: float, every: float = 5.0) -> None:
        while time.monotonic() < deadline:
            at = time.monotonic() - recorder.measured_from
            self.samples.append((at, _rss_kb(self.api), _rss_kb(self.worker)))
            await asyncio.sleep(every)
        self.samples.append((deadline - recorder.measured_from, *self.now()))

    def now(self) -> tuple[int, int]:
        return _rss_kb(self.api), _rss_kb(self.worker)

    def at(self, seconds: float) -> tuple[int, int]:
        """The last sample taken by `seconds` after the warm-up ended."""
        taken = [(api, worker) for at, api, worker in self.samples if at <= seconds]
        return taken[-1] if taken else self.samples[0][1:]


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(recorder: Recorder, memory: Memory, duration: float, receiver: Receiver) -> bool:
    measured = [s for s in recorder.samples if s[1] >= 0]
    warm_errors = sum(1 for s in recorder.samples if s[1] < 0 and s[3])
    print(
        f"\n{'minute':>6} {'requests':>9} {'req/s':>7} {'p50':>7} {'p99':>8} {'errors':>6}"
        f" {'API RSS':>9} {'worker RSS':>10}"
    )
    for minute in range(int(duration // 60) or 1):
        rows = [s for s in measured if minute * 60 <= s[1] < (minute + 1) * 60]
        latencies = [s[2] for s in rows]
        span = min(60.0, duration - minute * 60)
        api, worker = memory.at((minute + 1) * 60)
        print(
            f"{minute + 1:>6} {len(rows):>9} {len(rows) / span:>7.1f}"
            f" {_percentile(latencies, 50):>5.1f}ms {_percentile(latencies, 99):>6.1f}ms"
            f" {sum(1 for s in rows if s[3]):>6} {api / 1024:>6.1f}MiB {worker / 1024:>7.1f}MiB"
        )
    by_endpoint: dict[str, list[float]] = defaultdict(list)
    failed: Counter[str] = Counter()
    for name, _, elapsed, error in measured:
        by_endpoint[name].append(elapsed)
        failed[name] += error
    print(f"\n{'endpoint':<46} {'requests':>9} {'p50':>8} {'p99':>8} {'max':>8} {'errors':>6}")
    for name, latencies in sorted(by_endpoint.items(), key=lambda item: -len(item[1])):
        print(
            f"{name:<46} {len(latencies):>9} {_percentile(latencies, 50):>6.1f}ms"
            f" {_percentile(latencies, 99):>6.1f}ms {max(latencies):>6.1f}ms {failed[name]:>6}"
        )
    errors = sum(failed.values())
    print(
        f"\n{len(measured)} requests in {duration:.0f}s: {len(measured) / duration:.1f} req/s,"
        f" {errors} errors ({warm_errors} in the warm-up)"
    )
    for name, example in recorder.error_examples.items():
        print(f"  {name}: {recorder.errors[name]} errors, e.g. {example}")
    start, end = memory.at(0), memory.at(duration)
    peak = [max(sample[i] for sample in memory.samples) for i in (1, 2)]
    growth = []
    for label, i in (("API", 0), ("worker", 1)):
        growth.append((end[i] - start[i]) / start[i] * 100)
        print(
            f"{label} RSS: {start[i] / 1024:.1f} MiB after the warm-up, {end[i] / 1024:.1f} MiB"
            f" at the end ({growth[-1]:+.1f} %), peak {peak[i] / 1024:.1f} MiB"
        )
    completed = Counter(recorder.completed_tasks)
    doubled = sum(1 for count in receiver.deliveries.values() if count > 1)
    lost = sorted(set(completed) - set(receiver.deliveries))
    unasked = sorted(set(receiver.deliveries) - set(completed))
    print(
        f"tasks completed (200): {len(recorder.completed_tasks)}, {len(completed)} distinct;"
        f" webhooks received for {len(receiver.deliveries)} tasks, {doubled} more than once;"
        f" missing {lost[:5]}, not completed here {unasked[:5]}"
    )
    return (
        errors == 0
        and warm_errors == 0
        and not lost
        and not unasked
        and len(completed) == len(recorder.completed_tasks)
        and doubled == 0
        and max(growth) < 10
    )


async def drive(arguments: argparse.Namespace, children: list[Child], logs: Path) -> bool:
    receiver = Receiver()
    hook = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    hook_url = f"http://127.0.0.1:{hook.sockets[0].getsockname()[1]}/hook"
    limits = httpx.Limits(max_connections=arguments.concurrency)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{arguments.port}", limits=limits, timeout=30
        ) as client:
            await _ready(client)
            emails, staff = await _app_users(arguments)
            office_ids = await _prepare(client, staff, hook_url)
            return await _load(arguments, client, children, emails, office_ids, receiver, logs)
    finally:
        hook.close()


async def _load(
    arguments: argparse.Namespace,
    client: httpx.AsyncClient,
    children: list[subprocess.Popen[bytes]],
    emails: list[str],
    office_ids: dict[str, str],
    receiver: Receiver,
    logs: Path,
) -> bool:
    """`concurrency` virtual users, the first as the demo HR, the rest sharing the app users."""
    recorder = Recorder(time.monotonic() + arguments.warmup)
    deadline = recorder.measured_from + arguments.duration
    memory = Memory(children[0].pid, children[1].pid)
    app_users = arguments.concurrency - 1
    users = [
        virtual_user(client, recorder, emails[n::app_users], deadline, n, None)
        for n in range(app_users)
    ]
    users.append(
        virtual_user(client, recorder, ["hr@demo.example"], deadline, app_users, office_ids)
    )
    sampler = asyncio.create_task(memory.sample(recorder, deadline))
    await asyncio.gather(*users)
    await sampler
    completed = set(recorder.completed_tasks)
    print(f"load done; waiting for the webhooks of {len(completed)} completed tasks", flush=True)
    for _ in range(120):  # the worker delivers what the last seconds completed
        if completed <= set(receiver.deliveries):
            break
        await asyncio.sleep(0.5)
    ok = report(recorder, memory, arguments.duration, receiver)
    for name in ("api", "worker"):
        text = (logs / f"{name}.log").read_text(errors="replace")
        print(f"{name} log: {text.count('Traceback')} tracebacks, {text.count('ERROR')} ERROR")
    return ok


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True, help="postgresql+asyncpg://… owner")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--duration", type=float, default=600, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=60, help="seconds before measuring")
    parser.add_argument("--concurrency", type=int, default=24, help="virtual users")
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--calibrate", action="store_true", help="run bench/run.py before and after the load"
    )
    arguments = parser.parse_args()
    env = _env(arguments)
    set_up(arguments, env)
    calibrate = [sys.executable, str(BENCH / "run.py"), "--database-url", arguments.database_url]
    if arguments.calibrate:
        subprocess.run(calibrate, check=True)
    logs = Path(tempfile.mkdtemp(prefix="hrcore-soak-"))
    children = start(arguments, env, logs)
    try:
        ok = asyncio.run(drive(arguments, children, logs))
    finally:
        stop(children)
        print(f"logs of the API and the worker: {logs}")
    if arguments.calibrate:
        subprocess.run(calibrate, check=True)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    cli()
