"""`POST /auth/dingtalk`: an auth code from the DingTalk client, exchanged with the local
DingTalk (`tests.fake_dingtalk`), answers the password login's token pair for the synced
employee's account; every refusal is a 401 with the reason, creates nothing, and is audited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.settings import Settings
from tests.conftest import frozen_clock
from tests.factories import Account, make_department, make_employee, make_org, make_user
from tests.fake_dingtalk import FakeDingTalk, fake_dingtalk

__all__ = ["fake_dingtalk"]
SIGN_IN = "/api/v1/auth/dingtalk"
APP = "/api/v1/integrations/dingtalk/app"
CORP, APP_KEY, APP_SECRET = "dingacmecorp", "dingacmeapp", "acme-app-secret"
START = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


@dataclass
class Person:
    employee: Employee
    account: Account
    dingtalk_user_id: str


@pytest.fixture
async def clock(runtime: Runtime) -> AsyncIterator[FrozenClock]:
    async with frozen_clock(runtime, START) as frozen:
        yield frozen


@pytest.fixture
async def peer(runtime: Runtime, fake_dingtalk: FakeDingTalk) -> AsyncIterator[FakeDingTalk]:
    original: Settings = runtime.settings
    runtime.settings = original.model_copy(update={"dingtalk_api_base": fake_dingtalk.base})
    fake_dingtalk.apps[APP_KEY] = APP_SECRET
    fake_dingtalk.app_corps[APP_KEY] = CORP
    yield fake_dingtalk
    runtime.settings = original


@pytest.fixture
async def hr(runtime: Runtime, api: AsyncClient, peer: FakeDingTalk) -> Account:
    admin = await make_org(runtime, slug="acme")
    body = {"corp_id": CORP, "agent_id": 42, "app_key": APP_KEY, "app_secret": APP_SECRET}
    response = await api.put(APP, json=body, headers=admin.headers)
    assert response.status_code == 200, response.text
    return admin


async def _person(runtime: Runtime, hr: Account, dingtalk_user_id: str, **user: Any) -> Person:
    department = await make_department(runtime, hr.org_id, "Sales")
    employee = await make_employee(runtime, hr.org_id, department, "Li Lei")
    await _set_employee(runtime, hr, employee, dingtalk_user_id=dingtalk_user_id)
    account = await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=employee.id)
    if user:
        await _sql(
            runtime,
            hr,
            "UPDATE users SET is_active = :active WHERE id = :id",
            id=account.user_id,
            **user,
        )
    return Person(employee, account, dingtalk_user_id)


async def _set_employee(runtime: Runtime, hr: Account, employee: Employee, **values: Any) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, hr.org_id)
        await session.execute(update(Employee).where(Employee.id == employee.id).values(**values))


async def _sql(runtime: Runtime, hr: Account, sql: str, **params: Any) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, hr.org_id)
        await session.execute(text(sql), params)


async def _sign_in(api: AsyncClient, code: str, **extra: Any) -> Response:
    headers = extra.pop("headers", {})
    return await api.post(SIGN_IN, json={"org": "acme", "code": code, **extra}, headers=headers)


async def _count(engine: AsyncEngine, sql: str) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text(sql))).scalar_one())


async def _refusals(engine: AsyncEngine) -> list[tuple[str, str, Any]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT object_type, after->>'reason', after->>'subject' FROM audit_events"
                " WHERE action = 'user.sign_in_refused' ORDER BY id"
            )
        )
        return [tuple(row) for row in rows.all()]


def _refused(response: Response, detail: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == detail


async def test_a_synced_employee_signs_in_and_gets_the_usual_token_pair(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk, owner_engine: AsyncEngine
) -> None:
    person = await _person(runtime, hr, "u-li")
    response = await _sign_in(api, peer.issue_auth_code(CORP, "u-li"), corp_id=CORP)
    assert response.status_code == 200, response.text
    pair = response.json()
    assert set(pair) >= {"access_token", "refresh_token", "token_type", "expires_in"}
    me = await api.get("/api/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200
    assert (me.json()["user_id"], me.json()["employee"]["id"]) == (
        str(person.account.user_id),
        str(person.employee.id),
    )

    rotated = await api.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert rotated.status_code == 200
    reused = await api.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert reused.status_code == 401, "a spent refresh token revokes the family, as for passwords"
    logout = await api.post(
        "/api/v1/auth/logout", json={"refresh_token": rotated.json()["refresh_token"]}
    )
    assert logout.status_code == 204

    audit = await api.get(
        "/api/v1/audit-events",
        params={"action": "user.signed_in", "object_id": str(person.account.user_id)},
        headers=hr.headers,
    )
    [event] = audit.json()["items"]
    assert event["after"] == {"method": "dingtalk", "subject": "u-li"}
    assert event["actor_id"] == str(person.account.user_id)


async def test_a_forged_spent_or_expired_code_is_refused_and_creates_nothing(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk, owner_engine: AsyncEngine
) -> None:
    await _person(runtime, hr, "u-li")
    code = peer.issue_auth_code(CORP, "u-li")
    assert (await _sign_in(api, code)).status_code == 200
    tokens = await _count(owner_engine, "SELECT count(*) FROM refresh_tokens")

    expired = peer.issue_auth_code(CORP, "u-li", lifetime=-1)
    for attempt in ("forged-code", code, expired):
        _refused(await _sign_in(api, attempt), "The DingTalk auth code is invalid or has expired")
    assert await _count(owner_engine, "SELECT count(*) FROM refresh_tokens") == tokens
    assert await _refusals(owner_engine) == [("organization", "invalid_code", None)] * 3


async def test_a_dingtalk_user_of_another_corp_is_refused(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk, owner_engine: AsyncEngine
) -> None:
    await _person(runtime, hr, "u-li")
    # The client says which corp it runs in: another one is refused before DingTalk is asked.
    said = await _sign_in(api, peer.issue_auth_code("dingother", "u-li"), corp_id="dingother")
    _refused(said, "This DingTalk account belongs to another organization")
    assert peer.userinfo_requests == 0
    # Unsaid, DingTalk itself refuses: the app's token reads its own corp's codes only.
    unsaid = await _sign_in(api, peer.issue_auth_code("dingother", "u-li"))
    _refused(unsaid, "The DingTalk auth code is invalid or has expired")
    assert [reason for _, reason, _ in await _refusals(owner_engine)] == [
        "other_corp",
        "invalid_code",
    ]
    assert await _count(owner_engine, "SELECT count(*) FROM refresh_tokens") == 0


async def test_unmapped_departed_and_disabled_people_are_refused_with_the_reason(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk, owner_engine: AsyncEngine
) -> None:
    _refused(
        await _sign_in(api, peer.issue_auth_code(CORP, "u-stranger")),
        "No employee of this organization is linked to this DingTalk account",
    )
    left = await _person(runtime, hr, "u-left")
    await _set_employee(runtime, hr, left.employee, status="exited")
    _refused(
        await _sign_in(api, peer.issue_auth_code(CORP, "u-left")),
        "This employee has left the organization",
    )
    await _person(runtime, hr, "u-off", active=False)
    _refused(
        await _sign_in(api, peer.issue_auth_code(CORP, "u-off")),
        "This hrcore account is disabled",
    )
    department = await make_department(runtime, hr.org_id, "Ops")
    no_account = await make_employee(runtime, hr.org_id, department, "Wang Fang")
    await _set_employee(runtime, hr, no_account, dingtalk_user_id="u-none")
    _refused(
        await _sign_in(api, peer.issue_auth_code(CORP, "u-none")),
        "No hrcore account belongs to this person",
    )
    refusals = await _refusals(owner_engine)
    assert [(reason, subject) for _, reason, subject in refusals] == [
        ("unmapped", "u-stranger"),
        ("left", "u-left"),
        ("account_disabled", "u-off"),
        ("no_account", "u-none"),
    ]
    assert refusals[2][0] == "user", "a refusal on a known account is recorded on it"
    assert await _count(owner_engine, "SELECT count(*) FROM refresh_tokens") == 0


async def test_refusals_read_in_the_readers_language(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    left = await _person(runtime, hr, "u-left")
    await _set_employee(runtime, hr, left.employee, status="exited")
    response = await _sign_in(
        api, peer.issue_auth_code(CORP, "u-left"), headers={"Accept-Language": "zh-CN"}
    )
    _refused(response, "该员工已离职")


async def test_an_organization_without_sign_in_refuses_every_code(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    await _person(runtime, hr, "u-li")
    unavailable = "DingTalk sign-in is not available for this organization"
    body = {"corp_id": CORP, "agent_id": 42, "app_key": APP_KEY, "sign_in_enabled": False}
    assert (await api.put(APP, json=body, headers=hr.headers)).status_code == 200
    _refused(await _sign_in(api, peer.issue_auth_code(CORP, "u-li")), unavailable)
    await make_org(runtime, slug="globex")
    globex = await api.post(SIGN_IN, json={"org": "globex", "code": "c"})
    _refused(globex, unavailable)
    nowhere = {"org": "nowhere", "code": "c"}
    english = {"Accept-Language": "en"}
    _refused(await api.post(SIGN_IN, json=nowhere, headers=english), unavailable)
    assert peer.userinfo_requests == 0


async def test_dingtalk_down_is_a_503_then_the_same_person_signs_in(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    await _person(runtime, hr, "u-li")
    peer.userinfo_failures = 1
    code = peer.issue_auth_code(CORP, "u-li")
    down = await _sign_in(api, code)
    assert down.status_code == 503, down.text
    assert down.headers["content-type"] == "application/problem+json"
    assert (await _sign_in(api, code)).status_code == 200


async def test_guessed_codes_from_one_address_hold_the_address_back(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk, clock: FrozenClock
) -> None:
    """A code names nobody until DingTalk answers: guesses count against the address, whose
    limit is the password login's (per address, then a lockout)."""
    await _person(runtime, hr, "u-li")
    for _ in range(runtime.settings.login_max_failures_per_address):
        assert (await _sign_in(api, "guess")).status_code == 401
    held = await _sign_in(api, peer.issue_auth_code(CORP, "u-li"))
    assert held.status_code == 429
    lockout = runtime.settings.login_lockout_seconds
    assert held.headers["Retry-After"] == str(lockout)
    clock.advance(timedelta(seconds=lockout + 1))
    assert (await _sign_in(api, peer.issue_auth_code(CORP, "u-li"))).status_code == 200


