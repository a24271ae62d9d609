"""The calendar feed: a signed address from `/me/calendar-feed`, fetched without a bearer
token, with the sessions one holds a seat in (UTC times, place; cancelled ones marked);
a forged or altered address is 404."""

from __future__ import annotations

from urllib.parse import urlsplit

from httpx import AsyncClient
from icalendar import Calendar

from tests.problems import assert_problem
from tests.training.courses_helpers import World, create_course, create_session, enrol, world

__all__ = ["world"]

FEED = "/api/v1/me/calendar-feed"


async def _feed_path(client: AsyncClient, headers: dict[str, str]) -> str:
    answer = await client.get(FEED, headers=headers)
    assert answer.status_code == 200, answer.text
    return urlsplit(answer.json()["url"]).path


async def test_the_feed_lists_my_sessions_without_a_bearer_token(
    client: AsyncClient, world: World
) -> None:
    course = await create_course(client, world.hr, name="Negotiation basics")
    seated = await create_session(client, world.hr, course["id"], place="Room 301")
    later = await create_session(
        client,
        world.hr,
        course["id"],
        starts_at="2027-04-01T06:00:00Z",
        ends_at="2027-04-01T08:00:00Z",
    )
    elsewhere = await create_session(client, world.hr, course["id"])
    await enrol(client, world.junior_account, seated["id"])
    await enrol(client, world.junior_account, later["id"])
    await enrol(client, world.peer_account, elsewhere["id"])
    cancelled = await client.patch(
        f"/api/v1/course-sessions/{later['id']}",
        json={"status": "cancelled"},
        headers=world.hr.headers,
    )
    assert cancelled.status_code == 200
    path = await _feed_path(client, world.junior_account.headers)
    assert path.startswith("/api/v1/calendar-feeds/")
    assert path.endswith(".ics")
    answer = await client.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    events = {
        str(event["UID"]): event for event in Calendar.from_ical(answer.content).walk("VEVENT")
    }
    assert set(events) == {f"{seated['id']}@hrcore", f"{later['id']}@hrcore"}
    first = events[f"{seated['id']}@hrcore"]
    assert str(first["SUMMARY"]) == "Negotiation basics"
    assert str(first["LOCATION"]) == "Room 301"
    assert first.to_ical().decode().count("DTSTART:20270310T010000Z") == 1
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(events[f"{later['id']}@hrcore"]["STATUS"]) == "CANCELLED"


async def test_a_forged_or_altered_address_is_404(client: AsyncClient, world: World) -> None:
    path = await _feed_path(client, world.junior_account.headers)
    token = path.removeprefix("/api/v1/calendar-feeds/").removesuffix(".ics")
    kid, ids, signature = token.split(".")
    peer = await _feed_path(client, world.peer_account.headers)
    peer_ids = peer.removeprefix("/api/v1/calendar-feeds/").split(".")[1]
    for forged in (
        f"{kid}.{peer_ids}.{signature}",
        f"{kid}.{ids}.{signature[:-2]}AA",
        f"unknown.{ids}.{signature}",
        "nothing",
        f"{kid}.!!.{signature}",
    ):
        assert_problem(await client.get(f"/api/v1/calendar-feeds/{forged}.ics"), 404)
    assert_problem(await client.get(FEED, headers=world.hr.headers), 404)
