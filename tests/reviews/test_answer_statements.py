"""What saving and submitting an answer costs: the cycle is read once per request; the
rater's list names each assignment's cycle in a fixed number of statements."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.people.conftest import count_statements
from tests.reviews.conftest import API, Setup, post_ok

NAMED = {"name": "2026 year-end"}


def _cycle_reads(statements: list[str]) -> int:
    return sum(1 for s in statements if s.startswith("SELECT") and "FROM review_cycles" in s)


def _assignment_reads(statements: list[str]) -> int:
    return sum(
        1 for s in statements if s.startswith("SELECT") and "\nFROM review_assignments \n" in s
    )


async def test_saving_and_submitting_read_the_cycle_once(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    rater = setup.accounts["engineer"]
    mine = await client.get(f"{API}/me/review-assignments", headers=rater.headers)
    [assignment] = [a for a in mine.json()["items"] if a["participant"]["name"] == "Lead"]
    path = f"{API}/review-assignments/{assignment['id']}"
    with count_statements(runtime) as saving:
        saved = await client.put(
            path, json={"answers": {"teamwork": {"score": 5}}}, headers=rater.headers
        )
    assert saved.status_code == 200, saved.text
    assert saved.json()["due_on"] == "2026-12-20"
    assert saved.json()["cycle"] == {"id": assignment["cycle_id"], **NAMED}
    assert _cycle_reads(saving.statements) == 1
    with count_statements(runtime) as submitting:
        submitted = await post_ok(client, rater, f"/review-assignments/{assignment['id']}/submit")
    assert submitted["status"] == "submitted"
    assert submitted["indicators"]
    assert submitted["cycle"] == {"id": assignment["cycle_id"], **NAMED}
    assert _cycle_reads(submitting.statements) == 1
    assert _assignment_reads(submitting.statements) == 1, (
        "the task's completion check finds the submitted assignment in the session"
    )


async def test_the_raters_list_names_each_cycle_in_fixed_statements(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    rater, hr = setup.accounts["engineer"], setup.world.hr
    with count_statements(runtime) as one_cycle:
        mine = (await client.get(f"{API}/me/review-assignments", headers=rater.headers)).json()
    assert {a["cycle"]["name"] for a in mine["items"]} == {"2026 year-end"}
    second = await post_ok(
        client,
        hr,
        "/review-cycles",
        {
            "name": "2027 mid-year",
            "kind": "year_end",
            "template_id": setup.cycle["template_id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
        },
    )
    lead = str(setup.world.lead.id)
    await post_ok(
        client, hr, f"/review-cycles/{second['id']}/participants", {"employee_ids": [lead]}
    )
    await post_ok(client, hr, f"/review-cycles/{second['id']}/open")
    with count_statements(runtime) as two_cycles:
        mine = (await client.get(f"{API}/me/review-assignments", headers=rater.headers)).json()
    assert two_cycles.count == one_cycle.count
    named = {(a["cycle_id"], a["cycle"]["id"], a["cycle"]["name"]) for a in mine["items"]}
    assert named == {
        (setup.cycle["id"], setup.cycle["id"], "2026 year-end"),
        (second["id"], second["id"], "2027 mid-year"),
    }
    one = await client.get(
        f"{API}/review-assignments/{mine['items'][0]['id']}", headers=rater.headers
    )
    assert one.json()["cycle"] == mine["items"][0]["cycle"]
