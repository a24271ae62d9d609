"""Competencies' section of a person's own-data export (`core.personal_data`): their
competency profile as `/me/competency-profile` shows it — each figure with the evidence
behind it (source, value, note) — and the history of scores by recompute."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository
from hrcore.competencies.profiles import HISTORY


async def competency_profile(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> dict[str, Any]:
    snapshots = await repository.snapshots(session, org_id, employee_id, HISTORY)
    ids = {uuid.UUID(f["competency_id"]) for row in snapshots for f in row["figures"]}
    names = await repository.competency_levels(session, org_id, sorted(ids))
    evidence: dict[str, list[dict[str, Any]]] = {}
    for row in await repository.evidence_of(session, org_id, employee_id):
        evidence.setdefault(str(row["competency_id"]), []).append(
            {
                "observed_at": row["observed_at"].isoformat(),
                "source_kind": row["source_kind"],
                "value": row["value"],
                "note": row["note"],
            }
        )

    def name(competency_id: str) -> str:
        return names.get(uuid.UUID(competency_id), ("", 0))[0]

    current = snapshots[0] if snapshots else None
    return {
        "computed_at": current["computed_at"].isoformat() if current else None,
        "competencies": [
            {
                "competency": name(figure["competency_id"]),
                "score": figure["score"],
                "sources": figure["sources"],
                "evidence": evidence.get(figure["competency_id"], []),
            }
            for figure in (current["figures"] if current else [])
        ],
        "history": [
            {
                "computed_at": row["computed_at"].isoformat(),
                "scores": {name(f["competency_id"]): f["score"] for f in row["figures"]},
            }
            for row in snapshots
        ],
    }
