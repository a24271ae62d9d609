"""Migrations upgrade from empty, step down and back up, and match the models exactly."""

from __future__ import annotations

import asyncio
import json
import uuid

import asyncpg
from alembic import command
from sqlalchemy import make_url

from hrcore.core.migrations import alembic_config, downgrade, head_revisions, upgrade
from hrcore.settings import Settings
from tests.conftest import recreate_database, scratch_database_url

URL = scratch_database_url("migrations")


async def _tables() -> set[str]:
    plain = make_url(URL).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(plain)
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    finally:
        await connection.close()
    return {row["tablename"] for row in rows} - {"alembic_version"}


def _plain_url() -> str:
    return make_url(URL).set(drivername="postgresql").render_as_string(hide_password=False)


async def _insert_manager_chain() -> list[str]:
    """Three employees, each managing the next, written as they were before migration 0003."""
    connection = await asyncpg.connect(_plain_url())
    try:
        org = await connection.fetchval(
            "INSERT INTO organizations (id, slug, name, timezone, locale, version) "
            "VALUES (gen_random_uuid(), 'm', 'M', 'UTC', 'en', 1) RETURNING id"
        )
        department = await connection.fetchval(
            "INSERT INTO departments (id, org_id, name, code, path, version) "
            "VALUES (gen_random_uuid(), $1, 'D', 'D', '/', 1) RETURNING id",
            org,
        )
        ids: list[str] = []
        for n in range(3):
            ids.append(
                str(
                    await connection.fetchval(
                        "INSERT INTO employees (id, org_id, employee_number, full_name, "
                        "department_id, manager_id, hire_date, status, version) VALUES "
                        "(gen_random_uuid(), $1, $2, 'E', $3, $4, '2020-01-01', 'active', 1) "
                        "RETURNING id",
                        org,
                        f"E{n}",
                        department,
                        uuid.UUID(ids[-1]) if ids else None,
                    )
                )
            )
        return ids
    finally:
        await connection.close()


async def _manager_paths() -> dict[str, str]:
    connection = await asyncpg.connect(_plain_url())
    try:
        rows = await connection.fetch("SELECT id::text, manager_path FROM employees")
    finally:
        await connection.close()
    return {row["id"]: row["manager_path"] for row in rows}


async def test_upgrade_downgrade_upgrade_and_no_drift(settings: Settings) -> None:
    await recreate_database(URL)
    migrations = settings.migrations_dir

    await asyncio.to_thread(upgrade, migrations, URL)
    at_head = await _tables()
    assert {"outbox_messages", "idempotency_keys"} <= at_head

    await asyncio.to_thread(downgrade, migrations, URL, "-1")
    await asyncio.to_thread(upgrade, migrations, URL)
    assert await _tables() == at_head

    await asyncio.to_thread(downgrade, migrations, URL, "0002")
    chain = await _insert_manager_chain()
    await asyncio.to_thread(upgrade, migrations, URL)
    assert await _tables() == at_head
    assert await _manager_paths() == {
        chain[0]: "/",
        chain[1]: f"/{chain[0]}/",
        chain[2]: f"/{chain[0]}/{chain[1]}/",
    }, "0003 backfills the materialized manager chain"

    # Autogenerate finds nothing to do: the models and the migrations agree.
    await asyncio.to_thread(command.check, alembic_config(migrations, URL))

    await asyncio.to_thread(downgrade, migrations, URL, "base")
    assert await _tables() == set()
    assert len(head_revisions(migrations)) == 1, "one linear history"


async def test_template_revisions_start_with_every_templates_current_revision(
    settings: Settings,
) -> None:
    """0026 copies each review form and program template in at its current revision, with
    the content the domains write; its downgrade drops the table."""
    await recreate_database(URL)
    migrations = settings.migrations_dir
    await asyncio.to_thread(upgrade, migrations, URL, "0025")
    connection = await asyncpg.connect(_plain_url())
    try:
        org = await connection.fetchval(
            "INSERT INTO organizations (id, slug, name, timezone, locale, version) "
            "VALUES (gen_random_uuid(), 't', 'T', 'UTC', 'en', 1) RETURNING id"
        )
        form = await connection.fetchval(
            "INSERT INTO review_templates (id, org_id, name, revision, indicators, kind_weights, "
            "department_overrides, version) VALUES (gen_random_uuid(), $1, 'Annual', 3, "
            """'[{"key": "k"}]', '{"quantitative": 100}', '[]', 3) RETURNING id""",
            org,
        )
        plan = await connection.fetchval(
            "INSERT INTO program_templates (id, org_id, name, revision, description, stages, "
            "department_variants, version) VALUES (gen_random_uuid(), $1, 'Chiefs', 1, NULL, "
            """'[{"key": "s"}]', '[]', 1) RETURNING id""",
            org,
        )
        await asyncio.to_thread(upgrade, migrations, URL, "0026")
        rows = await connection.fetch(
            "SELECT kind, template_id, revision, content::text FROM template_revisions "
            "ORDER BY kind"
        )
        assert [(r["kind"], r["template_id"], r["revision"]) for r in rows] == [
            ("program_template", plan, 1),
            ("review_template", form, 3),
        ]
        assert [json.loads(r["content"]) for r in rows] == [
            {
                "name": "Chiefs",
                "description": None,
                "stages": [{"key": "s"}],
                "department_variants": [],
            },
            {
                "name": "Annual",
                "indicators": [{"key": "k"}],
                "kind_weights": {"quantitative": 100},
                "department_overrides": [],
            },
        ]
        await asyncio.to_thread(downgrade, migrations, URL, "0025")
        assert "template_revisions" not in await _tables()
    finally:
        await connection.close()
    await asyncio.to_thread(downgrade, migrations, URL, "base")
