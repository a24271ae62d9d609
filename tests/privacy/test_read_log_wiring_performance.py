"""Performance goals and 1:1 check-ins wired into the read-access log: a manager reading a
report's goal (one, its key results, a list, the tree) or their check-ins with the report is
logged as an evaluation read about the report; the report's own reads are not, nor HR's
metadata-only view of a check-in."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_jobs
from tests.people.conftest import World, world
from tests.performance.check_in_helpers import CHECK_INS, schedule
from tests.performance.goals_helpers import GOALS, add_key_result, key_result, post_goal
from tests.privacy.test_read_log import MY_LOG, _items

__all__ = ["world"]


async def _drain(runtime: Runtime) -> int:
    return await read_log_jobs.drain_read_log({"runtime": runtime})


async def test_a_managers_reads_of_a_reports_goal_are_logged(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    goal = await post_goal(
        client,
        world.member_account,
        "Serve my customers faster",
        "2026-12",
        employee_id=world.member.id,
    )
    await add_key_result(client, world.member_account, goal, key_result("Tickets", 0, 10))
    lead = world.lead_account.headers
    for path, params in (
        (f"{GOALS}/{goal['id']}", {}),
        (f"{GOALS}/{goal['id']}/key-results", {}),
        (GOALS, {"employee_id": str(world.member.id)}),
        (f"{GOALS}/tree", {"period": "2026-12"}),
    ):
        read = await client.get(path, params=params, headers=lead)
        assert read.status_code == 200, read.text
        own = await client.get(path, params=params, headers=world.member_account.headers)
        assert own.status_code == 200, own.text
    assert await _drain(runtime) == 4, "Lead's four reads; Member's own are not logged"

    entries = await _items(client, MY_LOG, world.member_account)
    assert sorted(e["operation"] for e in entries) == [
        "get_goal",
        "get_goal_tree",
        "list_goal_key_results",
        "list_goals",
    ]
    assert {(e["actor_id"], e["what"], e["data_class"]) for e in entries} == {
        (str(world.lead_account.user_id), "performance_goal", "evaluation")
    }


async def test_a_managers_reads_of_a_check_in_are_logged_and_hrs_metadata_is_not(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    created = await schedule(client, world.lead_account, world.member.id, agenda=["Next steps"])
    assert await _drain(runtime) == 0, "scheduling reads nothing of the report's"
    for account in (world.lead_account, world.member_account, world.hr):
        one = await client.get(f"{CHECK_INS}/{created['id']}", headers=account.headers)
        assert one.status_code == 200, one.text
        listed = await client.get(CHECK_INS, headers=account.headers)
        assert [c["id"] for c in listed.json()["items"]] == [created["id"]]
    assert await _drain(runtime) == 2, "Lead's two; the member's own and HR's metadata are not"

    entries = await _items(client, MY_LOG, world.member_account)
    assert sorted(e["operation"] for e in entries) == ["get_check_in", "list_check_ins"]
    assert {(e["actor_id"], e["what"]) for e in entries} == {
        (str(world.lead_account.user_id), "check_in")
    }
