"""Feedback and praise between colleagues: the visibility the giver chose (private, manager,
public by people's reach), the receiver's inbox, tags, audit without the text, the bad
input and the statements a page costs."""

from __future__ import annotations

import json
from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.performance import check_in_repository
from tests.competencies.conftest import create as create_competency
from tests.factories import Account, make_employee, make_org, make_tree, make_user
from tests.people.conftest import count_statements
from tests.performance.check_in_helpers import FEEDBACK, audited
from tests.performance.conftest import API, ZH, World, api_key, ok, post_scheme, scheme
from tests.problems import assert_problem


async def _give(
    client: AsyncClient, giver: Account, receiver: Any, visibility: str, **more: Any
) -> dict[str, Any]:
    body = {
        "receiver_id": str(receiver.id),
        "kind": "praise",
        "text": f"Great {visibility} work",
        "visibility": visibility,
    } | more
    return dict(ok(await client.post(FEEDBACK, json=body, headers=giver.headers), 201))


def _texts(page: dict[str, Any]) -> list[str]:
    return sorted(item["text"] for item in page["items"])


async def test_each_reader_sees_what_the_giver_chose(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    org_id = world.hr.org_id
    boss = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.boss.id)
    engineer = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.engineer.id)
    # The engineer (outside the sales line) praises the member three ways.
    public = await _give(client, engineer, world.member, "public")
    await _give(client, engineer, world.member, "manager", kind="suggestion")
    await _give(client, engineer, world.member, "private")
    assert (public["giver"]["name"], public["receiver"]["name"], public["kind"]) == (
        "Engineer",
        "Member",
        "praise",
    )

    received = ok(
        await client.get(f"{FEEDBACK}?received=true", headers=world.member_account.headers)
    )
    assert _texts(received) == ["Great manager work", "Great private work", "Great public work"]
    given = ok(await client.get(f"{FEEDBACK}?given=true", headers=engineer.headers))
    assert len(given["items"]) == 3
    about = f"{FEEDBACK}?employee_id={world.member.id}"
    # The member's direct manager: public and manager; the manager above and the department
    # head (who see the member): public only; HR: public only.
    lead = ok(await client.get(about, headers=world.lead_account.headers))
    assert _texts(lead) == ["Great manager work", "Great public work"]
    for reader in (boss, world.sales_head, world.hr):
        assert _texts(ok(await client.get(about, headers=reader.headers))) == ["Great public work"]
    # The giver reads their own about the member only through `given`: the member is outside
    # the engineer's reach, like the junior's (404).
    assert_problem(await client.get(about, headers=engineer.headers), 404)
    junior_reads = await client.get(about, headers=world.junior_account.headers)
    assert_problem(junior_reads, 404, detail="No such employee")
    assert (
        ok(await client.get(f"{FEEDBACK}?received=true", headers=engineer.headers))["items"] == []
    )

    inbox = ok(await client.get(f"{API}/me/notifications", headers=world.member_account.headers))
    titles = sorted(item["title"] for item in inbox["items"])
    assert titles == [
        "Engineer left you a suggestion",
        "Engineer praised you",
        "Engineer praised you",
    ]
    assert "Great" not in json.dumps(inbox), "the notice never carries the text"
    [event] = await audited(client, world.hr, public["id"])
    assert (event["action"], event["after"]["visibility"]) == ("feedback.given", "public")
    assert "Great" not in json.dumps(event)


async def test_tags_name_a_competency_or_an_indicator(client: AsyncClient, world: World) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    competency = await create_competency(client, world.hr, "Customer focus")
    tagged = await _give(
        client,
        world.member_account,
        world.lead,
        "public",
        competency_id=competency["id"],
        indicator="customer_feedback",
    )
    assert tagged["competency"] == {"id": competency["id"], "name": "Customer focus"}
    assert tagged["indicator"] == "customer_feedback"
    listed = ok(await client.get(f"{FEEDBACK}?given=true", headers=world.member_account.headers))
    assert listed["items"][0]["competency"]["name"] == "Customer focus"
    body = {
        "receiver_id": str(world.lead.id),
        "kind": "praise",
        "text": "x",
        "visibility": "public",
    }
    member = world.member_account.headers
    unknown = await client.post(FEEDBACK, json=body | {"indicator": "no_such"}, headers=member)
    assert_problem(unknown, 422, fields={"indicator"})
    other = await client.post(
        FEEDBACK, json=body | {"competency_id": world.lead.id.hex}, headers=member
    )
    assert_problem(other, 422, fields={"competency_id"})


