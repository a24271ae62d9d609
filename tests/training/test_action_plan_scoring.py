"""Scoring a submitted plan by HR and the manager (both needed, each once), the points and
competency evidence that follow, adoption (+50, once) and the adopted plan's outcome."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from tests.people.conftest import World, world
from tests.training.action_plan_helpers import (
    PLANS,
    junior_plan,
    ledger_rows,
    outside_manager,
    score,
    submit,
)

__all__ = ["world"]


async def _evidence(runtime: Runtime, org_id: uuid.UUID) -> list[tuple[Any, ...]]:
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        rows = await session.execute(
            text(
                "SELECT c.name, e.source_kind, e.value, e.note FROM competency_evidence e"
                " JOIN competencies c ON c.id = e.competency_id ORDER BY e.source_kind, c.name"
            )
        )
        return [tuple(row) for row in rows]


async def test_both_scores_make_the_mean_award_points_and_record_evidence(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    plan = await junior_plan(client, runtime, world, exam_score=Decimal("90"))
    early = await score(client, world.hr, plan["id"], "hr", 80)
    assert early.status_code == 409, early.text
    assert early.json()["detail"] == "The action plan is not submitted yet"
    assert (await submit(client, world.junior_account, plan["id"])).status_code == 200
    by_hr = await score(client, world.hr, plan["id"], "hr", 80)
    assert by_hr.status_code == 200, by_hr.text
    assert (by_hr.json()["status"], by_hr.json()["hr_score"], by_hr.json()["score"]) == (
        "submitted",
        80,
        None,
    )
    assert await ledger_rows(runtime, org_id) == []
    by_head = await score(client, world.sales_head, plan["id"], "manager", 75)
    assert by_head.status_code == 200, by_head.text
    body = by_head.json()
    assert (body["status"], body["manager_score"], body["score"]) == ("scored", 75, 77.5)
    assert body["scored_at"] is not None
    assert body["hr_scored_by_user"] == {"id": str(world.hr.user_id), "name": "hr"}
    assert body["manager_scored_by_user"]["id"] == str(world.sales_head.user_id)
    assert await ledger_rows(runtime, org_id) == [
        (world.junior.id, "action_plan", 20, "action_plan", uuid.UUID(plan["id"]))
    ]
    assert await _evidence(runtime, org_id) == [
        ("Closing deals", "training_action_plan", 7.75, "Action plan after Negotiation: 77.5/100"),
        ("Negotiation", "training_action_plan", 7.75, "Action plan after Negotiation: 77.5/100"),
        ("Closing deals", "training_course_result", 9.0, "Exam of Negotiation: 90.0/100"),
        ("Negotiation", "training_course_result", 9.0, "Exam of Negotiation: 90.0/100"),
    ]
    again = await score(client, world.member_account, plan["id"], "manager", 90)
    assert again.status_code == 409, again.text
    assert again.json()["detail"] == "The manager has scored this action plan already"
    hr_again = await score(client, world.hr, plan["id"], "hr", 90)
    assert hr_again.status_code == 409, hr_again.text
    assert len(await ledger_rows(runtime, org_id)) == 1


async def test_who_may_give_which_score(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    plan = await junior_plan(client, runtime, world)
    await submit(client, world.junior_account, plan["id"])
    outsider = await outside_manager(runtime, world)
    hidden = await score(client, outsider, plan["id"], "manager", 70)
    assert hidden.status_code == 404, hidden.text
    assert hidden.json()["detail"] == "No such action plan"
    own = await score(client, world.junior_account, plan["id"], "manager", 100)
    assert own.status_code == 403, own.text
    own_zh = await client.post(
        f"{PLANS}/{plan['id']}/score",
        json={"side": "manager", "score": 100},
        headers={**world.junior_account.headers, "Accept-Language": "zh-CN"},
    )
    assert own_zh.json()["detail"] == "不能为自己的行动计划评分"
    manager_as_hr = await score(client, world.member_account, plan["id"], "hr", 70)
    assert manager_as_hr.status_code == 403, manager_as_hr.text
    hr_as_manager = await score(client, world.hr, plan["id"], "manager", 70)
    assert hr_as_manager.status_code == 403, hr_as_manager.text
    out_of_range = await score(client, world.hr, plan["id"], "hr", 101)
    assert out_of_range.status_code == 422, out_of_range.text
    unknown = await score(client, world.hr, str(uuid.uuid4()), "hr", 70)
    assert unknown.status_code == 404, unknown.text
    by_lead = await score(client, world.lead_account, plan["id"], "manager", 60)
    assert by_lead.status_code == 200, by_lead.text
    found = await client.get(f"{PLANS}/{plan['id']}", headers=world.hr.headers)
    assert (found.json()["manager_score"], found.json()["hr_score"]) == (60, None)


async def test_adoption_awards_once_and_keeps_the_outcome(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    plan = await junior_plan(client, runtime, world)
    adopt = f"{PLANS}/{plan['id']}/adopt"
    note = {"note": "Roll out the negotiation checklist to all of sales"}
    await submit(client, world.junior_account, plan["id"])
    not_scored = await client.post(adopt, json=note, headers=world.hr.headers)
    assert not_scored.status_code == 409, not_scored.text
    await score(client, world.hr, plan["id"], "hr", 90)
    await score(client, world.member_account, plan["id"], "manager", 80)
    patch = await client.patch(
        f"{PLANS}/{plan['id']}", json={"outcome": "Margins up"}, headers=world.hr.headers
    )
    assert patch.status_code == 409, patch.text
    by_manager = await client.post(adopt, json=note, headers=world.member_account.headers)
    assert by_manager.status_code == 403, by_manager.text
    blank = await client.post(adopt, json={"note": " "}, headers=world.hr.headers)
    assert blank.status_code == 422, blank.text
    adopted = await client.post(adopt, json=note, headers=world.hr.headers)
    assert adopted.status_code == 200, adopted.text
    body = adopted.json()
    assert (body["adopted"], body["adoption_note"]) == (True, note["note"])
    assert body["adopted_by_user"] == {"id": str(world.hr.user_id), "name": "hr"}
    twice = await client.post(adopt, json=note, headers=world.hr.headers)
    assert twice.status_code == 409, twice.text
    codes = [(row[1], row[2]) for row in await ledger_rows(runtime, org_id)]
    assert codes == [("action_plan", 20), ("adopted", 50)]
    by_employee = await client.patch(
        f"{PLANS}/{plan['id']}",
        json={"outcome": "Margins up"},
        headers=world.junior_account.headers,
    )
    assert by_employee.status_code == 403, by_employee.text
    outcome = await client.patch(
        f"{PLANS}/{plan['id']}", json={"outcome": "Margins up 3 %"}, headers=world.hr.headers
    )
    assert outcome.status_code == 200, outcome.text
    mine = await client.get(f"{PLANS}/{plan['id']}", headers=world.junior_account.headers)
    assert (mine.json()["outcome"], mine.json()["adopted"]) == ("Margins up 3 %", True)
    adopted_list = await client.get(PLANS, params={"adopted": "true"}, headers=world.hr.headers)
    assert [item["id"] for item in adopted_list.json()["items"]] == [plan["id"]]
