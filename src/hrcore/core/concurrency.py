"""Optimistic concurrency over HTTP: ETag out, `If-Match` or a body `version` in.

A versioned object's tag is `"<version>.<digest>"` (core.conditional appends the digest of
the body): `If-None-Match` compares the whole tag, so polling answers 304 only while nothing
shown changed; `If-Match` compares the version part, so an update is refused only when the row
moved, and a bare `"<version>"` (what older clients hold) still matches.
"""

from __future__ import annotations

import re

from fastapi import Response

from hrcore.core.errors import Conflict, PreconditionFailed
from hrcore.core.i18n import _

# a version tag as `set_etag` writes it, before core.conditional appends the body's digest
VERSION_TAG = re.compile(r'^"(\d{1,19})"$')


def etag(version: int) -> str:
    """The version part of a row's tag, as `set_etag` writes it."""
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def _version_of(tag: str) -> str:
    """The version a tag names: `"7.ab12…"` and `"7"` both name 7 (`W/` dropped)."""
    return tag.strip().removeprefix("W/").strip('"').partition(".")[0]


def check_version(current: int, *, if_match: str | None, body_version: int | None) -> None:
    """Refuse an update based on a stale read.

    `If-Match` that names another version answers 412 (the HTTP way); a stale `version` in the
    body answers 409 (the JSON way). `If-Match: *` matches any version.
    """
    if if_match is not None:
        candidates = {tag.strip() for tag in if_match.split(",")}
        if "*" not in candidates and str(current) not in {_version_of(t) for t in candidates}:
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
