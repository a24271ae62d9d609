"""`hrcore serve` with several worker processes: uvicorn's supervisor, patient with a worker
that is still starting on a busy machine, and saying at WARNING why it replaces one."""

from __future__ import annotations

import logging
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

logger = logging.getLogger("hrcore.serve")


class _Supervisor(Multiprocess):
    """uvicorn's `Multiprocess`, with the reason for every restart logged at WARNING.

    A worker answers the parent's health check from a thread; while it imports the app on a
    loaded machine that answer can take seconds, and uvicorn's default of 5 s killed such
    workers over and over, logging only "died" at INFO. The timeout is now a setting.
    """

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        timeout = self.config.timeout_worker_healthcheck
        for index, process in enumerate(self.processes):
            if not process.process.is_alive():
                reason = f"exited with code {process.exitcode}"
            elif process.ping(timeout):
                continue
            else:
                reason = (
                    f"did not answer the health check within {timeout} s"
                    " (HRCORE_WORKER_HEALTHCHECK_SECONDS)"
                )
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error("worker %s failed to start; stopping", process.pid)
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.warning("worker %s %s; starting another", process.pid, reason)
            replacement = Process(self.config, self.sockets)
            replacement.start()
            self.processes[index] = replacement


def serve(app: str, *, workers: int, healthcheck_seconds: int, **options: Any) -> None:
    """Run `app` (an import string of a factory) with `workers` processes."""
    if workers <= 1:
        uvicorn.run(app, factory=True, **options)
        return
    config = uvicorn.Config(
        app,
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=healthcheck_seconds,
        **options,
    )
    _Supervisor(config, sockets=[config.bind_socket()]).run()
