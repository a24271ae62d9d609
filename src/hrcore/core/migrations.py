"""Alembic driven from code: `hrcore migrate`, the worker's start-up check and /readyz."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    """Alembic is imported when first needed (a second of every process's start-up
    otherwise): `/readyz`'s first check, `hrcore migrate`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@lru_cache
def head_revisions(migrations_dir: Path) -> frozenset[str]:
    """The head revision ids of the scripts on disk (read once per process)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(migrations_dir, "postgresql://"))
    return frozenset(script.get_heads())


async def current_revisions(engine: AsyncEngine) -> frozenset[str]:
    """The revisions stamped in the database; empty when it was never migrated."""
    async with engine.connect() as connection:
        exists = await connection.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL"))
        if not exists:
            return frozenset()
        rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
        return frozenset(row[0] for row in rows)


async def is_at_head(engine: AsyncEngine, migrations_dir: Path) -> bool:
    return await current_revisions(engine) == head_revisions(migrations_dir)


def upgrade(migrations_dir: Path, database_url: str, revision: str = "heads") -> None:
    """Run migrations as the schema owner. Blocking: call it outside an event loop."""
    from alembic import command

    command.upgrade(alembic_config(migrations_dir, database_url), revision)


def downgrade(migrations_dir: Path, database_url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(migrations_dir, database_url), revision)


async def upgrade_async(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    """`upgrade` from async code; Alembic's async env starts its own event loop."""
    await asyncio.to_thread(upgrade, migrations_dir, database_url, revision)
