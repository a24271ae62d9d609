"""HTTP plumbing shared by every route: the route class and the request middleware."""

from __future__ import annotations

import email.message
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping
from datetime import timedelta
from typing import Any

from fastapi import Request, Response, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hrcore.core import i18n
from hrcore.core.conditional import NOT_MODIFIED, answer_conditionally
from hrcore.core.context import request_id_var
from hrcore.core.errors import (
    UNKNOWN_QUERY_PARAMETER,
    BadRequest,
    FieldError,
    Unprocessable,
    UnsupportedMediaType,
    problem_response,
)
from hrcore.core.i18n import _
from hrcore.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from hrcore.core.idempotency import run_idempotently
from hrcore.core.metrics import HTTP_LATENCY, HTTP_REQUESTS

logger = logging.getLogger("hrcore.http")
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode()
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class UnknownQueryParameter(BadRequest):
    status, slug, title = UNKNOWN_QUERY_PARAMETER


def _is_json(content_type: str) -> bool:
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


_JSON_RANGES = ("application/json", "application/*", "*/*")


def _media_ranges(accept: str) -> dict[str, float]:
    """`Accept` as media range → quality."""
    ranges: dict[str, float] = {}
    for item in accept.split(","):
        media, *parameters = item.split(";")
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.strip().partition("=")
            if name.lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges[media.strip().lower()] = quality
    return ranges


def prefers_over_json(accept: str | None, media: str) -> bool:
    """Whether `Accept` names `media` at least as high as anything JSON would satisfy: for a
    route that answers JSON by default and `media` (a PDF) on request."""
    ranges = _media_ranges(accept or "")
    wanted = ranges.get(media, 0.0)
    return wanted > 0 and wanted >= max(ranges.get(json_range, 0.0) for json_range in _JSON_RANGES)


class HrcoreRoute(APIRoute):
    """Adds the conventions FastAPI leaves open.

    Unknown query parameters answer 400 (a typo in a filter must not silently widen a list);
    a JSON body in another content type answers 415; POST honours `Idempotency-Key`; GET
    sends an `ETag` and answers `If-None-Match`, a versioned object's tag covers its body on
    writes too (core.conditional).
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if "GET" in (kwargs.get("methods") or ()):
            kwargs["responses"] = {**NOT_MODIFIED, **(kwargs.get("responses") or {})}
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        known_query = _query_names(self.dependant)
        takes_json = self.body_field is not None and not _is_form(self)

        async def tagged(request: Request) -> Response:
            return answer_conditionally(request, await handler(request))

        async def route(request: Request) -> Response:
            unknown = sorted(set(request.query_params) - known_query)
            if unknown:
                raise UnknownQueryParameter(
                    _("Unknown query parameter(s): {names}", names=", ".join(unknown)),
                    errors=[
                        FieldError(field=f"query.{name}", message=_("not accepted"))
                        for name in unknown
                    ],
                )
            if any("\x00" in value for value in request.query_params.values()):
                raise BadRequest(_("Query parameters must not contain NUL characters"))
            content_type = request.headers.get("content-type")
            if takes_json and content_type and not _is_json(content_type):
                raise UnsupportedMediaType(_("Send the body as application/json"))
            if takes_json:
                await _refuse_nul_characters(request)
            if request.method == "POST" and IDEMPOTENCY_HEADER in request.headers:
                ttl = timedelta(hours=request.app.state.runtime.settings.idempotency_ttl_hours)
                return await run_idempotently(request, tagged, ttl)
            return await tagged(request)

        return route


async def _refuse_nul_characters(request: Request) -> None:
    """PostgreSQL cannot store U+0000 in text or JSONB: refuse it up front as bad input."""
    body = await request.body()
    if b"\\u0000" not in body:
        return
    try:
        document = json.loads(body)
    except ValueError:
        return  # FastAPI answers malformed JSON itself
    if _contains_nul(document):
        raise Unprocessable(
            _("Text must not contain NUL characters"),
            errors=[FieldError(field="body", message=_("contains U+0000"))],
        )


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def _query_names(dependant: Dependant) -> set[str]:
    """Every query parameter the route or any of its dependencies declares."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


def _is_form(route: APIRoute) -> bool:
    return route.body_field is not None and isinstance(route.body_field.field_info, params.Form)


class RequestContextMiddleware:
    """Request id in and out, the request's language (`Accept-Language` in, `Content-Language`
    out: the locale the response was finally rendered in), latency and count per route
    template, one access log line. One pure-ASGI layer for all of it: each layer costs every
    request a call and a wrapped `send`.

    It also answers unhandled errors itself (a 500 problem with the request id and no stack
    trace), because Starlette's error middleware runs outside it, after the id is gone.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        preference, locale_token = i18n.begin_request(
            headers.get(b"accept-language", b"").decode("latin-1")
        )
        status = 500
        status_sent = False
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, status_sent
            if message["type"] == "http.response.start":
                status, status_sent = message["status"], True
                headers = [*message.get("headers", ()), (_REQUEST_ID_KEY, request_id.encode())]
                # a replayed idempotent response keeps the language its body was written in
                if not any(name == b"content-language" for name, _value in headers):
                    headers.append((b"content-language", preference.chosen.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error")
            if status_sent:
                raise
            response = problem_response(
                Request(scope), 500, detail=_("Unexpected error; quote the request id")
            )
            await response(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope["method"]
            HTTP_REQUESTS.labels(method, template, str(status)).inc()
            HTTP_LATENCY.labels(method, template).observe(elapsed)
            logger.info(
                "%s %s %d %.1fms",
                method,
                scope["path"],
                status,
                elapsed * 1000,
                extra={
                    "status": status,
                    "route": template,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
            request_id_var.reset(token)
            i18n.end_request(locale_token)


class BodyTooLarge(StarletteHTTPException):
    """An HTTPException, so FastAPI re-raises it from body parsing and the handler renders it."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _("The request body exceeds {limit} bytes", limit=limit))  # type: ignore[arg-type]


class BodyLimitMiddleware:
    """Refuse bodies over the limit: at once by Content-Length, or while streaming. A path in
    `larger` (an upload route) has its own limit."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: Mapping[str, int] = {}) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.max_bytes)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            response = problem_response(
                Request(scope),
                413,
                detail=_("The request body exceeds {limit} bytes", limit=limit),
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted_receive, send)
