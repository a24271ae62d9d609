"""A world for incentives: an organization whose points of 2026-Q3 are 130 (4 of 5 action
plans due by the quarter's end scored, one more not yet due), 125 (3 of 5), 110, 90 and 50
in sales and 10 in engineering, a department head over sales, a member's account, and
another organization."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hrcore.core.authz import Role
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import incentive_evaluation, ledger
from hrcore.training.incentive_models import IncentiveEvaluation
from hrcore.training.ledger import Award
from hrcore.training.models import ActionPlan
from tests.factories import Account, make_employee, make_org, make_tree, make_user
from tests.training.factory import make_course, make_enrolment

IN_Q3 = datetime(2026, 8, 10, 2, 0, tzinfo=UTC)
AFTER_Q3 = datetime(2026, 10, 8, 2, 0, tzinfo=UTC)


@dataclass(frozen=True)
class World:
    org_id: uuid.UUID
    hr: Account
    head: Account
    member: Account
    """Linked to `steady` (110 points)."""
    outsider: Account
    """HR admin of another organization."""
    promoted: uuid.UUID
    """130 points, 4 of 5 plans scored."""
    unplanned: uuid.UUID
    """125 points, 3 of 5 plans scored."""
    steady: uuid.UUID
    middling: uuid.UUID
    low: uuid.UUID
    engineer: uuid.UUID
    """Outside sales: 10 points."""


async def award(runtime: Runtime, org_id: uuid.UUID, employee_id: uuid.UUID, points: int) -> None:
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        await ledger.award(
            session, org_id, Award(employee_id, "attendance", "test", uuid.uuid4(), IN_Q3, points)
        )


async def plans(
    runtime: Runtime,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    *,
    scored: int,
    due: int,
    not_yet_due: int = 0,
) -> None:
    """`due` action plans created in July 2026 (due by August), `scored` of them scored, and
    `not_yet_due` open ones created on 20 September (due after the quarter: not counted)."""
    for index in range(due + not_yet_due):
        created_at = datetime(2026, 7, 1, tzinfo=UTC) + timedelta(days=index)
        if index >= due:
            created_at = datetime(2026, 9, 20, tzinfo=UTC)
        course = await make_course(runtime, org_id, mode="online")
        enrolment = await make_enrolment(runtime, org_id, course, employee_id, status="completed")
        async with tenant_transaction(runtime.sessionmaker, org_id) as session:
            session.add(
                ActionPlan(
                    org_id=org_id,
                    enrolment_id=enrolment.id,
                    course_id=course.id,
                    employee_id=employee_id,
                    status="scored" if index < scored else "open",
                    created_at=created_at,
                )
            )


async def make_world(runtime: Runtime) -> World:
    hr = await make_org(runtime)
    org_id = hr.org_id
    tree = await make_tree(runtime, org_id)
    people = {}
    for name, points in (
        ("Promoted", 130),
        ("Unplanned", 125),
        ("Steady", 110),
        ("Middling", 90),
        ("Low", 50),
    ):
        employee = await make_employee(runtime, org_id, tree.sales, name)
        await award(runtime, org_id, employee.id, points)
        people[name] = employee.id
    engineer = await make_employee(runtime, org_id, tree.engineering, "Engineer")
    await award(runtime, org_id, engineer.id, 10)
    await plans(runtime, org_id, people["Promoted"], scored=4, due=5, not_yet_due=1)
    await plans(runtime, org_id, people["Unplanned"], scored=3, due=5)
    head_employee = await make_employee(runtime, org_id, tree.sales, "Head")
    head = await make_user(
        runtime,
        org_id,
        Role.EMPLOYEE,
        Role.DEPT_HEAD,
        employee_id=head_employee.id,
        department_scope_id=tree.sales.id,
    )
    member = await make_user(runtime, org_id, employee_id=people["Steady"])
    outsider = await make_org(runtime)
    return World(
        org_id=org_id,
        hr=hr,
        head=head,
        member=member,
        outsider=outsider,
        promoted=people["Promoted"],
        unplanned=people["Unplanned"],
        steady=people["Steady"],
        middling=people["Middling"],
        low=people["Low"],
        engineer=engineer.id,
    )


async def evaluate_now(runtime: Runtime, org_id: uuid.UUID, evaluation_id: str) -> None:
    """The worker's job, in the test's transaction (the worker itself: test_incentive_worker)."""
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        await incentive_evaluation.evaluate(
            session, org_id, uuid.UUID(evaluation_id), runtime.clock
        )
        evaluation = await session.get(IncentiveEvaluation, uuid.UUID(evaluation_id))
        assert evaluation is not None
        assert evaluation.status == "done"
