"""The read-access log under a retention rule: entries older than the rule's period and
three years go, through the owner's function; younger ones, and those about a person under
legal hold, stay; a rule shorter than three years is refused; the function itself never
deletes an entry younger than three years, whoever calls it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.db import tenant_transaction
from hrcore.core.models import new_id
from hrcore.core.runtime import Runtime
from hrcore.privacy import retention_jobs
from tests.factories import Account, make_employee, make_org, make_tree
from tests.problems import assert_problem

API = "/api/v1"
INSERT = text(
    "INSERT INTO read_access_events (id, org_id, occurred_at, actor_kind, actor_id, "
    "subject_employee_id, data_class, what, operation, masked) VALUES (:id, :org, :at, "
    "'user', :actor, :subject, 'evaluation', 'ratings', 'GET /employees/{id}', false)"
)


async def _entry(runtime: Runtime, hr: Account, subject: uuid.UUID, years_ago: float) -> uuid.UUID:
    entry = new_id()
    at = datetime.now(UTC) - timedelta(days=365.25 * years_ago)
    async with tenant_transaction(runtime.sessionmaker, hr.org_id) as session:
        values = {"id": entry, "org": hr.org_id, "at": at, "actor": hr.user_id, "subject": subject}
        await session.execute(INSERT, values)
    return entry


async def _left(runtime: Runtime, hr: Account) -> set[uuid.UUID]:
    async with tenant_transaction(runtime.sessionmaker, hr.org_id) as session:
        rows = await session.execute(text("SELECT id FROM read_access_events"))
        return {row[0] for row in rows}


@pytest.mark.commits
async def test_old_entries_go_young_and_held_ones_stay(
    api: AsyncClient, runtime: Runtime, cheap_passwords: None
) -> None:
    hr = await make_org(runtime)
    tree = await make_tree(runtime, hr.org_id)
    read = await make_employee(runtime, hr.org_id, tree.sales, "Read")
    held = await make_employee(runtime, hr.org_id, tree.sales, "Held")
    old = await _entry(runtime, hr, read.id, 4.5)
    young = await _entry(runtime, hr, read.id, 2.0)
    held_old = await _entry(runtime, hr, held.id, 4.5)
    placed = await api.post(
        f"{API}/legal-holds",
        json={"employee_id": str(held.id), "reason": "Labour arbitration"},
        headers=hr.headers,
    )
    assert placed.status_code == 201, placed.text

    short = {
        "subject_kind": "read_access_log",
        "period": {"amount": 24, "unit": "months"},
        "action": "delete",
    }
    refused = await api.post(
        f"{API}/retention-rules", json=short, headers=hr.headers | {"Accept-Language": "zh-CN"}
    )
    assert_problem(refused, 422)
    assert "至少保留 1095 天" in refused.text
    rule = short | {"period": {"amount": 36, "unit": "months"}}
    created = await api.post(f"{API}/retention-rules", json=rule, headers=hr.headers)
    assert created.status_code == 201, created.text
    changed = await api.patch(
        f"{API}/retention-rules/{created.json()['id']}",
        json={"period": {"amount": 1, "unit": "years"}, "version": created.json()["version"]},
        headers=hr.headers,
    )
    assert_problem(changed, 422)

    dry = await api.post(f"{API}/retention-rules/dry-run", json={}, headers=hr.headers)
    [answer] = dry.json()["rules"]
    assert answer["count"] == 1
    assert await retention_jobs.apply_retention({"runtime": runtime}) == 1
    assert await retention_jobs.apply_retention({"runtime": runtime}) == 0
    assert await _left(runtime, hr) == {young, held_old}
    assert old not in await _left(runtime, hr)


@pytest.mark.commits
async def test_the_function_never_deletes_a_young_entry_or_another_organizations(
    runtime: Runtime, cheap_passwords: None
) -> None:
    hr = await make_org(runtime)
    other = await make_org(runtime)
    tree = await make_tree(runtime, hr.org_id)
    person = await make_employee(runtime, hr.org_id, tree.sales, "Person")
    young = await _entry(runtime, hr, person.id, 1.0)
    old = await _entry(runtime, hr, person.id, 5.0)
    async with tenant_transaction(runtime.sessionmaker, other.org_id) as session:
        gone = await session.execute(
            text("SELECT purge_read_access_events(:ids)"), {"ids": [young, old]}
        )
        assert gone.all() == []
    async with tenant_transaction(runtime.sessionmaker, hr.org_id) as session:
        gone = await session.execute(
            text("SELECT purge_read_access_events(:ids)"), {"ids": [young, old]}
        )
        assert [row[0] for row in gone] == [old]
    assert await _left(runtime, hr) == {young}
