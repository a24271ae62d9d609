"""The pass/fail answer for bulk evaluation (`eligibility_bulk.failing`, what the nightly
flagging asks first) is the detailed evaluation's: on a small world where every rule kind
passes for someone and fails for someone, the employees failing any rule and which rules
they fail are the same from both, over the whole organization and among some employees."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.mentoring import eligibility, eligibility_bulk
from hrcore.mentoring.schemas import RULES
from hrcore.people import api as people
from hrcore.people.models import Employee
from tests.mentoring import effectiveness_helpers as mentoring
from tests.mentoring.m4_helpers import certify, publish_reviews, rate
from tests.mentoring.test_effectiveness import _recompute
from tests.people.conftest import World, count_statements, world

__all__ = ["world"]
EVERY_KIND = RULES.validate_python(
    [
        {"kind": "top_performance", "letter": "A", "periods": 2},
        {"kind": "former_mentees_gain", "min_mentees": 2, "min_gain_percent": 20},
        {"kind": "certificate", "name": "Mentor course"},
        {"kind": "review_rating", "min_overall": 75},
        {"kind": "tenure", "min_months": 12},
    ]
)


async def _mentored(runtime: Runtime, world: World, mentor: Any, mentees: list[Any]) -> Any:
    made = await mentoring.make_mentor(runtime, world.hr.org_id, mentor.id)
    for mentee in mentees:
        pairing = await mentoring.make_pairing(
            runtime, made, mentee.id, starts_on=date(2025, 1, 10), ends_on=date(2025, 12, 20)
        )
        await mentoring.end_pairing(runtime, pairing)
    return made


async def _world(client: AsyncClient, runtime: Runtime, world: World, owner: AsyncEngine) -> None:
    """Lead passes every rule; boss, peer, member and the mentees each fail some."""
    org_id = world.hr.org_id
    await rate(client, world.hr, world.lead.id, "AAA")
    await rate(client, world.hr, world.boss.id, "BAA")
    await rate(client, world.hr, world.peer.id, "AA")
    await mentoring.rate(client, world.hr, world.junior.id, y2024=3.5, y2025=4.2)
    await mentoring.rate(client, world.hr, world.engineer.id, y2024=3.0, y2025=4.0)
    await mentoring.rate(client, world.hr, world.member.id, y2024=4.0, y2025=4.4)
    lead = await _mentored(runtime, world, world.lead, [world.junior, world.engineer])
    boss = await _mentored(runtime, world, world.boss, [world.member, world.junior])
    await _recompute(runtime, org_id, [lead.id, boss.id])
    await certify(
        client, world.lead_account, {"name": "mentor COURSE", "obtained_on": "2024-03-01"}
    )
    await certify(
        client, world.member_account, {"name": "Mentor course", "obtained_on": "2025-01-02"}
    )
    await certify(
        client,
        world.junior_account,
        {"name": "Mentor course", "obtained_on": "2020-01-01", "expires_on": "2024-12-31"},
    )
    await publish_reviews(runtime, org_id, {world.lead.id: 86.5, world.boss.id: 60})
    await publish_reviews(runtime, org_id, {world.member.id: 80})
    recent = await mentoring.org_today(runtime, org_id) - timedelta(days=100)
    async with owner.begin() as connection:
        await connection.execute(
            update(Employee).where(Employee.id == world.peer.id).values(hire_date=recent)
        )


async def _both(
    runtime: Runtime, org_id: uuid.UUID, among: list[uuid.UUID] | None
) -> tuple[dict[uuid.UUID, list[str]], dict[uuid.UUID, list[str]], int]:
    """The bulk answer, the failures read from the detailed checks, and how many statements
    the bulk answer took."""
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        with count_statements(runtime) as counted:
            bulk = await eligibility_bulk.failing(session, org_id, EVERY_KIND, runtime.clock, among)
        ids = among if among is not None else await people.active_employee_ids(session, org_id)
        checks = await eligibility.evaluate_many(session, org_id, ids, EVERY_KIND, runtime.clock)
    detailed = {
        employee_id: [check.kind for check in found if not check.passed]
        for employee_id, found in checks.items()
        if not all(check.passed for check in found)
    }
    kinds = [rule.kind for rule in EVERY_KIND]
    for position, kind in enumerate(kinds):
        outcomes = {found[position].passed for found in checks.values()}
        assert among is not None or outcomes == {True, False}, f"{kind} passes and fails"
    return bulk, detailed, counted.count


async def test_the_bulk_answer_is_the_detailed_one_for_every_rule_kind(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    org_id = world.hr.org_id
    await _world(client, runtime, world, owner_engine)

    bulk, detailed, statements = await _both(runtime, org_id, None)
    assert bulk == detailed
    assert world.lead.id not in bulk, "lead passes every rule"
    assert bulk[world.boss.id] == ["former_mentees_gain", "certificate", "review_rating"]
    assert bulk[world.peer.id] == [
        "former_mentees_gain",
        "certificate",
        "review_rating",
        "tenure",
    ]
    assert bulk[world.member.id] == ["top_performance", "former_mentees_gain"]
    assert "certificate" in bulk[world.junior.id], "an expired certificate does not count"
    assert statements <= 6

    some = [world.lead.id, world.boss.id, world.member.id, uuid.uuid4()]
    bulk, detailed, _ = await _both(runtime, org_id, some)
    assert bulk == detailed
    assert set(bulk) == {world.boss.id, world.member.id}, "an unknown id is not an employee"
