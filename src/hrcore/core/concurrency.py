"""Optimistic concurrency over HTTP: ETag out, `If-Match` or a body `version` in."""

from __future__ import annotations

from fastapi import Response

from hrcore.core.errors import Conflict, PreconditionFailed
from hrcore.core.i18n import _


def etag(version: int) -> str:
    """The strong validator for a row at `version`."""
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def check_version(current: int, *, if_match: str | None, body_version: int | None) -> None:
    """Refuse an update based on a stale read.

    `If-Match` that does not match answers 412 (the HTTP way); a stale `version` in the body
    answers 409 (the JSON way). `If-Match: *` matches any version.
    """
    if if_match is not None:
        candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
        if "*" not in candidates and etag(current) not in candidates:
            raise PreconditionFailed(
                _("The object is at version {current}; reload and retry", current=current)
            )
    if body_version is not None and body_version != current:
        raise Conflict(
            _(
                "The object is at version {current}, not {body_version}; reload and retry",
                current=current,
                body_version=body_version,
            )
        )
