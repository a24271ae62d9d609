"""1:1 check-ins: a manager with a direct report, shared notes both read, private notes only
their author reads (not the other participant, not another manager, not HR, not the audit
trail), action items as tasks whose state shows on the check-in, and the bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.performance import check_in_repository
from tests.conftest import frozen_clock
from tests.factories import make_employee, make_org, make_tree, make_user
from tests.people.conftest import count_statements
from tests.performance.check_in_helpers import (
    CHECK_INS,
    audited,
    days_from_today,
    next_week,
    schedule,
)
from tests.performance.conftest import API, ZH, World, api_key, ok
from tests.problems import assert_problem
from tests.workflow.conftest import inbox_kinds, sweep

LEAD_SECRET = "Lead's own impression: ready for a bigger account"
MEMBER_SECRET = "Member's own worry about the move"


def _item(assignee: Any, days: int = 7, title: str = "Draft the key-account plan") -> Any:
    return {"title": title, "assignee_id": str(assignee.id), "due_on": days_from_today(days)}


async def test_a_1_1_with_notes_and_an_action_item_that_becomes_a_task(
    client: AsyncClient, world: World
) -> None:
    lead, member = world.lead_account.headers, world.member_account.headers
    created = await schedule(
        client,
        world.lead_account,
        world.member.id,
        agenda=["Last quarter", "Next steps"],
        action_items=[_item(world.member)],
    )
    assert (created["manager"]["name"], created["report"]["name"]) == ("Lead", "Member")
    assert (created["status"], created["agenda"], created["shared_notes"]) == (
        "scheduled",
        ["Last quarter", "Next steps"],
        "",
    )
    [item] = created["action_items"]
    assert (item["assignee"]["name"], item["status"], item["due_on"]) == (
        "Member",
        "open",
        days_from_today(7),
    )
    task = ok(await client.get(f"{API}/tasks/{item['task_id']}", headers=member))
    assert (task["kind"], task["subject"]["type"], task["subject"]["id"]) == (
        "check_in.action_item",
        "check_in",
        created["id"],
    )
    assert task["title"] == "1:1 action item: Draft the key-account plan"
    assert (task["assignee"]["name"], task["subject_employee"]["name"]) == ("Member", "Member")
    assert task["due_at"][:10] >= days_from_today(6)

    url = f"{CHECK_INS}/{created['id']}"
    body = {"shared_notes": "Agreed on the plan", "private_note": LEAD_SECRET}
    after_lead = ok(await client.patch(url, json=body, headers=lead))
    assert (after_lead["shared_notes"], after_lead["private_note"]) == (
        "Agreed on the plan",
        LEAD_SECRET,
    )
    mine = ok(await client.patch(url, json={"private_note": MEMBER_SECRET}, headers=member))
    assert (mine["shared_notes"], mine["private_note"]) == ("Agreed on the plan", MEMBER_SECRET)
    assert ok(await client.get(url, headers=lead))["private_note"] == LEAD_SECRET

    ok(await client.post(f"{API}/tasks/{item['task_id']}/complete", json={}, headers=member))
    done = ok(await client.get(url, headers=lead))
    assert done["action_items"][0]["status"] == "completed"
    assert done["action_items"][0]["completed_at"] is not None

    held = ok(await client.patch(url, json={"status": "held"}, headers=lead))
    assert (held["status"], held["closed_at"] is not None) == ("held", True)
    later = await client.patch(url, json={"scheduled_at": next_week()}, headers=member)
    assert_problem(later, 409, detail="The check-in was held")
    # Action items may still be added after it was held.
    more = {"add_action_items": [_item(world.lead, 3, "Book the customer visit")]}
    added = ok(await client.patch(url, json=more, headers=lead))
    assert [(i["title"], i["assignee"]["name"]) for i in added["action_items"]] == [
        ("Draft the key-account plan", "Member"),
        ("Book the customer visit", "Lead"),
    ]
    nothing = ok(await client.patch(url, json={}, headers=member))
    assert nothing["version"] == added["version"]

    events = await audited(client, world.hr, created["id"])
    assert [e["action"] for e in events] == ["check_in.scheduled"] + ["check_in.updated"] * 4
    assert events[1]["after"]["changed"] == ["private_note", "shared_notes"]
    assert events[3]["before"]["status"] == "scheduled"
    assert events[3]["after"]["status"] == "held"
    text = json.dumps(events)
    assert LEAD_SECRET not in text
    assert MEMBER_SECRET not in text
    assert "Agreed on the plan" not in text


async def test_a_private_note_is_read_by_its_author_only(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    created = await schedule(client, world.lead_account, world.member.id, agenda=["Career"])
    url = f"{CHECK_INS}/{created['id']}"
    lead, member = world.lead_account.headers, world.member_account.headers
    ok(await client.patch(url, json={"private_note": LEAD_SECRET}, headers=lead))
    ok(await client.patch(url, json={"private_note": MEMBER_SECRET}, headers=member))
    # The member — a manager of Junior too — never reads the lead's note, nor the lead theirs.
    assert ok(await client.get(url, headers=member))["private_note"] == MEMBER_SECRET
    assert ok(await client.get(url, headers=lead))["private_note"] == LEAD_SECRET
    listed = ok(await client.get(CHECK_INS, headers=member))["items"]
    assert [c["private_note"] for c in listed] == [MEMBER_SECRET]

    # Another manager (the lead's own, who sees the member) and a department head find nothing.
    boss = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.boss.id)
    for outsider in (boss.headers, world.sales_head.headers):
        assert_problem(await client.get(url, headers=outsider), 404, detail="No such check-in")
        assert ok(await client.get(CHECK_INS, headers=outsider))["items"] == []
        refused = await client.patch(url, json={"private_note": "mine"}, headers=outsider)
        assert_problem(refused, 404)
    # HR reads the metadata only, and may not write.
    hr = world.hr.headers
    seen = ok(await client.get(url, headers=hr))
    assert (seen["manager"]["name"], seen["report"]["name"], seen["status"]) == (
        "Lead",
        "Member",
        "scheduled",
    )
    assert (seen["agenda"], seen["shared_notes"], seen["private_note"], seen["action_items"]) == (
        None,
        None,
        None,
        None,
    )
    listed_by_hr = ok(await client.get(CHECK_INS, headers=hr))["items"]
    assert [(c["id"], c["private_note"], c["agenda"]) for c in listed_by_hr] == [
        (created["id"], None, None)
    ]
    assert_problem(await client.patch(url, json={"agenda": []}, headers=hr), 403)
    key = await api_key(client, world.hr, "ratings:read")
    assert_problem(await client.get(url, headers=key), 403)
    # Whoever reads anything of it, the private notes travel only to their authors.
    for reader in (boss.headers, world.sales_head.headers, hr):
        for path in (url, CHECK_INS, f"{API}/audit-events?object_id={created['id']}"):
            answer = (await client.get(path, headers=reader)).text
            assert LEAD_SECRET not in answer, path
            assert MEMBER_SECRET not in answer, path


async def test_a_check_in_only_with_your_own_direct_report(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    lead = world.lead_account.headers
    stranger_org = await make_org(runtime)
    stranger = await make_employee(
        runtime, stranger_org.org_id, (await make_tree(runtime, stranger_org.org_id)).sales
    )
    for someone in (world.junior.id, world.peer.id, world.lead.id):
        body = {"report_id": str(someone), "scheduled_at": next_week()}
        refused = await client.post(CHECK_INS, json=body, headers=lead)
        assert_problem(refused, 422, fields={"report_id"})
    chinese = await client.post(
        CHECK_INS,
        json={"report_id": str(world.junior.id), "scheduled_at": next_week()},
        headers=lead | ZH,
    )
    assert "直接下属" in assert_problem(chinese, 422)["errors"][0]["message"]
    foreign = {"report_id": str(stranger.id), "scheduled_at": next_week()}
    assert_problem(await client.post(CHECK_INS, json=foreign, headers=lead), 422)
    # HR without an employee record takes part in no 1:1.
    body = {"report_id": str(world.member.id), "scheduled_at": next_week()}
    assert_problem(await client.post(CHECK_INS, json=body, headers=world.hr.headers), 403)
    assert ok(await client.get(CHECK_INS, headers=world.hr.headers))["items"] == []


async def test_action_items_due_in_the_past_or_for_a_third_person_are_refused(
    client: AsyncClient, world: World
) -> None:
    lead = world.lead_account.headers
    past = {"report_id": str(world.member.id), "scheduled_at": next_week()} | {
        "action_items": [_item(world.member, -2)]
    }
    refused = await client.post(CHECK_INS, json=past, headers=lead)
    assert_problem(refused, 422, fields={"action_items.0.due_on"})
    chinese = await client.post(CHECK_INS, json=past, headers=lead | ZH)
    assert "今天" in assert_problem(chinese, 422)["errors"][0]["message"]
    third = past | {"action_items": [_item(world.member), _item(world.peer)]}
    refused = await client.post(CHECK_INS, json=third, headers=lead)
    assert_problem(refused, 422, fields={"action_items.1.assignee_id"})
    # Nothing was written: no check-in, no task.
    assert ok(await client.get(CHECK_INS, headers=lead))["items"] == []
    assert ok(await client.get(f"{API}/tasks", headers=world.hr.headers))["items"] == []

    created = await schedule(
        client, world.lead_account, world.member.id, action_items=[_item(world.member)]
    )
    url = f"{CHECK_INS}/{created['id']}"
    late = {"add_action_items": [_item(world.lead, -1)], "agenda": ["Changed"]}
    refused = await client.patch(url, json=late, headers=lead)
    assert_problem(refused, 422, fields={"add_action_items.0.due_on"})
    unchanged = ok(await client.get(url, headers=lead))
    assert (unchanged["agenda"], len(unchanged["action_items"])) == ([], 1)

    stale = await client.patch(
        url, json={"agenda": ["x"]}, headers=lead | {"If-Match": f'"{created["version"] + 5}"'}
    )
    assert_problem(stale, 412)
    cancelled = ok(await client.patch(url, json={"status": "cancelled"}, headers=lead))
    assert [i["status"] for i in cancelled["action_items"]] == ["cancelled"]
    refused = await client.patch(
        url, json={"add_action_items": [_item(world.member)]}, headers=lead
    )
    assert_problem(refused, 409, detail="cancelled")
    again = await client.patch(url, json={"status": "held"}, headers=lead | ZH)
    assert_problem(again, 409)


async def test_reads_cost_a_fixed_number_of_statements(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    lead = world.lead_account.headers
    first = await schedule(
        client, world.lead_account, world.member.id, action_items=[_item(world.member)]
    )
    with count_statements(runtime) as one:
        ok(await client.get(CHECK_INS, headers=lead))
    with count_statements(runtime) as single:
        ok(await client.get(f"{CHECK_INS}/{first['id']}", headers=lead))
    many = [
        await schedule(
            client,
            world.lead_account,
            world.member.id,
            action_items=[_item(world.member), _item(world.lead, 2, "Second")],
        )
        for _ in range(3)
    ]
    with count_statements(runtime) as four:
        listed = ok(await client.get(f"{CHECK_INS}?limit=3", headers=lead))
    assert (len(listed["items"]), listed["next_cursor"] is not None) == (3, True)
    with count_statements(runtime) as double:
        ok(await client.get(f"{CHECK_INS}/{many[0]['id']}", headers=lead))
    assert one.count == four.count == 6, four.statements
    assert [s for s in four.statements if "check_ins" in s] == [check_in_repository.CHECK_INS]
    assert single.count == double.count == 8, double.statements
    assert [s for s in double.statements if "check_ins" in s] == [check_in_repository.CHECK_IN]
    rest = ok(await client.get(f"{CHECK_INS}?cursor={listed['next_cursor']}", headers=lead))
    assert [c["id"] for c in rest["items"]] == [first["id"]]


async def test_a_time_without_a_zone_is_taken_as_utc(client: AsyncClient, world: World) -> None:
    created = await schedule(
        client, world.lead_account, world.member.id, scheduled_at="2027-01-04T09:30:00"
    )
    assert created["scheduled_at"].startswith("2027-01-04T09:30:00")


@pytest.mark.commits
async def test_an_overdue_action_item_is_escalated_to_its_assignee_s_manager(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """The tasks engine's reminders and escalation apply: the worker's deadline sweep tells
    the member, then the member's manager, and the check-in shows the item overdue."""
    async with frozen_clock(runtime, datetime(2027, 3, 1, 2, tzinfo=UTC)) as clock:
        item = {
            "title": "Send the plan",
            "assignee_id": str(world.member.id),
            "due_on": "2027-03-04",
        }
        created = await schedule(
            client,
            world.lead_account,
            world.member.id,
            scheduled_at="2027-03-02T02:00:00+00:00",
            action_items=[item],
        )
        clock._at = datetime(2027, 3, 1, 16, 1, tzinfo=UTC)  # three days before the due day ends
        await sweep(runtime)
        assert await inbox_kinds(client, world.member_account) == [
            "check_in.scheduled",
            "task.reminder",
        ]
        clock._at = datetime(2027, 3, 9, 2, tzinfo=UTC)  # a working Tuesday, 5 days overdue
        await sweep(runtime)
        assert "task.escalation" in await inbox_kinds(client, world.lead_account)
        url = f"{CHECK_INS}/{created['id']}"
        [shown] = ok(await client.get(url, headers=world.lead_account.headers))["action_items"]
        assert (shown["status"], shown["overdue"]) == ("open", True)


