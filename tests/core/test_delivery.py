"""The outbound delivery engine's own rules: one backoff, public targets, signed POSTs.

Webhooks and DingTalk channels run the whole engine (claim, settle, breaker) end to end in
tests/webhooks and tests/channels; these tests hold the pieces both rely on.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from hrcore.core import delivery, i18n
from hrcore.core.delivery import Attempt, Policy
from hrcore.core.errors import Unprocessable
from hrcore.core.resilience import Backoff, retry_delay
from tests.servers import free_port, serving

LOCAL = Policy(allow_private_targets=True, timeout_seconds=5.0)


def test_one_backoff_doubles_from_its_base_and_the_reconnect_backoff_caps_it() -> None:
    assert [retry_delay(5.0, attempt) for attempt in (1, 2, 3, 4)] == [5.0, 10.0, 20.0, 40.0]
    backoff = Backoff(first=1.0, cap=3.0)
    delays = [backoff.next() for _ in range(4)]
    for delay, expected in zip(delays, [1.0, 2.0, 3.0, 3.0], strict=True):
        assert expected * 0.9 <= delay <= expected * 1.1


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 for 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 for 10.0.0.1
    ],
)
def test_only_public_addresses_are_targets(address: str, public: bool) -> None:
    assert delivery.is_public(ipaddress.ip_address(address)) is public


async def test_a_target_check_answers_422_naming_the_field() -> None:
    with i18n.using("en"), pytest.raises(Unprocessable) as raised:
        await delivery.check_target(
            "https://127.0.0.1/in", Policy(), field="config.url", title="Not allowed"
        )
    [error] = raised.value.errors or []
    assert error.field == "config.url"
    assert "loopback" in error.message
    with pytest.raises(Unprocessable):
        await delivery.check_target("http://example.com/in", Policy(), field="url", title="t")


@dataclass
class Seen:
    url: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int
    answers: list[Response] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)

    def url(self, path: str = "/in") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def handle(self, request: Request) -> Response:
        self.seen.append(Seen(str(request.url), dict(request.headers), await request.body()))
        return self.answers.pop(0) if self.answers else JSONResponse({"ok": True})


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    target = Receiver(port=free_port())
    app = Starlette(routes=[Route("/{path:path}", target.handle, methods=["POST"])])
    async with serving(app, target.port):
        yield target


def _signer(url: str, body: bytes) -> tuple[str, Mapping[str, str]]:
    return f"{url}?sig={len(body)}", {"X-Signature": f"len={len(body)}"}


async def test_a_post_carries_the_signers_url_and_headers(receiver: Receiver) -> None:
    attempt = await delivery.post(
        receiver.url(),
        b'{"a":1}',
        headers={"Content-Type": "application/json"},
        policy=LOCAL,
        sign=_signer,
    )
    assert attempt == Attempt(ok=True, status_code=200)
    [seen] = receiver.seen
    assert seen.url == receiver.url() + "?sig=7"
    assert seen.headers["x-signature"] == "len=7"
    assert seen.headers["host"] == f"127.0.0.1:{receiver.port}"
    assert seen.body == b'{"a":1}'


async def test_a_failing_or_redirecting_answer_is_a_failed_attempt(receiver: Receiver) -> None:
    receiver.answers = [
        JSONResponse({}, status_code=503),
        RedirectResponse("http://127.0.0.1:9/elsewhere", status_code=302),
    ]
    unsigned = delivery.post(
        receiver.url(), b"{}", headers={}, policy=LOCAL, sign=lambda url, _: (url, {})
    )
    assert await unsigned == Attempt(
        ok=False, status_code=503, error="HTTP 503 Service Unavailable"
    )
    redirected = await delivery.post(
        receiver.url(), b"{}", headers={}, policy=LOCAL, sign=lambda url, _: (url, {})
    )
    assert redirected.status_code == 302
    assert not redirected.ok
    assert len(receiver.seen) == 2, "the redirect is not followed"


async def test_an_answer_judges_the_read_body(receiver: Receiver) -> None:
    receiver.answers = [JSONResponse({"errcode": 7})]

    def answer(response: httpx.Response) -> Attempt:
        code = int(response.json()["errcode"])
        return Attempt(ok=code == 0, status_code=response.status_code, code=code)

    attempt = await delivery.post(
        receiver.url(), b"{}", headers={}, policy=LOCAL, sign=_signer, answer=answer
    )
    assert attempt == Attempt(ok=False, status_code=200, code=7)


async def test_a_private_target_is_refused_before_signing_or_sending(receiver: Receiver) -> None:
    def never(url: str, body: bytes) -> tuple[str, Mapping[str, str]]:
        raise AssertionError("signed a refused request")

    attempt = await delivery.post(receiver.url(), b"{}", headers={}, policy=Policy(), sign=never)
    assert not attempt.ok
    assert attempt.error is not None
    assert attempt.error.startswith("refused target:")
    assert receiver.seen == []


async def test_an_unreachable_target_is_a_failed_attempt_naming_the_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    attempt = await delivery.post(
        f"http://127.0.0.1:{closed}/in", b"{}", headers={}, policy=LOCAL, sign=_signer
    )
    assert not attempt.ok
    assert attempt.status_code is None
    assert attempt.error is not None
    assert attempt.error.startswith("ConnectError")
