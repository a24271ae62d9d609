"""An organization with a reporting line (`tests.people.conftest.world`), a course on two
competencies, and completed enrolments with their action plans made by HR over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from httpx import AsyncClient
from sqlalchemy import text

from hrcore.competencies.models import Competency
from hrcore.core.authz import Role
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training.models import Course, Enrolment
from tests.factories import Account, make_employee, make_user
from tests.people.conftest import World
from tests.training.factory import make_course, make_enrolment

PLANS = "/api/v1/action-plans"
COMPLETED_AT = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
"""01:00 on 1 December 2026 in Shanghai: the plan is due on 31 December."""


async def make_competency(runtime: Runtime, org_id: uuid.UUID, name: str) -> uuid.UUID:
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        row = Competency(
            org_id=org_id,
            name=name,
            category="leadership",
            levels=[{"level": n, "name": f"L{n}"} for n in range(1, 6)],
        )
        session.add(row)
        await session.flush()
        return row.id


async def course_on_competencies(runtime: Runtime, world: World, *names: str) -> Course:
    ids = [await make_competency(runtime, world.hr.org_id, name) for name in names]
    return await make_course(runtime, world.hr.org_id, name="Negotiation", competency_ids=ids)


async def completed_enrolment(
    runtime: Runtime, org_id: uuid.UUID, course: Course, employee_id: uuid.UUID, **fields: Any
) -> Enrolment:
    return await make_enrolment(
        runtime,
        org_id,
        course,
        employee_id,
        status="completed",
        completed_at=fields.pop("completed_at", COMPLETED_AT),
        **fields,
    )


async def make_plan(
    client: AsyncClient, hr: Account, enrolment: Enrolment, status: int = 201
) -> dict[str, Any]:
    made = await client.post(PLANS, json={"enrolment_id": str(enrolment.id)}, headers=hr.headers)
    assert made.status_code == status, made.text
    body: dict[str, Any] = made.json()
    return body


async def junior_plan(
    client: AsyncClient, runtime: Runtime, world: World, exam_score: Decimal | None = None
) -> dict[str, Any]:
    course = await course_on_competencies(runtime, world, "Negotiation", "Closing deals")
    enrolment = await completed_enrolment(
        runtime, world.hr.org_id, course, world.junior.id, exam_score=exam_score
    )
    return await make_plan(client, world.hr, enrolment)


async def submit(
    client: AsyncClient, account: Account, plan_id: str, content: str = "Use BATNA weekly"
) -> Any:
    return await client.post(
        f"{PLANS}/{plan_id}/submit", json={"content": content}, headers=account.headers
    )


async def score(client: AsyncClient, account: Account, plan_id: str, side: str, value: int) -> Any:
    return await client.post(
        f"{PLANS}/{plan_id}/score", json={"side": side, "score": value}, headers=account.headers
    )


async def outside_manager(runtime: Runtime, world: World) -> Account:
    """The engineer, made a manager of someone in engineering: a manager, not of the junior."""
    await make_employee(
        runtime, world.hr.org_id, world.engineering, "Intern", manager=world.engineer
    )
    return await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id)


async def ledger_rows(runtime: Runtime, org_id: uuid.UUID) -> list[tuple[Any, ...]]:
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        rows = await session.execute(
            text(
                "SELECT l.employee_id, r.code, l.points, l.source_type, l.source_id"
                " FROM points_ledger l JOIN point_rules r ON r.id = l.rule_id ORDER BY r.code"
            )
        )
        return [tuple(row) for row in rows]
