"""RFC 9457 problem details: the one error shape every client sees."""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

import asyncpg
import redis.exceptions
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from hrcore.core.context import request_id_var
from hrcore.core.i18n import N_, Rendered, Text, _, render, translate
from hrcore.core.validation_messages import translated_message

logger = logging.getLogger("hrcore.errors")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://hrcore.dev/problems/"


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending input, e.g. `body.email`.")
    message: Rendered


class Problem(BaseModel):
    """The body of every error response."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = Field(default=None, description="The request path.")
    request_id: str | None = None
    errors: list[FieldError] | None = None


class ProblemType(NamedTuple):
    """One kind of problem: its `type` is `TYPE_BASE + slug`."""

    status: int
    slug: str
    title: str
    """English, marked with `N_`; rendered in the reader's locale in every response."""


BAD_REQUEST = ProblemType(400, "bad-request", N_("Bad request"))
MALFORMED_JSON = ProblemType(400, "malformed-json", N_("Bad request"))
INVALID_CURSOR = ProblemType(400, "invalid-cursor", N_("Invalid cursor"))
UNKNOWN_QUERY_PARAMETER = ProblemType(400, "unknown-query-parameter", N_("Unknown query parameter"))
UNAUTHORIZED = ProblemType(401, "unauthorized", N_("Authentication required"))
FORBIDDEN = ProblemType(403, "forbidden", N_("Not allowed"))
PASSWORD_CHANGE_REQUIRED = ProblemType(
    403, "password-change-required", N_("Password change required")
)
CONSENT_REQUIRED = ProblemType(403, "consent-required", N_("Consent required"))
NOT_FOUND = ProblemType(404, "not-found", N_("Not found"))
METHOD_NOT_ALLOWED = ProblemType(405, "method-not-allowed", N_("Method not allowed"))
NOT_ACCEPTABLE = ProblemType(406, "not-acceptable", N_("Not acceptable"))
CONFLICT = ProblemType(409, "conflict", N_("Conflict"))
STALE_VERSION = ProblemType(409, "stale-version", N_("Conflict"))
GONE = ProblemType(410, "gone", N_("Gone"))
PRECONDITION_FAILED = ProblemType(412, "precondition-failed", N_("Precondition failed"))
PAYLOAD_TOO_LARGE = ProblemType(413, "payload-too-large", N_("Request body too large"))
UNSUPPORTED_MEDIA_TYPE = ProblemType(415, "unsupported-media-type", N_("Unsupported media type"))
VALIDATION_ERROR = ProblemType(422, "validation-error", N_("Invalid input"))
TOO_MANY_REQUESTS = ProblemType(429, "too-many-requests", N_("Too many requests"))
INTERNAL_ERROR = ProblemType(500, "internal-error", N_("Internal server error"))
SERVICE_UNAVAILABLE = ProblemType(503, "service-unavailable", N_("A dependency is unavailable"))

PROBLEM_TYPES: tuple[ProblemType, ...] = (
    BAD_REQUEST,
    MALFORMED_JSON,
    INVALID_CURSOR,
    UNKNOWN_QUERY_PARAMETER,
    UNAUTHORIZED,
    FORBIDDEN,
    PASSWORD_CHANGE_REQUIRED,
    CONSENT_REQUIRED,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    CONFLICT,
    STALE_VERSION,
    GONE,
    PRECONDITION_FAILED,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    VALIDATION_ERROR,
    TOO_MANY_REQUESTS,
    INTERNAL_ERROR,
    SERVICE_UNAVAILABLE,
)
"""Every problem type a response can carry (docs/platform.md, "Errors", lists them): each
`ProblemError` subclass takes its status, slug and title from here."""

_BY_STATUS = {kind.status: kind for kind in reversed(PROBLEM_TYPES)}
"""The generic type of a status: the first listed with it."""


class ProblemError(Exception):
    """Raise from any layer to answer with a problem; services never import HTTP types."""

    status, slug, title = BAD_REQUEST

    def __init__(
        self,
        detail: str | Text | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(render(detail, "en") if detail else self.title)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class BadRequest(ProblemError):
    pass


class Unauthorized(ProblemError):
    status, slug, title = UNAUTHORIZED


class Forbidden(ProblemError):
    status, slug, title = FORBIDDEN


class ConsentRequired(ProblemError):
    """Processing that needs the person's separate consent (PIPL Art. 29, 39), refused
    without it."""

    status, slug, title = CONSENT_REQUIRED


class NotFound(ProblemError):
    status, slug, title = NOT_FOUND


class Conflict(ProblemError):
    status, slug, title = CONFLICT


class Gone(ProblemError):
    """What was there has expired or been removed for good (an expired download link)."""

    status, slug, title = GONE


class PreconditionFailed(ProblemError):
    status, slug, title = PRECONDITION_FAILED


class PayloadTooLarge(ProblemError):
    status, slug, title = PAYLOAD_TOO_LARGE


class UnsupportedMediaType(ProblemError):
    status, slug, title = UNSUPPORTED_MEDIA_TYPE


class Unprocessable(ProblemError):
    status, slug, title = VALIDATION_ERROR


class TooManyRequests(ProblemError):
    status, slug, title = TOO_MANY_REQUESTS


class ServiceUnavailable(ProblemError):
    status, slug, title = SERVICE_UNAVAILABLE


OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)


