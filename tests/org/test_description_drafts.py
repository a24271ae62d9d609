"""Co-editing position descriptions 「协同文档」: one side proposes, the other approves."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.org.models import Position
from tests.conftest import recorded_statements
from tests.factories import Account, make_department, make_org, make_position
from tests.org.conftest import World, api_key

PROPOSAL = {
    "summary": "Runs the eastern sales section.",
    "responsibilities": ["Open new accounts"],
    "core_competencies": [{"name": "Negotiation", "required_level": 8, "category": "professional"}],
}


@pytest.fixture
async def chief(runtime: Runtime, world: World) -> Position:
    """A post in a sub-department of Sales, so the Sales head is responsible for it."""
    return await make_position(runtime, world.hr.org_id, world.sales_east, "East chief")


def _user(account: Account) -> dict[str, str]:
    """The `{id, name}` link naming a user account: its display name."""
    return {"id": str(account.user_id), "name": account.email.split("@")[0]}


def _drafts(position: Position) -> str:
    return f"/api/v1/positions/{position.id}/description-drafts"


async def _propose(
    client: AsyncClient, position: Position, headers: dict[str, str], summary: str = "v2"
) -> dict[str, Any]:
    response = await client.post(
        _drafts(position), json=PROPOSAL | {"summary": summary}, headers=headers
    )
    assert response.status_code == 201, response.text
    draft: dict[str, Any] = response.json()
    return draft


async def test_a_department_draft_is_discussed_and_approved_by_hr(
    client: AsyncClient, world: World, chief: Position
) -> None:
    draft = await _propose(client, chief, world.sales_head.headers, "by the department")
    assert (draft["author_side"], draft["status"]) == ("department", "open")
    competing = await _propose(client, chief, world.hr.headers, "by HR")
    assert competing["author_side"] == "hr"
    url = f"/api/v1/description-drafts/{draft['id']}"
    for account, body in ((world.hr, "Add a KPI?"), (world.sales_head, "Added below.")):
        comment = await client.post(f"{url}/comments", json={"body": body}, headers=account.headers)
        assert comment.status_code == 201, comment.text
    detail = (await client.get(url, headers=world.sales_head.headers)).json()
    assert [(c["author_id"], c["author"], c["body"]) for c in detail["comments"]] == [
        (str(world.hr.user_id), _user(world.hr), "Add a KPI?"),
        (str(world.sales_head.user_id), _user(world.sales_head), "Added below."),
    ]
    assert comment.json()["author"] == _user(world.sales_head)
    assert (detail["author"], detail["approved_by_user"]) == (_user(world.sales_head), None)

    own_side = await client.post(f"{url}/approve", headers=world.sales_head.headers)
    assert own_side.status_code == 403
    approved = await client.post(f"{url}/approve", headers=world.hr.headers)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == str(world.hr.user_id)
    assert approved.json()["approved_by_user"] == _user(world.hr)
    assert approved.json()["author"] == _user(world.sales_head)
    assert approved.json()["approved_at"] is not None

    position = (await client.get(f"/api/v1/positions/{chief.id}", headers=world.hr.headers)).json()
    assert position["description"] == PROPOSAL | {"summary": "by the department"}
    assert position["description_revision"] == 1
    superseded = f"/api/v1/description-drafts/{competing['id']}"
    assert (await client.get(superseded, headers=world.hr.headers)).json()["status"] == "superseded"
    for closed in (url, superseded):
        late = await client.post(f"{closed}/comments", json={"body": "?"}, headers=world.hr.headers)
        assert late.status_code == 409
        again = await client.post(f"{closed}/approve", headers=world.sales_head.headers)
        assert again.status_code == 409

    history = await client.get(_drafts(chief), headers=world.sales_head.headers)
    assert [(d["id"], d["status"]) for d in history.json()["items"]] == [
        (competing["id"], "superseded"),
        (draft["id"], "approved"),
    ]
    assert [(d["author"], d["approved_by_user"]) for d in history.json()["items"]] == [
        (_user(world.hr), None),
        (_user(world.sales_head), _user(world.hr)),
    ]
    only_open = await client.get(f"{_drafts(chief)}?status=open", headers=world.hr.headers)
    assert only_open.json()["items"] == []


async def test_the_history_names_its_people_in_a_fixed_number_of_statements(
    client: AsyncClient, runtime: Runtime, world: World, chief: Position
) -> None:
    """Author and approver names are joined into the page's statement: more drafts by more
    people cost nothing more."""
    await _propose(client, chief, world.hr.headers)

    async def listed() -> tuple[int, list[Any]]:
        with recorded_statements(runtime) as statements:
            response = await client.get(_drafts(chief), headers=world.hr.headers)
        assert response.status_code == 200, response.text
        return len(statements), response.json()["items"]

    few, _ = await listed()
    first = await _propose(client, chief, world.sales_head.headers, "by the head")
    await _propose(client, chief, world.hr.headers, "another")
    approve = f"/api/v1/description-drafts/{first['id']}/approve"
    assert (await client.post(approve, headers=world.hr.headers)).status_code == 200
    many, items = await listed()
    assert many == few
    assert [(item["author"], item["approved_by_user"]) for item in items] == [
        (_user(world.hr), None),
        (_user(world.sales_head), _user(world.hr)),
        (_user(world.hr), None),
    ]


async def test_an_hr_draft_is_approved_by_the_responsible_head(
    client: AsyncClient, runtime: Runtime, world: World, chief: Position
) -> None:
    draft = await _propose(client, chief, world.hr.headers)
    url = f"/api/v1/description-drafts/{draft['id']}/approve"
    other_hr = await make_org(runtime)  # an HR admin of another org cannot see it at all
    assert (await client.post(url, headers=other_hr.headers)).status_code == 404
    assert (await client.post(url, headers=world.hr.headers)).status_code == 403
    assert (await client.post(url, headers=world.engineering_head.headers)).status_code == 404
    stale = await client.post(url, headers=world.sales_head.headers | {"If-Match": '"99"'})
    assert stale.status_code == 412
    approved = await client.post(url, headers=world.sales_head.headers)
    assert approved.status_code == 200, approved.text
    position = (await client.get(f"/api/v1/positions/{chief.id}", headers=world.hr.headers)).json()
    assert (position["description"]["summary"], position["description_revision"]) == ("v2", 1)
    events = await client.get(
        f"/api/v1/audit-events?object_id={chief.id}&action=position.description_approved",
        headers=world.hr.headers,
    )
    [event] = events.json()["items"]
    assert (event["before"]["revision"], event["after"]["revision"]) == (0, 1)
    assert event["actor_id"] == str(world.sales_head.user_id)


async def test_drafts_outside_the_callers_reach_are_404(
    client: AsyncClient, runtime: Runtime, world: World, chief: Position
) -> None:
    draft = await _propose(client, chief, world.hr.headers)
    url = f"/api/v1/description-drafts/{draft['id']}"
    for account in (world.engineering_head, world.employee):
        headers = account.headers
        assert (
            await client.post(_drafts(chief), json=PROPOSAL, headers=headers)
        ).status_code == 404
        assert (await client.get(_drafts(chief), headers=headers)).status_code == 404
        assert (await client.get(url, headers=headers)).status_code == 404
        comment = await client.post(f"{url}/comments", json={"body": "hi"}, headers=headers)
        assert comment.status_code == 404
    key = await api_key(client, world.hr, "org:read")
    assert (await client.post(_drafts(chief), json=PROPOSAL, headers=key)).status_code == 403
    assert (await client.get(url, headers=key)).status_code == 404
    other = await make_org(runtime)
    foreign = await make_position(
        runtime, other.org_id, await make_department(runtime, other.org_id, "X"), "Foreign"
    )
    assert (
        await client.post(_drafts(foreign), json=PROPOSAL, headers=world.hr.headers)
    ).status_code == 404


async def test_a_proposal_is_validated_like_a_description(
    client: AsyncClient, world: World, chief: Position
) -> None:
    bad = PROPOSAL | {
        "core_competencies": [{"name": "X", "required_level": 12, "category": "general"}]
    }
    response = await client.post(_drafts(chief), json=bad, headers=world.sales_head.headers)
    assert response.status_code == 422
    draft = await _propose(client, chief, world.hr.headers)
    empty = await client.post(
        f"/api/v1/description-drafts/{draft['id']}/comments",
        json={"body": ""},
        headers=world.hr.headers,
    )
    assert empty.status_code == 422
