"""RFC 9457 problem details: the one error shape every client sees."""

from __future__ import annotations

import logging
from typing import Any

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

logger = logging.getLogger("hrcore.errors")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://hrcore.dev/problems/"


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending input, e.g. `body.email`.")
    message: str


class Problem(BaseModel):
    """The body of every error response."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = Field(default=None, description="The request path.")
    request_id: str | None = None
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """Raise from any layer to answer with a problem; services never import HTTP types."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class BadRequest(ProblemError):
    pass


class Unauthorized(ProblemError):
    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(ProblemError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(ProblemError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class UnsupportedMediaType(ProblemError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class Unprocessable(ProblemError):
    status, slug, title = 422, "validation-error", "Invalid input"


class TooManyRequests(ProblemError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


class ServiceUnavailable(ProblemError):
    status, slug, title = 503, "service-unavailable", "A dependency is unavailable"


_STATUS_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    412: ("precondition-failed", "Precondition failed"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation-error", "Invalid input"),
    429: ("too-many-requests", "Too many requests"),
    500: ("internal-error", "Internal server error"),
    503: ("service-unavailable", "A dependency is unavailable"),
}

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
    detail: str | None = None,
    slug: str | None = None,
    title: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    """Render a problem+json response for `request`; `extensions` adds members (RFC 9457 §3.2)."""
    default_slug, default_title = _STATUS_SLUGS.get(status, ("error", "Error"))
    problem = Problem(
        type=TYPE_BASE + (slug or default_slug),
        title=title or default_title,
        status=status,
        detail=detail,
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
        slug=exc.slug,
        title=exc.title,
        errors=exc.errors,
        headers=exc.headers,
    )


async def _handle_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw = exc.errors()
    if any(error.get("type") == "json_invalid" for error in raw):
        return problem_response(request, 400, slug="malformed-json", detail="Malformed JSON body")
    errors = [FieldError(field=_field_path(e["loc"]), message=e["msg"]) for e in raw]
    return problem_response(request, 422, detail="The request has invalid fields", errors=errors)


async def _handle_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(request, exc.status_code, detail=detail, headers=headers)


async def _handle_stale(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        request, 409, slug="stale-version", detail="The object was changed by someone else"
    )


async def _handle_integrity(request: Request, exc: Exception) -> JSONResponse:
    logger.info("integrity error reached the handler: %s", exc)
    return problem_response(request, 409, detail="The change conflicts with existing data")


async def _handle_data_error(request: Request, exc: Exception) -> JSONResponse:
    """A value validation let through but the database cannot store: still the client's input."""
    logger.warning("data error reached the handler: %s", exc)
    return problem_response(
        request, 422, detail="A value cannot be stored (too long or out of range)"
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
    return problem_response(request, 500, detail="Unexpected error; quote the request id")


async def _handle_outage(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("dependency outage: %s: %s", type(exc).__name__, exc)
    return problem_response(
        request,
        503,
        detail="A backing service is unavailable; retry later",
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
