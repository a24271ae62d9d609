"""Metric ingestion: a batch of observations from an integration key (`metrics:write`) or HR.

Every item is checked on its own (its subject in the organization, a finite value, an
indicator some scheme measures, no second item with its source and external id in the
batch); a refused item is answered with its reason and the others are stored. The good
items are written in one statement (`repository.RECORD_BATCH`): a repeat of a stored item is
ignored, a changed one is a correction stored as the next revision (the old one stays),
audited with the value it replaces. The touched employees' scores are recomputed in the
worker (`scoring.RECOMPUTE_JOB`), only for the periods the items fall in.
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

from hrcore.core import audit, outbox
from hrcore.core.authz import Principal
from hrcore.core.i18n import Text, _
from hrcore.core.models import new_ids
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance import access, closing_freeze, ingestion_scope, repository
from hrcore.performance.live_scores import RECOMPUTE_JOB
from hrcore.performance.periods import month_of
from hrcore.performance.schemas import (
    ItemResult,
    ObservationBatchIn,
    ObservationBatchOut,
    ObservationIn,
)

OBJECT = "metric_observation"


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
    created: list[tuple[uuid.UUID, dict[str, Any] | None]] = []
    corrected: list[tuple[uuid.UUID, dict[str, Any] | None]] = []
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
        after = {
            "indicator": item.indicator,
            "value": item.value,
            "observed_at": _aware(item.observed_at).isoformat(),
            "source": item.source,
            "external_id": item.external_id,
            "revision": row["revision"],
        }
        if row["revision"] == 1:
            created.append((row["stored_id"], after))
            outcome = "recorded"
        else:
            replaced = {"replaces": str(row["kept_id"]), "previous_value": row["kept_value"]}
            corrected.append((row["stored_id"], after | replaced))
            outcome = "corrected"
        results.append(ItemResult(index=index, outcome=outcome, id=row["stored_id"], error=None))
        if item.employee_id is not None:
            touched[str(item.employee_id)].add(month(_aware(item.observed_at)))
        if row["kept_employee_id"] is not None:
            touched[str(row["kept_employee_id"])].add(month(row["kept_observed_at"]))
    await audit.record_many(session, actor, f"{OBJECT}.recorded", OBJECT, created, org_id=org_id)
    await audit.record_many(session, actor, f"{OBJECT}.corrected", OBJECT, corrected, org_id=org_id)
    if touched:
        payload = {"months": {employee: sorted(months) for employee, months in touched.items()}}
        outbox.enqueue(session, RECOMPUTE_JOB, payload, org_id=org_id)
    counts = {
        outcome: sum(r.outcome == outcome for r in results)
        for outcome in ("recorded", "corrected", "unchanged", "refused")
    }
    return ObservationBatchOut(**counts, items=results)