async def test_odd_inputs_are_refused_not_errors(
    api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    for body in (
        {"org": "ac\x00me", "code": "c"},
        {"org": "acme", "code": "c\x00"},
        {"org": "acme", "code": "x" * 257},
        {"org": "acme", "code": "two words"},
        {"org": "acme", "code": "c", "corp_id": "ding\x00"},
        {"org": "acme"},
        {"code": "c"},
    ):
        response = await api.post(SIGN_IN, json=body)
        assert response.status_code in (401, 422), (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def test_the_exchange_shares_the_apps_one_token_and_renews_one_dingtalk_refuses(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk, owner_engine: AsyncEngine
) -> None:
    """One way to a token: the per-app cache every DingTalk call uses. A token DingTalk
    calls invalid (40014) is a 503 for that attempt, and the next fetches a fresh one."""
    await _person(runtime, hr, "u-li")
    for _ in range(2):
        assert (await _sign_in(api, peer.issue_auth_code(CORP, "u-li"))).status_code == 200
    assert len(peer.tokens_issued) == 1  # fetched once, then cached
    peer.tokens_issued.clear()  # DingTalk no longer accepts it
    zh = {"Accept-Language": "zh-CN"}
    refused = await _sign_in(api, peer.issue_auth_code(CORP, "u-li"), headers=zh)
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"] == "暂时无法向钉钉确认身份，请稍后重试"
    assert await _refusals(owner_engine) == [("organization", "dingtalk_unavailable", None)]
    assert (await _sign_in(api, peer.issue_auth_code(CORP, "u-li"))).status_code == 200
    assert len(peer.tokens_issued) == 1  # a fresh token replaced the refused one
