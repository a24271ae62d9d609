"""Logins that hold: throttling without Redis, back-off that spares the owner, proxies
trusted only when configured, a password policy, and access tokens that end with the
session."""

from __future__ import annotations

import ast
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import zxcvbn
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from hrcore import cli
from hrcore.core import security
from hrcore.core.audit import AuditEvent
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.identity import password_feedback, passwords
from hrcore.identity.models import LoginThrottle
from hrcore.main import create_app
from hrcore.seed import DEMO_PASSWORD
from tests.conftest import client_for, frozen_clock, make_settings
from tests.factories import PASSWORD, make_org
from tests.servers import free_port, serving

TOKEN = "/api/v1/auth/token"
START = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
async def clock(runtime: Runtime) -> AsyncIterator[FrozenClock]:
    async with frozen_clock(runtime, START) as frozen:
        yield frozen


@pytest.fixture
async def proxied(runtime: Runtime) -> AsyncIterator[AsyncClient]:
    """The app behind a trusted proxy on 127.0.0.1 (the test transport's peer address)."""
    settings = runtime.settings.model_copy(update={"trusted_proxies": ["127.0.0.0/8"]})
    application = create_app(settings=settings, runtime=runtime)
    async with LifespanManager(application), client_for(application) as http:
        yield http


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def _bad(email: str) -> dict[str, str]:
    return {"org": "acme", "email": email, "password": "wrong-password"}


# --- Redis unreachable --------------------------------------------------------------------


@pytest.mark.commits
async def test_login_falls_back_to_postgresql_when_redis_is_down(
    runtime: Runtime, owner_engine: Any
) -> None:
    admin = await make_org(runtime, "acme")
    dead = Runtime.open(
        make_settings(redis_url="redis://127.0.0.1:1/0"), application_name="hrcore-test-dead"
    )
    dead.clock = FrozenClock(START)
    application = create_app(runtime=dead)
    try:
        async with LifespanManager(application), client_for(application) as http:
            ok = await http.post(
                TOKEN, json={"org": "acme", "email": admin.email, "password": PASSWORD}
            )
            assert ok.status_code == 200, ok.text
            for _ in range(runtime.settings.login_max_failures):
                assert (await http.post(TOKEN, json=_bad(admin.email))).status_code == 401
            again = await http.post(TOKEN, json=_bad(admin.email))
            assert again.status_code == 429
            assert again.headers["retry-after"] == "1"
    finally:
        await dead.close()
    async with owner_engine.connect() as connection:
        counters = await connection.scalar(select(func.count()).select_from(LoginThrottle))
    assert counters == 3, "pair, address and account counted in PostgreSQL"


# --- argon2 off the event loop -----------------------------------------------------------


