"""What masking costs the hot reads, measured side by side in one process.

    .venv/bin/python bench/run_masking.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

On `bench/generate.py`'s data (every employee with an ID number and a personal phone), the
employee list and the panoramic profile of `bench/run.py` are requested in alternating
pairs: once as built, once with the response models' masked fields emptied (no field is
masked, nothing recorded: what the reads cost before issue 25, less one Python call per
object). A machine growing slower or faster weighs on both sides alike; prints each side's
median and the median of the pairs' ratios. The dept head's reads mask four fields per
person, HR's one (the ID number, without a purpose).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from run import REDIS, _tokens

from hrcore.core.masking import MaskedModel
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.people.profile_schemas import ProfileBasics
from hrcore.people.schemas import EmployeeOut
from hrcore.settings import Settings

MODELS: list[type[MaskedModel]] = [EmployeeOut, ProfileBasics]


async def _timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    response = await call()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.text
    return elapsed


async def _pairs(call: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, float, float]:
    """Medians masked and unmasked, and the median ratio of the pairs."""
    marked = {model: model.masked_fields for model in MODELS}
    masked, bare = [], []
    for number in range(runs + 5):
        order = (True, False) if number % 2 == 0 else (False, True)
        for on in order:
            for model in MODELS:
                model.masked_fields = marked[model] if on else {}
            (masked if on else bare).append(await _timed(call))
    for model in MODELS:
        model.masked_fields = marked[model]
    masked, bare = masked[5:], bare[5:]
    ratio = statistics.median(m / b for m, b in zip(masked, bare, strict=True))
    return statistics.median(masked), statistics.median(bare), ratio


async def main(url: str, runs: int) -> None:
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    app = create_app(runtime=runtime)
    tokens = await _tokens(runtime)
    hr, division, employee = tokens["hr@bench.example"]
    head, _, _ = tokens["head@bench.example"]
    async with (
        LifespanManager(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
    ):
        subtree = {"department_id": division, "include_subtree": "true", "status": "active"}
        profile = f"/api/v1/employees/{employee}/profile"
        scenarios: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            (
                "list employees: HR, division subtree, active, 50 by name",
                lambda: client.get("/api/v1/employees", params=subtree, headers=hr),
            ),
            (
                "list employees: HR, whole org (100k), 50 by hire date",
                lambda: client.get("/api/v1/employees", params={"sort": "hire_date"}, headers=hr),
            ),
            (
                "list employees: dept head, everyone visible, 50 by name",
                lambda: client.get("/api/v1/employees", headers=head),
            ),
            ("panoramic profile: HR", lambda: client.get(profile, headers=hr)),
            ("panoramic profile: dept head", lambda: client.get(profile, headers=head)),
        ]
        print(f"{'scenario':<60} {'masked':>8} {'bare':>8} {'ratio':>6}")
        for name, call in scenarios:
            masked, bare, ratio = await _pairs(call, runs)
            print(f"{name:<60} {masked:>6.2f}ms {bare:>6.2f}ms {ratio:>6.3f}")
    await runtime.close()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.runs))


if __name__ == "__main__":
    cli()
