"""`tenant_transaction`: the side transactions of jobs and crons, scoped to one organization."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime


async def test_a_tenant_transaction_is_scoped_to_its_organization(runtime: Runtime) -> None:
    org_id = uuid.uuid4()
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        scoped = await session.scalar(text("SELECT current_setting('app.org_id', true)"))
    assert scoped == str(org_id)

    async with runtime.sessionmaker() as session:
        outside = await session.scalar(text("SELECT current_setting('app.org_id', true)"))
    assert outside in (None, "")
