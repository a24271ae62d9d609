"""DingTalk over HTTP: group-robot signing and sending, work notifications, directory reads.

A client without database access, shared by channels (sending) and integrations (reading
the address book behind inbound events). Robot messages go out through the delivery engine
(`core/delivery.py`), with `robot_signer` and `answer` plugged in.

Robot: `POST {webhook_url}&timestamp=…&sign=…` where `sign` is
Base64(HmacSHA256(secret, "{timestamp}\\n{secret}")), URL-encoded; DingTalk refuses a
timestamp more than an hour off. Work notifications: an access token from
`GET {base}/gettoken?appkey=&appsecret=` (valid `expires_in` seconds, 7200), then
`POST {base}/topapi/message/corpconversation/asyncsend_v2?access_token=`; the directory is
`topapi/v2/user/get` and `topapi/v2/department/get`. All answer HTTP 200 with `errcode`;
anything but `errcode == 0` is a failure.

Access tokens are cached **in process memory** per (base URL, app key) until a safety margin
before they expire: jobs have no Redis handle, tokens are cheap to fetch, and DingTalk hands
out the same token while it is valid, so each worker process fetching its own is harmless.
A token DingTalk calls invalid is dropped from the cache, and the next attempt fetches anew.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

import httpx

from hrcore.core.delivery import (
    ERROR_LIMIT,
    Attempt,
    Signer,
    describe,
    status_attempt,
    transport_failure,
)

TOKEN_MARGIN_SECONDS = 300.0
"""A cached token is renewed this long before DingTalk says it expires."""
INVALID_TOKEN_CODES = frozenset({40014, 42001, 40001})
ROBOT_THROTTLED = 130101
"""A robot past 20 messages a minute: DingTalk mutes it for 10 minutes."""
USER_AGENT = "hrcore-channels/1"
HEADERS = {"Content-Type": "application/json", "User-Agent": USER_AGENT}


class DingTalkError(Exception):
    """A failed call: transport error, non-2xx status or `errcode != 0`."""


def robot_sign(secret: str, timestamp_ms: int) -> str:
    """Base64(HmacSHA256(secret, "{timestamp}\\n{secret}")), not yet URL-encoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def signed_robot_url(webhook_url: str, secret: str, timestamp_ms: int) -> str:
    """The robot URL with `timestamp` and the URL-encoded `sign` appended."""
    separator = "&" if "?" in webhook_url else "?"
    sign = quote_plus(robot_sign(secret, timestamp_ms))
    return f"{webhook_url}{separator}timestamp={timestamp_ms}&sign={sign}"


def robot_signer(secret: str, timestamp_ms: int) -> Signer:
    """Signs a robot request for the delivery engine: the URL carries the signature."""
    return lambda url, _body: (signed_robot_url(url, secret, timestamp_ms), {})


def text_message(content: str) -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": content}}


def answer(response: httpx.Response) -> Attempt:
    """A read response judged: HTTP 2xx and `errcode == 0`; `code` is the errcode."""
    if not (attempt := status_attempt(response)).ok:
        return attempt
    try:
        document = response.json()
        code = int(document.get("errcode", -1))
    except (ValueError, TypeError, AttributeError):
        return Attempt(ok=False, status_code=response.status_code, error="not a DingTalk answer")
    if code != 0:
        message = str(document.get("errmsg", ""))
        return Attempt(
            ok=False,
            status_code=response.status_code,
            error=f"errcode {code}: {message}"[:ERROR_LIMIT],
            code=code,
        )
    return Attempt(ok=True, status_code=response.status_code, code=0)


# --- work notifications -------------------------------------------------------------------


@dataclass
class _Token:
    value: str
    expires_at: float


_TOKENS: dict[tuple[str, str], _Token] = {}
_LOCKS: dict[tuple[str, str], asyncio.Lock] = {}


def clear_token_cache() -> None:
    """Forget every cached access token (tests; a rotated app secret)."""
    _TOKENS.clear()
    _LOCKS.clear()


def forget_token(base_url: str, app_key: str) -> None:
    """Drop one app's cached token (DingTalk called it invalid)."""
    _TOKENS.pop((base_url, app_key), None)


async def access_token(
    client: httpx.AsyncClient, base_url: str, app_key: str, app_secret: str
) -> str:
    """A valid access token for the app, from the cache or DingTalk; raises DingTalkError."""
    key = (base_url, app_key)
    cached = _TOKENS.get(key)
    if cached is not None and cached.expires_at > time.monotonic():
        return cached.value
    lock = _LOCKS.setdefault(key, asyncio.Lock())
    async with lock:
        cached = _TOKENS.get(key)
        if cached is not None and cached.expires_at > time.monotonic():
            return cached.value
        try:
            response = await client.get(
                f"{base_url}/gettoken", params={"appkey": app_key, "appsecret": app_secret}
            )
        except httpx.HTTPError as exc:
            raise DingTalkError(describe(exc, "gettoken: ")) from exc
        result = answer(response)
        if not result.ok:
            raise DingTalkError(f"gettoken: {result.error}")
        document = response.json()
        token = str(document.get("access_token") or "")
        if not token:
            raise DingTalkError("gettoken: no access_token in the answer")
        lifetime = float(document.get("expires_in") or 7200)
        expires_at = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, lifetime / 2)
        _TOKENS[key] = _Token(value=token, expires_at=expires_at)
        return token


V1_TOKEN_HEADER = "x-acs-dingtalk-access-token"  # noqa: S105 - a header name


class V1Error(DingTalkError):
    """A v1.0 API's refusal: its HTTP status and DingTalk's `{code, message}`."""

    def __init__(self, text: str, status: int, code: str, message: str) -> None:
        super().__init__(text)
        self.status, self.code, self.message = status, code, message


