"""Schemathesis over the published OpenAPI document: no input produces a server error."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.seed import DEMO_PASSWORD, DEMO_SLUG, seed_demo
from tests.conftest import DATABASE_URL, REDIS_URL
from tests.test_dev_command import _free_port, _wait_ok

SCHEMATHESIS = Path(sys.executable).parent / "st"


def _fuzz(token: str) -> subprocess.CompletedProcess[str]:
    """Serve the real app on a free port and let schemathesis loose on it as an HR admin."""
    port = _free_port()
    env = os.environ | {
        "HRCORE_DATABASE_URL": DATABASE_URL,
        "HRCORE_REDIS_URL": REDIS_URL,
        "HRCORE_LOG_LEVEL": "WARNING",
        "HRCORE_WEBHOOK_TIMEOUT_SECONDS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "hrcore", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ok(f"http://127.0.0.1:{port}/readyz", time.monotonic() + 120)
        return subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"http://127.0.0.1:{port}/openapi.json",
                "--checks=not_a_server_error",
                f"--header=Authorization: Bearer {token}",
                "--max-examples=8",
                "--generation-deterministic",
                "--phases=fuzzing",
                "--exclude-path=/api/v1/auth/token",
            ],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
async def test_no_generated_request_causes_a_5xx(client: AsyncClient, runtime: Runtime) -> None:
    await seed_demo(runtime)
    login = await client.post(
        "/api/v1/auth/token",
        json={"org": DEMO_SLUG, "email": "hr@demo.example", "password": DEMO_PASSWORD},
    )
    result = await asyncio.to_thread(_fuzz, login.json()["access_token"])
    failures = result.stdout.find("FAILURES")
    assert result.returncode == 0, (
        result.stdout[failures:][:6000] if failures >= 0 else result.stdout
    )
