"""What other domains (and seed, CLI, benchmarks) may call in reviews.

Programs run review stages as cycles of their own (`start_cycle` returns the cycle's id,
`cycle_task_ids`, `close_by_id`, the rater task kind) and show their results
(`result_in_cycle` → `ResultOut`); talent ranks candidates by their latest published
recommendation; programs checks a stage's form with `get_template` (→ `Ref`). Plain data
only.

Competency evidence: reviews records a published result's (`review`); a domain that runs
cycles of its own names their source kind with `EvidenceKind` (programs' supervisor
evaluations: `program_evaluation`).

Peer ratings: publication emits `RESULT_PUBLISHED` (`core.events`); a listener reads the
result's peer figures at or above the anonymity threshold with `published_peer_ratings`
(performance's teamwork indicator) and checks a mapping with `template_indicator_keys`.

Low items: `low_published_items` (→ `LowItem`s) — many employees' newest published results'
items naming a competency and scored under a threshold, in one statement (training's needs
analysis; the stored figures only, as every reader of the result sees them).

Retention (privacy's purge): `raw_answers_due` / `raw_answers_due_count` /
`delete_raw_answers` — raw answers of aggregated cycles go, results stay.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.schemas import Ref
from hrcore.reviews import access
from hrcore.reviews.aggregation import AGGREGATE_JOB, aggregate_cycle
from hrcore.reviews.assignments import TASK_KIND
from hrcore.reviews.cycles import close_by_id, cycle_task_ids, start_cycle
from hrcore.reviews.evidence import EvidenceKind
from hrcore.reviews.peer_ratings import (
    RESULT_PUBLISHED,
    LowItem,
    PeerFigure,
    PeerRatings,
    low_published_items,
    published_peer_ratings,
    template_indicator_keys,
)
from hrcore.reviews.recommendations import latest_published_recommendations, latest_recommendation
from hrcore.reviews.results import result_in_cycle
from hrcore.reviews.retention import delete_raw_answers, raw_answers_due, raw_answers_due_count
from hrcore.reviews.schemas import ResultOut

__all__ = [
    "AGGREGATE_JOB",
    "RESULT_PUBLISHED",
    "TASK_KIND",
    "EvidenceKind",
    "LowItem",
    "PeerFigure",
    "PeerRatings",
    "ResultOut",
    "aggregate_cycle",
    "close_by_id",
    "cycle_task_ids",
    "delete_raw_answers",
    "get_template",
    "latest_published_recommendations",
    "latest_recommendation",
    "low_published_items",
    "published_peer_ratings",
    "raw_answers_due",
    "raw_answers_due_count",
    "result_in_cycle",
    "start_cycle",
    "template_indicator_keys",
]


async def get_template(session: AsyncSession, principal: Principal, template_id: uuid.UUID) -> Ref:
    """A review template the caller may read, else 404 (programs checks a stage's form)."""
    template = await access.readable_template(session, principal, template_id)
    return Ref(id=template.id, name=template.name)
