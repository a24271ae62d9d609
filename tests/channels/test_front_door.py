"""DingTalk as the front door (issue 20, done when): against the local DingTalk of
`tests.fake_dingtalk`, through HTTP and the real arq worker — a review task is a DingTalk to-do
whose link opens it and which closes when the review is answered in hrcore; work notices are
action cards whose button names the act and opens the item in the reader's language; the
group robot keeps plain text with the link at the end."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core import links
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.i18n import _
from hrcore.core.runtime import Runtime
from hrcore.notifications import api as notifications
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.contracts.conftest import make_contract, storage_dir
from tests.factories import Account
from tests.fake_dingtalk import FakeDingTalk, WorkNotice
from tests.integrations.conftest import configure
from tests.people.conftest import World, world
from tests.reviews.conftest import FORM, answer_as, post_ok
from tests.workflow.conftest import make_task, sweep

__all__ = ["storage_dir", "world"]
API = "/api/v1"
LINKS = "https://h5.example.com/#/open/{type}/{id}"
APP_KEY, APP_SECRET = "front-door-app", "front-door-secret"
ROBOT, ROBOT_SECRET = "front-door-robot", "SECfront-door"
START = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
"""Ten days before the review cycle falls due (2026-12-20 in Asia/Shanghai)."""


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _link(item_type: str, item_id: object) -> str:
    return LINKS.format(type=item_type, id=item_id)


async def _dingtalk_user(
    engine: AsyncEngine, fake: FakeDingTalk, employee: Employee, user_id: str
) -> None:
    async with engine.begin() as connection:
        sql = text("UPDATE employees SET dingtalk_user_id = :value WHERE id = :id")
        await connection.execute(sql, {"value": user_id, "id": employee.id})
    fake.users[user_id] = {"userid": user_id, "unionid": f"union-{user_id}", "name": user_id}


async def _speaks(client: AsyncClient, account: Account, locale: str) -> None:
    _ok(await client.put(f"{API}/me/locale", json={"locale": locale}, headers=account.headers))


@pytest.fixture
async def clock(runtime: Runtime) -> AsyncIterator[FrozenClock]:
    async with frozen_clock(runtime, START) as frozen:
        yield frozen


async def _channel(client: AsyncClient, hr: Account, channel: dict[str, Any], secret: str) -> None:
    body = {**channel, "name": str(channel["kind"]), "secret": secret}
    _ok(await client.post(f"{API}/notification-channels", json=body, headers=hr.headers), 201)


@pytest.fixture
async def door(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    owner_engine: AsyncEngine,
    fake_dingtalk: FakeDingTalk,
) -> AsyncIterator[FakeDingTalk]:
    """The organization's DingTalk: its app sends to-dos and work notices; links
    open the H5 micro-app; Member reads English and Lead Chinese, both DingTalk users."""
    original = runtime.settings
    runtime.settings = original.model_copy(
        update={
            "dingtalk_api_base": fake_dingtalk.base,
            "dingtalk_workflow_api_base": fake_dingtalk.base,
            "webhook_allow_private_targets": True,
            "deep_link_template": LINKS,
        }
    )
    links.configure(LINKS)
    fake_dingtalk.apps[APP_KEY] = APP_SECRET
    await _dingtalk_user(owner_engine, fake_dingtalk, world.member, "member-dt")
    await _dingtalk_user(owner_engine, fake_dingtalk, world.lead, "lead-dt")
    await _speaks(client, world.member_account, "en")
    await _speaks(client, world.lead_account, "zh-CN")
    async with owner_engine.connect() as connection:
        sql = text("SELECT slug FROM organizations WHERE id = :id")
        slug = str((await connection.execute(sql, {"id": world.hr.org_id})).scalar_one())
    sender = await configure(client, world.hr, slug)
    app = {"receiver_id": sender.receiver_id, "app_key": APP_KEY, "app_secret": APP_SECRET}
    _ok(await client.put(f"{API}/integrations/dingtalk", json=app, headers=world.hr.headers))
    notices = {"kind": "dingtalk_work_notice", "config": {"agent_id": 7, "app_key": APP_KEY}}
    await _channel(client, world.hr, notices, APP_SECRET)
    yield fake_dingtalk
    runtime.settings = original
    links.configure(original.deep_link_template)


def _cards_to(fake: FakeDingTalk, user_id: str) -> list[WorkNotice]:
    return [notice for notice in fake.notices if notice.user_ids == [user_id]]


def _button(notice: WorkNotice) -> tuple[str, str]:
    assert notice.card is not None, notice.content
    [button] = notice.card["btn_json_list"]
    return button["title"], button["action_url"]


async def _open_review(client: AsyncClient, world: World) -> None:
    template = await post_ok(client, world.hr, "/review-templates", FORM)
    cycle = await post_ok(
        client,
        world.hr,
        "/review-cycles",
        {
            "name": "2026 year-end",
            "kind": "year_end",
            "template_id": template["id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
        },
    )
    body = {"employee_ids": [str(world.member.id)]}
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/participants", body)
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/open")


async def _review_task(client: AsyncClient, account: Account) -> dict[str, Any]:
    mine = _ok(await client.get(f"{API}/me/tasks", headers=account.headers))["items"]
    [task] = [task for task in mine if task["kind"] == "review.rate"]
    return dict(task)


@pytest.mark.commits
async def test_a_review_task_is_a_todo_that_opens_it_and_closes_when_answered(
    client: AsyncClient, runtime: Runtime, world: World, door: FakeDingTalk, clock: FrozenClock
) -> None:
    await _open_review(client, world)
    await run_burst(runtime)

    task = await _review_task(client, world.member_account)
    [(todo_id, todo)] = [(i, t) for i, t in door.todos.items() if t.source_id == task["id"]]
    assert todo.executors == ["union-member-dt"]
    assert todo.subject == task["title"]
    assert todo.app_url == todo.pc_url == task["deep_link"] == _link("task", task["id"])
    opened = _ok(
        await client.get(f"{API}/tasks/{task['id']}", headers=world.member_account.headers)
    )
    assert opened["completed_by"]["path"].endswith("/submit"), "the link opens the review to answer"

    clock.advance(timedelta(days=8))  # within the three days before the due date
    await sweep(runtime)
    await run_burst(runtime)
    [reminder] = _cards_to(door, "member-dt")
    assert _button(reminder) == ("Answer the review", _link("task", task["id"]))
    assert reminder.card is not None
    assert reminder.card["title"] == "Due soon: 2026 year-end: your self-assessment"
    assert reminder.card["markdown"] == (
        "### Due soon: 2026 year-end: your self-assessment\n\nDue by 20 Dec 2026, 23:59."
    ), "what, and the due moment in the organization's time zone (Asia/Shanghai)"
    lead_task = await _review_task(client, world.lead_account)
    [lead_reminder] = _cards_to(door, "lead-dt")
    assert _button(lead_reminder) == ("填写评价", _link("task", lead_task["id"]))

    await answer_as(client, world.member_account, "Member", {"teamwork": {"score": 4}})
    await run_burst(runtime)
    assert door.todos[todo_id].done, "answering the review in hrcore closes the to-do"
    assert not door.todos[
        next(i for i, t in door.todos.items() if t.source_id == lead_task["id"])
    ].done


async def _amend(client: AsyncClient, hr: Account, employee_id: uuid.UUID) -> str:
    contract = await make_contract(client, hr, employee_id)
    created = await client.post(
        f"{API}/contracts/{contract['id']}/amendments",
        json={
            "effective_date": "2027-03-01",
            "end_date": "2027-09-30",
            "post_title": "项目负责人",
            "allowance": "1500.00",
        },
        headers=hr.headers,
    )
    return str(_ok(created, 201)["id"])


@pytest.mark.commits
@pytest.mark.usefixtures("storage_dir")
async def test_an_amendment_to_confirm_arrives_as_a_card_in_the_readers_language(
    client: AsyncClient, runtime: Runtime, world: World, door: FakeDingTalk
) -> None:
    door.robots[ROBOT] = ROBOT_SECRET  # robots sign with the time: the real clock here
    robot = {"kind": "dingtalk_robot", "config": {"webhook_url": door.robot_url(ROBOT)}}
    await _channel(client, world.hr, robot, ROBOT_SECRET)
    english = await _amend(client, world.hr, world.member.id)
    chinese = await _amend(client, world.hr, world.lead.id)
    await run_burst(runtime)
    await run_burst(runtime)

    [card] = _cards_to(door, "member-dt")
    assert _button(card) == ("Confirm the amendment", _link("contract_amendment", english))
    assert card.card is not None
    assert card.card["title"] == "A contract amendment awaits your confirmation"
    assert "Version 1 of your contract amendment is ready to read." in card.card["markdown"]
    [inbox] = _ok(
        await client.get(f"{API}/me/notifications", headers=world.member_account.headers)
    )["items"]
    assert inbox["deep_link"] == _button(card)[1], "the same link in the inbox and the card"

    [chinese_card] = _cards_to(door, "lead-dt")
    assert _button(chinese_card) == ("确认变更协议", _link("contract_amendment", chinese))
    assert chinese_card.card is not None
    assert chinese_card.card["title"] == "有一份合同变更协议等待你确认"

    robot = sorted(message.content.split("\n")[-1] for message in door.messages)
    assert robot == sorted(
        [_link("contract_amendment", english), _link("contract_amendment", chinese)]
    )


@pytest.mark.commits
async def test_the_button_names_the_act_for_the_assignee_and_opens_for_the_manager(
    client: AsyncClient, runtime: Runtime, world: World, door: FakeDingTalk, clock: FrozenClock
) -> None:
    task = await make_task(
        runtime,
        world.hr.org_id,
        world.member,
        START + timedelta(days=1),
        subject_type="approval",
        kind="approvals.decision",
        title="Approve a nomination",
    )
    await sweep(runtime)
    await run_burst(runtime)
    [reminder] = _cards_to(door, "member-dt")
    assert _button(reminder) == ("Decide", _link("task", task.id))

    clock.advance(timedelta(days=5))  # four days overdue: the manager hears of it
    await sweep(runtime)
    await run_burst(runtime)
    [escalation] = _cards_to(door, "lead-dt")
    assert _button(escalation) == ("查看详情", _link("task", task.id)), "the manager opens it"
    assert escalation.card is not None
    assert "2026年12月11日 10:00" in escalation.card["markdown"], "due, in Asia/Shanghai"
    # who and what, in the manager's language: the overdue report and the task's title
    assert escalation.card["title"] == "已逾期 4 天：Approve a nomination"
    assert "你的下属Member尚未完成此项任务" in escalation.card["markdown"]


@pytest.mark.commits
async def test_one_notice_to_readers_of_two_languages_is_a_card_in_each(
    client: AsyncClient, runtime: Runtime, world: World, door: FakeDingTalk
) -> None:
    amendment_id = uuid.uuid4()
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await notifications.notify(
            session,
            org_id=world.hr.org_id,
            user_ids=[world.member_account.user_id, world.lead_account.user_id],
            kind="contract.amendment_ready",
            title=_("A contract amendment awaits your confirmation"),
            body="",
            subject_type="contract_amendment",
            subject_id=amendment_id,
            dedupe_key="both-languages",
        )
    await run_burst(runtime)

    link = _link("contract_amendment", amendment_id)
    [english] = _cards_to(door, "member-dt")
    [chinese] = _cards_to(door, "lead-dt")
    assert _button(english) == ("Confirm the amendment", link)
    assert _button(chinese) == ("确认变更协议", link)
    assert chinese.content == "### 有一份合同变更协议等待你确认"
