"""Queries of competencies and models per position; no rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy import delete, func, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.models import CompetencyEvidence, CompetencyModel
from hrcore.core.db import fetch

COMPETENCY_LEVELS = """
SELECT id, name, jsonb_array_length(levels) AS levels
  FROM competencies
 WHERE org_id = $1 AND id = ANY($2::uuid[])
"""

LIBRARY_LEVELS = """
SELECT id, name, jsonb_array_length(levels) AS levels
  FROM competencies
 WHERE org_id = $1
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


async def library_levels(
    session: AsyncSession, org_id: uuid.UUID
) -> dict[uuid.UUID, tuple[str, int]]:
    """Name and number of levels of every competency of the organization, in one
    statement."""
    rows = await fetch(session, LIBRARY_LEVELS, org_id)
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
SELECT id, competency_id, value, source_kind, source_id, observed_at, source_weight, note
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


# Per wanted (position, department): the department's variant first, else the general
# model; the newest version of either. `$3` holds a null department for "the general model".
MODELS_FOR = """
SELECT DISTINCT ON (wanted.position_id, wanted.department_id)
       wanted.position_id AS wanted_position_id, wanted.department_id AS wanted_department_id,
       model.department_id, model.version, model.entries
  FROM unnest($2::uuid[], $3::uuid[]) AS wanted(position_id, department_id)
  JOIN competency_models AS model
    ON model.org_id = $1 AND model.position_id = wanted.position_id
   AND (model.department_id = wanted.department_id OR model.department_id IS NULL)
 ORDER BY wanted.position_id, wanted.department_id, model.department_id IS NULL, model.version DESC
"""

# Scores only (the snapshot's `scores`): the evidence behind each figure stays in
# `figures`, unread — a ranking of thousands of people would otherwise carry every piece.
LATEST_SCORES = """
SELECT latest.employee_id, latest.computed_at, latest.scores AS figures
  FROM (SELECT DISTINCT ON (employee_id) employee_id, computed_at, scores
          FROM competency_profiles
         WHERE org_id = $1 AND employee_id = ANY($2::uuid[])
         ORDER BY employee_id, computed_at DESC, id DESC) AS latest
"""

# Each employee's newest scores on some competencies, from the trigger-kept arrays.
CURRENT_SCORES_ON = """
SELECT current.employee_id, score.competency_id, score.value
  FROM competency_current_scores AS current
 CROSS JOIN LATERAL unnest(current.competency_ids, current.scores) AS score(competency_id, value)
 WHERE current.org_id = $1 AND current.employee_id = ANY($2::uuid[])
   AND score.competency_id = ANY($3::uuid[])
"""

# The newest snapshot at or before `$3` (`then`) and the newest of all (`now`).
SNAPSHOTS_THEN_AND_NOW = """
(SELECT 'then' AS moment, computed_at, figures
   FROM competency_profiles
  WHERE org_id = $1 AND employee_id = $2 AND computed_at <= $3
  ORDER BY computed_at DESC, id DESC
  LIMIT 1)
UNION ALL
(SELECT 'now' AS moment, computed_at, figures
   FROM competency_profiles
  WHERE org_id = $1 AND employee_id = $2
  ORDER BY computed_at DESC, id DESC
  LIMIT 1)
"""

Target = tuple[uuid.UUID, uuid.UUID | None]
"""A position and the department whose variant of its model applies (None: the general)."""


async def models_for(
    session: AsyncSession, org_id: uuid.UUID, targets: Sequence[Target]
) -> dict[Target, asyncpg.Record]:
    """The model each (position, department) goes by, in one statement; targets without a
    model are absent."""
    if not targets:
        return {}
    positions = [position_id for position_id, _department_id in targets]
    departments = [department_id for _position_id, department_id in targets]
    rows = await fetch(session, MODELS_FOR, org_id, positions, departments)
    return {(row["wanted_position_id"], row["wanted_department_id"]): row for row in rows}


