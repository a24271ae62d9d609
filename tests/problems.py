"""Assertions on error responses: the body, not only the status code.

A test that checks only `status_code == 404` also passes on a typo in its own URL, and one
that checks only `== 422` passes when another field than the one under test is refused.
"""

from __future__ import annotations

from typing import Any

from httpx import Response

from hrcore.core.errors import PROBLEM_JSON, TYPE_BASE, Problem


def assert_problem(
    response: Response,
    status: int,
    *,
    kind: str | None = None,
    fields: set[str] | None = None,
    detail: str | None = None,
) -> dict[str, Any]:
    """Assert `response` is a problem+json of `status` and return its body.

    `kind` is the end of its `type` (`not-found`, `stale-version`), `fields` the exact set of
    fields its `errors` name, `detail` a fragment of its `detail`.
    """
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON, response.headers
    body: dict[str, Any] = response.json()
    Problem.model_validate(body)
    assert body["status"] == status, body
    assert body["request_id"] == response.headers["x-request-id"], body
    if kind is not None:
        assert body["type"] == TYPE_BASE + kind, body
    if fields is not None:
        assert problem_fields(response) == fields, body
    if detail is not None:
        assert detail in (body["detail"] or ""), body
    return body


def problem_fields(response: Response) -> set[str]:
    """The fields named in a problem's `errors`."""
    return {error["field"] for error in response.json().get("errors") or []}
