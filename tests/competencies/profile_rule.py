"""The profile rule written out in Python, for the tests to hold the database's figures
against: each piece of evidence weighted by `profiles.evidence_weight`, the weighted mean
by `core.scoring.weighted_mean` over the rows oldest first, rounded to hundredths."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from hrcore.competencies import profiles
from hrcore.core.scoring import weighted_mean


def expected_figures(
    evidence: Sequence[Mapping[str, Any]],
    *,
    kind_weights: Mapping[str, float],
    half_life_days: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """One employee's figures as a snapshot stores them, by competency id."""
    by_competency: dict[uuid.UUID, list[Mapping[str, Any]]] = defaultdict(list)
    for row in sorted(evidence, key=lambda row: (row["observed_at"], row["id"])):
        by_competency[row["competency_id"]].append(row)
    figures = []
    for competency_id in sorted(by_competency):
        rows = by_competency[competency_id]
        weights = {
            str(row["id"]): profiles.evidence_weight(
                row, kind_weights=kind_weights, half_life_days=half_life_days, now=now
            )
            for row in rows
        }
        score = weighted_mean({str(row["id"]): row["value"] for row in rows}, weights)
        if score is not None:
            figures.append(
                {
                    "competency_id": str(competency_id),
                    "score": round(score * 100) / 100,
                    "sources": len(rows),
                }
            )
    return figures
