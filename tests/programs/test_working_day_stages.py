"""A program stage may last N working days on the organization's calendar."""

from __future__ import annotations

from httpx import AsyncClient

from tests.people.conftest import World, world
from tests.programs.test_programs import _get, _participant, _post, add_active_member

__all__ = ["world"]


async def test_a_stage_in_working_days_skips_weekends_and_the_organizations_days_off(
    client: AsyncClient, world: World
) -> None:
    hr = world.hr
    # a company day off on Thursday 31 December; 2027 is not in the official schedule yet,
    # so Friday 1 January counts as a working day unless the organization marks it
    marked = await _post(
        client,
        hr,
        "/working-calendar/days",
        {"day": "2026-12-31", "working": False, "name": "年终盘点"},
    )
    assert marked["working"] is False
    template = await _post(
        client,
        hr,
        "/program-templates",
        {
            "name": "Working-day plan",
            "stages": [
                {
                    "key": "training",
                    "name": "Training",
                    "kind": "training",
                    "duration_days": 5,
                    "days_are": "working",
                },
                {
                    "key": "reflection",
                    "name": "Reflection",
                    "kind": "submission",
                    "duration_days": 7,
                },
            ],
        },
    )
    assert [s["days_are"] for s in template["stages"]] == ["working", "calendar"]
    pool = await _post(client, hr, "/talent-pools", {"name": "Reserve", "rules": []})
    await add_active_member(client, hr, pool["id"], world.member.id)
    run = await _post(
        client,
        hr,
        "/programs",
        {
            "name": "Year-end run",
            "template_id": template["id"],
            "pool_id": pool["id"],
            "starts_on": "2026-12-28",
        },
    )
    await _post(
        client, hr, f"/programs/{run['id']}/participants", {"employee_ids": [str(world.member.id)]}
    )
    await _post(client, hr, f"/programs/{run['id']}/start")

    member = await _participant(client, hr, run["id"], "Member")
    dossier = await _get(client, hr, f"/programs/{run['id']}/participants/{member['id']}/dossier")
    windows = [(s["key"], s["starts_on"], s["due_on"]) for s in dossier["stages"]]
    # Mon 28, Tue 29, Wed 30, (Thu 31 off), Fri 1 Jan, (weekend), Mon 4 Jan: five working days
    assert windows == [
        ("training", "2026-12-28", "2027-01-04"),
        ("reflection", "2027-01-05", "2027-01-11"),
    ]
    tasks = await _get(client, world.member_account, "/me/tasks?status=open")
    [task] = tasks["items"]
    assert task["due_at"] == "2027-01-04T15:59:59.999999Z", "end of the day in Shanghai"
