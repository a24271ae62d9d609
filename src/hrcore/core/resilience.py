"""Waiting out a dependency: exponential backoff and the worker's view of what is up.

`retry_delay` is the one backoff formula: the worker's job retries, the outbound delivery
engine's `next_attempt_at` (which must match the retry it predicts) and `Backoff` use it.

A worker must outlive PostgreSQL and Redis: a failure is a wait and a reconnect, never an
exit. `Dependencies` keeps one state per dependency, logs each loss and each return once (not
once per failed call) and exports them as `hrcore_worker_dependency_up` and
`hrcore_worker_reconnects_total`.
"""

from __future__ import annotations

import logging
import random

from hrcore.core.metrics import DEPENDENCY_UP, RECONNECTS

logger = logging.getLogger("hrcore.resilience")

DATABASE = "database"
REDIS = "redis"


def retry_delay(base_seconds: float, attempt: int) -> float:
    """The wait after failed try `attempt` (1, 2, 3…): base, 2×base, 4×base…"""
    return float(base_seconds * 2 ** (attempt - 1))


class Backoff:
    """Delays of first, 2×first, 4×first… capped at `cap`, with ±10 % jitter so that several
    workers do not reconnect in step."""

    def __init__(self, *, first: float = 0.5, cap: float = 30.0) -> None:
        self.first = min(first, cap)
        self.cap = cap
        self.failures = 0

    def next(self) -> float:
        delay = min(self.cap, retry_delay(self.first, self.failures + 1))
        self.failures += 1
        return delay * random.uniform(0.9, 1.1)  # noqa: S311  (jitter, not security)

    def reset(self) -> None:
        self.failures = 0


class Dependencies:
    """Which dependencies the worker reaches now; every loop of the worker reports here."""

    def __init__(self, *names: str) -> None:
        self._up = dict.fromkeys(names, True)
        for name in names:
            DEPENDENCY_UP.labels(name).set(1)

    def is_up(self, name: str) -> bool:
        return self._up[name]

    def down(self, name: str, error: BaseException, *, retry_in: float) -> None:
        if self._up[name]:
            logger.warning(
                "%s unreachable (%s: %s); waiting and reconnecting",
                name,
                type(error).__name__,
                error,
            )
        else:
            logger.info("%s still unreachable; next try in %.1f s", name, retry_in)
        self._up[name] = False
        DEPENDENCY_UP.labels(name).set(0)

    def up(self, name: str) -> bool:
        """Mark `name` reachable; True when that ends an outage (a reconnect)."""
        if self._up[name]:
            return False
        self._up[name] = True
        DEPENDENCY_UP.labels(name).set(1)
        RECONNECTS.labels(name).inc()
        logger.warning("%s reachable again", name)
        return True
