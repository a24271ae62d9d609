"""`hrcore serve --workers 2` comes up on a busy machine and stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import DATABASE_URL, REDIS_URL

READY_WITHIN = 180.0
"""Both workers import the whole app at once; on a loaded machine that takes long."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _workers(pid: int) -> list[int]:
    """The server's child processes but multiprocessing's resource tracker."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(child) for child in children.read_text().split()] if children.exists() else []
    return [
        child
        for child in found
        if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def test_serve_with_two_workers_becomes_ready_and_stops(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "HRCORE_DATABASE_URL": DATABASE_URL,
        "HRCORE_REDIS_URL": REDIS_URL,
        "HRCORE_LOG_JSON": "false",
    }
    hrcore = Path(sys.executable).parent / "hrcore"
    with log.open("w") as output:
        server = subprocess.Popen(
            [hrcore, "serve", "--workers", "2", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + READY_WITHIN
        ready = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
            except httpx.TransportError:
                time.sleep(0.5)
                continue
            if ready.status_code == 200:
                break
        assert ready is not None, log.read_text()
        assert ready.status_code == 200, log.read_text()
        assert len(_workers(server.pid)) == 2, "two workers serve"
        assert "starting another" not in log.read_text(), "no worker was replaced"
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0, log.read_text()
