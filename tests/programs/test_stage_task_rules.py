"""A program stage's task says what its submission needs (the stage's rule) and how it
completes; a report stage's task never closes with an empty text."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from tests.people.conftest import World, world
from tests.programs.test_programs import _get, _participant, _post, add_active_member

__all__ = ["world"]
API = "/api/v1"


async def _open_task(client: AsyncClient, headers: dict[str, str], kind: str) -> dict[str, Any]:
    tasks = await client.get(f"{API}/me/tasks", params={"status": "open"}, headers=headers)
    [task] = [t for t in tasks.json()["items"] if t["kind"] == kind]
    return dict(task)


@pytest.mark.commits
async def test_a_stage_task_carries_its_rule_and_its_completing_operation(
    client: AsyncClient, world: World
) -> None:
    hr = world.hr
    stages = [
        {
            "key": "visit",
            "name": "客户拜访报告",
            "kind": "submission",
            "duration_days": 7,
            "submission": {"min_text_length": 20, "min_links": 1, "min_attachments": 0},
        },
        {"key": "decision", "name": "Decision", "kind": "decision", "duration_days": 14},
    ]
    template = await _post(client, hr, "/program-templates", {"name": "Visits", "stages": stages})
    pool = await _post(client, hr, "/talent-pools", {"name": "Visitors", "rules": []})
    await add_active_member(client, hr, pool["id"], world.member.id)
    run = await _post(
        client,
        hr,
        "/programs",
        {
            "name": "Visits 2027",
            "template_id": template["id"],
            "pool_id": pool["id"],
            "starts_on": date.today().isoformat(),
        },
    )
    await _post(
        client, hr, f"/programs/{run['id']}/participants", {"employee_ids": [str(world.member.id)]}
    )
    await _post(client, hr, f"/programs/{run['id']}/start")

    member = world.member_account.headers
    task = await _open_task(client, member, "program.submission")
    assert task["submission_rule"] == {
        "required": True,
        "min_text_length": 20,
        "min_links": 1,
        "min_attachments": 0,
    }
    assert task["completed_by"]["path"] == f"{API}/tasks/{task['id']}/complete"
    assert task["assignee"]["name"] == world.member.full_name
    assert task["subject_employee"] == task["assignee"]

    url = f"{API}/tasks/{task['id']}/complete"
    zh = {**member, "Accept-Language": "zh-CN"}
    empty = await client.post(url, json={"submission": {"text": " "}}, headers=zh)
    assert empty.status_code == 422
    assert empty.json()["detail"] == "该任务需要提交内容"
    short = await client.post(url, json={"submission": {"text": "拜访了客户"}}, headers=zh)
    assert short.status_code == 422
    assert short.json()["errors"] == [
        {"field": "submission.text", "message": "至少 20 个字符"},
        {"field": "submission.links", "message": "至少 1 个"},
    ]
    report = {
        "text": "拜访了三家新客户，确认了下季度的采购计划。" * 2,
        "links": ["https://crm.example/1"],
    }
    done = await client.post(url, json={"submission": report}, headers=member)
    assert done.status_code == 200, done.text

    participant = await _participant(client, hr, run["id"], "Member")
    decision = await _open_task(client, world.lead_account.headers, "program.decision")
    assert decision["completed_by"] == {
        "operation_id": "decide_program_participant",
        "method": "POST",
        "path": f"{API}/programs/{run['id']}/participants/{participant['id']}/decision",
    }
    assert decision["submission_rule"] is None
    assert decision["assignee"]["id"] == str(world.lead.id)
    assert decision["subject_employee"] == {"id": str(world.member.id), "name": "Member"}
    decided = await client.post(
        decision["completed_by"]["path"],
        json={"outcome": "continue", "reason": "More visits first"},
        headers=world.lead_account.headers,
    )
    assert decided.status_code == 200, decided.text
    closed = await _get(client, world.lead_account, f"/tasks/{decision['id']}")
    assert closed["status"] == "completed"
