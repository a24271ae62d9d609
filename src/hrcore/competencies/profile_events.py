"""Telling subscribers a profile moved: after the worker's recompute stores a snapshot, the
webhook event `competency_profile.changed` names the employee, each competency whose score
changed (before → after; null where it had or has no score) and when it was computed. Never
from a request: profiles are recomputed in the worker only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.webhooks import api as webhooks

_EVENT_IDS = uuid.UUID("6f0c1d52-4d43-4c8e-9d8e-2b1a6c0e7f31")
"""The namespace of the events' ids: one per employee and snapshot, so a job run again
never delivers a snapshot twice."""


def changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The competencies whose score differs between two snapshots' figures, by id."""
    old = {figure["competency_id"]: figure["score"] for figure in before}
    new = {figure["competency_id"]: figure["score"] for figure in after}
    return [
        {
            "competency_id": competency_id,
            "before": old.get(competency_id),
            "after": new.get(competency_id),
        }
        for competency_id in sorted(old.keys() | new.keys())
        if old.get(competency_id) != new.get(competency_id)
    ]


Snapshot = tuple[uuid.UUID, list[dict[str, Any]], list[dict[str, Any]], datetime]
"""(employee, the figures replaced, the new figures, when they were computed)."""


async def publish_many(session: AsyncSession, org_id: uuid.UUID, snapshots: list[Snapshot]) -> None:
    """Publish each snapshot whose scores moved, in a fixed number of statements; nothing for
    one where no score moved. The event id is fixed per employee and snapshot: a retried job
    sends it once."""

    def events() -> Iterator[tuple[dict[str, Any], uuid.UUID]]:
        for employee_id, before, after, computed_at in snapshots:
            changed = changes(before, after)
            if changed:
                payload = {
                    "employee_id": str(employee_id),
                    "computed_at": computed_at.isoformat(),
                    "competencies": changed,
                }
                yield payload, uuid.uuid5(_EVENT_IDS, f"{employee_id}:{computed_at.isoformat()}")

    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=webhooks.EventType.COMPETENCY_PROFILE_CHANGED,
        events=events(),
    )
