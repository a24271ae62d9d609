"""The read-access log's request side: who read whose sensitive or evaluation data (PIPL
Art. 44, 51 and 54; issue 25), noted without a statement on the read's path.

A read's use case calls `note_read(principal, employee_id, data_class, what)` once the
caller is allowed (a masked attempt too: `masked=True`). That only appends to a list held
for the request (`RequestReads`, the request scope `core.db` opens around every endpoint).
When the endpoint has returned the entries leave, before the response is sent:

- a write request with few entries puts them in the outbox, in its own transaction: they
  commit with the change or not at all, and the worker records them;
- a read (or a write with many entries) pushes them to a Redis list in one round trip,
  sent while the request's transaction commits; the worker drains the list into
  `read_access_events` in batches every minute (privacy's `read_log_recording`);
- should Redis refuse the push, the entries go to the outbox in a transaction of their own;
  should that fail too the request fails (503): the log fails closed, a read is never served
  with its entry lost.

Sensitive fields a response model masks or shows (`core.masking`) are noted without a call:
`RequestReads` records the request's disclosures and notes each sensitive field shown to
someone other than its subject, and each one masked when the request named that person in
its path (a manager opening a report's record or profile: the attempt is logged; a list
page's masked column is not an attempt).

Outside a request (a job, the CLI) `note_read` notes nothing: background work reads on no
one's behalf."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import masking, outbox
from hrcore.core.authz import Principal
from hrcore.core.context import request_id_var
from hrcore.core.db import around_requests, tenant_transaction
from hrcore.core.models import new_id
from hrcore.core.privacy import DataClass

logger = logging.getLogger("hrcore.read_log")

RECORD_JOB = "privacy.record_reads"
"""The outbox job that writes a request's entries (privacy's registry declares it)."""

OUTBOX_FEW = 50
"""A write request with at most this many entries logs them through its own outbox row."""


_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def buffer_key(queue_name: str) -> str:
    """The Redis list the API appends to and the worker drains, beside the job queue."""
    return f"{queue_name}:read-log"


@dataclass(frozen=True, slots=True)
class _Noted:
    org_id: uuid.UUID
    actor_kind: str
    actor_id: uuid.UUID
    subject_employee_id: uuid.UUID
    data_class: DataClass
    what: str
    masked: bool


_current: ContextVar[RequestReads | None] = ContextVar("read_log", default=None)


def note_read(
    principal: Principal,
    subject_employee_id: uuid.UUID,
    data_class: DataClass,
    what: str,
    *,
    masked: bool = False,
) -> None:
    """Log that `principal` read `what` (`profile.ratings`, `review_result`, …) of class
    `data_class` about the employee `subject_employee_id`. `masked=True` records an attempt
    answered masked (the field was withheld). A person reading their own data is not logged:
    the log answers "who else looked at my data"."""
    reads = _current.get()
    if reads is None or principal.employee_id == subject_employee_id:
        return
    reads.noted.append(
        _Noted(
            principal.org_id,
            principal.kind,
            principal.id,
            subject_employee_id,
            data_class,
            what,
            masked,
        )
    )


def note_reads(
    principal: Principal,
    subject_employee_ids: Iterable[uuid.UUID],
    data_class: DataClass,
    what: str,
    *,
    masked: bool = False,
) -> None:
    """`note_read` for each employee a list read showed (one entry per distinct employee)."""
    for subject in dict.fromkeys(subject_employee_ids):
        note_read(principal, subject, data_class, what, masked=masked)


class RequestReads:
    """The reads one request noted (the `core.db` request scope the API wraps every endpoint
    in), and how they leave: `before_commit` puts a write's few entries in its outbox, or
    starts the push to the Redis buffer so that it travels while the transaction commits;
    `after_commit` waits for the push and, should Redis have refused it, writes the entries
    to the outbox in a transaction of their own. If that fails too the error propagates and
    the request answers 503 instead of its data."""

    __slots__ = ("_disclosed", "_entries", "_previous", "_push", "noted", "request")

    def __init__(self, request: Request) -> None:
        self.request = request
        self.noted: list[_Noted] = []
        self._disclosed = masking.recording()
        self._entries: list[dict[str, Any]] = []
        self._push: asyncio.Future[Any] | None = None
        self._previous = _current.get()
        _current.set(self)

    async def before_commit(self, session: AsyncSession) -> None:
        self._note_disclosures()
        if not self.noted:
            return
        runtime = self.request.app.state.runtime
        self._entries = _entries(self, runtime.clock.now().isoformat())
        if self.request.method in _WRITE_METHODS and len(self._entries) <= OUTBOX_FEW:
            outbox.enqueue(session, RECORD_JOB, {"entries": self._entries}, org_id=self._org_id)
            return
        key = buffer_key(runtime.settings.queue_name)
        self._push = asyncio.ensure_future(
            runtime.redis.rpush(key, *(_encode(entry) for entry in self._entries))
        )

    async def after_commit(self) -> None:
        if self._push is None:
            return
        try:
            await self._push
        except (RedisError, OSError, TimeoutError) as exc:
            logger.warning("read log buffer unavailable, logging through the outbox: %s", exc)
            runtime = self.request.app.state.runtime
            async with tenant_transaction(runtime.sessionmaker, self._org_id) as session:
                outbox.enqueue(session, RECORD_JOB, {"entries": self._entries}, org_id=self._org_id)

    def close(self) -> None:
        _current.set(self._previous)
        if self._push is None:
            return
        if not self._push.done():
            self._push.cancel()  # the request failed before its commit: nothing was served
        elif not self._push.cancelled():
            self._push.exception()  # retrieved: a push nobody waited for raises nothing

    def _note_disclosures(self) -> None:
        viewer = masking.current_viewer()
        sensitive = [d for d in self._disclosed if d.data_class is DataClass.SENSITIVE]
        if viewer is None or not sensitive:
            return
        path = self.request.url.path
        for disclosure in sorted(sensitive, key=lambda d: (str(d.subject_id), d.field)):
            if disclosure.subject_id == viewer.employee_id:
                continue
            if disclosure.revealed or str(disclosure.subject_id) in path:
                self.noted.append(
                    _Noted(
                        viewer.org_id,
                        viewer.kind,
                        viewer.principal_id,
                        disclosure.subject_id,
                        DataClass.SENSITIVE,
                        f"{disclosure.what}.{disclosure.field}",
                        not disclosure.revealed,
                    )
                )

    @property
    def _org_id(self) -> uuid.UUID:
        return self.noted[0].org_id


def _entries(reads: RequestReads, occurred_at: str) -> list[dict[str, Any]]:
    request = reads.request
    route = request.scope.get("route")
    operation = getattr(route, "operation_id", None) or getattr(route, "path", None)
    viewer = masking.current_viewer()
    purpose = viewer.purpose if viewer is not None else None
    request_id = request_id_var.get()
    return [
        {
            "id": str(new_id()),
            "org_id": str(noted.org_id),
            "occurred_at": occurred_at,
            "actor_kind": noted.actor_kind,
            "actor_id": str(noted.actor_id),
            "subject_employee_id": str(noted.subject_employee_id),
            "data_class": noted.data_class.value,
            "what": noted.what,
            "operation": (operation or request.url.path)[:200],
            "purpose": purpose,
            "masked": noted.masked,
            "request_id": request_id,
        }
        for noted in reads.noted
    ]


def _encode(entry: dict[str, Any]) -> str:
    return json.dumps(entry, separators=(",", ":"))


class RequestLogging:
    """Installs `RequestReads` around every request's endpoint (privacy's registry lists
    it among its providers, so the API logs reads once privacy is a domain)."""

    def install(self) -> None:
        around_requests(RequestReads)
