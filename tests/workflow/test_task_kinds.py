"""Tasks that say how they are done: declared kinds (the OpenAPI enum), the operation that
completes each task, what its submission needs, and the names a task screen shows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.approvals.running import TASK_KIND as APPROVAL_KIND
from hrcore.competencies.rotations import RATING_TASK_KIND as ROTATION_KIND
from hrcore.competencies.stretch_assigning import KICKOFF_KIND, MIDPOINT_KIND, OUTCOME_KIND
from hrcore.contracts.confirmation import CONFIRM_TASK_KIND
from hrcore.contracts.conflicts import CONFLICT_TASK_KIND
from hrcore.contracts.expiry import EXPIRY_TASK_KIND
from hrcore.contracts.post_changes import WITHDRAWAL_TASK_KIND
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.models import new_id
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.mentoring.schedule import TASK_KINDS as MENTORING_KINDS
from hrcore.mentoring.surveys import SURVEY_KIND as MENTORING_SURVEY_KIND
from hrcore.performance.check_ins import ACTION_ITEM_KIND as CHECK_IN_ITEM_KIND
from hrcore.performance.diagnoses import ACTION_KIND as DIAGNOSIS_ACTION_KIND
from hrcore.performance.diagnoses import DIAGNOSIS_KIND
from hrcore.privacy.automated_objections import REVIEW_TASK_KIND as OBJECTION_REVIEW_KIND
from hrcore.privacy.requests import TASK_KIND as PRIVACY_REQUEST_KIND
from hrcore.programs.stages import TASK_KINDS
from hrcore.reviews.appeals import REPLY_TASK_KIND
from hrcore.reviews.assignments import TASK_KIND as RATE_KIND
from hrcore.training.action_plans import TASK_KIND as ACTION_PLAN_KIND
from hrcore.training.courses_reminders import REMINDER_KIND as TRAINING_REMINDER_KIND
from hrcore.workflow import api as workflow
from hrcore.workflow import kinds
from tests.workflow.conftest import CALENDAR_DAYS, World, count_statements, make_task, sweep

DUE = date(2027, 3, 4)
DAY = timedelta(days=1)
ZH = {"Accept-Language": "zh-CN"}


def test_the_openapi_document_lists_every_kind_the_domains_create() -> None:
    """Each kind a domain assigns is declared; the document's enum is exactly that set."""
    created = {
        RATE_KIND,
        REPLY_TASK_KIND,
        CONFIRM_TASK_KIND,
        CONFLICT_TASK_KIND,
        EXPIRY_TASK_KIND,
        WITHDRAWAL_TASK_KIND,
        *TASK_KINDS.values(),
        "workflow.report",
        "workflow.todo",
        APPROVAL_KIND,
        ROTATION_KIND,
        KICKOFF_KIND,
        MIDPOINT_KIND,
        OUTCOME_KIND,
        CHECK_IN_ITEM_KIND,
        DIAGNOSIS_KIND,
        DIAGNOSIS_ACTION_KIND,
        *MENTORING_KINDS.values(),
        MENTORING_SURVEY_KIND,
        ACTION_PLAN_KIND,
        TRAINING_REMINDER_KIND,
        PRIVACY_REQUEST_KIND,
        OBJECTION_REVIEW_KIND,
    }
    schema = create_app().openapi()["components"]["schemas"]["TaskOut"]["properties"]["kind"]
    assert set(schema["enum"]) == created
    assert set(kinds.declared()) == created


async def test_a_task_of_an_undeclared_kind_is_refused(runtime: Runtime, world: World) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        with pytest.raises(LookupError, match="not declared"):
            await workflow.create_task(
                session,
                org_id=world.hr.org_id,
                subject_type="employee",
                subject_id=world.junior.id,
                kind="development.reflection",
                assignee_employee_id=world.junior.id,
                title="Reflection",
                due=DUE,
            )