async def test_the_other_participant_hears_of_a_scheduled_moved_or_cancelled_1_1(
    client: AsyncClient, world: World
) -> None:
    created = await schedule(
        client,
        world.lead_account,
        world.member.id,
        scheduled_at="2027-01-04T02:00:00+00:00",
        agenda=["Salary"],
    )
    url = f"{CHECK_INS}/{created['id']}"
    moved = {"scheduled_at": "2027-01-05T06:30:00+00:00"}
    ok(await client.patch(url, json=moved, headers=world.member_account.headers))
    ok(await client.patch(url, json={"agenda": ["Other"]}, headers=world.lead_account.headers))
    ok(await client.patch(url, json={"status": "cancelled"}, headers=world.lead_account.headers))
    member = ok(await client.get(f"{API}/me/notifications", headers=world.member_account.headers))
    assert [(n["kind"], n["title"], n["body"]) for n in reversed(member["items"])] == [
        ("check_in.scheduled", "Lead scheduled a 1:1 with you", "On 4 Jan 2027, 10:00."),
        ("check_in.cancelled", "Lead cancelled your 1:1", "It was planned on 5 Jan 2027, 14:30."),
    ]
    lead = ok(await client.get(f"{API}/me/notifications", headers=world.lead_account.headers))
    assert [(n["kind"], n["title"], n["body"]) for n in lead["items"]] == [
        ("check_in.rescheduled", "Member moved your 1:1", "Now on 5 Jan 2027, 14:30.")
    ]
    assert "Salary" not in json.dumps([member, lead])