async def latest_scores(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, asyncpg.Record]:
    """Each employee's newest profile snapshot, its figures as competency and score only, in
    one statement; those without one absent."""
    if not employee_ids:
        return {}
    rows = await fetch(session, LATEST_SCORES, org_id, list(employee_ids))
    return {row["employee_id"]: row for row in rows}


async def current_scores_on(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    competency_ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, dict[uuid.UUID, float]]:
    """Each employee's newest score (0–10) on each of these competencies they have one on,
    in one statement; none sent when either list is empty."""
    if not employee_ids or not competency_ids:
        return {}
    rows = await fetch(session, CURRENT_SCORES_ON, org_id, list(employee_ids), list(competency_ids))
    scores: dict[uuid.UUID, dict[uuid.UUID, float]] = {}
    for row in rows:
        scores.setdefault(row["employee_id"], {})[row["competency_id"]] = row["value"]
    return scores


async def snapshots_then_and_now(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, then: datetime | None
) -> dict[str, asyncpg.Record]:
    """`then`: the newest snapshot at or before that moment (absent for None or when there
    was none yet); `now`: the newest one. One statement."""
    rows = await fetch(session, SNAPSHOTS_THEN_AND_NOW, org_id, employee_id, then)
    return {row["moment"]: row for row in rows}


async def delete_source_evidence(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    source_kind: str,
    source_id: uuid.UUID,
    *,
    keep: Sequence[uuid.UUID],
) -> int:
    """Remove one source event's rows about the employee except those on `keep`'s
    competencies, in one statement: how many."""
    statement = (
        delete(CompetencyEvidence)
        .where(
            CompetencyEvidence.org_id == org_id,
            CompetencyEvidence.employee_id == employee_id,
            CompetencyEvidence.source_kind == source_kind,
            CompetencyEvidence.source_id == source_id,
            CompetencyEvidence.competency_id.not_in(keep) if keep else true(),
        )
        .returning(CompetencyEvidence.id)
    )
    return len((await session.execute(statement)).all())


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


# For each (employee, moment): the mean score on `$4`'s competencies of the newest snapshot
# before the moment and of the newest since it (NULL without one, or without those scores).
MEAN_SCORES_AROUND = """
SELECT a.ord, before.value AS before, after.value AS after
FROM unnest($2::uuid[], $3::timestamptz[]) WITH ORDINALITY AS a(employee_id, moment, ord)
LEFT JOIN LATERAL (
    SELECT (SELECT avg((x->>'score')::float) FROM jsonb_array_elements(p.scores) AS x
             WHERE (x->>'competency_id')::uuid = ANY($4::uuid[])) AS value
    FROM competency_profiles p
    WHERE p.org_id = $1 AND p.employee_id = a.employee_id AND p.computed_at < a.moment
    ORDER BY p.computed_at DESC, p.id DESC LIMIT 1
) AS before ON true
LEFT JOIN LATERAL (
    SELECT (SELECT avg((x->>'score')::float) FROM jsonb_array_elements(p.scores) AS x
             WHERE (x->>'competency_id')::uuid = ANY($4::uuid[])) AS value
    FROM competency_profiles p
    WHERE p.org_id = $1 AND p.employee_id = a.employee_id AND p.computed_at >= a.moment
    ORDER BY p.computed_at DESC, p.id DESC LIMIT 1
) AS after ON true
ORDER BY a.ord
"""


async def mean_scores_around(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    moments: Sequence[datetime],
    competency_ids: Sequence[uuid.UUID],
) -> list[asyncpg.Record]:
    """One row per (employee, moment) pair, in the pairs' order; none sent when either list
    is empty."""
    if not employee_ids or not competency_ids:
        return []
    return await fetch(
        session,
        MEAN_SCORES_AROUND,
        org_id,
        list(employee_ids),
        list(moments),
        list(competency_ids),
    )
