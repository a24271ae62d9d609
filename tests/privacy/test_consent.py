"""Consent over HTTP: HR publishes versioned bilingual texts, a person consents to the current
version and withdraws it (kept), and processing that needs it — pay terms on an employment
event, financial and so sensitive — is refused without it (403 `consent-required`)."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_org, make_user
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]
API = "/api/v1"
SENSITIVE = {
    "purpose": "sensitive_data",
    "title_zh": "敏感个人信息处理同意书",
    "title_en": "Consent to processing sensitive personal information",
    "body_zh": "我们将处理您的薪酬信息，用于发放津贴。",
    "body_en": "We process your pay to pay your allowance.",
}
ALLOWANCE = {
    "kind": "temporary_post",
    "effective_date": "2025-01-01",
    "end_date": "2025-06-30",
    "title": "Project lead",
    "allowance": "1500.00",
}


def _ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _member(runtime: Runtime, world: World) -> Account:
    return await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.member.id)


async def _allowance(client: AsyncClient, world: World) -> Response:
    return await client.post(
        f"{API}/employees/{world.member.id}/events", json=ALLOWANCE, headers=world.hr.headers
    )


async def test_processing_pay_needs_the_consent_in_force(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    member = await _member(runtime, world)
    assert (await _allowance(client, world)).status_code == 201, "no text yet: not collected"
    published = _ok(
        await client.post(f"{API}/consent-texts", json=SENSITIVE, headers=world.hr.headers), 201
    )
    assert (published["text_version"], published["current"]) == (1, True)
    refused = assert_problem(await _allowance(client, world), 403, kind="consent-required")
    assert "sensitive personal information" in refused["detail"]
    zh = await client.post(
        f"{API}/employees/{world.member.id}/events",
        json=ALLOWANCE,
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    assert assert_problem(zh, 403, kind="consent-required")["title"] == "需要同意"

    texts = _ok(await client.get(f"{API}/consent-texts", headers=member.headers))["items"]
    assert [t["id"] for t in texts] == [published["id"]]
    given = _ok(
        await client.post(
            f"{API}/me/consents",
            json={"text_id": published["id"]},
            headers=member.headers | {"Accept-Language": "zh-CN"},
        ),
        201,
    )
    assert (given["title"], given["in_force"], given["text_version"]) == (
        SENSITIVE["title_zh"],
        True,
        1,
    )
    again = await client.post(
        f"{API}/me/consents", json={"text_id": published["id"]}, headers=member.headers
    )
    assert_problem(again, 409)
    assert (await _allowance(client, world)).status_code == 201

    withdrawn = _ok(await client.delete(f"{API}/me/consents/{given['id']}", headers=member.headers))
    assert withdrawn["withdrawn_at"] is not None
    assert withdrawn["in_force"] is False
    assert_problem(await _allowance(client, world), 403, kind="consent-required")
    twice = await client.delete(f"{API}/me/consents/{given['id']}", headers=member.headers)
    assert_problem(twice, 409)
    mine = _ok(await client.get(f"{API}/me/consents", headers=member.headers))["items"]
    assert [(c["id"], c["in_force"]) for c in mine] == [(given["id"], False)], "kept"

    async with owner_engine.connect() as connection:
        actions = (
            await connection.execute(
                text("SELECT action FROM audit_events WHERE org_id = :org ORDER BY created_at"),
                {"org": world.hr.org_id},
            )
        ).scalars()
        audited = set(actions)
    assert {"consent_text.published", "consent.given", "consent.withdrawn"} <= audited


async def test_a_new_version_asks_again(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    member = await _member(runtime, world)
    first = _ok(
        await client.post(f"{API}/consent-texts", json=SENSITIVE, headers=world.hr.headers), 201
    )
    _ok(
        await client.post(
            f"{API}/me/consents", json={"text_id": first["id"]}, headers=member.headers
        ),
        201,
    )
    assert (await _allowance(client, world)).status_code == 201
    second = _ok(
        await client.post(
            f"{API}/consent-texts",
            json=SENSITIVE | {"body_en": "We also process your bank account."},
            headers=world.hr.headers,
        ),
        201,
    )
    assert second["text_version"] == 2
    assert_problem(await _allowance(client, world), 403, kind="consent-required")
    stale = await client.post(
        f"{API}/me/consents", json={"text_id": first["id"]}, headers=member.headers
    )
    assert_problem(stale, 422, fields={"text_id"})
    listed = _ok(await client.get(f"{API}/consent-texts", headers=member.headers))["items"]
    assert [(t["text_version"], t["current"]) for t in listed] == [(2, True), (1, False)]
    _ok(
        await client.post(
            f"{API}/me/consents", json={"text_id": second["id"]}, headers=member.headers
        ),
        201,
    )
    assert (await _allowance(client, world)).status_code == 201
    other_purpose = SENSITIVE | {"purpose": "cross_border_transfer"}
    _ok(
        await client.post(f"{API}/consent-texts", json=other_purpose, headers=world.hr.headers), 201
    )
    assert (await _allowance(client, world)).status_code == 201, "another purpose's text"


async def test_bad_input_and_other_people(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    member = await _member(runtime, world)
    lead = world.lead_account
    refused = await client.post(f"{API}/consent-texts", json=SENSITIVE, headers=member.headers)
    assert_problem(refused, 403)
    unknown = await client.post(
        f"{API}/consent-texts", json=SENSITIVE | {"purpose": "marketing"}, headers=world.hr.headers
    )
    assert_problem(unknown, 422, fields={"body.purpose"})
    empty = await client.post(
        f"{API}/consent-texts", json=SENSITIVE | {"body_zh": ""}, headers=world.hr.headers
    )
    assert_problem(empty, 422, fields={"body.body_zh"})
    published = _ok(
        await client.post(f"{API}/consent-texts", json=SENSITIVE, headers=world.hr.headers), 201
    )
    no_text = await client.post(
        f"{API}/me/consents",
        json={"text_id": "018f0000-0000-7000-8000-000000000000"},
        headers=member.headers,
    )
    assert_problem(no_text, 422, fields={"text_id"})
    given = _ok(
        await client.post(
            f"{API}/me/consents", json={"text_id": published["id"]}, headers=member.headers
        ),
        201,
    )
    for someone in (lead, world.hr):
        response = await client.delete(f"{API}/me/consents/{given['id']}", headers=someone.headers)
        assert_problem(response, 404)
    assert _ok(await client.get(f"{API}/me/consents", headers=lead.headers))["items"] == []

    other = await make_org(runtime)
    foreign = await client.get(f"{API}/consent-texts/{published['id']}", headers=other.headers)
    assert_problem(foreign, 404)
    assert _ok(await client.get(f"{API}/consent-texts", headers=other.headers))["items"] == []
