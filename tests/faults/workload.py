"""The database effects a fault must neither lose nor double: contract amendment documents,
a review cycle's aggregation and deadline reminders, caught mid-job when the fault hits.

`Held` takes table locks a job needs late in its transaction (`tasks`, `review_results`), so
the jobs are provably running — rows locked, a file written, a batch half done — when the
test stops a dependency or kills the worker. Every effect is then counted in the database:
unique keys stop a second copy, so a count below expectation (lost) fails as surely as a
duplicate would, and every outbox row of the organization must be `done`.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.workflow import api as workflow
from tests.factories import Account, make_department, make_employee, make_org, make_user
from tests.faults.conftest import QUEUE
from tests.servers import until

API = "/api/v1"
DOCUMENTS = 3
PARTICIPANTS = 4
REMINDERS = 20
SWEEP = "workflow.sweep_deadlines"
"""The worker's every-minute cron; queued by name it runs at once, as the cron would."""

FORM: dict[str, Any] = {
    "name": "Sales review",
    "indicators": [
        {
            "key": "sales",
            "name": "Sales",
            "section": "Results",
            "kind": "quantitative",
            "weight": 100,
            "target": 200,
            "formula": {"kind": "ratio"},
        }
    ],
    "kind_weights": {"quantitative": 100, "qualitative": 0},
}


async def _post(api: httpx.AsyncClient, account: Account, path: str, body: Any = None) -> Any:
    response = await api.post(f"{API}{path}", json=body, headers=account.headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


@dataclass
class Workload:
    hr: Account
    boss: Account
    cycle_id: str
    expected_overall: dict[str, float]
    """Participant name → overall score (sales actual / target 200 × 100)."""
    contract_ids: list[str]
    task_ids: list[uuid.UUID]
    amendment_ids: list[str]


async def prepare(api: httpx.AsyncClient, runtime: Runtime) -> Workload:
    """An organization with an open review cycle whose supervisor has answered, contracts to
    amend, and employees with accounts to remind."""
    hr = await make_org(runtime)
    org_id = hr.org_id
    sales = await make_department(runtime, org_id, "Sales")
    boss_employee = await make_employee(runtime, org_id, sales, "Boss")
    boss = await make_user(runtime, org_id, employee_id=boss_employee.id)
    staff = [
        await make_employee(runtime, org_id, sales, f"Staff {n}", manager=boss_employee)
        for n in range(PARTICIPANTS)
    ]
    for employee in staff:
        await make_user(runtime, org_id, employee_id=employee.id)
    template = await _post(api, hr, "/review-templates", FORM)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    cycle = await _post(
        api,
        hr,
        "/review-cycles",
        {
            "name": "Fault cycle",
            "kind": "year_end",
            "template_id": template["id"],
            "starts_on": (today - timedelta(days=1)).isoformat(),
            "due_on": (today + timedelta(days=20)).isoformat(),
        },
    )
    await _post(
        api,
        hr,
        f"/review-cycles/{cycle['id']}/participants",
        {"employee_ids": [str(e.id) for e in staff]},
    )
    await _post(api, hr, f"/review-cycles/{cycle['id']}/open")
    mine = await api.get(f"{API}/me/review-assignments", headers=boss.headers)
    expected: dict[str, float] = {}
    for n, assignment in enumerate(mine.json()["items"]):
        actual = 100 + 30 * n
        saved = await api.put(
            f"{API}/review-assignments/{assignment['id']}",
            json={"answers": {"sales": {"actual": actual}}},
            headers=boss.headers,
        )
        assert saved.status_code == 200, saved.text
        await _post(api, boss, f"/review-assignments/{assignment['id']}/submit")
        expected[assignment["participant"]["name"]] = actual / 2
    assert len(expected) == PARTICIPANTS
    contract_ids = []
    for employee in staff[:DOCUMENTS]:
        contract = await _post(
            api,
            hr,
            "/contracts",
            {
                "employee_id": str(employee.id),
                "kind": "fixed_term",
                "start_date": "2026-01-01",
                "end_date": "2028-12-31",
                "work_location": "上海",
                "pay_terms_ref": "BAND-5",
            },
        )
        contract_ids.append(contract["id"])
    return Workload(hr, boss, cycle["id"], expected, contract_ids, [], [])


async def add_overdue_tasks(runtime: Runtime, workload: Workload) -> None:
    """Tasks that fell due yesterday: the next sweep owes each one overdue reminder."""
    org_id = workload.hr.org_id
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        assignees = (
            await session.execute(
                text("SELECT employee_id FROM users WHERE employee_id IS NOT NULL")
            )
        ).scalars()
        people = list(assignees)
        yesterday = datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)
        for n in range(REMINDERS):
            task_id = await workflow.create_task(
                session,
                org_id=org_id,
                assignee_employee_id=people[n % len(people)],
                due=yesterday,
                subject_type="program_stage",
                subject_id=uuid.uuid4(),
                kind="workflow.report",
                title=f"Reflection report {n:02}",
            )
            workload.task_ids.append(task_id)


