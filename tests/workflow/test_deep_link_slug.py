"""Deep links that carry the organization's slug (`{org_slug}` in
`HRCORE_DEEP_LINK_TEMPLATE`): a micro-app opened from a to-do, a card or an inbox item knows
which organization to sign in to (`POST /auth/dingtalk {org}`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core import links
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.fake_dingtalk import fake_dingtalk
from tests.people.conftest import World, world
from tests.workflow.conftest import make_task
from tests.workflow.test_deep_links import _get, _notify
from tests.workflow.test_dingtalk_todos import DUE, Ding, _slug, _todo_of, ding, enabled

__all__ = ["ding", "enabled", "fake_dingtalk", "world"]
SLUG_LINKS = "https://h5.example.com/#/open/{type}/{id}?org={org_slug}"


@pytest.fixture
def slug_links(runtime: Runtime) -> Iterator[str]:
    original = runtime.settings
    runtime.settings = original.model_copy(update={"deep_link_template": SLUG_LINKS})
    links.configure(SLUG_LINKS)
    yield SLUG_LINKS
    runtime.settings = original
    links.configure(original.deep_link_template)


async def test_tasks_and_inbox_items_carry_the_organizations_slug(
    slug_links: str,
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    owner_engine: AsyncEngine,
) -> None:
    slug = await _slug(owner_engine, world.hr.org_id)
    task = await make_task(runtime, world.hr.org_id, world.member, date(2027, 3, 5))
    await _notify(runtime, world, ("task", task.id), "about-task")
    headers = world.member_account.headers
    expected = f"https://h5.example.com/#/open/task/{task.id}?org={slug}"
    [mine] = (await _get(client, "/me/tasks", headers))["items"]
    assert mine["deep_link"] == expected
    assert (await _get(client, f"/tasks/{task.id}", world.hr.headers))["deep_link"] == expected
    [about] = (await _get(client, "/me/notifications", headers))["items"]
    assert about["deep_link"] == expected


def test_a_template_may_name_the_slug_and_only_known_fields() -> None:
    assert links.template_error(SLUG_LINKS) is None
    assert links.template_error("https://h5.example.com/{org}/{type}/{id}") is not None


@pytest.mark.commits
async def test_a_todo_opens_the_micro_app_with_the_organizations_slug(
    enabled: Ding, client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    # as if the worker were built with it; the `ding` fixture restores the settings after
    runtime.settings = runtime.settings.model_copy(update={"deep_link_template": SLUG_LINKS})
    task = await make_task(runtime, world.hr.org_id, world.member, DUE)
    await run_burst(runtime)
    _, todo = _todo_of(enabled.fake, task)
    slug = await _slug(owner_engine, world.hr.org_id)
    assert todo.app_url == f"https://h5.example.com/#/open/task/{task.id}?org={slug}"
