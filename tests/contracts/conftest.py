"""Contracts on the people domain's test organization, with a clock, a storage directory of
the test's own and helpers to drive the API."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import Account
from tests.people.conftest import World, count_statements, world
from tests.workflow.conftest import clock

__all__ = ["World", "clock", "count_statements", "world"]


@pytest.fixture
async def storage_dir(runtime: Runtime, tmp_path: Path) -> AsyncIterator[Path]:
    """Documents go to this test's directory (the runtime's settings are shared)."""
    original = runtime.settings.storage_dir
    runtime.settings.storage_dir = tmp_path
    try:
        yield tmp_path
    finally:
        runtime.settings.storage_dir = original


async def make_contract(
    client: AsyncClient,
    hr: Account,
    employee_id: uuid.UUID,
    *,
    start: date = date(2026, 1, 1),
    end: date | None = date(2028, 12, 31),
    kind: str = "fixed_term",
    **extra: Any,
) -> dict[str, Any]:
    body = {
        "employee_id": str(employee_id),
        "kind": kind,
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
        "work_location": "上海",
        "pay_terms_ref": "BAND-5",
    } | extra
    response = await client.post("/api/v1/contracts", json=body, headers=hr.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def stored(root: Path, pattern: str) -> dict[Path, bytes]:
    """The files under `root` matching `pattern`, with their bytes."""
    return {path: path.read_bytes() for path in root.rglob(pattern)}