class Held:
    """Share locks on tables a job writes late, in a transaction of the test's own."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, runtime: Runtime) -> Held:
        connection = await runtime.engine.connect()
        await connection.begin()
        return cls(connection)

    async def lock(self, table: str) -> None:
        await self.connection.execute(text(f"LOCK TABLE {table} IN SHARE MODE"))

    async def release(self) -> None:
        """Roll back; a connection PostgreSQL already cut is thrown away."""
        try:
            await self.connection.rollback()
            await self.connection.close()
        except Exception:  # the server went away under it: nothing to release
            await self.connection.invalidate()


async def waiting(runtime: Runtime) -> dict[str, int]:
    """Backends waiting for a lock, by table."""
    async with runtime.engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT c.relname, count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                " WHERE NOT l.granted GROUP BY c.relname"
            )
        )
        return {str(row[0]): int(row[1]) for row in rows.all()}


async def sweep(runtime: Runtime) -> None:
    await runtime.redis.enqueue_job(SWEEP, _queue_name=QUEUE)


async def start_mid_job(api: httpx.AsyncClient, runtime: Runtime, workload: Workload) -> Held:
    """Close the cycle, amend the contracts and sweep, each job held in its transaction:
    aggregation before it writes results, each document stored but not yet recorded done,
    the sweep with reminders and notifications written but its batch not committed."""
    held = await Held.open(runtime)
    await held.lock("review_results")
    await _post(api, workload.hr, f"/review-cycles/{workload.cycle_id}/close")
    # Not just before a minute, when the worker's own cron sweeps: the reminders must still
    # be owed when the sweep is held (creating them and the lock take well under a second).
    second = datetime.now(UTC).second
    if second >= 57:
        await asyncio.sleep(61 - second)
    await add_overdue_tasks(runtime, workload)
    await held.lock("tasks")
    for contract_id in workload.contract_ids:
        amendment = await _post(
            api,
            workload.hr,
            f"/contracts/{contract_id}/amendments",
            {"effective_date": "2027-04-01", "post_title": "项目负责人", "allowance": "1500.00"},
        )
        workload.amendment_ids.append(amendment["id"])
    await sweep(runtime)

    async def all_held() -> bool:
        blocked = await waiting(runtime)
        return blocked.get("review_results", 0) >= 1 and blocked.get("tasks", 0) > DOCUMENTS

    await until(all_held, "aggregation, documents and the sweep wait mid-job")
    return held


async def _scalar(runtime: Runtime, org_id: uuid.UUID, sql: str, **params: Any) -> Any:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        return (await session.execute(text(sql), params)).scalar()


async def settled(runtime: Runtime, workload: Workload) -> bool:
    """Every outbox row of the organization done and every reminder recorded."""
    try:
        unfinished = await _scalar(
            runtime,
            workload.hr.org_id,
            "SELECT count(*) FROM outbox_messages WHERE org_id = :org AND status <> 'done'",
            org=workload.hr.org_id,
        )
        actions = await _scalar(
            runtime,
            workload.hr.org_id,
            "SELECT count(*) FROM task_actions WHERE task_id = ANY(:ids)",
            ids=workload.task_ids,
        )
    except Exception:  # PostgreSQL still coming back
        return False
    return bool(unfinished == 0 and actions >= REMINDERS)


async def assert_each_effect_once(
    api: httpx.AsyncClient, runtime: Runtime, workload: Workload, storage: Path
) -> None:
    org_id = workload.hr.org_id

    async def rows(sql: str, **params: Any) -> list[Any]:
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, org_id)
            return list((await session.execute(text(sql), params)).all())

    statuses = await rows(
        "SELECT job, status, count(*) FROM outbox_messages WHERE org_id = :org"
        " GROUP BY job, status ORDER BY job",
        org=org_id,
    )
    jobs = {job: (status, count) for job, status, count in statuses}
    assert jobs["reviews.aggregate"] == ("done", 1), statuses
    assert jobs["contracts.generate_document"] == ("done", DOCUMENTS), statuses
    assert {status for _, status, _ in statuses} == {"done"}, statuses

    # Documents: one version each, ready, its file stored with the recorded digest; one
    # confirmation task and one inbox message per amendment.
    amendment_ids = [uuid.UUID(i) for i in workload.amendment_ids]
    versions = await rows(
        "SELECT amendment_id, number, document_status, document_key, document_sha256"
        " FROM contract_amendment_versions WHERE amendment_id = ANY(:ids)",
        ids=amendment_ids,
    )
    assert sorted((v.amendment_id, v.number, v.document_status) for v in versions) == sorted(
        (i, 1, "ready") for i in amendment_ids
    )
    for version in versions:
        stored = storage / version.document_key
        assert stored.is_file(), stored
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == version.document_sha256
    confirmations = await rows(
        "SELECT subject_id, count(*) FROM tasks WHERE subject_id = ANY(:ids) GROUP BY subject_id",
        ids=amendment_ids,
    )
    assert sorted(confirmations) == sorted((i, 1) for i in amendment_ids)
    announced = await rows(
        "SELECT subject_id, count(*) FROM notifications WHERE subject_id = ANY(:ids)"
        " GROUP BY subject_id",
        ids=amendment_ids,
    )
    assert sorted(announced) == sorted((i, 1) for i in amendment_ids)

    # Reminders: exactly one overdue reminder per task, recorded and in the inbox.
    reminded = await rows(
        "SELECT task_id, count(*) FROM task_actions WHERE task_id = ANY(:ids) GROUP BY task_id",
        ids=workload.task_ids,
    )
    assert sorted(reminded) == sorted((i, 1) for i in workload.task_ids)
    # An assignee's reminders of one sweep batch are one digest listing them: count names.
    inbox = await rows("SELECT title, body FROM notifications WHERE kind = 'task.overdue'")
    named = Counter(
        name
        for title, body in inbox
        for name in re.findall(r"Reflection report \d\d", title + body)
    )
    assert named == Counter(f"Reflection report {n:02}" for n in range(REMINDERS))

    # Aggregation: the cycle aggregated, one result per participant with the right figures.
    results = await api.get(
        f"{API}/review-cycles/{workload.cycle_id}/results",
        params={"limit": 100},
        headers=workload.hr.headers,
    )
    assert results.status_code == 200, results.text
    overall = {r["employee"]["name"]: r["overall"] for r in results.json()["items"]}
    assert overall == workload.expected_overall
    counted = await rows(
        "SELECT count(*), count(DISTINCT participant_id) FROM review_results"
        " WHERE cycle_id = :cycle",
        cycle=uuid.UUID(workload.cycle_id),
    )
    assert counted == [(PARTICIPANTS, PARTICIPANTS)]
