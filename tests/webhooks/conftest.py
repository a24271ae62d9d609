"""The app with the webhooks router, webhook settings, and a local receiver to deliver to."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hrcore.core.runtime import Runtime
from hrcore.settings import Settings
from hrcore.webhooks import service
from tests.servers import free_port, serving

Configure = Callable[..., Settings]


@pytest.fixture
def configure(runtime: Runtime) -> Iterator[Configure]:
    """Change settings for the API and the worker (both read runtime.settings); restored after.

    Private targets are allowed unless a test says otherwise: the receiver is on 127.0.0.1.
    """
    original = runtime.settings

    defaults = {"webhook_allow_private_targets": True, "webhook_timeout_seconds": 5.0}

    def apply(**overrides: object) -> Settings:
        runtime.settings = original.model_copy(update={**defaults, **overrides})
        return runtime.settings

    apply()
    yield apply
    runtime.settings = original


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool


@dataclass
class Receiver:
    """A webhook endpoint on 127.0.0.1 that checks signatures and fails on request."""

    port: int
    secret: str = ""
    fail_times: int = 0
    delay_seconds: float = 0.0
    requests: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def handle(self, request: Request) -> JSONResponse:
        body = await request.body()
        timestamp = int(request.headers.get("x-hrcore-timestamp", "0"))
        expected = service.sign(self.secret, timestamp, body)
        self.requests.append(
            Received(
                headers=dict(request.headers),
                body=body,
                signature_ok=request.headers.get("x-hrcore-signature") == expected,
            )
        )
        await asyncio.sleep(self.delay_seconds)
        if self.fail_times > 0:
            self.fail_times -= 1
            return JSONResponse({"error": "try later"}, status_code=503)
        return JSONResponse({"ok": True})


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    target = Receiver(port=free_port())
    app = Starlette(routes=[Route("/hooks", target.handle, methods=["POST"])])
    async with serving(app, target.port):
        yield target
