"""Action-plan completion per employee over a window of due days (the organization's),
in one statement for any number of employees."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from httpx import AsyncClient

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import action_plan_rates, action_plan_repository
from tests.conftest import recorded_statements
from tests.people.conftest import World, world
from tests.training.action_plan_helpers import (
    completed_enrolment,
    make_plan,
    score,
    submit,
)
from tests.training.factory import make_course

__all__ = ["world"]
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


async def test_scored_over_due_in_the_window_per_employee(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id

    async def plan(employee_id: uuid.UUID, completed_at: datetime) -> str:
        course = await make_course(runtime, org_id)
        enrolment = await completed_enrolment(
            runtime, org_id, course, employee_id, completed_at=completed_at
        )
        made: str = (await make_plan(client, world.hr, enrolment))["id"]
        return made

    scored = await plan(world.junior.id, datetime(2026, 11, 5, 2, 0, tzinfo=UTC))
    await plan(world.junior.id, datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    # 00:30 on 2 December in Shanghai (still 1 December in UTC): due on 1 January, outside.
    await plan(world.junior.id, datetime(2026, 12, 1, 16, 30, tzinfo=UTC))
    await plan(world.member.id, datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    await submit(client, world.junior_account, scored)
    await score(client, world.hr, scored, "hr", 90)
    await score(client, world.member_account, scored, "manager", 70)
    asked = [world.junior.id, world.member.id, world.engineer.id, world.junior.id]
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        with recorded_statements(runtime) as statements:
            rates = await action_plan_rates.completion_rates(
                session, org_id, asked, start=DECEMBER[0], end=DECEMBER[1]
            )
    assert [s for s in statements if "training_action_plans" in s] == [
        action_plan_repository.COMPLETION_RATES
    ]
    assert rates[world.junior.id] == action_plan_rates.CompletionRate(due=2, scored=1)
    assert rates[world.junior.id].rate == 0.5
    assert rates[world.member.id].rate == 0.0
    assert (rates[world.engineer.id].due, rates[world.engineer.id].rate) == (0, None)
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        assert (
            await action_plan_rates.completion_rates(
                session, org_id, [], start=DECEMBER[0], end=DECEMBER[1]
            )
            == {}
        )
