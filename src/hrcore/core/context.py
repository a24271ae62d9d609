"""Per-request context that logs and errors can read without passing it around."""

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
