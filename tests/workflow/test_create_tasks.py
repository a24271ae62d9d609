"""Creating many tasks at once: all or nothing, the same tasks one by one would give."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.errors import Unprocessable
from hrcore.core.models import new_id
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.workflow import api as workflow
from hrcore.workflow.models import Task
from tests.workflow.conftest import World


def _new(assignee: Employee, due: date | datetime, title: str) -> workflow.NewTask:
    return workflow.NewTask(
        subject_type="program_stage",
        subject_id=new_id(),
        kind="workflow.todo",
        assignee_employee_id=assignee.id,
        title=title,
        due=due,
    )


async def test_many_tasks_are_created_in_order_with_each_due_moment(
    runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    exact = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    wanted = [
        _new(world.junior, date(2027, 3, 4), "First"),
        _new(world.member, exact, "Second"),
        _new(world.junior, date(2027, 3, 4), "Third"),
    ]
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        ids = await workflow.create_tasks(session, org_id=org_id, tasks=wanted)
        rows = {t.id: t for t in await session.scalars(select(Task).where(Task.id.in_(ids)))}
    created = [rows[task_id] for task_id in ids]
    assert [t.title for t in created] == ["First", "Second", "Third"]
    assert [t.department_id for t in created] == [
        world.junior.department_id,
        world.member.department_id,
        world.junior.department_id,
    ]
    assert created[0].due_at.isoformat() == "2027-03-04T15:59:59.999999+00:00"
    assert created[1].due_at == exact
    assert all(t.next_action_at is not None and t.status == "open" for t in created)


async def test_an_unknown_assignee_refuses_the_whole_batch(runtime: Runtime, world: World) -> None:
    org_id = world.hr.org_id
    ghost = workflow.NewTask(
        subject_type="program_stage",
        subject_id=new_id(),
        kind="workflow.todo",
        assignee_employee_id=new_id(),
        title="Nobody",
        due=date(2027, 3, 4),
    )
    real = _new(world.junior, date(2027, 3, 4), "Real")
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        with pytest.raises(Unprocessable) as refused:
            await workflow.create_tasks(session, org_id=org_id, tasks=[real, ghost])
        assert list(await session.scalars(select(Task))) == [], "nothing of the batch is written"
    [error] = refused.value.errors or []
    assert error.field == "assignee_employee_id"
    assert str(ghost.assignee_employee_id) in error.message
    assert str(real.assignee_employee_id) not in error.message