async def call_v1(
    client: httpx.AsyncClient,
    token_base: str,
    app_key: str,
    app_secret: str,
    method: str,
    url: str,
    *,
    label: str,
    params: Any = None,
    body: Any = None,
) -> dict[str, Any]:
    """One call to DingTalk's v1.0 API (api.dingtalk.com) with the app's cached access token
    in `x-acs-dingtalk-access-token`: its JSON answer. A 401/403 drops the cached token; an
    unreachable API is a `DingTalkError`, a non-2xx answer a `V1Error` (`label` heads both)."""
    token = await access_token(client, token_base, app_key, app_secret)
    try:
        response = await client.request(
            method,
            url,
            params=params,
            json=body,
            headers={V1_TOKEN_HEADER: token, "User-Agent": USER_AGENT},
        )
    except httpx.HTTPError as exc:
        raise DingTalkError(f"{label}: {type(exc).__name__}") from exc
    if response.status_code in (401, 403):
        forget_token(token_base, app_key)
    try:
        document = response.json()
    except ValueError:
        document = None
    if response.is_success and isinstance(document, dict):
        return document
    detail = document if isinstance(document, dict) else {}
    code, message = str(detail.get("code", "")), str(detail.get("message", ""))
    text = f"{label}: HTTP {response.status_code} {code} {message}".strip()[:500]
    raise V1Error(text, response.status_code, code, message)


async def _open_api(
    client: httpx.AsyncClient,
    base_url: str,
    path: str,
    body: dict[str, Any],
    *,
    app_key: str,
    app_secret: str,
) -> tuple[Attempt, dict[str, Any]]:
    """POST `body` to an open-API `path` with the app's access token: (result, answer)."""
    try:
        token = await access_token(client, base_url, app_key, app_secret)
    except DingTalkError as exc:
        return Attempt(ok=False, error=str(exc)), {}
    try:
        response = await client.post(
            f"{base_url}{path}",
            params={"access_token": token},
            json=body,
            headers={"User-Agent": USER_AGENT},
        )
    except httpx.HTTPError as exc:
        return transport_failure(exc), {}
    result = answer(response)
    if result.code in INVALID_TOKEN_CODES:
        _TOKENS.pop((base_url, app_key), None)
    document = response.json() if result.code is not None else {}
    return result, document if isinstance(document, dict) else {}


async def send_work_notice(
    client: httpx.AsyncClient,
    base_url: str,
    *,
    app_key: str,
    app_secret: str,
    agent_id: int,
    user_ids: list[str],
    content: str,
    card: dict[str, Any] | None = None,
) -> Attempt:
    """One asyncsend_v2 to up to 100 DingTalk user ids (the API's limit per call): the
    action card `card` (a `msg`, `cards.action_card`) when given, else `content` as text."""
    body = {
        "agent_id": agent_id,
        "userid_list": ",".join(user_ids),
        "msg": card or text_message(content),
    }
    result, _ = await _open_api(
        client,
        base_url,
        "/topapi/message/corpconversation/asyncsend_v2",
        body,
        app_key=app_key,
        app_secret=app_secret,
    )
    return result


# --- directory ----------------------------------------------------------------------------

USER_NOT_FOUND = 60121
DEPARTMENT_NOT_FOUND = 60003
GETUSERINFO = "/topapi/v2/user/getuserinfo"
NO_SUCH_AUTH_CODE = 40078
"""getuserinfo's "不存在的临时授权码": a 免登 code DingTalk does not know (forged, spent,
expired, another corp's). DingTalk's global errcode table; docs/operations.md."""


@dataclass(frozen=True)
class Directory:
    """Reads DingTalk's address book with an app that has the contact permissions.

    `user` answers `topapi/v2/user/get`'s result (`userid`, `name`, `job_number`,
    `dept_id_list`, `hired_date`…), `department` `topapi/v2/department/get`'s (`dept_id`,
    `name`, `parent_id`) and `user_by_code` `topapi/v2/user/getuserinfo`'s (`userid`,
    `unionid`, `name` of whom a 免登 auth code belongs to); None when DingTalk says there is
    no such user, department or code. Anything else that fails raises DingTalkError, so the
    caller can retry later. Every call takes the app's token from the one cache above.
    """

    client: httpx.AsyncClient
    base_url: str
    app_key: str
    app_secret: str

    async def user(self, user_id: str) -> dict[str, Any] | None:
        return await self._get("/topapi/v2/user/get", {"userid": user_id}, USER_NOT_FOUND)

    async def department(self, dept_id: str) -> dict[str, Any] | None:
        body: dict[str, Any] = {"dept_id": int(dept_id) if dept_id.isdigit() else dept_id}
        return await self._get("/topapi/v2/department/get", body, DEPARTMENT_NOT_FOUND)

    async def user_by_code(self, code: str) -> dict[str, Any] | None:
        """Whom a 免登 auth code belongs to; a code lives five minutes and works once."""
        return await self._get(GETUSERINFO, {"code": code}, NO_SUCH_AUTH_CODE, localized=False)

    async def _get(
        self, path: str, body: dict[str, Any], not_found: int, *, localized: bool = True
    ) -> dict[str, Any] | None:
        result, document = await _open_api(
            self.client,
            self.base_url,
            path,
            {**body, "language": "zh_CN"} if localized else body,
            app_key=self.app_key,
            app_secret=self.app_secret,
        )
        if result.code == not_found:
            return None
        answer = document.get("result")
        if not result.ok or not isinstance(answer, dict):
            raise DingTalkError(f"{path}: {result.error or 'no result in the answer'}")
        return answer
