"""The ledger's guarantees, below any route: one award per (employee, rule, source) under
retries and concurrent duplicates, values copied when awarded, corrections that compensate
with a reason, no update or delete, and balances per month, quarter and year."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import ledger
from hrcore.training.ledger import Award
from tests.factories import make_employee, make_org, make_tree

# 2026-12-31 20:00 UTC is 2027-01-01 04:00 in Shanghai: the periods are the organization's.
NEW_YEAR_IN_SHANGHAI = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)


async def _setup(runtime: Runtime) -> tuple[uuid.UUID, uuid.UUID]:
    account = await make_org(runtime)
    tree = await make_tree(runtime, account.org_id)
    employee = await make_employee(runtime, account.org_id, tree.sales, "Li Lei")
    return account.org_id, employee.id


async def _balances(runtime: Runtime, org_id: uuid.UUID) -> dict[str, tuple[int, ...]]:
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        rows = await session.execute(
            text(
                "SELECT period, participation, outcome, sharing, total FROM points_balances"
                " ORDER BY period"
            )
        )
        return {row[0]: tuple(row[1:]) for row in rows}


async def test_award_once_per_source_and_balances_by_period(runtime: Runtime) -> None:
    org_id, employee_id = await _setup(runtime)
    source = uuid.uuid4()
    attended = Award(employee_id, "attendance", "enrolment", source, NEW_YEAR_IN_SHANGHAI)
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        first = await ledger.award(session, org_id, attended)
        again = await ledger.award(session, org_id, attended)
        late = await ledger.award(
            session, org_id, Award(employee_id, "late", "enrolment", source, NEW_YEAR_IN_SHANGHAI)
        )
    assert first is not None
    assert first.points == 10
    assert again is None
    assert late is not None
    assert late.points == -2
    assert await _balances(runtime, org_id) == {
        "2027": (8, 0, 0, 8),
        "2027-01": (8, 0, 0, 8),
        "2027-Q1": (8, 0, 0, 8),
    }


async def test_rule_edits_apply_forward_and_own_points_win(runtime: Runtime) -> None:
    org_id, employee_id = await _setup(runtime)
    at = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        await ledger.award(
            session, org_id, Award(employee_id, "teaching", "session", uuid.uuid4(), at)
        )
        await session.execute(text("UPDATE point_rules SET points = 40 WHERE code = 'teaching'"))
        await ledger.award(
            session, org_id, Award(employee_id, "teaching", "session", uuid.uuid4(), at)
        )
        await ledger.award(
            session, org_id, Award(employee_id, "attendance", "enrolment", uuid.uuid4(), at, 12)
        )
        values = (
            await session.execute(text("SELECT points FROM points_ledger ORDER BY points"))
        ).scalars()
        assert list(values) == [12, 30, 40]
    assert (await _balances(runtime, org_id))["2026-Q4"] == (12, 0, 70, 82)


async def test_corrections_compensate_and_need_a_reason(runtime: Runtime) -> None:
    org_id, employee_id = await _setup(runtime)
    at = datetime(2026, 5, 3, 2, 0, tzinfo=UTC)
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        awarded = await ledger.award(
            session, org_id, Award(employee_id, "adopted", "action_plan", uuid.uuid4(), at)
        )
        assert awarded is not None
        correction = await ledger.correct(
            session,
            org_id,
            awarded.entry_id,
            points=-50,
            reason="Plan was copied",
            recorded_by=None,
        )
        assert correction is not None
        assert (
            await ledger.correct(
                session, org_id, uuid.uuid4(), points=-1, reason="x", recorded_by=None
            )
            is None
        )
    assert (await _balances(runtime, org_id))["2026-05"] == (0, 0, 0, 0)
    with pytest.raises(IntegrityError):
        async with tenant_transaction(runtime.sessionmaker, org_id) as session:
            await session.execute(
                text(
                    "INSERT INTO points_ledger (id, org_id, employee_id, category, points,"
                    " source_type, source_id, occurred_at)"
                    " VALUES (:id, :org, :employee, 'outcome', -5, 'correction', :id, now())"
                ),
                {"id": uuid.uuid4(), "org": org_id, "employee": employee_id},
            )


@pytest.mark.parametrize(
    "statement", ["UPDATE points_ledger SET points = 0", "DELETE FROM points_ledger"]
)
async def test_the_ledger_refuses_updates_and_deletes(runtime: Runtime, statement: str) -> None:
    org_id, employee_id = await _setup(runtime)
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        await ledger.award(
            session,
            org_id,
            Award(employee_id, "article", "article", uuid.uuid4(), NEW_YEAR_IN_SHANGHAI),
        )
    with pytest.raises(DBAPIError, match="append-only"):
        async with tenant_transaction(runtime.sessionmaker, org_id) as session:
            await session.execute(text(statement))


@pytest.mark.commits
async def test_concurrent_duplicates_award_once(runtime: Runtime) -> None:
    org_id, employee_id = await _setup(runtime)
    source = uuid.uuid4()
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        await ledger.ensure_rules(session, org_id)

    async def attempt() -> bool:
        async with tenant_transaction(runtime.sessionmaker, org_id) as session:
            wanted = Award(employee_id, "attendance", "enrolment", source, NEW_YEAR_IN_SHANGHAI)
            return await ledger.award(session, org_id, wanted) is not None

    outcomes = await asyncio.gather(*(attempt() for _ in range(8)))
    assert sorted(outcomes) == [False] * 7 + [True]
    assert (await _balances(runtime, org_id))["2027"] == (10, 0, 0, 10)
