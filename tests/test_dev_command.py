"""`hrcore dev` serves, restarts a child that died, and Ctrl-C leaves no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from hrcore import devstack
from tests.conftest import DATABASE_URL, REDIS_URL
from tests.servers import PATIENCE


def _free_port() -> int:
    """A port whose successor is free too (the worker's health endpoint takes port + 1)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


def _wait_ok(url: str, deadline: float) -> httpx.Response:
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, timeout=1)
            if response.status_code == 200:
                return response
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered 200")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(child) for child in children.read_text().split()] if children.exists() else []
    return found + [grandchild for child in found for grandchild in _descendants(child)]


def _worker_pid(parent: int) -> int | None:
    for pid in _descendants(parent):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"worker" in command and _alive(pid):
            return pid
    return None


def _stop_everything(process: subprocess.Popen[bytes], state_dir: Path) -> None:
    """After a failed assertion: Ctrl-C first (the supervisor stops its children), then kill
    whatever is left, so a failing run leaves no API or worker behind."""
    children = _descendants(process.pid)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        process.kill()
    for pid in children:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    devstack.stop(state_dir)


@pytest.mark.slow
@pytest.mark.timeout(720)  # a net above its own bounds: 360 s to serve and restart, 240 s to stop
def test_dev_serves_restarts_a_dead_child_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("HRCORE_")} | {
        "HRCORE_STATE_DIR": str(tmp_path / "state"),
        "PORT": str(port),
        "HRCORE_LOG_JSON": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "hrcore", "dev"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 360
        _wait_ok(f"http://127.0.0.1:{port}/readyz", deadline)
        assert _wait_ok(f"http://127.0.0.1:{port}/docs", deadline).status_code == 200
        _wait_ok(f"http://127.0.0.1:{port + 1}/readyz", deadline)  # the worker's own

        killed = _worker_pid(process.pid)
        assert killed is not None
        os.kill(killed, signal.SIGKILL)
        while _alive(killed) and time.monotonic() < deadline:
            time.sleep(0.1)
        while _worker_pid(process.pid) in (None, killed) and time.monotonic() < deadline:
            assert process.poll() is None, "a dead worker must not stop `hrcore dev`"
            time.sleep(0.2)
        assert _worker_pid(process.pid) not in (None, killed)
        _wait_ok(f"http://127.0.0.1:{port + 1}/readyz", time.monotonic() + PATIENCE)
        assert _wait_ok(f"http://127.0.0.1:{port}/readyz", deadline).status_code == 200

        processes = _descendants(process.pid)
        postgres_pid = int((tmp_path / "state/postgres/postmaster.pid").read_text().split()[0])
        redis_pid = int((tmp_path / "state/redis.pid").read_text().strip())
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=PATIENCE)
    finally:
        if process.poll() is None:
            _stop_everything(process, tmp_path / "state")
    assert process.returncode == 0, output.decode()
    assert b"stopped embedded postgres, redis" in output
    # The banner once, after the API answered; the seed's contract PDFs log no font chatter.
    assert output.count(b"hrcore is running:") == 1
    assert b"fontTools" not in output
    assert b"the worker exited with code -9; restarting it" in output
    leftovers = [pid for pid in [*processes, postgres_pid, redis_pid] if _alive(pid)]
    assert leftovers == []


def test_worker_burst_exits_when_nothing_is_due(database: str) -> None:
    env = os.environ | {"HRCORE_DATABASE_URL": DATABASE_URL, "HRCORE_REDIS_URL": REDIS_URL}
    result = subprocess.run(
        [sys.executable, "-m", "hrcore", "worker", "--burst"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
