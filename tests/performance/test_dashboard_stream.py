"""The dashboards' live stream: served for real (uvicorn), an open stream receives the event
once an ingestion was processed by the worker, only for what its caller may see, with
heartbeats, and its Redis subscription ends with the client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from hrcore.core import live
from hrcore.core.runtime import Runtime
from hrcore.performance import dashboard_stream
from hrcore.worker import run_burst
from tests.performance.conftest import API, ZH, World, api_key, observation, ok, post_scheme, scheme
from tests.problems import assert_problem
from tests.servers import PATIENCE, free_port, serving, until

DECEMBER = datetime(2026, 12, 3, 9, tzinfo=UTC)


async def _next(lines: AsyncIterator[str], seen: list[str]) -> tuple[str, dict[str, Any]]:
    """The next event of a stream (its name and data); comments go to `seen`."""

    async def read() -> tuple[str, dict[str, Any]]:
        name = None
        async for line in lines:
            if line.startswith(":"):
                seen.append(line)
            elif line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name is not None:
                return name, json.loads(line.removeprefix("data: "))
        raise AssertionError("the stream ended")

    return await asyncio.wait_for(read(), PATIENCE)


async def _opened(lines: AsyncIterator[str]) -> None:
    """Wait for the comment that says the stream is subscribed (after the reconnect delay)."""
    first = [await asyncio.wait_for(anext(lines), PATIENCE) for _ in range(2)]
    assert first == ["retry: 1000", ": connected"]


@pytest.mark.commits
async def test_an_open_stream_receives_what_the_worker_recomputed(
    app: FastAPI, client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.head_office.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    port = free_port()
    streams = {
        "me": (f"{API}/me/dashboard/stream", world.member_account.headers),
        "sales": (f"{API}/departments/{world.sales.id}/dashboard/stream", world.sales_head.headers),
        "engineering": (
            f"{API}/departments/{world.engineering.id}/dashboard/stream",
            world.hr.headers,
        ),
    }
    channel = dashboard_stream.channel(world.hr.org_id)

    async def subscribers() -> int:
        return int((await runtime.redis.pubsub_numsub(channel))[0][1])

    async with (
        serving(app, port),
        AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=PATIENCE) as http,
    ):
        opened = {
            name: await http.send(http.build_request("GET", url, headers=headers), stream=True)
            for name, (url, headers) in streams.items()
        }
        lines = {name: response.aiter_lines() for name, response in opened.items()}
        for name, response in opened.items():
            assert response.status_code == 200, name
            assert response.headers["content-type"].startswith("text/event-stream")
            await _opened(lines[name])
        assert await subscribers() == 3

        batch = {"items": [observation(world.member.id, "output", 80, DECEMBER, "s-1")]}
        ok(await client.post(f"{API}/metric-observations", json=batch, headers=key))
        await run_burst(runtime)
        seen: list[str] = []
        assert await _next(lines["me"], seen) == ("scores", {"months": ["2026-12"]})
        assert await _next(lines["sales"], seen) == (
            "scores",
            {"employee_ids": [str(world.member.id)], "months": ["2026-12"]},
        )
        me = ok(await client.get(f"{API}/me/dashboard", headers=world.member_account.headers))
        assert me["current"]["overall"] == 80, "the event came after the commit"

        batch = {"items": [observation(world.engineer.id, "output", 10, DECEMBER, "s-2")]}
        ok(await client.post(f"{API}/metric-observations", json=batch, headers=key))
        await run_burst(runtime)
        assert await _next(lines["engineering"], seen) == (
            "scores",
            {"employee_ids": [str(world.engineer.id)], "months": ["2026-12"]},
        ), "the first event it relays: the member's was not for engineering"

        for response in opened.values():
            await response.aclose()

        async def released() -> bool:
            return await subscribers() == 0

        await until(released, "the closed streams unsubscribe")


@pytest.mark.commits
async def test_heartbeats_lifetime_and_who_may_stream(
    app: FastAPI,
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.2)
    monkeypatch.setattr(live, "LIFETIME_SECONDS", 1.0)
    port = free_port()
    url = f"{API}/me/dashboard/stream"
    async with (
        serving(app, port),
        AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=PATIENCE) as http,
        http.stream("GET", url, headers=world.member_account.headers) as response,
    ):
        lines = response.aiter_lines()
        await _opened(lines)
        rest = await asyncio.wait_for(_rest(lines), PATIENCE)
    assert set(rest) == {": heartbeat"}
    assert len(rest) >= 3, "every 0.2 s until the stream ends after its lifetime"
    channel = dashboard_stream.channel(world.hr.org_id)
    assert (await runtime.redis.pubsub_numsub(channel))[0][1] == 0

    assert_problem(await client.get(url), 401)
    assert_problem(await client.get(url, headers=world.hr.headers | ZH), 404)
    sales = f"{API}/departments/{world.sales.id}/dashboard/stream"
    assert_problem(await client.get(sales, headers=world.member_account.headers), 404)
    reader = await api_key(client, world.hr, "ratings:read")
    assert_problem(await client.get(sales, headers=reader), 403)


async def _rest(lines: AsyncIterator[str]) -> list[str]:
    """The stream's remaining non-empty lines, once it ended."""
    return [line async for line in lines if line]
