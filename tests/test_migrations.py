"""Migrations upgrade from empty, step down and back up, and match the models exactly."""

from __future__ import annotations

import asyncio

import asyncpg
from alembic import command
from sqlalchemy import make_url

from hrcore.core.migrations import alembic_config, downgrade, head_revisions, upgrade
from hrcore.settings import Settings
from tests.conftest import DATABASE_URL, recreate_database

URL = (
    make_url(DATABASE_URL)
    .set(database="hrcore_test_migrations")
    .render_as_string(hide_password=False)
)


async def _tables() -> set[str]:
    plain = make_url(URL).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(plain)
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    finally:
        await connection.close()
    return {row["tablename"] for row in rows} - {"alembic_version"}


async def test_upgrade_downgrade_upgrade_and_no_drift(settings: Settings) -> None:
    await recreate_database(URL)
    migrations = settings.migrations_dir

    await asyncio.to_thread(upgrade, migrations, URL)
    at_head = await _tables()
    assert {"outbox_messages", "idempotency_keys"} <= at_head

    await asyncio.to_thread(downgrade, migrations, URL, "-1")
    await asyncio.to_thread(upgrade, migrations, URL)
    assert await _tables() == at_head

    # Autogenerate finds nothing to do: the models and the migrations agree.
    await asyncio.to_thread(command.check, alembic_config(migrations, URL))

    await asyncio.to_thread(downgrade, migrations, URL, "base")
    assert await _tables() == set()
    assert len(head_revisions(migrations)) == 1, "one linear history"
