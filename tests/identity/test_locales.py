"""Which language a reader gets: their own choice, then `Accept-Language`, then the
organization's locale (zh-CN by default); background texts in the recipient's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from httpx import AsyncClient

from hrcore.core import i18n
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.i18n import Moment, _
from hrcore.core.runtime import Runtime
from hrcore.notifications import service as notifications
from tests.factories import make_org, make_user
from tests.problems import assert_problem

NOWHERE = f"/api/v1/employees/{uuid.uuid4()}"


async def test_an_organization_in_chinese_answers_in_chinese_unless_asked(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime, locale="zh-CN")
    chinese = await client.get(NOWHERE, headers=hr.headers)
    body = assert_problem(chinese, 404, kind="not-found")
    assert (body["title"], body["detail"]) == ("未找到", "员工不存在")
    assert chinese.headers["content-language"] == "zh-CN"

    english = await client.get(NOWHERE, headers=hr.headers | {"Accept-Language": "en-GB"})
    body = assert_problem(english, 404, kind="not-found")
    assert (body["title"], body["detail"]) == ("Not found", "No such employee")
    assert english.headers["content-language"] == "en"
    assert chinese.json()["type"] == english.json()["type"]


async def test_an_english_organization_answers_in_english(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime, locale="en")
    response = await client.get(NOWHERE, headers=hr.headers)
    assert assert_problem(response, 404)["detail"] == "No such employee"
    assert response.headers["content-language"] == "en"
    asked = await client.get(NOWHERE, headers=hr.headers | {"Accept-Language": "zh"})
    assert assert_problem(asked, 404)["detail"] == "员工不存在"


async def test_unknown_or_malformed_accept_language_falls_back(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime, locale="en")
    for header in ("fr-FR, de;q=0.5", ";;q=banana,,", "*", "x" * 3000, "en;q=0"):
        response = await client.get(NOWHERE, headers=hr.headers | {"Accept-Language": header})
        assert assert_problem(response, 404)["detail"] == "No such employee", header
        assert response.headers["content-language"] == "en"
    anonymous = await client.get("/api/v1/me", headers={"Accept-Language": "%%%;q=?"})
    assert assert_problem(anonymous, 401)["title"] == "需要身份验证"
    assert anonymous.headers["content-language"] == "zh-CN"


async def test_a_user_chooses_their_language_and_it_wins(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime, locale="zh-CN")
    user = await make_user(runtime, hr.org_id, Role.HR_ADMIN)
    chosen = await client.put("/api/v1/me/locale", json={"locale": "en"}, headers=user.headers)
    assert chosen.status_code == 200, chosen.text
    assert chosen.json() == {"locale": "en"}
    assert chosen.headers["content-language"] == "en"
    me = await client.get("/api/v1/me", headers=user.headers | {"Accept-Language": "zh-CN"})
    assert me.json()["locale"] == "en"
    assert me.headers["content-language"] == "en"
    response = await client.get(NOWHERE, headers=user.headers | {"Accept-Language": "zh-CN"})
    assert assert_problem(response, 404)["detail"] == "No such employee"

    cleared = await client.put("/api/v1/me/locale", json={"locale": None}, headers=user.headers)
    assert cleared.json() == {"locale": None}
    response = await client.get(NOWHERE, headers=user.headers)
    assert assert_problem(response, 404)["detail"] == "员工不存在"


async def test_a_locale_the_system_does_not_have_is_422(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime, locale="zh-CN")
    for value in ("fr", "zh-TW", "", "en-US"):
        response = await client.put("/api/v1/me/locale", json={"locale": value}, headers=hr.headers)
        body = assert_problem(response, 422, kind="validation-error", fields={"body.locale"})
        assert "zh-CN, en" in body["detail"], body
    me = await client.get("/api/v1/me", headers=hr.headers)
    assert me.json()["locale"] is None


async def test_pydantic_messages_are_translated_and_keep_their_field_path(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime, locale="zh-CN")
    bodies = {}
    for language in ("zh-CN", "en"):
        response = await client.put(
            "/api/v1/me/locale",
            json={"locale": 5, "extra": 1},
            headers=hr.headers | {"Accept-Language": language},
        )
        bodies[language] = assert_problem(response, 422, fields={"body.locale"})
    assert bodies["en"]["errors"] == [
        {"field": "body.locale", "message": "Input should be a valid string"}
    ]
    assert bodies["zh-CN"]["errors"] == [
        {"field": "body.locale", "message": "输入应为有效的字符串"}
    ]
    assert (bodies["zh-CN"]["title"], bodies["zh-CN"]["detail"]) == ("输入无效", "请求中有无效字段")


async def test_a_notification_reads_in_the_recipients_language(
    client: AsyncClient, runtime: Runtime
) -> None:
    hr = await make_org(runtime, locale="zh-CN")
    reads_english = await make_user(runtime, hr.org_id)
    await client.put("/api/v1/me/locale", json={"locale": "en"}, headers=reads_english.headers)
    due = Moment(datetime(2026, 12, 1, 10, tzinfo=UTC), "Asia/Shanghai")
    with i18n.using("en"):  # the sender's language must not leak into what others read
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, hr.org_id)
            await notifications.notify(
                session,
                org_id=hr.org_id,
                user_ids=[hr.user_id, reads_english.user_id],
                kind="task.reminder",
                title=_("Due soon: {title}", title="Reflection report"),
                body=_("Due by {due}.", due=due),
                subject_type=None,
                subject_id=None,
                dedupe_key="due-soon",
            )
    chinese = await client.get("/api/v1/me/notifications", headers=hr.headers)
    english = await client.get(
        "/api/v1/me/notifications", headers=reads_english.headers | {"Accept-Language": "zh"}
    )
    assert [(n["title"], n["body"]) for n in chinese.json()["items"]] == [
        ("即将到期：Reflection report", "截止时间：2026年12月1日 18:00。")
    ]
    assert [(n["title"], n["body"]) for n in english.json()["items"]] == [
        ("Due soon: Reflection report", "Due by 1 Dec 2026, 18:00.")
    ]
