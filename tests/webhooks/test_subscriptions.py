"""Subscriptions over HTTP: who may manage them, which URLs are refused, the secret shown once."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import make_org, make_user
from tests.webhooks.conftest import Configure

PUBLIC = "https://93.184.215.14/hooks"  # a public address literal: no DNS needed
EVENTS = ["task.overdue", "task.completed"]


async def test_create_list_and_secret_shown_once(
    api: AsyncClient, runtime: Runtime, configure: Configure
) -> None:
    configure(webhook_allow_private_targets=False)
    hr = await make_org(runtime)
    created = await api.post(
        "/api/v1/webhooks",
        json={"url": PUBLIC, "description": "CRM", "event_types": [*EVENTS, "task.overdue"]},
        headers=hr.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["task.completed", "task.overdue"]
    assert body["active"] is True
    assert body["consecutive_failures"] == 0
    assert created.headers["ETag"].startswith('"1.')

    listed = (await api.get("/api/v1/webhooks", headers=hr.headers)).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert "secret" not in listed["items"][0]
    assert body["secret"] not in (await api.get("/api/v1/webhooks", headers=hr.headers)).text

    audit = (
        await api.get("/api/v1/audit-events", params={"object_id": body["id"]}, headers=hr.headers)
    ).json()["items"]
    assert [event["action"] for event in audit] == ["webhook.created"]
    assert body["secret"] not in str(audit)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/",
        "http://localhost/",
        "https://127.0.0.1/hooks",
        "https://10.0.0.1/",
        "https://192.168.1.5/",
        "https://[::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:10.0.0.1]/",
        "https://[2002:7f00:1::]/",
        "https://[2002:a00:1::1]/",
        "https://[2002:a9fe:a9fe::]/",
        "https://[64:ff9b::7f00:1]/",
        "https://[64:ff9b::a9fe:a9fe]/",
        "https://[::127.0.0.1]/",
        "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
        "https://[2001:0:7f00:1::1]/",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://100.64.0.1/",
        "ftp://93.184.215.14/",
        "https://user:pw@93.184.215.14/",
        "not a url",
        "https:///no-host",
    ],
)
async def test_unsafe_urls_are_refused(
    api: AsyncClient, runtime: Runtime, configure: Configure, url: str
) -> None:
    configure(webhook_allow_private_targets=False)
    hr = await make_org(runtime)
    response = await api.post(
        "/api/v1/webhooks", json={"url": url, "event_types": EVENTS}, headers=hr.headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["url"]
    if url.startswith("https://") and "@" not in url and "///" not in url:
        assert "address" in response.json()["errors"][0]["message"]
    assert (await api.get("/api/v1/webhooks", headers=hr.headers)).json()["items"] == []


async def test_private_targets_are_allowed_when_configured(
    api: AsyncClient, runtime: Runtime, configure: Configure
) -> None:
    configure(webhook_allow_private_targets=True)
    hr = await make_org(runtime)
    response = await api.post(
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/hooks", "event_types": EVENTS},
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text


async def test_unknown_event_types_are_refused(
    api: AsyncClient, runtime: Runtime, configure: Configure
) -> None:
    hr = await make_org(runtime)
    for event_types in (["task.exploded"], []):
        response = await api.post(
            "/api/v1/webhooks",
            json={"url": PUBLIC, "event_types": event_types},
            headers=hr.headers,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"].startswith("body.event_types")


async def test_only_hr_admins_manage_webhooks(
    api: AsyncClient, runtime: Runtime, configure: Configure
) -> None:
    hr = await make_org(runtime)
    created = await api.post(
        "/api/v1/webhooks", json={"url": PUBLIC, "event_types": EVENTS}, headers=hr.headers
    )
    webhook = created.json()["id"]
    head = await make_user(runtime, hr.org_id, Role.EMPLOYEE)
    key = await api.post(
        "/api/v1/api-keys", json={"name": "CRM", "scopes": ["org:read"]}, headers=hr.headers
    )
    key_headers = {"Authorization": f"Bearer {key.json()['key']}"}
    refusals = {
        "Only an HR admin may do this": head.headers,
        "This action needs a user, not an integration key": key_headers,
    }
    for detail, headers in refusals.items():
        listed = await api.get("/api/v1/webhooks", headers=headers)
        assert listed.status_code == 403
        assert listed.json()["detail"] == detail
        assert listed.json()["type"] == "https://hrcore.dev/problems/forbidden"
        denied = await api.post(
            "/api/v1/webhooks", json={"url": PUBLIC, "event_types": EVENTS}, headers=headers
        )
        assert denied.status_code == 403
        assert (await api.delete(f"/api/v1/webhooks/{webhook}", headers=headers)).status_code == 403
        deliveries = await api.get(f"/api/v1/webhooks/{webhook}/deliveries", headers=headers)
        assert deliveries.status_code == 403
    assert (await api.get("/api/v1/webhooks")).status_code == 401


async def test_other_organizations_see_nothing(
    api: AsyncClient, runtime: Runtime, configure: Configure
) -> None:
    hr = await make_org(runtime)
    other = await make_org(runtime)
    webhook = (
        await api.post(
            "/api/v1/webhooks", json={"url": PUBLIC, "event_types": EVENTS}, headers=hr.headers
        )
    ).json()["id"]
    assert (await api.get("/api/v1/webhooks", headers=other.headers)).json()["items"] == []
    for method, path in (
        ("GET", f"/api/v1/webhooks/{webhook}/deliveries"),
        ("DELETE", f"/api/v1/webhooks/{webhook}"),
        ("POST", f"/api/v1/webhooks/{webhook}/enable"),
    ):
        response = await api.request(method, path, headers=other.headers)
        assert response.status_code == 404, (method, path)
        assert response.json()["detail"] == "No such webhook"
    assert (await api.get("/api/v1/webhooks", headers=hr.headers)).json()["items"]


async def test_delete_removes_the_subscription_and_is_audited(
    api: AsyncClient, runtime: Runtime, configure: Configure
) -> None:
    hr = await make_org(runtime)
    webhook = (
        await api.post(
            "/api/v1/webhooks", json={"url": PUBLIC, "event_types": EVENTS}, headers=hr.headers
        )
    ).json()["id"]
    assert (await api.delete(f"/api/v1/webhooks/{webhook}", headers=hr.headers)).status_code == 204
    assert (await api.delete(f"/api/v1/webhooks/{webhook}", headers=hr.headers)).status_code == 404
    gone = await api.get(f"/api/v1/webhooks/{webhook}/deliveries", headers=hr.headers)
    assert gone.status_code == 404
    audit = (
        await api.get("/api/v1/audit-events", params={"object_id": webhook}, headers=hr.headers)
    ).json()["items"]
    assert [event["action"] for event in audit] == ["webhook.deleted", "webhook.created"]
    assert audit[0]["before"]["url"] == PUBLIC


async def test_deliveries_status_filter_is_validated(
    api: AsyncClient, runtime: Runtime, configure: Configure
) -> None:
    hr = await make_org(runtime)
    webhook = (
        await api.post(
            "/api/v1/webhooks", json={"url": PUBLIC, "event_types": EVENTS}, headers=hr.headers
        )
    ).json()["id"]
    path = f"/api/v1/webhooks/{webhook}/deliveries"
    assert (await api.get(path, params={"status": "bogus"}, headers=hr.headers)).status_code == 422
    assert (await api.get(path, params={"state": "failed"}, headers=hr.headers)).status_code == 400
    ok = await api.get(path, params={"status": "failed"}, headers=hr.headers)
    assert ok.json() == {"items": [], "next_cursor": None}
