"""Deep links: every task and inbox item carries the link that opens it, the same one
everywhere (`HRCORE_DEEP_LINK_TEMPLATE`, the mobile app's `hrcore://` scheme by default)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core import links
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.notifications import service as notifications
from tests.people.conftest import World, world
from tests.workflow.conftest import make_task

__all__ = ["world"]
API = "/api/v1"


async def _notify(
    runtime: Runtime, world: World, subject: tuple[str, uuid.UUID] | None, key: str
) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await notifications.notify(
            session,
            org_id=world.hr.org_id,
            user_ids=[world.member_account.user_id],
            kind="task.reminder",
            title="Due soon",
            body="Due tomorrow.",
            subject_type=subject[0] if subject else None,
            subject_id=subject[1] if subject else None,
            dedupe_key=key,
        )


async def _get(client: AsyncClient, path: str, headers: dict[str, str]) -> Any:
    response = await client.get(f"{API}{path}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def micro_app(runtime: Runtime) -> Iterator[str]:
    """Links into a DingTalk H5 micro-app, as the API and the worker read them when built (the
    tests' app is built once, so the template is applied to it as well)."""
    original = runtime.settings
    template = "https://h5.example.com/{org_id}/#/{type}/{id}"
    runtime.settings = original.model_copy(update={"deep_link_template": template})
    links.configure(template)
    yield template
    runtime.settings = original
    links.configure(original.deep_link_template)


async def test_tasks_and_inbox_items_link_to_the_same_place_by_default(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.member, date(2027, 3, 5))
    await _notify(runtime, world, ("task", task.id), "about-task")
    await _notify(runtime, world, None, "no-subject")
    headers = world.member_account.headers
    [mine] = (await _get(client, "/me/tasks", headers))["items"]
    assert mine["deep_link"] == f"hrcore://open/task/{task.id}"
    one = await _get(client, f"/tasks/{task.id}", world.hr.headers)
    assert one["deep_link"] == mine["deep_link"]
    plain, about = (await _get(client, "/me/notifications", headers))["items"]
    assert about["deep_link"] == mine["deep_link"]
    assert plain["deep_link"] == f"hrcore://open/notification/{plain['id']}"
    read = await client.post(f"{API}/me/notifications/{about['id']}/read", headers=headers)
    assert read.json()["deep_link"] == mine["deep_link"]


async def test_a_configured_template_opens_the_micro_app(
    micro_app: str, client: AsyncClient, runtime: Runtime, world: World
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.member, date(2027, 3, 5))
    [mine] = (await _get(client, "/me/tasks", world.member_account.headers))["items"]
    assert mine["deep_link"] == f"https://h5.example.com/{world.hr.org_id}/#/task/{task.id}"


@pytest.mark.parametrize(
    "template",
    ["https://h5.example.com/open/{id}", "https://h5.example.com/{type}/{id}/{name}", "x/{type"],
)
def test_a_template_that_cannot_make_links_stops_the_process(
    runtime: Runtime, template: str
) -> None:
    settings = runtime.settings.model_copy(update={"deep_link_template": template})
    try:
        with pytest.raises(ValueError, match="HRCORE_DEEP_LINK_TEMPLATE"):
            create_app(settings)
    finally:
        links.configure(runtime.settings.deep_link_template)
