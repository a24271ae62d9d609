"""Inbox items name what they are about, whatever it is: a task by its title and assignee
(in the page's statement), other subjects as their domain declares (one more statement,
only for a page that has some); a subject of another organization stays unnamed."""

from __future__ import annotations

import uuid
from datetime import date

from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.notifications import service as notifications
from tests.factories import make_department, make_employee, make_org, make_user
from tests.people.conftest import count_statements

INBOX = "/api/v1/me/notifications"


async def _insert(runtime: Runtime, org_id: uuid.UUID, sql: str, **values: object) -> uuid.UUID:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        row_id = uuid.uuid4()
        await session.execute(text(sql), {"id": row_id, "org": org_id, **values})
        return row_id


async def _notify(
    runtime: Runtime, org_id: uuid.UUID, user_id: uuid.UUID, subject: tuple[str, uuid.UUID]
) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await notifications.notify(
            session,
            org_id=org_id,
            user_ids=[user_id],
            kind="test.notice",
            title=f"About a {subject[0]}",
            body="",
            subject_type=subject[0],
            subject_id=subject[1],
            dedupe_key=f"{subject[0]}:{subject[1]}",
        )


async def test_subjects_other_than_tasks_are_named(client: AsyncClient, runtime: Runtime) -> None:
    hr = await make_org(runtime)
    department = await make_department(runtime, hr.org_id, "Sales")
    member = await make_employee(runtime, hr.org_id, department, "Li Na")
    pool = await _insert(
        runtime,
        hr.org_id,
        "INSERT INTO talent_pools (id, org_id, name, rules, active, version)"
        " VALUES (:id, :org, 'Reserve section chiefs', '[]', true, 1)",
    )
    membership = await _insert(
        runtime,
        hr.org_id,
        "INSERT INTO talent_pool_members (id, org_id, pool_id, employee_id, status, source,"
        " reason, nominated_at, version)"
        " VALUES (:id, :org, :pool, :employee, 'active', 'hr', '', now(), 1)",
        pool=pool,
        employee=member.id,
    )
    contract = await _insert(
        runtime,
        hr.org_id,
        "INSERT INTO contracts (id, org_id, employee_id, kind, status, start_date,"
        " department_id, work_location, pay_terms_ref, version) VALUES (:id, :org, :employee,"
        " 'open_ended', 'active', :start, :department, 'Shanghai', 'P-1', 1)",
        employee=member.id,
        start=date(2024, 1, 1),
        department=department.id,
    )
    other = await make_org(runtime)
    stranger = await make_employee(
        runtime, other.org_id, await make_department(runtime, other.org_id, "Ops"), "Stranger"
    )
    reader = await make_user(runtime, hr.org_id)
    subjects = [
        ("talent_member", membership),
        ("contract", contract),
        ("employee", member.id),
        ("employee", stranger.id),
        ("review_result", uuid.uuid4()),
        ("some_future_kind", uuid.uuid4()),
    ]
    for subject in subjects:
        await _notify(runtime, hr.org_id, reader.user_id, subject)

    with count_statements(runtime) as sent:
        inbox = await client.get(INBOX, headers=reader.headers)
    assert inbox.status_code == 200, inbox.text
    shown = {
        (item["subject"]["type"], item["subject"]["id"]): (
            item["subject"]["name"],
            item["employee"],
        )
        for item in inbox.json()["items"]
    }
    li_na = {"id": str(member.id), "name": "Li Na"}
    assert shown == {
        ("talent_member", str(membership)): ("Reserve section chiefs", li_na),
        ("contract", str(contract)): ("Li Na", li_na),
        ("employee", str(member.id)): ("Li Na", li_na),
        ("employee", str(stranger.id)): (None, None),
        ("review_result", str(subjects[4][1])): (None, None),
        ("some_future_kind", str(subjects[5][1])): (None, None),
    }
    named = [s for s in sent.statements if "UNION ALL" in s]
    assert len(named) == 1, "every subject of the page is named in one statement"

    one = inbox.json()["items"][-1]["id"]  # the first sent: the pool member
    read = await client.post(f"{INBOX}/{one}/read", headers=reader.headers)
    assert read.json()["subject"]["name"] == "Reserve section chiefs"
    assert read.json()["employee"] == li_na


async def test_a_page_of_tasks_only_costs_no_statement_more(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime)
    reader = await make_user(runtime, hr.org_id)
    await _notify(runtime, hr.org_id, reader.user_id, ("task", uuid.uuid4()))
    with count_statements(runtime) as sent:
        inbox = await client.get(INBOX, headers=reader.headers)
    assert inbox.json()["items"][0]["subject"]["name"] is None
    assert not [s for s in sent.statements if "UNION ALL" in s]
