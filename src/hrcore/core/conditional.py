"""Conditional GET: every read answers with an `ETag`, and `If-None-Match` that matches it
answers 304 with no body, so a client polling a resource or the inbox pays for a changed
representation only.

A route that sets the version-based tag (`concurrency.set_etag`) keeps it, and never answers
304: that tag is what `If-Match` compares against on the update, and the body may show more
than the row's version covers (a task turns overdue with the clock, a joined name changes),
so a 304 on it could hide a change. Every other read is tagged with a digest of its body, so
the tag changes with anything the client would see (a new notification, one marked read).
"""

from __future__ import annotations

import hashlib

from fastapi import Request, Response

from hrcore.core.responses import Responses

NOT_MODIFIED: Responses = {
    304: {
        "description": "Not modified: `If-None-Match` names the current digest `ETag`; no body "
        '(a read tagged with its version, `"<version>"`, never answers 304)'
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


def answer_conditionally(request: Request, response: Response) -> Response:
    """Tag a successful GET, and answer 304 when the client already holds this representation.

    Only a complete 200 body qualifies: problems, streams and redirects pass untouched.
    """
    if request.method != "GET" or response.status_code != 200:
        return response
    body = getattr(response, "body", None)
    if not isinstance(body, bytes):
        return response
    if "etag" in response.headers:
        return response
    current = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response.headers["ETag"] = current
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is None or not none_match(if_none_match, current):
        return response
    kept = {name: response.headers[name] for name in _KEPT_ON_304 if name in response.headers}
    return Response(status_code=304, headers=kept)
