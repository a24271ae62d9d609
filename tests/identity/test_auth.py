"""Logging in, tokens, refresh rotation, throttling and one-time passwords."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from httpx import AsyncClient
from pydantic import SecretStr
from sqlalchemy import select

from hrcore.core import security
from hrcore.core.authz import Role
from hrcore.core.db import unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity import auth
from hrcore.identity import service as identity
from hrcore.identity.models import RefreshToken
from tests.factories import PASSWORD, make_org, make_user

TOKEN = "/api/v1/auth/token"


async def _login(
    client: AsyncClient, org: str, email: str, password: str = PASSWORD
) -> dict[str, object]:
    response = await client.post(TOKEN, json={"org": org, "email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_login_and_me(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime, "acme")
    tokens = await _login(client, "acme", admin.email.upper())
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 15 * 60
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 200
    body = me.json()
    assert body["roles"] == ["hr_admin"]
    assert body["org"]["slug"] == "acme"
    assert body["org"]["timezone"] == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("org", "email", "password"),
    [
        ("acme", "hr@acme.example", "wrong-password"),
        ("nope", "hr@acme.example", PASSWORD),
        ("acme", "nobody@acme.example", PASSWORD),
    ],
)
async def test_bad_credentials_are_401_without_telling_which(
    client: AsyncClient, runtime: Runtime, org: str, email: str, password: str
) -> None:
    await make_org(runtime, "acme")
    response = await client.post(
        TOKEN,
        json={"org": org, "email": email, "password": password},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 401
    assert response.json()["detail"] == auth.INVALID_CREDENTIALS


async def test_disabled_user_cannot_log_in_or_use_tokens(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime)
    user = await make_user(runtime, admin.org_id)
    org_slug = (await client.get("/api/v1/me", headers=admin.headers)).json()["org"]["slug"]
    patched = await client.patch(
        f"/api/v1/users/{user.user_id}", json={"is_active": False}, headers=admin.headers
    )
    assert patched.status_code == 200
    login = await client.post(
        TOKEN, json={"org": org_slug, "email": user.email, "password": PASSWORD}
    )
    assert login.status_code == 401
    assert (await client.get("/api/v1/me", headers=user.headers)).status_code == 401


async def test_failed_logins_are_throttled_per_address(
    client: AsyncClient, runtime: Runtime
) -> None:
    await make_org(runtime, "acme")
    for n in range(runtime.settings.login_max_failures_per_address):
        bad = {"org": "acme", "email": f"guess{n}@acme.example", "password": "x"}
        assert (await client.post(TOKEN, json=bad)).status_code == 401
    response = await client.post(
        TOKEN, json={"org": "acme", "email": "new@acme.example", "password": "x"}
    )
    assert response.status_code == 429


def _forge(
    runtime: Runtime, claims: dict[str, object], key: str, kid: str = "dev", alg: str = "HS256"
) -> str:
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


def _claims(
    runtime: Runtime, user_id: uuid.UUID, org_id: uuid.UUID, **overrides: object
) -> dict[str, object]:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": runtime.settings.jwt_issuer,
        "aud": runtime.settings.jwt_audience,
        "sub": str(user_id),
        "org": str(org_id),
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "jti": "x",
        "ver": 0,
    }
    claims.update(overrides)
    return claims


async def test_bad_access_tokens_are_401(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    key = runtime.settings.jwt_keys["dev"].get_secret_value()
    good = _claims(runtime, admin.user_id, admin.org_id)
    past = datetime.now(UTC) - timedelta(hours=1)
    unsigned = jwt.encode(good, None, algorithm="none")  # type: ignore[arg-type]
    valid = _forge(runtime, good, key)
    header, _payload, signature = valid.split(".")
    forged_payload = _forge(runtime, {**good, "sub": str(uuid.uuid4())}, key).split(".")[1]
    tokens = {
        "expired": _forge(runtime, {**good, "exp": past, "iat": past - timedelta(minutes=5)}, key),
        "tampered": f"{header}.{forged_payload}.{signature}",
        "alg none": unsigned,
        "wrong audience": _forge(runtime, {**good, "aud": "someone-else"}, key),
        "wrong issuer": _forge(runtime, {**good, "iss": "evil"}, key),
        "wrong key": _forge(runtime, good, "another-secret-of-sufficient-length-123"),
        "unknown kid": _forge(runtime, good, key, kid="nope"),
        "no jti": _forge(runtime, {k: v for k, v in good.items() if k != "jti"}, key),
        "garbage": "not.a.token",
    }
    assert (
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {valid}"})
    ).status_code == 200
    for name, token in tokens.items():
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_key_rotation_keeps_old_tokens_valid(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    old_token = admin.headers
    rotated = runtime.settings.model_copy(
        update={
            "jwt_keys": {**runtime.settings.jwt_keys, "2027": SecretStr("x" * 40)},
            "jwt_active_kid": "2027",
        }
    )
    original = runtime.settings
    runtime.settings = rotated
    try:
        assert (await client.get("/api/v1/me", headers=old_token)).status_code == 200
        new, _ = security.issue_access_token(
            rotated, user_id=admin.user_id, org_id=admin.org_id, now=datetime.now(UTC), version=0
        )
        assert jwt.get_unverified_header(new)["kid"] == "2027"
        me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {new}"})
        assert me.status_code == 200
    finally:
        runtime.settings = original


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime, "acme")
    first = await _login(client, "acme", admin.email)
    second = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]

    reuse = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert reuse.status_code == 401
    after_reuse = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]}
    )
    assert after_reuse.status_code == 401, "the whole family is revoked"

    async with runtime.sessionmaker() as session:
        stored = (await session.execute(select(RefreshToken.token_hash))).scalars().all()
    assert not any(str(first["refresh_token"]).endswith(h) for h in stored)


async def test_logout_revokes_the_family(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime, "acme")
    tokens = await _login(client, "acme", admin.email)
    assert (
        await client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    ).status_code == 204
    again = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert again.status_code == 401


@pytest.mark.parametrize("token", ["", "rt_x", "rt_00000000000000000000000000000000_abc", "hk_1_2"])
async def test_malformed_refresh_tokens_are_401(
    client: AsyncClient, runtime: Runtime, token: str
) -> None:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert response.status_code in (401, 422)


async def test_one_time_password_must_be_changed(client: AsyncClient, runtime: Runtime) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        _, _admin, one_time = await identity.create_organization(
            session, slug="fresh", name="Fresh", admin_email="boss@fresh.example"
        )
    tokens = await _login(client, "fresh", "boss@fresh.example", one_time)
    assert tokens["must_change_password"] is True
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    blocked = await client.get("/api/v1/users", headers=headers)
    assert blocked.status_code == 403
    assert blocked.json()["type"].endswith("/password-change-required")
    assert (await client.get("/api/v1/me", headers=headers)).json()["must_change_password"] is True

    wrong = await client.post(
        "/api/v1/auth/password",
        json={"current_password": "nope", "new_password": "a-new-long-password"},
        headers=headers,
    )
    assert wrong.status_code == 422
    changed = await client.post(
        "/api/v1/auth/password",
        json={"current_password": one_time, "new_password": "a-new-long-password"},
        headers=headers,
    )
    assert changed.status_code == 200
    assert changed.json()["must_change_password"] is False
    assert (await client.get("/api/v1/users", headers=headers)).status_code == 401
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert (await client.get("/api/v1/users", headers=fresh)).status_code == 200
    stale = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert stale.status_code == 401, "changing the password ends other sessions"
    await _login(client, "fresh", "boss@fresh.example", "a-new-long-password")


async def test_short_new_password_is_rejected(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    response = await client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=admin.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.new_password"


async def test_dept_head_role_is_visible_in_me(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    user = await make_user(runtime, admin.org_id, Role.EMPLOYEE)
    me = (await client.get("/api/v1/me", headers=user.headers)).json()
    assert me["roles"] == ["employee"]
    assert me["employee"] is None
    assert me["department_scope"] is None
