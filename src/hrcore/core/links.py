"""Deep links: the one URL that opens an item (a task, a review, a contract…) in the mobile
app or the DingTalk micro-app, the same in task and inbox responses, channel notices and
DingTalk to-dos.

The link is `HRCORE_DEEP_LINK_TEMPLATE` with `{type}` (the item's type, as the API names
it: `task`, `review_assignment`…), `{id}` and optionally `{org_id}` and `{org_slug}` filled
in: with the slug, a micro-app opened from a to-do or a card knows the organization to post
`/auth/dingtalk` with. Callers pass the slug when `needs_org_slug()` (identity's
`link_org_slug` answers it: None when the template does not name it, and nothing is read).
The template is read when the API or the worker is built (`configure`, which refuses a template that
cannot make links), so every process renders links the same way; without one the default
`hrcore://open/{type}/{id}` (the mobile app's own scheme) is used, never an empty link.
"""

from __future__ import annotations

import string
import uuid
from urllib.parse import quote

DEFAULT_TEMPLATE = "hrcore://open/{type}/{id}"
FIELDS = frozenset({"type", "id", "org_id", "org_slug"})
_template = [DEFAULT_TEMPLATE]


def template_error(template: str) -> str | None:
    """Why `template` cannot make links (None: it can): it must name `{type}` and `{id}`
    and nothing but the known fields."""
    try:
        named = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        return f"not a template: {exc}"
    if not {"type", "id"} <= named:
        return "must contain {type} and {id}"
    if named - FIELDS:
        return f"unknown fields: {', '.join(sorted(named - FIELDS))}"
    return None


def configure(template: str | None) -> None:
    """Use `template` for every link this process renders (None: the default); a template
    that cannot make links stops the process from starting (ValueError)."""
    template = template or DEFAULT_TEMPLATE
    error = template_error(template)
    if error is not None:
        raise ValueError(f"HRCORE_DEEP_LINK_TEMPLATE {error}")
    _template[0] = template


def needs_org_slug() -> bool:
    """Whether the configured template names `{org_slug}`."""
    return "{org_slug}" in _template[0]


def deep_link(
    subject_type: str,
    subject_id: uuid.UUID,
    org_id: uuid.UUID | None = None,
    org_slug: str | None = None,
) -> str:
    """The link that opens `subject_type`/`subject_id`."""
    return _template[0].format(
        type=quote(subject_type, safe=""),
        id=subject_id,
        org_id=org_id or "",
        org_slug=quote(org_slug or "", safe=""),
    )