async def test_bad_feedback_is_refused_and_nothing_is_written(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    stranger_org = await make_org(runtime)
    stranger = await make_employee(
        runtime, stranger_org.org_id, (await make_tree(runtime, stranger_org.org_id)).sales
    )
    member = world.member_account.headers
    body = {
        "receiver_id": str(world.lead.id),
        "kind": "praise",
        "text": "Thanks",
        "visibility": "private",
    }
    foreign = await client.post(
        FEEDBACK, json=body | {"receiver_id": str(stranger.id)}, headers=member
    )
    assert_problem(foreign, 404, detail="No such employee")
    chinese = await client.post(
        FEEDBACK, json=body | {"receiver_id": str(stranger.id)}, headers=member | ZH
    )
    assert assert_problem(chinese, 404)["detail"] == "员工不存在"
    empty = await client.post(FEEDBACK, json=body | {"text": "   "}, headers=member)
    assert_problem(empty, 422, fields={"body.text"})
    myself = await client.post(
        FEEDBACK, json=body | {"receiver_id": str(world.member.id)}, headers=member | ZH
    )
    assert assert_problem(myself, 422, fields={"receiver_id"})["errors"][0]["message"] == (
        "必须是您以外的同事"
    )
    wrong = await client.post(FEEDBACK, json=body | {"visibility": "team"}, headers=member)
    assert_problem(wrong, 422, fields={"body.visibility"})
    # Accounts without an employee and integration keys neither give nor list.
    assert_problem(await client.post(FEEDBACK, json=body, headers=world.hr.headers), 403)
    key = await api_key(client, world.hr, "ratings:read")
    assert_problem(await client.post(FEEDBACK, json=body, headers=key), 403)
    assert_problem(await client.get(f"{FEEDBACK}?employee_id={world.lead.id}", headers=key), 403)
    # A list names at most one of its three choices (none: what the caller received).
    assert ok(await client.get(FEEDBACK, headers=member)) == ok(
        await client.get(f"{FEEDBACK}?received=true", headers=member)
    )
    for query in ("?received=true&given=true", f"?given=true&employee_id={world.lead.id}"):
        refused = await client.get(f"{FEEDBACK}{query}", headers=member)
        assert_problem(refused, 422, fields={"query.received"})
    assert ok(await client.get(f"{FEEDBACK}?given=true", headers=member))["items"] == []
    inbox = ok(await client.get(f"{API}/me/notifications", headers=world.lead_account.headers))
    assert inbox["items"] == []


async def test_a_page_costs_the_same_statements_whatever_its_size(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    lead = world.lead_account.headers
    await _give(client, world.member_account, world.lead, "public")
    with count_statements(runtime) as one:
        ok(await client.get(f"{FEEDBACK}?received=true", headers=lead))
    for visibility in ("public", "manager", "private"):
        await _give(client, world.member_account, world.lead, visibility)
    with count_statements(runtime) as four:
        page = ok(await client.get(f"{FEEDBACK}?received=true&limit=3", headers=lead))
    assert one.count == four.count == 6, four.statements
    assert [s for s in four.statements if "FROM feedback" in s] == [check_in_repository.FEEDBACK]
    rest = ok(
        await client.get(f"{FEEDBACK}?received=true&cursor={page['next_cursor']}", headers=lead)
    )
    assert len(page["items"]) + len(rest["items"]) == 4
    assert {i["id"] for i in page["items"]}.isdisjoint({i["id"] for i in rest["items"]})
    # Of an employee: the reach check and the manager line cost a fixed number more.
    about = f"{FEEDBACK}?employee_id={world.lead.id}"
    with count_statements(runtime) as reach:
        assert len(ok(await client.get(about, headers=world.sales_head.headers))["items"]) == 2
    assert reach.count == 9, reach.statements
