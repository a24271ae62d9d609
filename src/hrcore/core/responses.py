"""The error responses of the OpenAPI document: one problem+json shape, documented once.

A router names only what is particular to an operation (`problem(409, "The name is taken")`);
`document_problems` adds, in one pass over the generated document, the statuses the shared
plumbing gives every route it applies to (authentication, validation, unknown query
parameters, body limits, idempotency, outages), declares the `Idempotency-Key` header every
POST honours (`core/http.py`), and puts every error under
`application/problem+json`, the media type the handlers send.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Response
from pydantic import BaseModel

from hrcore.core.errors import PROBLEM_JSON, Problem
from hrcore.core.idempotency import MAX_KEY_LENGTH

Responses = dict[int | str, dict[str, Any]]

_PROBLEM_SCHEMA = {"$ref": f"#/components/schemas/{Problem.__name__}"}
_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_WRITES = frozenset({"post", "put", "patch", "delete"})
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "Retry-safe POST: the same key and request replay the first 2xx response.",
}


def validated_json(body: BaseModel) -> Response:
    """A body already validated as the route's response model, serialized once.

    Returning the model itself makes FastAPI dump it to a dict, validate that dict against
    the response model again and encode it; for a large read that is most of its Python.
    Declare `response_model=` on the route so the OpenAPI document stays the same.
    """
    return Response(body.model_dump_json(by_alias=True), media_type="application/json")


def problem(status: int, description: str) -> Responses:
    """One error response of an operation, with the `Problem` body."""
    return {status: {"model": Problem, "description": description}}


FORBIDDEN = problem(403, "Not allowed to do this")
NOT_FOUND = problem(404, "Not found in your reach")
CONFLICT = problem(409, "Not possible in this state")
STALE = problem(409, "Stale `version`, or not possible in this state") | problem(
    412, "Stale `If-Match`"
)
INVALID_URL = problem(422, "Invalid input, or a URL on a non-public address")
UNEXPECTED = problem(500, "Unexpected error; quote the request id")


def _common(path: str, method: str, operation: dict[str, Any], api_prefix: str) -> Responses:
    """The statuses the shared plumbing can give this operation, by what it takes."""
    parameters = operation.get("parameters", [])
    body = operation.get("requestBody", {}).get("content", {})
    common: Responses = {400: {"description": "Unknown query parameter, malformed JSON or cursor"}}
    if path.startswith(api_prefix):
        common[503] = {"description": "A backing service is unavailable; retry later"}
    if operation.get("security"):
        common[401] = {"description": "No valid access token or integration key"}
        common[403] = {"description": "Not allowed, or the one-time password must be changed"}
    if any(parameter["in"] == "path" for parameter in parameters):
        common[404] = {"description": "Not found in your reach"}
    if method in _WRITES:
        common[409] = {"description": "Conflicts with the current state or existing data"}
    if any(parameter["name"].lower() == "if-match" for parameter in parameters):
        common[412] = {"description": "Stale `If-Match`"}
    if body:
        common[413] = {"description": "The request body is too large"}
    if "application/json" in body:
        common[415] = {"description": "The body is not JSON"}
    if parameters or body or method == "post":
        common[422] = {"description": "Invalid input; `errors` names each field"}
    return common


def _is_fastapi_validation(response: dict[str, Any] | None) -> bool:
    """FastAPI's own 422 body, which the handlers never send (they answer a problem)."""
    schema = (response or {}).get("content", {}).get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref", "").endswith("/HTTPValidationError"))


def _document(document: dict[str, Any], api_prefix: str) -> dict[str, Any]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses: dict[str, Any] = operation["responses"]
            if _is_fastapi_validation(responses.get("422")):
                del responses["422"]
            for status, response in _common(path, method, operation, api_prefix).items():
                responses.setdefault(str(status), response)
            for status, response in responses.items():
                if status[0] in "45":
                    response["content"] = {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}
            operation["responses"] = dict(sorted(responses.items()))
            if method == "post":
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
    schemas = document["components"]["schemas"]
    for name in _VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    return document


def document_problems(app: FastAPI, api_prefix: str) -> None:
    """Make `app.openapi()` document every error response as the handlers send it."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document(generate(), api_prefix)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
