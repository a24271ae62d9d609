"""`core.db.among`: the filter other domains apply to a named query's ids binds one array,
so a reach larger than PostgreSQL's 32,767 parameters still runs, and matches exactly."""

from __future__ import annotations

import uuid

from sqlalchemy import Uuid, column, select, values

from hrcore.core.db import among
from hrcore.core.runtime import Runtime


async def test_among_matches_exactly_however_many_ids_it_is_given(runtime: Runtime) -> None:
    reach = [uuid.uuid4() for _ in range(40_000)]
    outside = uuid.uuid4()
    rows = values(column("id", Uuid()), name="candidates").data(
        [(reach[0],), (reach[-1],), (outside,)]
    )
    async with runtime.sessionmaker() as session:
        found = set(await session.scalars(select(rows.c.id).where(among(rows.c.id, reach))))
        nothing = list(await session.scalars(select(rows.c.id).where(among(rows.c.id, []))))
    assert found == {reach[0], reach[-1]}
    assert nothing == []
