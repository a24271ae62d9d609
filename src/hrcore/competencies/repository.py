"""Queries of competencies and models per position; no rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.models import CompetencyEvidence, CompetencyModel
from hrcore.core.db import fetch

COMPETENCY_LEVELS = """
SELECT id, name, jsonb_array_length(levels) AS levels
  FROM competencies
 WHERE org_id = $1 AND id = ANY($2::uuid[])
"""

# The variant's own versions first, then the position's general model: `$3` null asks for
# the general model only. `$4` null: the newest version.
MODEL = """
SELECT id, position_id, department_id, version, entries, created_at
  FROM competency_models
 WHERE org_id = $1 AND position_id = $2
   AND (department_id = $3 OR department_id IS NULL)
   AND ($4::int IS NULL OR version = $4)
 ORDER BY department_id IS NULL, version DESC
 LIMIT 1
"""


async def competency_levels(
    session: AsyncSession, org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, int]]:
    """Name and number of levels of each of these competencies, in one statement."""
    if not ids:
        return {}
    rows = await fetch(session, COMPETENCY_LEVELS, org_id, list(ids))
    return {row["id"]: (row["name"], row["levels"]) for row in rows}


async def model_row(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    department_id: uuid.UUID | None,
    version: int | None,
) -> asyncpg.Record | None:
    """The model a reader of this position (in that department) goes by, in one statement."""
    rows = await fetch(session, MODEL, org_id, position_id, department_id, version)
    return rows[0] if rows else None


async def lock_model_variant(
    session: AsyncSession, position_id: uuid.UUID, department_id: uuid.UUID | None
) -> None:
    """Serialize saves of one variant until the transaction ends, so two saves never claim
    the same version number."""
    key = f"competency_model:{position_id}:{department_id}"
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


async def lock_profile(session: AsyncSession, employee_id: uuid.UUID) -> None:
    """Serialize recomputes of one employee's profile until the transaction ends, so two
    jobs running at once never both store the same snapshot."""
    key = f"competency_profile:{employee_id}"
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


async def latest_version(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    department_id: uuid.UUID | None,
) -> int:
    """The variant's newest version number (0 when it has none)."""
    statement = select(CompetencyModel.version).where(
        CompetencyModel.org_id == org_id,
        CompetencyModel.position_id == position_id,
        CompetencyModel.department_id.is_not_distinct_from(department_id),
    )
    versions = (await session.scalars(statement.order_by(CompetencyModel.version.desc()))).first()
    return versions or 0


EVIDENCE_OF = """
SELECT id, competency_id, value, source_kind, source_id, observed_at, source_weight
  FROM competency_evidence
 WHERE org_id = $1 AND employee_id = $2
 ORDER BY observed_at, id
"""

SNAPSHOTS = """
SELECT computed_at, figures
  FROM competency_profiles
 WHERE org_id = $1 AND employee_id = $2
 ORDER BY computed_at DESC, id DESC
 LIMIT $3
"""


async def evidence_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[asyncpg.Record]:
    """Every evidence row of one employee, oldest first, in one statement."""
    return await fetch(session, EVIDENCE_OF, org_id, employee_id)


async def snapshots(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, limit: int
) -> list[asyncpg.Record]:
    """The employee's newest profile snapshots, newest first, in one statement."""
    return await fetch(session, SNAPSHOTS, org_id, employee_id, limit)


async def upsert_evidence(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID:
    """Insert the row, or replace the one the same source event left: its id either way."""
    statement = insert(CompetencyEvidence).values(**values)
    replaced = {
        name: statement.excluded[name] for name in ("value", "observed_at", "source_weight", "note")
    }
    upsert = statement.on_conflict_do_update(
        index_elements=["org_id", "source_kind", "source_id", "employee_id", "competency_id"],
        set_=replaced | {"updated_at": func.now()},
    ).returning(CompetencyEvidence.id)
    evidence_id: uuid.UUID = (await session.execute(upsert)).scalar_one()
    return evidence_id


# The newest version of the general model and of every named department's variant of these
# positions.
LATEST_MODELS = """
SELECT DISTINCT ON (position_id, department_id) position_id, department_id, version, entries
  FROM competency_models
 WHERE org_id = $1 AND position_id = ANY($2::uuid[])
   AND (department_id IS NULL OR department_id = ANY($3::uuid[]))
 ORDER BY position_id, department_id, version DESC
"""

# Each employee's newest snapshot, as one (employee, competency, score) row per figure.
LATEST_SCORES = """
SELECT latest.employee_id, (figure->>'competency_id')::uuid AS competency_id,
       (figure->>'score')::float AS score
  FROM (SELECT DISTINCT ON (employee_id) employee_id, figures
          FROM competency_profiles
         WHERE org_id = $1 AND employee_id = ANY($2::uuid[])
         ORDER BY employee_id, computed_at DESC, id DESC) AS latest,
       jsonb_array_elements(latest.figures) AS figure
"""


async def latest_models(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_ids: Sequence[uuid.UUID],
    department_ids: Sequence[uuid.UUID],
) -> dict[tuple[uuid.UUID, uuid.UUID | None], asyncpg.Record]:
    """By (position, department or None): the newest general models and variants of these
    positions in these departments, in one statement."""
    if not position_ids:
        return {}
    rows = await fetch(session, LATEST_MODELS, org_id, list(position_ids), list(department_ids))
    return {(row["position_id"], row["department_id"]): row for row in rows}


async def latest_scores(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, float]]:
    """Each employee's current score by competency id (as the snapshot's figures spell it),
    in one statement; employees without a profile are absent."""
    if not employee_ids:
        return {}
    scores: dict[uuid.UUID, dict[str, float]] = {}
    for row in await fetch(session, LATEST_SCORES, org_id, list(employee_ids)):
        scores.setdefault(row["employee_id"], {})[str(row["competency_id"])] = row["score"]
    return scores


async def delete_version(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    department_id: uuid.UUID | None,
    version: int,
) -> bool:
    """Delete one version of a variant; whether it existed."""
    deleted = await session.execute(
        delete(CompetencyModel)
        .where(
            CompetencyModel.org_id == org_id,
            CompetencyModel.position_id == position_id,
            CompetencyModel.department_id.is_not_distinct_from(department_id),
            CompetencyModel.version == version,
        )
        .returning(CompetencyModel.id)
        .execution_options(synchronize_session=False)
    )
    return deleted.first() is not None
