"""Benchmark the points reads over 10,000,000 ledger entries for 100,000 employees: a
leaderboard page and one balance, through the app's code path.

    .venv/bin/python bench/training_points.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py, then bench/generate_training_points.py first. Then, in process
through the real app as bench/run.py (median and p95 of the whole request, SQL statements
per request, auth included), for the quarter 2026-Q4 (issue 24's targets: a leaderboard page
under 20 ms median, a balance under 10 ms):

- `GET /points/leaderboard` — the organization's board, its first page and its tenth (the
  cursor carries the rank), 50 rows each, by the division head;
- `GET /points/leaderboard?department_id=` — the head's division (10,000 people);
- `GET /me/points` — the head's own balance, ranks, badges and latest entries.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from run import REDIS, Result, _measure, _tokens, statement_counter

from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.settings import Settings

PERIOD = "2026-Q4"
BOARD = "/api/v1/points/leaderboard"


async def _tenth_page_cursor(client: AsyncClient, headers: dict[str, str]) -> str:
    cursor = ""
    for _ in range(9):
        params = {"period": PERIOD, "limit": 50} | ({"cursor": cursor} if cursor else {})
        response = await client.get(BOARD, params=params, headers=headers)
        assert response.status_code == 200, response.text
        cursor = response.json()["next_cursor"]
    return cursor


async def main(url: str, runs: int) -> list[Result]:
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    counter = statement_counter(runtime)
    app = create_app(runtime=runtime)
    tokens = await _tokens(runtime)
    head, division, _ = tokens["head@bench.example"]
    results = []
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        tenth = await _tenth_page_cursor(client, head)
        scenarios: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            (
                "leaderboard: organization, first page of 50",
                lambda: client.get(BOARD, params={"period": PERIOD}, headers=head),
            ),
            (
                "leaderboard: organization, tenth page of 50 (cursor)",
                lambda: client.get(
                    BOARD, params={"period": PERIOD, "limit": 50, "cursor": tenth}, headers=head
                ),
            ),
            (
                "leaderboard: a division (10,000 people), first page of 50",
                lambda: client.get(
                    BOARD, params={"period": PERIOD, "department_id": division}, headers=head
                ),
            ),
            (
                "my points: balance, ranks, badges, latest entries",
                lambda: client.get("/api/v1/me/points", params={"period": PERIOD}, headers=head),
            ),
        ]
        for name, call in scenarios:
            results.append(await _measure(name, runs, counter, call))
    await runtime.close()
    return results


def cli() -> None:
    parser = argparse.ArgumentParser(description="Latency of the points reads.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=100)
    arguments = parser.parse_args()
    results = asyncio.run(main(arguments.database_url, arguments.runs))
    print(f"{'scenario':<64} {'median':>8} {'p95':>8} {'SQL':>4}")
    for result in results:
        print(
            f"{result.name:<64} {result.median_ms:>6.1f}ms {result.p95_ms:>6.1f}ms "
            f"{result.statements:>4}"
        )


if __name__ == "__main__":
    cli()