TRANSIENT_SQLSTATES = frozenset({"57014", "57P01", "57P03", "40001", "40P01", "53300"})
"""Statement timeout, admin shutdown, cannot connect now, serialization, deadlock, too many
connections: retrying later can succeed."""


def problem_response(
    request: Request,
    status: int,
    *,
    detail: str | Text | None = None,
    kind: ProblemType | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    """Render a problem+json response for `request`; `kind` defaults to the status's generic
    type; `extensions` adds members (RFC 9457 §3.2)."""
    kind = kind or _BY_STATUS.get(status) or ProblemType(status, "error", N_("Error"))
    problem = Problem(
        type=TYPE_BASE + kind.slug,
        title=translate(kind.title),
        status=status,
        detail=render(detail) if detail is not None else None,
        instance=request.url.path,
        request_id=request_id_var.get(),
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True) | (extensions or {}),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _handle_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        request,
        exc.status,
        detail=exc.detail,
        kind=ProblemType(exc.status, exc.slug, exc.title),
        errors=exc.errors,
        headers=exc.headers,
    )


async def _handle_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw = exc.errors()
    if any(error.get("type") == "json_invalid" for error in raw):
        return problem_response(request, 400, kind=MALFORMED_JSON, detail=_("Malformed JSON body"))
    errors = [FieldError(field=_field_path(e["loc"]), message=translated_message(e)) for e in raw]
    return problem_response(request, 422, detail=_("The request has invalid fields"), errors=errors)


_STARLETTE_DETAILS = (N_("Not Found"), N_("Method Not Allowed"), N_("Not Acceptable"))
"""Starlette's own details (an unmatched path or method), translated like ours."""


async def _handle_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    detail = exc.detail if isinstance(exc.detail, str | Text) else None
    if isinstance(detail, str) and detail in _STARLETTE_DETAILS:
        detail = translate(detail)
    return problem_response(request, exc.status_code, detail=detail, headers=headers)


async def _handle_stale(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        request, 409, kind=STALE_VERSION, detail=_("The object was changed by someone else")
    )


async def _handle_integrity(request: Request, exc: Exception) -> JSONResponse:
    logger.info("integrity error reached the handler: %s", exc)
    return problem_response(request, 409, detail=_("The change conflicts with existing data"))


async def _handle_data_error(request: Request, exc: Exception) -> JSONResponse:
    """A value validation let through but the database cannot store: still the client's input."""
    logger.warning("data error reached the handler: %s", exc)
    return problem_response(
        request, 422, detail=_("A value cannot be stored (too long or out of range)")
    )


async def _handle_database_error(request: Request, exc: Exception) -> JSONResponse:
    """Timeouts and lost connections are outages (503); values the driver or database cannot
    take (class 22, "data exception") are bad input (422); anything else is our bug (500)."""
    assert isinstance(exc, sa_exc.DBAPIError)
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    if exc.connection_invalidated or sqlstate in TRANSIENT_SQLSTATES:
        return await _handle_outage(request, exc)
    driver_error = getattr(exc.orig, "__cause__", None)
    if sqlstate.startswith("22") or isinstance(driver_error, asyncpg.exceptions.DataError):
        return await _handle_data_error(request, exc)
    logger.error("database error", exc_info=exc)
    return problem_response(request, 500, detail=_("Unexpected error; quote the request id"))


async def _handle_outage(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("dependency outage: %s: %s", type(exc).__name__, exc)
    return problem_response(
        request,
        503,
        detail=_("A backing service is unavailable; retry later"),
        headers={"Retry-After": "5"},
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map every failure to a problem response, most specific first."""
    app.add_exception_handler(ProblemError, _handle_problem)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    app.add_exception_handler(StaleDataError, _handle_stale)
    app.add_exception_handler(sa_exc.IntegrityError, _handle_integrity)
    app.add_exception_handler(sa_exc.DataError, _handle_data_error)
    app.add_exception_handler(sa_exc.DBAPIError, _handle_database_error)
    for outage in OUTAGE_ERRORS:
        app.add_exception_handler(outage, _handle_outage)
