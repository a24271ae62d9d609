"""The panoramic profile's `trainings` and `points` sections, which training fills through
people's providers: present (empty without training), the completed courses with their
day in the organization's time zone and result, the points per year and quarter."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from httpx import AsyncClient

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import ledger
from hrcore.training.ledger import Award
from tests.factories import make_department, make_employee, make_org
from tests.training.factory import make_course, make_enrolment, make_session
from tests.training.reports_world import make_world

# 17:00 UTC on 30 November is 1 December in Shanghai.
EVENING = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


async def test_trainings_and_points_fill_the_profile(client: AsyncClient, runtime: Runtime) -> None:
    world = await make_world(runtime)
    org_id = world.hr.org_id
    path = f"/api/v1/employees/{world.li.id}/profile"
    empty = (await client.get(path, headers=world.hr.headers)).json()
    assert empty["trainings"] == []
    assert empty["points"] == []
    course = await make_course(runtime, org_id, name="Negotiation")
    held = await make_session(runtime, org_id, course, starts_at=EVENING)
    await make_enrolment(
        runtime,
        org_id,
        course,
        world.li.id,
        held,
        status="completed",
        late=True,
        completed_at=EVENING,
    )
    online = await make_course(runtime, org_id, name="Ethics", mode="online")
    await make_enrolment(
        runtime,
        org_id,
        online,
        world.li.id,
        status="completed",
        completed_at=datetime(2026, 10, 5, 2, 0, tzinfo=UTC),
        passed_at=datetime(2026, 10, 5, 2, 0, tzinfo=UTC),
    )
    await make_enrolment(
        runtime, org_id, online, world.wang.id, status="completed", completed_at=EVENING
    )
    unfinished = await make_course(runtime, org_id, name="Forecasting")
    await make_enrolment(runtime, org_id, unfinished, world.li.id)
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        await ledger.award_many(
            session,
            org_id,
            [
                Award(world.li.id, "attendance", "enrolment", uuid.uuid4(), EVENING),
                Award(
                    world.li.id, "adopted", "plan", uuid.uuid4(), datetime(2027, 1, 5, tzinfo=UTC)
                ),
                Award(world.wang.id, "teaching", "session", uuid.uuid4(), EVENING),
            ],
        )
    for account in (world.hr, world.li_account, world.sales_head):
        profile = (await client.get(path, headers=account.headers)).json()
        assert profile["trainings"] == [
            {
                "course": {"id": str(course.id), "name": "Negotiation"},
                "completed_on": "2026-12-01",
                "result": "late",
            },
            {
                "course": {"id": str(online.id), "name": "Ethics"},
                "completed_on": "2026-10-05",
                "result": "passed",
            },
        ]
        assert profile["points"] == [
            {"period": "2027", "total": 50},
            {"period": "2027-Q1", "total": 50},
            {"period": "2026", "total": 10},
            {"period": "2026-Q4", "total": 10},
        ]


async def test_another_organizations_training_never_appears(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await make_world(runtime)
    other = await make_org(runtime)
    department = await make_department(runtime, other.org_id, "Sales")
    stranger = await make_employee(runtime, other.org_id, department, "Stranger")
    course = await make_course(runtime, other.org_id)
    await make_enrolment(
        runtime, other.org_id, course, stranger.id, status="completed", completed_at=EVENING
    )
    async with tenant_transaction(runtime.sessionmaker, other.org_id) as session:
        await ledger.award(
            session, other.org_id, Award(stranger.id, "adopted", "plan", uuid.uuid4(), EVENING)
        )
    ours = await client.get(f"/api/v1/employees/{world.li.id}/profile", headers=world.hr.headers)
    assert ours.json()["trainings"] == []
    assert ours.json()["points"] == []
    theirs = await client.get(f"/api/v1/employees/{stranger.id}/profile", headers=world.hr.headers)
    assert theirs.status_code == 404
