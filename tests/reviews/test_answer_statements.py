"""What saving and submitting an answer costs: the cycle is read once per request."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.people.conftest import count_statements
from tests.reviews.conftest import API, Setup, post_ok


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
    assert _cycle_reads(saving.statements) == 1
    with count_statements(runtime) as submitting:
        submitted = await post_ok(client, rater, f"/review-assignments/{assignment['id']}/submit")
    assert submitted["status"] == "submitted"
    assert submitted["indicators"]
    assert _cycle_reads(submitting.statements) == 1
    assert _assignment_reads(submitting.statements) == 1, (
        "the task's completion check finds the submitted assignment in the session"
    )
