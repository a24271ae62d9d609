"""Integration-key scopes name what they read: `org:read` is the directory only; ratings,
profiles and review tasks need `ratings:read`, `profiles:read` and `reviews:read`."""

from __future__ import annotations

from datetime import date

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.people.conftest import World
from tests.people.test_visibility import _api_key
from tests.workflow.conftest import make_task


async def _rated(client: AsyncClient, world: World) -> str:
    path = f"/api/v1/employees/{world.peer.id}/performance-ratings"
    created = await client.post(
        path, json={"period": "2025", "letter": "A"}, headers=world.hr.headers
    )
    assert created.status_code == 201, created.text
    return path


async def test_org_read_sees_the_directory_but_not_ratings(
    client: AsyncClient, world: World
) -> None:
    path = await _rated(client, world)
    directory = await _api_key(client, world.hr, "org:read")
    one = await client.get(f"/api/v1/employees/{world.peer.id}", headers=directory)
    assert one.status_code == 200
    assert one.json()["full_name"] == "Peer"
    refused = await client.get(path, headers=directory)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This integration key lacks the ratings:read scope"
    ratings = await _api_key(client, world.hr, "ratings:read")
    allowed = await client.get(path, headers=ratings)
    assert allowed.status_code == 200
    assert [item["letter"] for item in allowed.json()["items"]] == ["A"]


async def test_profiles_need_profiles_read_and_their_ratings_ratings_read(
    client: AsyncClient, world: World
) -> None:
    await _rated(client, world)
    profile = f"/api/v1/employees/{world.peer.id}/profile"
    events = f"/api/v1/employees/{world.peer.id}/events"
    directory = await _api_key(client, world.hr, "org:read")
    assert (await client.get(profile, headers=directory)).status_code == 403
    assert (await client.get(events, headers=directory)).status_code == 403
    profiles = await _api_key(client, world.hr, "profiles:read")
    trimmed = await client.get(profile, headers=profiles)
    assert trimmed.status_code == 200
    assert trimmed.json()["performance_trend"] == []
    assert (await client.get(events, headers=profiles)).status_code == 200
    both = await _api_key(client, world.hr, "profiles:read", "ratings:read")
    full = await client.get(profile, headers=both)
    assert [item["letter"] for item in full.json()["performance_trend"]] == ["A"]


async def test_review_tasks_need_reviews_read(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    due = date(2030, 1, 31)
    plain = await make_task(runtime, world.hr.org_id, world.member, due)
    rater = await make_task(
        runtime,
        world.hr.org_id,
        world.peer,
        due,
        subject_type="review_assignment",
        kind="review.rate",
        title="Review Member (peer)",
    )
    directory = await _api_key(client, world.hr, "org:read")
    listed = await client.get("/api/v1/tasks", headers=directory)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [str(plain.id)]
    assert (await client.get(f"/api/v1/tasks/{rater.id}", headers=directory)).status_code == 404
    assert (await client.get(f"/api/v1/tasks/{plain.id}", headers=directory)).status_code == 200
    reviews = await _api_key(client, world.hr, "org:read", "reviews:read")
    everything = await client.get("/api/v1/tasks", headers=reviews)
    assert {item["id"] for item in everything.json()["items"]} == {str(plain.id), str(rater.id)}
    assert (await client.get(f"/api/v1/tasks/{rater.id}", headers=reviews)).status_code == 200
