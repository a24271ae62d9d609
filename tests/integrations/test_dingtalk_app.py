"""`GET, PUT /integrations/dingtalk/app`: the micro-app people sign in through, one app with
the integration's directory and approvals app, its secret write-only, HR admins only."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_org, make_user
from tests.integrations.conftest import DingTalkSender, configure
from tests.org.conftest import api_key

APP = "/api/v1/integrations/dingtalk/app"
SECRET = "micro-app-secret-0123456789"


def app_body(**changes: Any) -> dict[str, Any]:
    return {
        "corp_id": "dingcorp0001",
        "agent_id": 3001,
        "app_key": "dingappkey01",
        "app_secret": SECRET,
        **changes,
    }


async def test_hr_admin_sets_the_app_and_never_reads_the_secret_back(
    api: AsyncClient, hr: Account
) -> None:
    assert (await api.get(APP, headers=hr.headers)).status_code == 404

    response = await api.put(APP, json=app_body(), headers=hr.headers)
    assert response.status_code == 200, response.text
    saved = response.json()
    assert SECRET not in response.text
    assert saved["app_secret_set"] is True
    assert (saved["corp_id"], saved["agent_id"], saved["app_key"]) == (
        "dingcorp0001",
        3001,
        "dingappkey01",
    )
    assert saved["sign_in_ready"] is True
    assert saved["sign_in_path"] == "/api/v1/auth/dingtalk"

    kept = await api.put(
        APP, json=app_body(app_secret=None, agent_id=3002, version=1), headers=hr.headers
    )
    assert kept.status_code == 200, kept.text
    assert kept.json()["app_secret_set"] is True
    assert kept.json()["version"] == 2
    read = await api.get(APP, headers=hr.headers)
    assert read.json() == kept.json()
    assert SECRET not in read.text

    audit = await api.get(
        "/api/v1/audit-events", params={"object_type": "dingtalk_integration"}, headers=hr.headers
    )
    actions = [(e["action"], e["after"]["app_secret_changed"]) for e in audit.json()["items"]]
    assert actions == [("dingtalk_app.updated", False), ("dingtalk_app.created", True)]
    assert SECRET not in audit.text


async def test_switching_sign_in_off_is_not_ready(api: AsyncClient, hr: Account) -> None:
    response = await api.put(APP, json=app_body(sign_in_enabled=False), headers=hr.headers)
    assert response.status_code == 200, response.text
    assert (response.json()["sign_in_enabled"], response.json()["sign_in_ready"]) == (False, False)


async def test_the_secret_is_needed_first_and_with_a_new_key(api: AsyncClient, hr: Account) -> None:
    first = await api.put(APP, json=app_body(app_secret=None), headers=hr.headers)
    assert first.status_code == 422
    assert [e["field"] for e in first.json()["errors"]] == ["body.app_secret"]
    assert (await api.put(APP, json=app_body(), headers=hr.headers)).status_code == 200

    new_key = await api.put(
        APP, json=app_body(app_key="dingotherkey", app_secret=None), headers=hr.headers
    )
    assert new_key.status_code == 422
    assert new_key.json()["detail"] == "The app secret is required with a new app key"
    assert (await api.get(APP, headers=hr.headers)).json()["app_key"] == "dingappkey01"


async def test_invalid_settings_answer_422_in_the_readers_language(
    api: AsyncClient, hr: Account
) -> None:
    for changes, field in (
        ({"agent_id": 0}, "body.agent_id"),
        ({"corp_id": "ding corp"}, "body.corp_id"),
        ({"corp_id": ""}, "body.corp_id"),
        ({"app_key": "x" * 129}, "body.app_key"),
        ({"app_secret": ""}, "body.app_secret"),
    ):
        response = await api.put(APP, json=app_body(**changes), headers=hr.headers)
        assert response.status_code == 422, changes
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field]
    chinese = await api.put(
        APP,
        json=app_body(app_secret=None),
        headers={**hr.headers, "Accept-Language": "zh-CN"},
    )
    assert chinese.status_code == 422
    assert chinese.json()["detail"] == "新的 AppKey 需要同时提供其 AppSecret"


async def test_a_stale_version_is_refused(api: AsyncClient, hr: Account) -> None:
    await api.put(APP, json=app_body(), headers=hr.headers)
    stale = await api.put(APP, json=app_body(version=7), headers=hr.headers)
    assert stale.status_code == 409
    precondition = await api.put(APP, json=app_body(), headers={**hr.headers, "If-Match": '"7"'})
    assert precondition.status_code == 412


async def test_only_a_signed_in_hr_admin_reads_or_changes_it(
    runtime: Runtime, api: AsyncClient, hr: Account
) -> None:
    await api.put(APP, json=app_body(), headers=hr.headers)
    employee = await make_user(runtime, hr.org_id, Role.EMPLOYEE)
    key = await api_key(api, hr, "org:read", "employees:write")
    for headers in (employee.headers, key):
        assert (await api.get(APP, headers=headers)).status_code == 403
        assert (await api.put(APP, json=app_body(), headers=headers)).status_code == 403
    assert (await api.get(APP)).status_code == 401
    other = await make_org(runtime, slug="globex")
    assert (await api.get(APP, headers=other.headers)).status_code == 404


async def test_one_app_with_the_integration(
    api: AsyncClient, hr: Account, dingtalk: DingTalkSender
) -> None:
    """The callback registration and the micro-app share the app key and secret."""
    response = await api.put(APP, json=app_body(), headers=hr.headers)
    assert response.status_code == 200, response.text
    integration = (await api.get("/api/v1/integrations/dingtalk", headers=hr.headers)).json()
    assert (integration["app_key"], integration["app_secret_set"]) == ("dingappkey01", True)
    assert integration["token_set"] is True
    dingtalk.check_reply(await dingtalk.send({"EventType": "check_url"}))


async def test_an_app_without_a_callback_refuses_callbacks_until_one_is_set(
    runtime: Runtime, api: AsyncClient
) -> None:
    hr = await make_org(runtime, slug="initech")
    assert (await api.put(APP, json=app_body(), headers=hr.headers)).status_code == 200
    integration = (await api.get("/api/v1/integrations/dingtalk", headers=hr.headers)).json()
    assert (integration["token_set"], integration["aes_key_set"]) == (False, False)
    missing = await api.put(
        "/api/v1/integrations/dingtalk", json={"receiver_id": "ding1"}, headers=hr.headers
    )
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"token", "aes_key"}

    sender = await configure(api, hr, "initech")
    sender.check_reply(await sender.send({"EventType": "check_url"}))
    app = (await api.get(APP, headers=hr.headers)).json()
    assert (app["app_key"], app["app_secret_set"]) == ("dingappkey01", True)
