"""Competency profiles 「能力画像」: 0–10 per competency from the evidence, recomputed in the
worker when evidence arrives (one employee at a time), every figure with the evidence and
weights behind it. Each recompute that changes a figure is a snapshot: the history.

A piece of evidence counts `kind weight × source weight × ½^(age / half-life)`: the kind's
weight is a setting (`competency_source_weights`), the source's its own (a calibrated review
counts more than a quick check), and older evidence counts less
(`competency_evidence_half_life_days`). The weighted mean is `core.scoring.weighted_mean`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository
from hrcore.competencies.models import CompetencyProfile
from hrcore.competencies.schemas import CompetencyProfileOut
from hrcore.core.authz import Principal
from hrcore.core.schemas import Ref
from hrcore.core.scoring import weighted_mean
from hrcore.people import api as people
from hrcore.settings import Settings

RECOMPUTE_JOB = "competencies.recompute_profile"
HISTORY = 20
SECONDS_A_DAY = 86_400


def compute(
    evidence: Sequence[Any],
    *,
    kind_weights: dict[str, float],
    half_life_days: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """The profile's figures from evidence rows (JSON-ready, by competency id): each score
    with how many source events stand behind it and every piece of evidence with the weight
    it counted with."""
    by_competency: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in evidence:
        by_competency[row["competency_id"]].append(row)
    figures = []
    for competency_id, rows in sorted(by_competency.items(), key=lambda item: str(item[0])):
        used = []
        for row in rows:
            age_days = max((now - row["observed_at"]).total_seconds(), 0) / SECONDS_A_DAY
            decay = 0.5 ** (age_days / half_life_days)
            weight = kind_weights.get(row["source_kind"], 1.0) * row["source_weight"] * decay
            used.append((row, weight))
        values = {str(row["id"]): float(row["value"]) for row, _ in used}
        score = weighted_mean(values, {str(row["id"]): weight for row, weight in used})
        if score is None:
            continue
        figures.append(
            {
                "competency_id": str(competency_id),
                "score": round(score, 2),
                "sources": len({(row["source_kind"], row["source_id"]) for row, _ in used}),
                "evidence": [
                    {
                        "id": str(row["id"]),
                        "source_kind": row["source_kind"],
                        "source_id": str(row["source_id"]),
                        "value": float(row["value"]),
                        "note": row["note"],
                        "source_weight": float(row["source_weight"]),
                        "weight": round(weight, 4),
                        "observed_at": row["observed_at"].isoformat(),
                    }
                    for row, weight in used
                ],
            }
        )
    return figures


def scores_of(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The snapshot's `scores`: each figure's competency and score, for rankings that read
    many people and none of the evidence."""
    return [{"competency_id": f["competency_id"], "score": f["score"]} for f in figures]


def same_profile(stored: list[dict[str, Any]], figures: list[dict[str, Any]]) -> bool:
    """Whether newly computed figures are the stored snapshot's: then no snapshot is due."""
    return _substance(stored) == _substance(figures)


def _substance(figures: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What makes two computations the same profile: scores and the evidence behind them
    (weights drift with age alone, which is no change worth a snapshot; a note changes with
    its value)."""
    return [
        (
            figure["competency_id"],
            figure["score"],
            tuple((e["id"], e["value"], e["source_weight"]) for e in figure["evidence"]),
        )
        for figure in figures
    ]


async def recompute(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    settings: Settings,
    now: datetime,
) -> bool:
    """Recompute one employee's profile from all their evidence; a snapshot when a figure
    changed (a job run twice, even at once, stores one). Whether it stored one."""
    await repository.lock_profile(session, employee_id)
    evidence = await repository.evidence_of(session, org_id, employee_id)
    figures = compute(
        evidence,
        kind_weights=settings.competency_source_weights,
        half_life_days=settings.competency_evidence_half_life_days,
        now=now,
    )
    latest = await repository.snapshots(session, org_id, employee_id, 1)
    if latest and same_profile(latest[0]["figures"], figures):
        return False
    session.add(
        CompetencyProfile(
            org_id=org_id,
            employee_id=employee_id,
            computed_at=now,
            figures=figures,
            scores=scores_of(figures),
        )
    )
    await session.flush()
    return True


async def profile_view(
    session: AsyncSession, org_id: uuid.UUID, employee: Ref
) -> CompetencyProfileOut:
    """The newest snapshot explained, and the history of scores (newest first): two
    statements, rows mapped straight to the response."""
    rows = await repository.snapshots(session, org_id, employee.id, HISTORY)
    ids = {uuid.UUID(f["competency_id"]) for row in rows for f in row["figures"]}
    names = await repository.competency_levels(session, org_id, list(ids))

    def link(competency_id: str) -> dict[str, Any]:
        name = names.get(uuid.UUID(competency_id), ("", 0))[0]
        return {"id": competency_id, "name": name}

    current = rows[0]["figures"] if rows else []
    return CompetencyProfileOut.model_validate(
        {
            "employee_id": employee.id,
            "employee": employee,
            "computed_at": rows[0]["computed_at"] if rows else None,
            "competencies": [
                figure | {"competency": link(figure["competency_id"])} for figure in current
            ],
            "history": [
                {
                    "computed_at": row["computed_at"],
                    "scores": [
                        {"competency_id": f["competency_id"], "score": f["score"]}
                        for f in row["figures"]
                    ],
                }
                for row in rows
            ],
        }
    )


async def read_profile(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> CompetencyProfileOut:
    """For whoever may see the employee (themself, their managers, department head, HR);
    404 otherwise."""
    employee = await people.ensure_can_view(session, principal, employee_id)
    return await profile_view(
        session, principal.org_id, Ref(id=employee.id, name=employee.full_name)
    )
