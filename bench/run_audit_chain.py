"""What the audit chain costs a write (issue 25): `record_many` of 1,000 events in one
transaction, and an audited HTTP write (`POST /departments`), each timed as the app role.
Side by side in the same run, the same 1,000 rows inserted into `bench_audit_plain`, a copy
of `audit_events` with the same indexes but no chain trigger: the difference is the chain's
cost, whatever the machine's load.

    HRCORE_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench \
    HRCORE_REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/run_audit_chain.py

The database must be migrated. Each run creates its own organization (an empty chain), then
fills its chain to `--history` events first, so the write appends to a chain of that length.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import time
import uuid
from typing import cast

from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from sqlalchemy import MetaData, Table, text
from sqlalchemy.ext.asyncio import create_async_engine

from hrcore import domains
from hrcore.core import audit, security
from hrcore.core.db import set_tenant, unit_of_work, unnest_insert
from hrcore.core.runtime import Runtime
from hrcore.identity import service as identity
from hrcore.main import create_app
from hrcore.settings import get_settings

PASSWORD = "bench-password-2026"
_plain_seq = itertools.count(1)


async def _organization(runtime: Runtime) -> tuple[uuid.UUID, str]:
    slug = f"audit{uuid.uuid4().hex[:8]}"
    async with unit_of_work(runtime.sessionmaker) as session:
        org, admin, _ = await identity.create_organization(
            session, slug=slug, name=slug, admin_email=f"hr@{slug}.example", locale="en"
        )
        admin.password_hash = security.hash_password(PASSWORD)
        admin.must_change_password = False
    return org.id, slug


async def _record_many(runtime: Runtime, org_id: uuid.UUID, count: int) -> float:
    """Seconds to record `count` events and commit, as a bulk use case does."""
    objects = [(uuid.uuid4(), {"status": "open", "n": n}) for n in range(count)]
    started = time.perf_counter()
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await audit.record_many(
            session, None, "bench.opened", "bench", objects, org_id=org_id, before={"n": 0}
        )
    return time.perf_counter() - started


class _Plain:
    """`audit_events` without the chain: same columns and indexes, no trigger."""

    __table__ = cast(Table, audit.AuditEvent.__table__).to_metadata(
        MetaData(), name="bench_audit_plain"
    )


async def _plain_copy(runtime: Runtime) -> None:
    assert runtime.settings.database_url
    owner = create_async_engine(runtime.settings.database_url)  # the login: the schema owner
    async with owner.begin() as connection:
        await connection.execute(text("DROP TABLE IF EXISTS bench_audit_plain"))
        await connection.execute(
            text("CREATE TABLE bench_audit_plain (LIKE audit_events INCLUDING ALL)")
        )
        await connection.execute(
            text("GRANT SELECT, INSERT, UPDATE, DELETE ON bench_audit_plain TO hrcore_app")
        )
    await owner.dispose()


async def _insert_plain(runtime: Runtime, org_id: uuid.UUID, count: int) -> float:
    """Seconds to insert the same kind of rows into the copy without the chain and commit."""
    ids = [uuid.uuid4() for _ in range(count)]
    rows = [
        {"id": event_id, "org_id": org_id, "actor_kind": "system", "actor_id": None,
         "action": "bench.opened", "object_type": "bench", "before": {"n": 0},
         "request_id": None, "object_id": uuid.uuid4(), "after": {"status": "open", "n": n},
         "seq": next(_plain_seq), "hash": "0" * 64}
        for n, event_id in enumerate(ids)
    ]  # fmt: skip
    started = time.perf_counter()
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await session.execute(unnest_insert(_Plain, rows))
    return time.perf_counter() - started


async def main(history: int, rounds: int, writes: int) -> None:
    domains.install()
    runtime = Runtime.open(get_settings(), application_name="hrcore-bench")
    try:
        org_id, slug = await _organization(runtime)
        await _plain_copy(runtime)
        for _ in range(history // 1000):
            await _record_many(runtime, org_id, 1000)
            await _insert_plain(runtime, org_id, 1000)
        bulk, plain = [], []
        for _ in range(rounds):
            bulk.append(await _record_many(runtime, org_id, 1000))
            plain.append(await _insert_plain(runtime, org_id, 1000))
        app = create_app(runtime=runtime)
        async with (
            LifespanManager(app),
            AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client,
        ):
            token = await client.post(
                "/api/v1/auth/token",
                json={"org": slug, "email": f"hr@{slug}.example", "password": PASSWORD},
            )
            assert token.status_code == 200, token.text
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            http = []
            for n in range(writes + 20):
                started = time.perf_counter()
                response = await client.post(
                    "/api/v1/departments",
                    json={"name": f"Department {n}", "code": f"D{n}"},
                    headers=headers,
                )
                elapsed = time.perf_counter() - started
                assert response.status_code == 201, response.text
                if n >= 20:  # warm-up: prepared statements, caches
                    http.append(elapsed)
    finally:
        await runtime.close()
    print(f"chain before the runs: {history:,} events")
    print(
        f"record_many(1,000) + commit: median {statistics.median(bulk) * 1000:.1f} ms, "
        f"min {min(bulk) * 1000:.1f} ms over {rounds} runs"
    )
    print(
        f"the same 1,000 rows without the chain: median {statistics.median(plain) * 1000:.1f} "
        f"ms, min {min(plain) * 1000:.1f} ms"
    )
    print(
        f"POST /departments (audited): median {statistics.median(http) * 1000:.2f} ms, "
        f"p90 {statistics.quantiles(http, n=10)[-1] * 1000:.2f} ms over {writes} writes"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--writes", type=int, default=300)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.history, arguments.rounds, arguments.writes))