async def test_a_task_says_who_where_how_it_completes_and_what_it_needs(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    report = await make_task(runtime, world.hr.org_id, world.junior, DUE, kind="workflow.report")
    rating = await make_task(
        runtime,
        world.hr.org_id,
        world.junior,
        DUE + DAY,
        kind=RATE_KIND,
        subject_type="review_assignment",
        subject_employee_id=world.member.id,
    )
    headers = world.junior_account.headers
    with count_statements(runtime) as sent:
        mine = await client.get("/api/v1/me/tasks", params={"status": "open"}, headers=headers)
    assert mine.status_code == 200, mine.text
    reads = [s for s in sent.statements if s.startswith("SELECT") and "set_config" not in s]
    assert len(reads) == 2  # the caller, then the page with its names
    first, second = mine.json()["items"]
    assert first["assignee"] == {"id": str(world.junior.id), "name": world.junior.full_name}
    assert first["department"] == {
        "id": str(world.junior.department_id),
        "name": (await _department_name(client, world)),
    }
    assert first["completed_by"] == {
        "operation_id": "complete_task",
        "method": "POST",
        "path": f"/api/v1/tasks/{report.id}/complete",
    }
    assert first["submission_rule"] == {
        "required": True,
        "min_text_length": 1,
        "min_links": 0,
        "min_attachments": 0,
    }
    assert second["completed_by"] == {
        "operation_id": "submit_review_answers",
        "method": "POST",
        "path": f"/api/v1/review-assignments/{rating.subject_id}/submit",
    }
    assert second["submission_rule"] is None
    assert first["subject_employee"] is None
    assert second["subject_employee"] == {"id": str(world.member.id), "name": "Member"}

    one = await client.get(f"/api/v1/tasks/{report.id}", headers=headers)
    assert {key: one.json()[key] for key in first} == first
    listed = await client.get(
        "/api/v1/tasks", params={"assignee_employee_id": str(world.junior.id)}, headers=headers
    )
    assert [item["assignee"]["name"] for item in listed.json()["items"]] == [
        world.junior.full_name
    ] * 2
    assert [item["subject_employee"] for item in listed.json()["items"]] == [
        None,
        second["subject_employee"],
    ]


async def _department_name(client: AsyncClient, world: World) -> str:
    department = await client.get(
        f"/api/v1/departments/{world.junior.department_id}", headers=world.hr.headers
    )
    name: str = department.json()["name"]
    return name


@pytest.mark.parametrize(
    ("headers", "detail", "message"),
    [
        ({}, "This task needs a submission", "text, links or attachments"),
        (ZH, "该任务需要提交内容", "文本、链接或附件"),
    ],
)
async def test_a_report_is_never_closed_with_an_empty_body(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    headers: dict[str, str],
    detail: str,
    message: str,
) -> None:
    report = await make_task(runtime, world.hr.org_id, world.junior, DUE, kind="workflow.report")
    url = f"/api/v1/tasks/{report.id}/complete"
    headers = {**world.junior_account.headers, **headers}
    for body in ({}, {"submission": None}, {"submission": {"text": " \n "}}):
        refused = await client.post(url, json=body, headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"] == detail
        assert refused.json()["errors"] == [{"field": "submission", "message": message}]
    still = await client.get(f"/api/v1/tasks/{report.id}", headers=world.junior_account.headers)
    assert still.json()["status"] == "open"
    done = await client.post(url, json={"submission": {"text": "心得"}}, headers=headers)
    assert done.status_code == 200, done.text


@pytest.mark.commits
async def test_the_inbox_names_the_task_and_whom_it_is_about_but_never_a_confidential_one(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    named = await make_task(
        runtime, world.hr.org_id, world.junior, DUE, title="Visit report", **CALENDAR_DAYS
    )
    secret = await make_task(
        runtime,
        world.hr.org_id,
        world.junior,
        DUE + DAY,
        title="Rate Peer",
        confidential=True,
        **CALENDAR_DAYS,
    )
    # Each reminder and escalation comes alone (a lone notice keeps its task subject).
    for moment in sorted(task.due_at + days * DAY for task in (named, secret) for days in (-3, 3)):
        clock._at = moment + timedelta(minutes=1)
        await sweep(runtime)

    async def items(headers: dict[str, str]) -> list[dict[str, Any]]:
        response = await client.get("/api/v1/me/notifications", headers=headers)
        assert response.status_code == 200, response.text
        listed: list[dict[str, Any]] = response.json()["items"]
        return [item for item in listed if item["subject"] is not None]

    junior = {"id": str(world.junior.id), "name": world.junior.full_name}
    reminders = await items(world.junior_account.headers)
    assert {(item["subject"]["name"], item["employee"]["name"]) for item in reminders} == {
        ("Visit report", world.junior.full_name),
        ("Rate Peer", world.junior.full_name),
    }
    escalations = await items(world.member_account.headers)
    shown = {item["subject"]["id"]: item for item in escalations}
    assert shown[str(named.id)]["subject"]["name"] == "Visit report"
    assert shown[str(named.id)]["employee"] == junior
    assert shown[str(secret.id)]["subject"]["name"] is None
    assert shown[str(secret.id)]["employee"] is None
    read = await client.post(
        f"/api/v1/me/notifications/{escalations[0]['id']}/read",
        headers=world.member_account.headers,
    )
    assert read.status_code == 200, read.text
    assert read.json()["employee"] == escalations[0]["employee"]


async def test_a_decision_task_names_its_run_and_participant(
    runtime: Runtime, world: World
) -> None:
    run_id, participant_id = new_id(), new_id()
    task = await make_task(
        runtime,
        world.hr.org_id,
        world.member,
        DUE,
        kind=TASK_KINDS["decision"],
        completion_params={"run_id": str(run_id), "participant_id": str(participant_id)},
    )
    shown = kinds.completion_json(task.kind, task.id, task.subject_id, task.completion_params)
    assert shown["path"] == f"/api/v1/programs/{run_id}/participants/{participant_id}/decision"
    with pytest.raises(LookupError, match="completion_params"):
        await make_task(runtime, world.hr.org_id, world.member, DUE, kind=TASK_KINDS["decision"])


async def test_a_kind_filter_names_a_declared_kind(client: AsyncClient, world: World) -> None:
    """`kind=` is the enum of declared kinds: a misspelt one is a 422, not an empty list."""
    for path, account in (("/api/v1/me/tasks", world.junior_account), ("/api/v1/tasks", world.hr)):
        known = await client.get(path, params={"kind": "workflow.report"}, headers=account.headers)
        assert known.status_code == 200, known.text
        wrong = await client.get(
            path,
            params={"kind": "workflow.reprot"},
            headers=account.headers | {"Accept-Language": "zh-CN"},
        )
        assert wrong.status_code == 422, wrong.text
        [error] = wrong.json()["errors"]
        assert error["field"] == "query.kind"
        assert "不是已有的任务类型" in error["message"]
