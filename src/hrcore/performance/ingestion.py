"""Metric ingestion: a batch of observations from an integration key (`metrics:write`) or HR.

Every item is checked on its own (its subject in the organization, a finite value, an
indicator some scheme measures, no second item with its source and external id in the
batch); a refused item is answered with its reason and the others are stored. The good
items are written in one statement (`repository.RECORD_BATCH`): a repeat of a stored item is
ignored, a changed one is a correction stored as the next revision (the old one stays).
The batch is audited as one event (`metric_observation_batch.recorded`, acted by the key or
user) naming every stored id and, for a correction, the revision and value it replaces: an
event per item was a third of a full batch's request (docs/performance.md). The touched
(employee, month) keys are marked stale for the worker's coalesced recompute
(`score_queue`), only for the periods the items fall in.
"""

from __future__ import annotations

import functools
import math
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.i18n import Text, _
from hrcore.core.models import new_id, new_ids
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance import access, closing_freeze, ingestion_scope, repository, score_queue
from hrcore.performance.periods import month_of
from hrcore.performance.schemas import (
    ItemResult,
    ObservationBatchIn,
    ObservationBatchOut,
    ObservationIn,
)

BATCH = "metric_observation_batch"


async def refusals(
    session: AsyncSession, org_id: uuid.UUID, items: Sequence[ObservationIn]
) -> dict[int, Text]:
    """Why each refused item is refused, by index: at most three statements for the whole
    batch (employees, departments, indicator keys), none per item."""
    employees = await people.employee_refs(
        session, org_id, list({i.employee_id for i in items if i.employee_id})
    )
    departments = await org.department_refs(
        session, org_id, list({i.department_id for i in items if i.department_id})
    )
    keys = await repository.indicator_keys(session, org_id)
    refused: dict[int, Text] = {}
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        if (item.employee_id is None) == (item.department_id is None):
            refused[index] = _("name exactly one of employee_id and department_id")
        elif item.employee_id is not None and item.employee_id not in employees:
            refused[index] = _("no such employee")
        elif item.department_id is not None and item.department_id not in departments:
            refused[index] = _("no such department")
        elif not math.isfinite(item.value):
            refused[index] = _("the value must be a finite number")
        elif item.indicator not in keys:
            refused[index] = _(
                "no performance scheme measures {indicator}", indicator=item.indicator
            )
        elif (item.source, item.external_id) in seen:
            refused[index] = _("another item of this batch has this source and external_id")
        if index not in refused:
            seen.add((item.source, item.external_id))
    refused |= await closing_freeze.closed_refusals(session, org_id, items, refused)
    return refused


def _aware(moment: datetime) -> datetime:
    """A moment without a zone is taken as UTC, as the database takes it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def record(
    session: AsyncSession, principal: Principal, body: ObservationBatchIn
) -> ObservationBatchOut:
    """Store the batch's good items, answer what became of every item."""
    access.require_metrics_writer(principal)
    return await ingest(session, principal, body.items)


async def ingest(
    session: AsyncSession, actor: Principal, items: Sequence[ObservationIn]
) -> ObservationBatchOut:
    """The one path every observation takes (the batch endpoint, file imports, accepted work
    results): checked, stored, audited and scored the same way, recorded by `actor`; the
    caller checks permission."""
    org_id = actor.org_id
    refused = await refusals(session, org_id, items)
    refused |= await ingestion_scope.outside_key_scope(session, actor, items, refused)
    ids = iter(new_ids(len(items) - len(refused)))
    good = [
        (
            index,
            next(ids),
            item.employee_id,
            item.department_id,
            item.indicator,
            item.value,
            _aware(item.observed_at),
            item.source,
            item.external_id,
        )
        for index, item in enumerate(items)
        if index not in refused
    ]
    stored = {
        row["idx"]: row for row in await repository.record_batch(session, org_id, actor.id, good)
    }
    results: list[ItemResult] = []
    created: list[str] = []
    corrected: list[dict[str, Any]] = []
    touched: dict[str, set[str]] = defaultdict(set)
    zone = ZoneInfo(await identity.org_timezone(session, org_id))
    month = functools.cache(functools.partial(month_of, zone=zone))
    """A batch's items share few moments: each one's month is found once."""
    for index, item in enumerate(items):
        row = stored.get(index)
        if row is None:
            results.append(
                ItemResult(index=index, outcome="refused", id=None, error=refused[index])
            )
            continue
        if row["stored_id"] is None:
            results.append(
                ItemResult(index=index, outcome="unchanged", id=row["kept_id"], error=None)
            )
            continue
        if row["revision"] == 1:
            created.append(str(row["stored_id"]))
            outcome = "recorded"
        else:
            corrected.append(
                {
                    "id": str(row["stored_id"]),
                    "replaces": str(row["kept_id"]),
                    "previous_value": row["kept_value"],
                }
            )
            outcome = "corrected"
        results.append(ItemResult(index=index, outcome=outcome, id=row["stored_id"], error=None))
        if item.employee_id is not None:
            touched[str(item.employee_id)].add(month(_aware(item.observed_at)))
        if row["kept_employee_id"] is not None:
            touched[str(row["kept_employee_id"])].add(month(row["kept_observed_at"]))
    if created or corrected:
        after = {
            "count": len(created) + len(corrected),
            "recorded": created,
            "corrected": corrected,
        }
        audit.record(
            session, actor, f"{BATCH}.recorded", BATCH, new_id(), org_id=org_id, after=after
        )
    await score_queue.mark(session, org_id, touched)
    counts = {
        outcome: sum(r.outcome == outcome for r in results)
        for outcome in ("recorded", "corrected", "unchanged", "refused")
    }
    return ObservationBatchOut(**counts, items=results)
