"""Score changes pushed to open dashboards (server-sent events over `core.live`).

The recompute job announces, on its organization's channel, the employees and months it
recomputed; the worker publishes once the job's transaction committed. A stream relays only
what its caller may see: `/me/dashboard/stream` the caller's own months,
`/departments/{id}/dashboard/stream` the members of the department (its subtree's active
employees when the stream opened) that changed. An event says what to re-read, never a
figure: the dashboard read (and its `ETag`) stays the one source.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import live
from hrcore.core.runtime import Runtime

EVENT = "scores"


def channel(org_id: uuid.UUID) -> str:
    return f"hrcore:performance:scores:{org_id}"


def announce(session: AsyncSession, org_id: uuid.UUID, months: Mapping[str, list[str]]) -> None:
    """After the recompute of these employees' months: tell the open dashboards."""
    live.announce(session, channel(org_id), {"months": dict(months)})


def _stream(request: Request, org_id: uuid.UUID, pick: live.Filter) -> StreamingResponse:
    runtime: Runtime = request.app.state.runtime
    return live.event_stream(request, runtime.redis, channel(org_id), EVENT, pick)


def own_stream(request: Request, org_id: uuid.UUID, employee_id: uuid.UUID) -> StreamingResponse:
    """The employee's own score changes: `{"months": [...]}`."""
    me = str(employee_id)

    def pick(message: Mapping[str, Any]) -> dict[str, Any] | None:
        months = message["months"].get(me)
        return {"months": months} if months else None

    return _stream(request, org_id, pick)


def team_stream(
    request: Request, org_id: uuid.UUID, member_ids: Collection[uuid.UUID]
) -> StreamingResponse:
    """The members' score changes: `{"employee_ids": [...], "months": [...]}`."""
    members = {str(member) for member in member_ids}

    def pick(message: Mapping[str, Any]) -> dict[str, Any] | None:
        changed = {e: m for e, m in message["months"].items() if e in members}
        if not changed:
            return None
        months = sorted({month for ms in changed.values() for month in ms})
        return {"employee_ids": sorted(changed), "months": months}

    return _stream(request, org_id, pick)
