"""The inbox the mobile app polls: idempotent sends, unread counts, read states, privacy."""

from __future__ import annotations

import uuid

from httpx import AsyncClient

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.notifications import service as notifications
from tests.factories import make_org, make_user


async def _notify(runtime: Runtime, org_id: uuid.UUID, users: list[uuid.UUID], key: str) -> int:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        return await notifications.notify(
            session,
            org_id=org_id,
            user_ids=users,
            kind="task.reminder",
            title=f"Reflection report due ({key})",
            body="Due in 3 days",
            subject_type="task",
            subject_id=uuid.UUID(int=7),
            dedupe_key=key,
        )


async def test_notify_is_idempotent_per_user_and_key(runtime: Runtime) -> None:
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    assert await _notify(runtime, hr.org_id, [user.user_id, hr.user_id, user.user_id], "k1") == 2
    assert await _notify(runtime, hr.org_id, [user.user_id, hr.user_id], "k1") == 0
    assert await _notify(runtime, hr.org_id, [user.user_id], "k2") == 1


async def test_inbox_lists_newest_first_with_unread_count(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    for key in ("first", "second", "third"):
        await _notify(runtime, hr.org_id, [user.user_id], key)
    inbox = (await client.get("/api/v1/me/notifications", headers=user.headers)).json()
    assert inbox["unread_count"] == 3
    assert [item["title"] for item in inbox["items"]] == [
        "Reflection report due (third)",
        "Reflection report due (second)",
        "Reflection report due (first)",
    ]
    assert inbox["items"][0]["subject"] == {
        "type": "task",
        "id": str(uuid.UUID(int=7)),
        "name": None,
    }
    assert inbox["items"][0]["employee"] is None

    newest = inbox["items"][0]["id"]
    read = await client.post(f"/api/v1/me/notifications/{newest}/read", headers=user.headers)
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    again = await client.post(f"/api/v1/me/notifications/{newest}/read", headers=user.headers)
    assert again.json()["read_at"] == read.json()["read_at"], "reading twice changes nothing"

    unread = (
        await client.get(
            "/api/v1/me/notifications", params={"unread": "true"}, headers=user.headers
        )
    ).json()
    assert unread["unread_count"] == 2
    assert len(unread["items"]) == 2

    marked = await client.post("/api/v1/me/notifications/read-all", headers=user.headers)
    assert marked.json() == {"marked": 2}
    final = (await client.get("/api/v1/me/notifications", headers=user.headers)).json()
    assert final["unread_count"] == 0


async def test_nobody_reads_someone_elses_notifications(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime)
    owner = await make_user(runtime, hr.org_id)
    other = await make_user(runtime, hr.org_id)
    stranger_org = await make_org(runtime)
    await _notify(runtime, hr.org_id, [owner.user_id], "private")
    item = (await client.get("/api/v1/me/notifications", headers=owner.headers)).json()["items"][0]
    for intruder in (other, hr, stranger_org):
        assert (await client.get("/api/v1/me/notifications", headers=intruder.headers)).json()[
            "items"
        ] == []
        response = await client.post(
            f"/api/v1/me/notifications/{item['id']}/read", headers=intruder.headers
        )
        assert response.status_code == 404
    untouched = (await client.get("/api/v1/me/notifications", headers=owner.headers)).json()
    assert untouched["unread_count"] == 1


async def test_paging_walks_every_notification_once(client: AsyncClient, runtime: Runtime) -> None:
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    for n in range(30):
        await _notify(runtime, hr.org_id, [user.user_id], f"n{n}")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 7}
        if cursor:
            params["cursor"] = cursor
        page = (
            await client.get("/api/v1/me/notifications", params=params, headers=user.headers)
        ).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 30
    assert seen == sorted(seen, reverse=True)
