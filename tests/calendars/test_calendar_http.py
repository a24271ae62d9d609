"""The working calendar over HTTP: the year as the organization works it, its own days
(HR admin), and every refusal as a problem in the reader's language."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.calendar import official_years
from hrcore.core.runtime import Runtime
from tests.factories import make_org
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]

API = "/api/v1/working-calendar"
ZH = {"Accept-Language": "zh-CN"}


async def test_a_year_shows_the_official_schedule_and_the_organizations_own_days(
    client: AsyncClient, world: World
) -> None:
    before = await client.get(f"{API}/2026", headers=world.junior_account.headers)
    assert before.status_code == 200, before.text
    year = before.json()
    assert year["basis"] == "official"
    days = {day["day"]: day for day in year["days"]}
    assert days["2026-02-14"] == {
        "day": "2026-02-14",
        "working": True,
        "name": "调休上班",
        "source": "official",
    }
    assert days["2026-10-01"]["working"] is False

    added = await client.post(
        f"{API}/days",
        json={"day": "2026-03-06", "working": False, "name": "年会"},
        headers=world.hr.headers,
    )
    assert added.status_code == 201, added.text
    also = await client.post(
        f"{API}/days",
        json={"day": "2026-02-14", "working": False, "name": "公司统一休息"},
        headers=world.hr.headers,
    )
    assert also.status_code == 201, also.text

    after = (await client.get(f"{API}/2026", headers=world.junior_account.headers)).json()
    days = {day["day"]: day for day in after["days"]}
    assert days["2026-03-06"]["source"] == "organization"
    assert days["2026-02-14"] == {
        "day": "2026-02-14",
        "working": False,
        "name": "公司统一休息",
        "source": "organization",
    }
    assert after["working_days"] == year["working_days"] - 2

    listed = await client.get(f"{API}/days", params={"year": 2026}, headers=world.hr.headers)
    assert [day["day"] for day in listed.json()["items"]] == ["2026-02-14", "2026-03-06"]

    removed = await client.delete(f"{API}/days/{added.json()['id']}", headers=world.hr.headers)
    assert removed.status_code == 204
    again = (await client.get(f"{API}/2026", headers=world.hr.headers)).json()
    assert "2026-03-06" not in {day["day"] for day in again["days"]}
    audit = await client.get(
        "/api/v1/audit-events",
        params={"object_id": added.json()["id"]},
        headers=world.hr.headers,
    )
    assert [event["action"] for event in audit.json()["items"]] == [
        "calendar_day.removed",
        "calendar_day.added",
    ]


async def test_a_year_the_package_does_not_cover_says_it_counts_weekends_only(
    client: AsyncClient, world: World
) -> None:
    year = max(official_years()) + 1
    shown = await client.get(f"{API}/{year}", headers=world.junior_account.headers | ZH)
    assert shown.status_code == 200, shown.text
    assert shown.json()["basis"] == "weekends_only"
    assert shown.json()["days"] == []
    assert "周末" in shown.json()["note"]

    marked = await client.post(
        f"{API}/days",
        json={"day": f"{year}-02-08", "working": False, "name": "春节"},
        headers=world.hr.headers,
    )
    assert marked.status_code == 201, marked.text
    shown = (await client.get(f"{API}/{year}", headers=world.hr.headers)).json()
    assert shown["basis"] == "weekends_only"
    assert shown["days"] == [
        {"day": f"{year}-02-08", "working": False, "name": "春节", "source": "organization"}
    ]


async def test_refusals_are_problems_in_the_readers_language(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    body = {"day": "2026-03-06", "working": False, "name": "年会"}
    refused = await client.post(f"{API}/days", json=body, headers=world.junior_account.headers)
    assert_problem(refused, 403)
    first = await client.post(f"{API}/days", json=body, headers=world.hr.headers)
    assert first.status_code == 201
    twice = await client.post(f"{API}/days", json=body, headers=world.hr.headers | ZH)
    assert_problem(twice, 409, detail="已设置")
    for wrong, field in [
        ({**body, "day": "2026-02-30"}, "day"),
        ({**body, "name": ""}, "name"),
        ({**body, "day": "2026-03-07", "name": "   "}, "name"),
        ({**body, "working": "sometimes"}, "working"),
        ({**body, "extra": 1}, "extra"),
    ]:
        response = await client.post(f"{API}/days", json=wrong, headers=world.hr.headers)
        assert_problem(response, 422, fields={f"body.{field}"})
    assert_problem(
        await client.get(f"{API}/1800", headers=world.hr.headers | ZH),
        422,
        fields={"year"},
        detail="没有该年份的日历",
    )
    assert_problem(
        await client.get(f"{API}/days", params={"year": 3000}, headers=world.hr.headers),
        422,
        fields={"year"},
    )

    other = await make_org(runtime)
    assert (await client.get(f"{API}/days", headers=other.headers)).json()["items"] == []
    gone = await client.delete(f"{API}/days/{first.json()['id']}", headers=other.headers)
    assert_problem(gone, 404, detail="No such calendar day")
    still = await client.get(f"{API}/days", headers=world.hr.headers)
    assert len(still.json()["items"]) == 1
