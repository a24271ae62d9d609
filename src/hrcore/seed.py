"""Demo data for `make dev`. Idempotent: running it twice changes nothing.

Each domain adds its demo rows here as it lands; until the identity domain exists there is
no organization to seed, so the report is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hrcore.core.runtime import Runtime


@dataclass
class SeedReport:
    """What `make dev` prints: the demo logins, by role."""

    logins: list[tuple[str, str, str]] = field(default_factory=list)


async def seed_demo(runtime: Runtime) -> SeedReport:
    """Create the demo organization if it does not exist yet."""
    del runtime
    return SeedReport()
