"""The HTTP conventions every route inherits: errors, pagination, idempotency, versions."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from asgi_lifespan import LifespanManager
from httpx import AsyncClient
from sqlalchemy import func, update

from hrcore.core.db import unit_of_work
from hrcore.core.housekeeping import expire_idempotency_keys
from hrcore.core.http import prefers_over_json
from hrcore.core.idempotency import IdempotencyRecord
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from tests.conftest import client_for

PROBLEM = "application/problem+json"


async def _create(client: AsyncClient, name: str = "a", rank: int = 1) -> dict[str, object]:
    response = await client.post("/api/v1/widgets", json={"name": name, "rank": rank})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_unknown_route_is_a_problem(client: AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404
    assert body["type"].endswith("/not-found")
    assert body["request_id"] == response.headers["x-request-id"]


async def test_wrong_method_is_405(client: AsyncClient) -> None:
    response = await client.delete("/healthz")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM


async def test_validation_errors_name_fields(widget_client: AsyncClient) -> None:
    response = await widget_client.post("/api/v1/widgets", json={"name": "", "rank": -1})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"body.name", "body.rank"}


async def test_malformed_json_is_400(widget_client: AsyncClient) -> None:
    response = await widget_client.post(
        "/api/v1/widgets", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("/malformed-json")


async def test_wrong_content_type_is_415(widget_client: AsyncClient) -> None:
    response = await widget_client.post(
        "/api/v1/widgets", content=b"name=a", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == PROBLEM


async def test_oversized_body_is_413_and_writes_nothing(widget_client: AsyncClient) -> None:
    huge = {"name": "a", "rank": 1, "padding": "x" * (6 * 1024 * 1024)}
    response = await widget_client.post("/api/v1/widgets", json=huge)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    listing = await widget_client.get("/api/v1/widgets")
    assert listing.json()["items"] == []


async def test_unknown_query_parameter_is_400(widget_client: AsyncClient) -> None:
    response = await widget_client.get("/api/v1/widgets", params={"min_rnak": 3})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "query.min_rnak", "message": "not accepted"}]


async def test_unexpected_error_is_500_without_internals(widget_client: AsyncClient) -> None:
    response = await widget_client.get("/api/v1/widgets/boom", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["x-request-id"] == "abc-123"
    assert response.json()["request_id"] == "abc-123"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text


async def test_request_id_is_generated_when_absent_or_unsafe(client: AsyncClient) -> None:
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    unsafe = await client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert unsafe.headers["x-request-id"] != "bad id\nwith newline"


@pytest.mark.parametrize("descending", [False, True])
async def test_pagination_walks_every_item_once(
    widget_client: AsyncClient, descending: bool
) -> None:
    created = [await _create(widget_client, f"w{i}", rank=i % 3) for i in range(7)]
    seen: list[str] = []
    ranks: list[int] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, object] = {"limit": 3, "descending": descending}
        if cursor:
            params["cursor"] = cursor
        page = (await widget_client.get("/api/v1/widgets", params=params)).json()
        seen.extend(item["id"] for item in page["items"])
        ranks.extend(item["rank"] for item in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(str(item["id"]) for item in created)
    assert len(seen) == len(set(seen))
    assert ranks == sorted(ranks, reverse=descending)


async def test_pagination_rejects_bad_cursor_and_limit(widget_client: AsyncClient) -> None:
    for cursor in ["not-base64!!", "bm90LWpzb24", "WzFd", "WyJ4IiwieSJd"]:
        response = await widget_client.get("/api/v1/widgets", params={"cursor": cursor})
        assert response.status_code == 400, cursor
        assert response.json()["type"].endswith("/invalid-cursor")
    too_many = await widget_client.get("/api/v1/widgets", params={"limit": 201})
    assert too_many.status_code == 422


async def test_idempotency_key_replays_the_first_response(widget_client: AsyncClient) -> None:
    headers = {"Idempotency-Key": "k-1"}
    first = await widget_client.post(
        "/api/v1/widgets", json={"name": "a", "rank": 1}, headers=headers
    )
    second = await widget_client.post(
        "/api/v1/widgets", json={"name": "a", "rank": 1}, headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert first.headers["etag"].startswith('"1.'), "the version tag covers the body"
    assert second.headers["etag"] == first.headers["etag"]
    listing = (await widget_client.get("/api/v1/widgets")).json()["items"]
    assert len(listing) == 1


async def test_a_replay_says_the_language_its_body_was_written_in(
    widget_client: AsyncClient,
) -> None:
    body = {"name": "b", "rank": 2}
    first = await widget_client.post(
        "/api/v1/widgets",
        json=body,
        headers={"Idempotency-Key": "k-lang", "Accept-Language": "zh-CN"},
    )
    replay = await widget_client.post(
        "/api/v1/widgets",
        json=body,
        headers={"Idempotency-Key": "k-lang", "Accept-Language": "en"},
    )
    assert replay.headers["idempotent-replayed"] == "true"
    assert first.headers["content-language"] == "zh-CN"
    assert replay.headers.get_list("content-language") == ["zh-CN"]


async def test_idempotency_key_with_another_body_is_422(widget_client: AsyncClient) -> None:
    headers = {"Idempotency-Key": "k-2"}
    await widget_client.post("/api/v1/widgets", json={"name": "a", "rank": 1}, headers=headers)
    other = await widget_client.post(
        "/api/v1/widgets", json={"name": "b", "rank": 1}, headers=headers
    )
    assert other.status_code == 422
    assert other.headers["content-type"] == PROBLEM


async def test_idempotency_keys_are_per_caller(widget_client: AsyncClient) -> None:
    body = {"name": "a", "rank": 1}
    await widget_client.post(
        "/api/v1/widgets", json=body, headers={"Idempotency-Key": "k", "Authorization": "Bearer x"}
    )
    await widget_client.post(
        "/api/v1/widgets", json=body, headers={"Idempotency-Key": "k", "Authorization": "Bearer y"}
    )
    assert len((await widget_client.get("/api/v1/widgets")).json()["items"]) == 2


@pytest.mark.commits
async def test_concurrent_duplicates_write_once(widget_client: AsyncClient) -> None:
    headers = {"Idempotency-Key": "k-3"}
    responses = await asyncio.gather(
        *[
            widget_client.post("/api/v1/widgets", json={"name": "a", "rank": 1}, headers=headers)
            for _ in range(5)
        ]
    )
    statuses = sorted(response.status_code for response in responses)
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    assert len((await widget_client.get("/api/v1/widgets")).json()["items"]) == 1


async def test_failed_request_releases_its_key(widget_client: AsyncClient) -> None:
    headers = {"Idempotency-Key": "k-4"}
    bad = await widget_client.post("/api/v1/widgets", json={"name": "", "rank": 1}, headers=headers)
    assert bad.status_code == 422
    good = await widget_client.post(
        "/api/v1/widgets", json={"name": "", "rank": 1}, headers=headers
    )
    assert good.status_code == 422
    assert "idempotent-replayed" not in good.headers


async def test_if_match_and_version_guard_updates(widget_client: AsyncClient) -> None:
    widget = await _create(widget_client)
    url = f"/api/v1/widgets/{widget['id']}"
    stale = await widget_client.patch(url, json={"name": "b"}, headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    ok = await widget_client.patch(url, json={"name": "b"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200
    assert ok.headers["etag"].startswith('"2.')
    assert ok.json()["version"] == 2
    conflict = await widget_client.patch(url, json={"name": "c", "version": 1})
    assert conflict.status_code == 409
    missing = await widget_client.patch(f"/api/v1/widgets/{uuid.uuid4()}", json={"name": "x"})
    assert missing.status_code == 404


async def test_streamed_oversized_body_is_413(widget_client: AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "a", "rank": 1, "padding": "'
        for _ in range(7):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    response = await widget_client.post(
        "/api/v1/widgets", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


async def test_cors_allows_configured_origins_only(runtime: Runtime) -> None:
    settings = runtime.settings.model_copy(update={"cors_origins": ["https://app.example"]})
    app = create_app(settings=settings, runtime=runtime)
    async with LifespanManager(app), client_for(app) as http:
        preflight = {"Access-Control-Request-Method": "POST"}
        allowed = await http.options(
            "/healthz", headers={"Origin": "https://app.example", **preflight}
        )
        refused = await http.options(
            "/healthz", headers={"Origin": "https://evil.example", **preflight}
        )
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in refused.headers


async def test_expired_idempotency_keys_are_forgotten(
    widget_client: AsyncClient, runtime: Runtime
) -> None:
    headers = {"Idempotency-Key": "old"}
    await widget_client.post("/api/v1/widgets", json={"name": "a", "rank": 1}, headers=headers)
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(
            update(IdempotencyRecord).values(expires_at=func.now() - timedelta(seconds=1))
        )
    assert await expire_idempotency_keys({"runtime": runtime}) == 1
    again = await widget_client.post(
        "/api/v1/widgets", json={"name": "b", "rank": 1}, headers=headers
    )
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers


async def test_nul_characters_are_refused_as_bad_input(widget_client: AsyncClient) -> None:
    in_body = await widget_client.post("/api/v1/widgets", json={"name": "a\x00b", "rank": 1})
    assert in_body.status_code == 422
    assert in_body.json()["errors"] == [{"field": "body", "message": "contains U+0000"}]
    escaped_backslash = await widget_client.post(
        "/api/v1/widgets", json={"name": "a\\u0000b", "rank": 1}
    )
    assert escaped_backslash.status_code == 201, "a literal backslash-u is fine"
    in_query = await widget_client.get("/api/v1/widgets", params={"cursor": "a\x00"})
    assert in_query.status_code == 400


async def test_values_the_database_cannot_store_are_422(widget_client: AsyncClient) -> None:
    response = await widget_client.post("/api/v1/widgets", json={"name": "a", "rank": 2**40})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("accept", "prefers"),
    [
        (None, False),
        ("application/json", False),
        ("application/pdf", True),
        ("application/pdf, application/json", True),
        ("application/json, application/pdf;q=0.5", False),
        ("application/pdf;q=0.8, */*;q=0.9", False),
        ("application/pdf;q=0, */*", False),
        ("application/pdf;q=nonsense", False),
        ("*/*", False),
    ],
)
def test_a_pdf_is_chosen_only_when_accept_ranks_it_as_high_as_json(
    accept: str | None, prefers: bool
) -> None:
    assert prefers_over_json(accept, "application/pdf") is prefers
