"""`/me/mentorships`: the caller's pairings as mentor and as mentee; the mentee reads the
mentor's work contact details, nobody else reads them here."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_employee
from tests.mentoring.pairing_helpers import API, MENTORSHIPS, pair, setup
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem

__all__ = ["world"]
MINE = f"{API}/me/mentorships"


async def test_the_mentee_reads_the_mentor_s_contact_and_the_mentor_their_mentees(
    client: AsyncClient, world: World
) -> None:
    ready = await setup(client, world)
    as_mentee = await pair(client, world.hr, ready, world.junior.id)
    as_mentor = await pair(client, world.hr, ready, world.member.id)
    [mine] = (await client.get(MINE, headers=world.junior_account.headers)).json()["items"]
    assert (mine["id"], mine["role"], mine["plan_status"]) == (as_mentee["id"], "mentee", "draft")
    assert mine["mentor_employee"] == {"id": str(world.lead.id), "name": "Lead"}
    assert mine["mentor_contact"] == {"email": "lead@example.com", "phone": "+86 138 0000 0000"}
    led = (await client.get(MINE, headers=world.lead_account.headers)).json()["items"]
    assert [(item["id"], item["role"]) for item in led] == [
        (as_mentee["id"], "mentor"),
        (as_mentor["id"], "mentor"),
    ]
    assert [item["mentor_contact"] for item in led] == [None, None]
    [member] = (await client.get(MINE, headers=world.member_account.headers)).json()["items"]
    assert (member["id"], member["role"]) == (as_mentor["id"], "mentee")
    ended = await client.post(
        f"{MENTORSHIPS}/{as_mentee['id']}/end",
        json={"outcome": "completed"},
        headers=world.hr.headers,
    )
    assert ended.status_code == 200, ended.text
    active = await client.get(
        MINE, params={"status": "active"}, headers=world.junior_account.headers
    )
    assert active.json()["items"] == []
    completed = await client.get(
        MINE, params={"status": "completed"}, headers=world.junior_account.headers
    )
    assert [item["status"] for item in completed.json()["items"]] == ["completed"]


async def test_an_account_without_an_employee_is_404_and_a_key_403(
    client: AsyncClient, world: World
) -> None:
    assert_problem(await client.get(MINE, headers=world.hr.headers), 404)
    key = await client.post(
        f"{API}/api-keys", json={"name": "CRM", "scopes": ["org:read"]}, headers=world.hr.headers
    )
    bearer = {"Authorization": f"Bearer {key.json()['key']}"}
    assert_problem(await client.get(MINE, headers=bearer), 403)


async def test_a_page_costs_the_same_statements_for_more_pairings(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    ready = await setup(client, world, capacity=5)
    await pair(client, world.hr, ready, world.junior.id)
    with count_statements(runtime) as few:
        response = await client.get(MINE, headers=world.lead_account.headers)
    assert len(response.json()["items"]) == 1
    for index in range(3):
        extra = await make_employee(runtime, world.hr.org_id, world.sales, f"Graduate {index}")
        await pair(client, world.hr, ready, extra.id)
    with count_statements(runtime) as many:
        response = await client.get(MINE, headers=world.lead_account.headers)
    assert len(response.json()["items"]) == 4
    assert many.count == few.count
