"""`POST /auth/dingtalk` after review: a DingTalk session is not held back by a one-time
password, DingTalk is asked with no transaction open, DingTalk busy is a 503 that counts
against nobody, one person's failures do not hold a colleague at the same address back, and
a person who leaves loses every session."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from hrcore.integrations import sign_in as sign_in_module
from tests.factories import Account, make_department, make_employee
from tests.fake_dingtalk import FakeDingTalk, fake_dingtalk
from tests.integrations.conftest import DingTalkSender, configure
from tests.integrations.test_dingtalk_events import _apply, user_event
from tests.integrations.test_dingtalk_sign_in import (
    CORP,
    Person,
    _person,
    _refusals,
    _set_employee,
    _sign_in,
    hr,
    peer,
)

__all__ = ["fake_dingtalk", "hr", "peer"]


def _bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def _signed_in(api: AsyncClient, peer: FakeDingTalk, person: Person) -> dict[str, Any]:
    response = await _sign_in(api, peer.issue_auth_code(CORP, person.dingtalk_user_id))
    assert response.status_code == 200, response.text
    pair: dict[str, Any] = response.json()
    return pair


async def test_a_one_time_password_never_holds_back_a_dingtalk_session(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    department = await make_department(runtime, hr.org_id, "Sales")
    employee = await make_employee(runtime, hr.org_id, department, "Zhao Min")
    await _set_employee(runtime, hr, employee, dingtalk_user_id="u-zhao")
    created = await api.post(
        "/api/v1/users",
        json={"email": "zhao@example.com", "display_name": "Zhao", "employee_id": str(employee.id)},
        headers=hr.headers,
    )
    assert created.status_code == 201, created.text

    pair = (await _sign_in(api, peer.issue_auth_code(CORP, "u-zhao"))).json()
    assert pair["must_change_password"] is False
    me = await api.get("/api/v1/me", headers=_bearer(pair))
    assert me.json()["must_change_password"] is False, "the app is not sent to change it"
    assert (await api.get("/api/v1/me/tasks", headers=_bearer(pair))).status_code == 200
    rotated = await api.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert rotated.json()["must_change_password"] is False, "a refreshed session stays DingTalk's"
    assert (await api.get("/api/v1/me/tasks", headers=_bearer(rotated.json()))).status_code == 200

    password = await api.post(
        "/api/v1/auth/token",
        json={
            "org": "acme",
            "email": "zhao@example.com",
            "password": created.json()["one_time_password"],
        },
    )
    assert password.json()["must_change_password"] is True, "the password is still one-time"
    me = await api.get("/api/v1/me", headers=_bearer(password.json()))
    assert me.json()["must_change_password"] is True
    gated = await api.get("/api/v1/me/tasks", headers=_bearer(password.json()))
    assert gated.status_code == 403, gated.text


async def test_dingtalk_is_asked_with_no_transaction_open(
    runtime: Runtime,
    api: AsyncClient,
    hr: Account,
    peer: FakeDingTalk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _person(runtime, hr, "u-li")
    seen: dict[str, Any] = {}
    read_app = sign_in_module.repository.dingtalk_integration
    exchange = sign_in_module.exchange_code

    async def reading(session: Any, org_id: Any) -> Any:
        seen["session"] = session
        return await read_app(session, org_id)

    async def exchanging(*args: Any, **kwargs: Any) -> str:
        seen["in_transaction"] = seen["session"].in_transaction()
        return await exchange(*args, **kwargs)

    monkeypatch.setattr(sign_in_module.repository, "dingtalk_integration", reading)
    monkeypatch.setattr(sign_in_module, "exchange_code", exchanging)
    response = await _sign_in(api, peer.issue_auth_code(CORP, "u-li"))
    assert response.status_code == 200, response.text
    assert seen["in_transaction"] is False


async def test_one_persons_stale_codes_do_not_hold_back_a_colleague_at_the_same_address(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    await _person(runtime, hr, "u-li")
    await _person(runtime, hr, "u-wang")
    spent = peer.issue_auth_code(CORP, "u-li")
    assert (await _sign_in(api, spent)).status_code == 200
    for _ in range(runtime.settings.login_max_failures):
        assert (await _sign_in(api, spent)).status_code == 401  # Li's page re-posts a spent code
    colleague = await _sign_in(api, peer.issue_auth_code(CORP, "u-wang"))
    assert colleague.status_code == 200, colleague.text
    assert (await _sign_in(api, peer.issue_auth_code(CORP, "u-li"))).status_code == 200


async def test_a_known_persons_refusals_back_off_that_person_only(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    left = await _person(runtime, hr, "u-left")
    await _set_employee(runtime, hr, left.employee, status="exited")
    await _person(runtime, hr, "u-wang")
    for _ in range(runtime.settings.login_max_failures):
        assert (await _sign_in(api, peer.issue_auth_code(CORP, "u-left"))).status_code == 401
    held = await _sign_in(api, peer.issue_auth_code(CORP, "u-left"))
    assert held.status_code == 429, held.text
    assert held.headers["Retry-After"] == "1"
    assert (await _sign_in(api, peer.issue_auth_code(CORP, "u-wang"))).status_code == 200


async def test_dingtalk_busy_is_a_503_audited_and_counted_against_nobody(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk, owner_engine: AsyncEngine
) -> None:
    await _person(runtime, hr, "u-li")
    busy = runtime.settings.login_max_failures_per_address
    peer.userinfo_busy = busy
    for _ in range(busy):
        response = await _sign_in(api, peer.issue_auth_code(CORP, "u-li"))
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert await _refusals(owner_engine) == [("organization", "dingtalk_unavailable", None)] * busy
    assert (await _sign_in(api, peer.issue_auth_code(CORP, "u-li"))).status_code == 200


async def _ended(api: AsyncClient, pair: dict[str, Any]) -> None:
    """Neither the access token nor the refresh token works any more."""
    me = await api.get("/api/v1/me", headers=_bearer(pair))
    assert me.status_code == 401, me.text
    rotated = await api.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert rotated.status_code == 401, rotated.text


async def _sessions_revoked(api: AsyncClient, hr: Account, person: Person) -> list[Any]:
    response = await api.get(
        "/api/v1/audit-events",
        params={"action": "user.sessions_revoked", "object_id": str(person.account.user_id)},
        headers=hr.headers,
    )
    return [event["after"] for event in response.json()["items"]]


async def test_an_exit_recorded_by_hr_ends_the_persons_sessions(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    person = await _person(runtime, hr, "u-li")
    pair = await _signed_in(api, peer, person)
    exit_event = {"kind": "exit", "effective_date": date.today().isoformat()}
    response: Response = await api.post(
        f"/api/v1/employees/{person.employee.id}/events", json=exit_event, headers=hr.headers
    )
    assert response.status_code == 201, response.text
    await _ended(api, pair)
    assert await _sessions_revoked(api, hr, person) == [{"reason": "employee_exited"}]
    assert (await _sign_in(api, peer.issue_auth_code(CORP, "u-li"))).status_code == 401


async def test_a_status_corrected_to_exited_ends_the_persons_sessions(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    person = await _person(runtime, hr, "u-li")
    pair = await _signed_in(api, peer, person)
    response = await api.patch(
        f"/api/v1/employees/{person.employee.id}", json={"status": "exited"}, headers=hr.headers
    )
    assert response.status_code == 200, response.text
    await _ended(api, pair)


@pytest.mark.commits
async def test_leaving_in_dingtalk_ends_the_persons_sessions(
    runtime: Runtime, api: AsyncClient, hr: Account, peer: FakeDingTalk
) -> None:
    person = await _person(runtime, hr, "u-li")
    colleague = await _person(runtime, hr, "u-wang")
    pair = await _signed_in(api, peer, person)
    staying = await _signed_in(api, peer, colleague)
    dingtalk: DingTalkSender = await configure(api, hr, "acme")
    await _apply(dingtalk, runtime, user_event("user_leave_org", ["u-li"]))
    await _ended(api, pair)
    assert (await api.get("/api/v1/me", headers=_bearer(staying))).status_code == 200
