"""Conditional GET: every read answers with an `ETag`, and `If-None-Match` that matches it
answers 304 with no body, so a client polling a resource or the inbox pays for a changed
representation only.

The tag always covers the body. A read without a version is tagged with a digest of its body
(the inbox, lists); a versioned object (`concurrency.set_etag`) with `"<version>.<digest>"`,
on reads and on the writes that return it alike: the version part is what `If-Match`
compares, the digest catches what the version does not cover (a task turns overdue with the
clock, a joined name changes), so a 304 never hides a change.
"""

from __future__ import annotations

import hashlib

from fastapi import Request, Response

from hrcore.core.concurrency import VERSION_TAG
from hrcore.core.responses import Responses

NOT_MODIFIED: Responses = {
    304: {
        "description": "Not modified: `If-None-Match` names the current `ETag` (a versioned "
        "object's is `\"<version>.<digest>\"`, a stored file's its SHA-256, anything else's "
        "a digest of the body); no body"
    }
}
# what RFC 9110 §15.4.5 lets a 304 carry over from the 200 it stands for
_KEPT_ON_304 = ("etag", "cache-control", "content-location", "date", "expires", "vary")


def _opaque_tags(header: str) -> set[str]:
    """The entity tags of an `If-None-Match` list, `W/` dropped (the weak comparison)."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def none_match(if_none_match: str, current: str) -> bool:
    """Whether `If-None-Match` names `current` (or is `*`): the client's copy is current."""
    tags = _opaque_tags(if_none_match)
    return "*" in tags or current.removeprefix("W/") in tags


def _tag(request: Request, response: Response, body: bytes) -> str | None:
    """The response's tag: the route's own (a stored file's hash) is kept, a version tag gets
    the body's digest appended, a 200 to a GET without one is tagged with the digest alone."""
    digest = hashlib.sha256(body).hexdigest()[:32]
    route_tag = response.headers.get("etag")
    if route_tag is None:
        return f'"{digest}"' if _is_full_read(request, response) else None
    version = VERSION_TAG.match(route_tag)
    return f'"{version[1]}.{digest}"' if version else route_tag


def _is_full_read(request: Request, response: Response) -> bool:
    return request.method == "GET" and response.status_code == 200


def answer_conditionally(request: Request, response: Response) -> Response:
    """Tag a successful response, and answer a GET with 304 when the client already holds
    this representation.

    Only a complete 2xx body is tagged, only a 200 to a GET answers 304: problems, streams
    and redirects pass untouched.
    """
    body = getattr(response, "body", None)
    if not 200 <= response.status_code < 300 or not isinstance(body, bytes):
        return response
    current = _tag(request, response, body)
    if current is None:
        return response
    response.headers["ETag"] = current
    if_none_match = request.headers.get("if-none-match")
    if (
        if_none_match is None
        or not _is_full_read(request, response)
        or not none_match(if_none_match, current)
    ):
        return response
    kept = {name: response.headers[name] for name in _KEPT_ON_304 if name in response.headers}
    return Response(status_code=304, headers=kept)


def fingerprint(*parts: object) -> str:
    """A strong tag made from what a representation is built of (its rows' change marks, the
    caller, the locale), for a read that answers `If-None-Match` before building its body:
    a poll then costs the statement that reads the marks, not the read. `answer_conditionally`
    keeps it (it is not a version tag)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return f'"{digest}"'


def not_modified(request: Request, tag: str) -> Response | None:
    """304 with `tag` when the request's `If-None-Match` names it, else None (build the body
    and send it with `tag` as its `ETag`)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is None or not none_match(if_none_match, tag):
        return None
    return Response(status_code=304, headers={"ETag": tag})
