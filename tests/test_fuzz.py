"""Schemathesis over the published OpenAPI document: no input produces a server error, and
every answer (status, content type, body) is the one the document describes."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.seed import DEMO_PASSWORD, DEMO_SLUG, seed_demo
from tests.conftest import DATABASE_URL, REDIS_URL
from tests.servers import PATIENCE
from tests.test_dev_command import _free_port, _wait_ok

SCHEMATHESIS = Path(sys.executable).parent / "st"


def _fuzz(token: str, config: Path) -> subprocess.CompletedProcess[str]:
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
        _wait_ok(f"http://127.0.0.1:{port}/readyz", time.monotonic() + PATIENCE)
        return subprocess.run(
            [
                str(SCHEMATHESIS),
                f"--config-file={config}",
                "run",
                f"http://127.0.0.1:{port}/openapi.json",
                "--checks=not_a_server_error,status_code_conformance,"
                "content_type_conformance,response_schema_conformance",
                f"--header=Authorization: Bearer {token}",
                "--max-examples=5",
                "--generation-deterministic",
                "--phases=fuzzing",
                "--exclude-path=/api/v1/auth/token",
                "--exclude-path-regex=/stream$",  # server-sent events never end
                "--workers=4",
            ],
            capture_output=True,
            text=True,
            timeout=780,
            check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=PATIENCE)


@pytest.mark.slow
@pytest.mark.commits  # the served app (another process) reads the seeded demo
@pytest.mark.timeout(1200)  # a net above its bounds: ~50 s on a quiet machine, minutes loaded
async def test_every_generated_request_gets_a_documented_answer(
    client: AsyncClient, app: FastAPI, runtime: Runtime, tmp_path: Path
) -> None:
    await seed_demo(runtime)
    login = await client.post(
        "/api/v1/auth/token",
        json={"org": DEMO_SLUG, "email": "hr@demo.example", "password": DEMO_PASSWORD},
    )
    token = login.json()["access_token"]
    ids = await _known_ids(client, app, {"Authorization": f"Bearer {token}"})
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[parameters]\n" + "".join(f'"path.{name}" = "{value}"\n' for name, value in ids.items())
    )
    result = await asyncio.to_thread(_fuzz, token, config)
    assert result.returncode == 0, _report(result.stdout)


async def _known_ids(client: AsyncClient, app: FastAPI, headers: dict[str, str]) -> dict[str, str]:
    """A demo object's id for each path parameter a top-level list supplies: random ids only
    ever reach the 404, real ones the operation and the body it documents. Not `user_id`: the
    first user may be the HR admin the fuzzer is logged in as, and deactivating it ends the run."""
    ids: dict[str, str] = {}
    paths = app.openapi()["paths"]
    for template in paths:
        match = re.fullmatch(r"(/[^{}]+)/\{(\w+)\}", template)
        if match is None or match.group(2) in ids or match.group(2) == "user_id":
            continue
        if "get" not in paths.get(match.group(1), {}):
            continue
        listed = await client.get(match.group(1), headers=headers)
        if listed.status_code == 200 and listed.json().get("items"):
            ids[match.group(2)] = listed.json()["items"][0]["id"]
    return ids


def _report(stdout: str) -> str:
    """Each failing operation with the checks it failed, then the first cases in full."""
    failing: dict[str, list[str]] = {}
    operation = ""
    for line in stdout.splitlines():
        if header := re.fullmatch(r"_+ (\S+ \S+) _+", line):
            operation = header.group(1)
            failing[operation] = []
        elif operation and (check := re.fullmatch(r"- (ST\d+ .+)", line)):
            failing[operation].append(check.group(1))
    summary = "\n".join(
        f"{name}: {', '.join(sorted(set(checks)))}" for name, checks in failing.items()
    )
    details = stdout[stdout.find("FAILURES") :] if "FAILURES" in stdout else stdout
    return f"{len(failing)} operation(s) fail:\n{summary}\n\n{details[:6000]}"
