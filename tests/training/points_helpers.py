"""Points for the points tests: awards written through the ledger as the parts that earn
them do (their routes are other parts'), and the reads' URLs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import ledger
from hrcore.training.ledger import Award

RULES = "/api/v1/point-rules"
SETTINGS = "/api/v1/point-settings"
LEDGER = "/api/v1/points/ledger"
MINE = "/api/v1/me/points"
BOARD = "/api/v1/points/leaderboard"
NOVEMBER = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
"""3 November 2026, 10:00 in Shanghai: 2026-11, 2026-Q4, 2026."""


async def give(
    runtime: Runtime,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    code: str,
    at: datetime = NOVEMBER,
    points: int | None = None,
) -> uuid.UUID:
    """One award of `code` for a new source; its entry's id."""
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        awarded = await ledger.award(
            session, org_id, Award(employee_id, code, "test", uuid.uuid4(), at, points)
        )
    assert awarded is not None
    return awarded.entry_id