async def test_password_checks_run_off_the_event_loop(
    client: AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the loop, each ~0.5 s argon2 check stalled every other request of the process
    (the soak run's logins queued for pooled connections until one timed out)."""
    admin = await make_org(runtime, "acme")
    threads: list[str] = []
    verify = security.verify_password

    def recording(password_hash: str | None, password: str) -> bool:
        threads.append(threading.current_thread().name)
        return verify(password_hash, password)

    monkeypatch.setattr(security, "verify_password", recording)
    ok = await client.post(TOKEN, json={"org": "acme", "email": admin.email, "password": PASSWORD})
    assert ok.status_code == 200, ok.text
    assert threads
    assert all(name.startswith("argon2") for name in threads), threads


# --- back-off -----------------------------------------------------------------------------


async def test_pair_backs_off_exponentially_and_the_owner_elsewhere_logs_in(
    proxied: AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    admin = await make_org(runtime, "acme")
    attacker = _from("198.51.100.7")
    for _ in range(runtime.settings.login_max_failures):
        assert (
            await proxied.post(TOKEN, json=_bad(admin.email), headers=attacker)
        ).status_code == 401
    waits = []
    for _ in range(4):
        held = await proxied.post(TOKEN, json=_bad(admin.email), headers=attacker)
        assert held.status_code == 429
        waits.append(int(held.headers["retry-after"]))
        clock.advance(timedelta(seconds=waits[-1]))
        assert (
            await proxied.post(TOKEN, json=_bad(admin.email), headers=attacker)
        ).status_code == 401
    assert waits == [1, 2, 4, 8]
    right = {"org": "acme", "email": admin.email, "password": PASSWORD}
    assert (await proxied.post(TOKEN, json=right, headers=attacker)).status_code == 429
    owner = await proxied.post(TOKEN, json=right, headers=_from("203.0.113.5"))
    assert owner.status_code == 200, "failures elsewhere never lock the owner out"


async def test_many_addresses_slow_the_account_but_not_an_address_without_failures(
    proxied: AsyncClient, runtime: Runtime, clock: FrozenClock
) -> None:
    admin = await make_org(runtime, "acme")
    original = runtime.settings
    runtime.settings = original.model_copy(update={"login_max_failures_per_account": 6})
    try:
        for n in range(6):  # six addresses, one failure each: under every per-address rule
            response = await proxied.post(
                TOKEN, json=_bad(admin.email), headers=_from(f"198.51.100.{n}")
            )
            assert response.status_code == 401
        slowed = await proxied.post(TOKEN, json=_bad(admin.email), headers=_from("198.51.100.0"))
        assert slowed.status_code == 429
        assert int(slowed.headers["retry-after"]) <= original.login_account_max_wait_seconds
        right = {"org": "acme", "email": admin.email, "password": PASSWORD}
        owner = await proxied.post(TOKEN, json=right, headers=_from("203.0.113.5"))
        assert owner.status_code == 200
    finally:
        runtime.settings = original


# --- proxies ------------------------------------------------------------------------------


async def test_forwarded_for_counts_only_from_a_trusted_proxy(
    proxied: AsyncClient, runtime: Runtime
) -> None:
    await make_org(runtime, "acme")
    sprayer = _from("198.51.100.9")
    for n in range(runtime.settings.login_max_failures_per_address):
        bad = _bad(f"guess{n}@acme.example")
        assert (await proxied.post(TOKEN, json=bad, headers=sprayer)).status_code == 401
    assert (
        await proxied.post(TOKEN, json=_bad("x@acme.example"), headers=sprayer)
    ).status_code == 429
    other = await proxied.post(TOKEN, json=_bad("x@acme.example"), headers=_from("198.51.100.10"))
    assert other.status_code == 401, "another client behind the proxy is its own address"


async def test_served_api_ignores_forwarded_for_from_an_untrusted_peer(
    app: FastAPI, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`hrcore serve`'s own uvicorn options, on a real socket: rotating the header from a
    peer that is not a configured proxy does not reset the per-address limit."""
    options: dict[str, Any] = {}
    monkeypatch.setattr(cli.serving.uvicorn, "run", lambda *args, **kwargs: options.update(kwargs))
    monkeypatch.setattr(cli, "resolve_settings", lambda started=None: runtime.settings)
    monkeypatch.setattr(cli, "_export_urls", lambda settings: {})
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    assert CliRunner().invoke(cli.app, ["serve"]).exit_code == 0
    proxy_options = {
        key: value
        for key, value in options.items()
        if key in ("proxy_headers", "forwarded_allow_ips")
    }
    await make_org(runtime, "acme")
    port = free_port()
    async with (
        serving(app, port, log_config=None, **proxy_options),
        AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
    ):
        for n in range(runtime.settings.login_max_failures_per_address):
            response = await http.post(
                TOKEN, json=_bad(f"guess{n}@acme.example"), headers=_from(f"203.0.113.{n}")
            )
            assert response.status_code == 401
        last = await http.post(
            TOKEN, json=_bad("last@acme.example"), headers=_from("203.0.113.250")
        )
        assert last.status_code == 429


# --- password policy ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "weak", ["aaaaaaaaaaaa", "password1234", "hr@acme.example", "Acme.hr2027", "qwertyuiop12"]
)
async def test_weak_and_personal_passwords_are_refused(
    client: AsyncClient, runtime: Runtime, weak: str
) -> None:
    admin = await make_org(runtime, "acme")
    response = await client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": weak},
        headers=admin.headers,
    )
    assert response.status_code == 422, weak
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "body.new_password"
    assert error["message"]


async def test_zxcvbns_advice_reads_in_the_readers_language(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime, "acme")
    answers = {
        language: await client.post(
            "/api/v1/auth/password",
            json={"current_password": PASSWORD, "new_password": "qwertyuiop12"},
            headers=admin.headers | {"Accept-Language": language},
        )
        for language in ("zh-CN", "en")
    }
    chinese = answers["zh-CN"].json()["errors"][0]["message"]
    english = answers["en"].json()["errors"][0]["message"]
    assert "This is similar to a commonly used password." in english
    assert "这与一个常用密码相似。" in chinese
    assert not any(letter.isascii() and letter.isalpha() for letter in chinese)


def test_every_sentence_zxcvbn_can_say_is_in_the_catalogs() -> None:
    """A zxcvbn upgrade that adds advice fails here until `password_feedback` lists it."""
    source = Path(zxcvbn.__file__).with_name("feedback.py").read_text()
    said = {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert said == set(password_feedback.FEEDBACK)


def test_the_demo_password_passes_the_policy() -> None:
    for login in ("hr", "sales.head", "manager", "employee"):
        passwords.check(
            DEMO_PASSWORD, personal=[f"{login}@demo.example"], field="password", min_score=3
        )


# --- access tokens end with the session ---------------------------------------------------


async def _session(client: AsyncClient, email: str) -> dict[str, Any]:
    response = await client.post(TOKEN, json={"org": "acme", "email": email, "password": PASSWORD})
    assert response.status_code == 200
    tokens: dict[str, Any] = response.json()
    tokens["headers"] = {"Authorization": f"Bearer {tokens['access_token']}"}
    return tokens


async def _refused(client: AsyncClient, headers: dict[str, str]) -> None:
    response = await client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_access_token_is_refused_after_logout(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime, "acme")
    tokens = await _session(client, admin.email)
    assert (await client.get("/api/v1/me", headers=tokens["headers"])).status_code == 200
    logout = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
    )
    assert logout.status_code == 204
    await _refused(client, tokens["headers"])


async def test_access_tokens_are_refused_after_family_revocation(
    client: AsyncClient, runtime: Runtime, owner_engine: Any
) -> None:
    admin = await make_org(runtime, "acme")
    stolen = await _session(client, admin.email)
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]}
    )
    assert rotated.status_code == 200
    new_headers = {"Authorization": f"Bearer {rotated.json()['access_token']}"}
    reuse = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]}
    )
    assert reuse.status_code == 401
    await _refused(client, stolen["headers"])
    await _refused(client, new_headers)
    async with owner_engine.connect() as connection:
        revoked = (
            await connection.execute(
                select(AuditEvent.object_id, AuditEvent.after).where(
                    AuditEvent.action == "user.sessions_revoked"
                )
            )
        ).all()
    assert [(row.object_id, row.after["reason"]) for row in revoked] == [
        (admin.user_id, "refresh_token_reused")
    ]


async def test_access_tokens_are_refused_after_a_password_change(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime, "acme")
    phone = await _session(client, admin.email)
    laptop = await _session(client, admin.email)
    changed = await client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "violet-lantern-orbit-42"},
        headers=laptop["headers"],
    )
    assert changed.status_code == 200
    await _refused(client, phone["headers"])
    await _refused(client, laptop["headers"])
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert (await client.get("/api/v1/me", headers=fresh)).status_code == 200
