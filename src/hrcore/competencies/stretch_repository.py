"""Queries of stretch assignments, their assignees and outcomes, and the set-based reads
matching ranks with; no rules, no HTTP."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.models import (
    CompetencyEvidence,
    StretchAssignee,
    StretchAssignment,
    StretchOutcome,
)
from hrcore.core.db import among, fetch


def assignments_query(
    org_id: uuid.UUID,
    *,
    department_ids: Sequence[uuid.UUID] | None,
    department_id: uuid.UUID | None,
    status: str | None,
) -> Select[Any]:
    """The list's statement: the reach (`None`: every department) and the filters."""
    statement = select(StretchAssignment).where(StretchAssignment.org_id == org_id)
    if department_ids is not None:
        statement = statement.where(among(StretchAssignment.department_id, department_ids))
    if department_id is not None:
        statement = statement.where(StretchAssignment.department_id == department_id)
    if status is not None:
        statement = statement.where(StretchAssignment.status == status)
    return statement


async def taken(
    session: AsyncSession, org_id: uuid.UUID, assignment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many people are on each of these assignments, in one statement."""
    if not assignment_ids:
        return {}
    rows = await session.execute(
        select(StretchAssignee.assignment_id, func.count())
        .where(
            StretchAssignee.org_id == org_id,
            among(StretchAssignee.assignment_id, assignment_ids),
        )
        .group_by(StretchAssignee.assignment_id)
    )
    return dict(rows.all())


async def assignees_of(
    session: AsyncSession, org_id: uuid.UUID, assignment_id: uuid.UUID
) -> list[StretchAssignee]:
    """The people on one assignment, in the order they were assigned."""
    rows = await session.scalars(
        select(StretchAssignee)
        .where(StretchAssignee.org_id == org_id, StretchAssignee.assignment_id == assignment_id)
        .order_by(StretchAssignee.created_at, StretchAssignee.id)
    )
    return list(rows)


async def involves(
    session: AsyncSession, org_id: uuid.UUID, assignment_id: uuid.UUID, employee_id: uuid.UUID
) -> bool:
    """Whether the employee is on the assignment or supervises someone on it."""
    found = await session.scalar(
        select(StretchAssignee.id)
        .where(
            StretchAssignee.org_id == org_id,
            StretchAssignee.assignment_id == assignment_id,
            (StretchAssignee.employee_id == employee_id)
            | (StretchAssignee.supervisor_id == employee_id),
        )
        .limit(1)
    )
    return found is not None


async def assignee_of(
    session: AsyncSession, org_id: uuid.UUID, assignment_id: uuid.UUID, employee_id: uuid.UUID
) -> StretchAssignee | None:
    """One person's row on one assignment, locked until the transaction ends."""
    row: StretchAssignee | None = await session.scalar(
        select(StretchAssignee)
        .where(
            StretchAssignee.org_id == org_id,
            StretchAssignee.assignment_id == assignment_id,
            StretchAssignee.employee_id == employee_id,
        )
        .with_for_update()
    )
    return row


async def outcomes_of(
    session: AsyncSession, org_id: uuid.UUID, assignee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, StretchOutcome]:
    """The outcomes recorded for these assignees, in one statement."""
    if not assignee_ids:
        return {}
    rows = await session.scalars(
        select(StretchOutcome).where(
            StretchOutcome.org_id == org_id, among(StretchOutcome.assignee_id, assignee_ids)
        )
    )
    return {row.assignee_id: row for row in rows}


async def outcome_of(
    session: AsyncSession, org_id: uuid.UUID, assignee_id: uuid.UUID
) -> StretchOutcome | None:
    row: StretchOutcome | None = await session.scalar(
        select(StretchOutcome).where(
            StretchOutcome.org_id == org_id, StretchOutcome.assignee_id == assignee_id
        )
    )
    return row


LOAD = """
SELECT a.employee_id,
       count(*) FILTER (WHERE a.status = 'active' AND s.status <> 'closed') AS open,
       array_agg(a.assignment_id) AS assignment_ids
  FROM stretch_assignees a
  JOIN stretch_assignments s ON s.id = a.assignment_id AND s.org_id = a.org_id
 WHERE a.org_id = $1 AND a.employee_id = ANY($2::uuid[])
 GROUP BY a.employee_id
"""


async def loads(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, set[uuid.UUID]]]:
    """Per employee: how many of their assignments are open (no outcome yet, not closed)
    and every assignment they are on, in one statement."""
    if not employee_ids:
        return {}
    rows = await fetch(session, LOAD, org_id, list(employee_ids))
    return {row["employee_id"]: (row["open"], set(row["assignment_ids"])) for row in rows}


# The open assignments of `$2`'s departments a person is not on (`$3`), scored for that one
# person from their fit of each (competency, start level) — `$4`…`$8` as parallel arrays:
# competency, start level, its number of levels (a start above it counts as the top), the
# gap term (gap / required, 0 where the model does not name it) and the readiness term —
# as bare numbers: gap fit's and readiness's points unrounded (load and pool are the same
# for every assignment of one person: left out). Then the band that may hold the page:
# assignments within `$12` of the `$11`-th best, and of those developing the same
# competencies from the same levels in the same order (so are their exact scores) the first
# `$11` by id. Python
# scores the band exactly. `$9` the gap fit's and readiness's weights, `$10` the sum of all.
RANK_ASSIGNMENTS = """
WITH term AS (
  SELECT *
    FROM unnest($4::uuid[], $5::int[], $6::int[], $7::float8[], $8::float8[])
         AS term(competency_id, start_level, levels, gap, ready)
), scored AS MATERIALIZED (
  SELECT a.id, a.competencies,
         CASE WHEN $10::float8 > 0 THEN
              coalesce(sum(term.gap), 0) / greatest(count(term.competency_id), 1)
                * ($9::float8[])[1] / $10 * 100
            + coalesce(sum(term.ready), 0) / greatest(count(term.competency_id), 1)
                * ($9::float8[])[2] / $10 * 100
         ELSE 0 END AS approximate
    FROM stretch_assignments AS a
    LEFT JOIN LATERAL jsonb_array_elements(a.competencies) AS entry(value) ON true
    LEFT JOIN term
      ON term.competency_id = (entry.value ->> 'competency_id')::uuid
     AND term.start_level = least((entry.value ->> 'start_level')::int, term.levels)
   WHERE a.org_id = $1 AND a.status = 'open' AND a.department_id = ANY($2::uuid[])
     AND NOT a.id = ANY($3::uuid[])
   GROUP BY a.id
), cut AS (
  SELECT approximate FROM scored ORDER BY approximate DESC OFFSET $11::int - 1 LIMIT 1
), band AS (
  SELECT scored.id, row_number() OVER (PARTITION BY competencies ORDER BY id) AS nth
    FROM scored
   WHERE NOT EXISTS (SELECT FROM cut) OR approximate >= (SELECT approximate FROM cut) - $12::float8
)
SELECT a.id, a.title, a.department_id, a.starts_on, a.ends_on, a.competencies
  FROM band
  JOIN stretch_assignments AS a ON a.org_id = $1 AND a.id = band.id
 WHERE band.nth <= $11
 ORDER BY a.id
"""


async def rank_assignments(session: AsyncSession, *args: Any) -> list[Any]:
    """The band of open assignments that may hold one person's page, oldest first (see
    `RANK_ASSIGNMENTS` for the arguments), in one statement."""
    return await fetch(session, RANK_ASSIGNMENTS, *args)


async def drop_evidence_except(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    source_kind: str,
    source_id: uuid.UUID,
    competency_ids: Sequence[uuid.UUID],
) -> int:
    """Remove what a source event said about competencies it no longer names (a corrected
    outcome rates a competency list that changed); how many rows went."""
    result = await session.execute(
        delete(CompetencyEvidence).where(
            CompetencyEvidence.org_id == org_id,
            CompetencyEvidence.source_kind == source_kind,
            CompetencyEvidence.source_id == source_id,
            CompetencyEvidence.competency_id.not_in(list(competency_ids)),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def lock_load(session: AsyncSession, employee_id: uuid.UUID) -> None:
    """Serialize assignments of one person until the transaction ends, so two at once never
    both pass the capacity check."""
    key = f"stretch_load:{employee_id}"
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


PLAN_ACTIONS = """
SELECT a.id, a.department_id, s.status AS assignee_status,
       o.figures, o.competencies, o.updated_at AS recorded_at
  FROM stretch_assignments AS a
  LEFT JOIN stretch_assignees AS s
    ON s.org_id = a.org_id AND s.assignment_id = a.id AND s.employee_id = $2
  LEFT JOIN stretch_outcomes AS o ON o.org_id = a.org_id AND o.assignee_id = s.id
 WHERE a.org_id = $1 AND a.id = ANY($3::uuid[])
"""


async def employee_on(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    assignment_ids: Sequence[uuid.UUID],
) -> list[Any]:
    """The organization's assignments among these, each with the employee's part in it
    (their assignee status and outcome; null when not on it), in one statement."""
    return await fetch(session, PLAN_ACTIONS, org_id, employee_id, list(assignment_ids))


# Ranking people for an assignment developing `k` competencies, in the database: the
# candidates read from competencies' own roster (`competency_roster`: each employee's post,
# kept from people's events), every one's four factors as bare numbers from the narrow
# current scores (only the developed competencies' scores are picked out before the join;
# each model's newest version read once, a candidate's the variant of their department
# before their position's general one), approximate only in that gaps and
# points are not rounded to hundredths, then the band that may hold the page — candidates
# within `$15` (twice the most the rounding moves a score) of the `$14`-th best — and of
# candidates whose inputs are identical (so are their exact scores) only the first `$14` in
# people's order (full name, then id: the one join of people's table, for names). Python
# scores the band exactly.
#   $1 org; $2 the departments (the assignment's subtree); $3 the caller's reach (null: the
#   whole organization); $4 the competencies developed, $5 their number of levels, $6 each
#   one's levels on the 0–10 scale (a row per competency), $7 the start on the scale; $8
#   the assignment (those on it are no candidates), $9 the caller (never a candidate); $10
#   the active pool members; $11 the four weights, $12 their sum, $13 the most open
#   assignments one person takes.
_RANK_PEOPLE = """
WITH candidate AS MATERIALIZED (
  SELECT employee_id, department_id, position_id
    FROM competency_roster
   WHERE org_id = $1 AND active AND department_id = ANY($2::uuid[])
     AND ($3::uuid[] IS NULL OR employee_id = ANY($3::uuid[]))
     AND employee_id IS DISTINCT FROM $9::uuid
), model AS (
  SELECT DISTINCT ON (position_id, department_id) position_id, department_id, entries
    FROM competency_models
   WHERE org_id = $1
   ORDER BY position_id, department_id, version DESC
), required AS (
  SELECT model.position_id, model.department_id,
         ARRAY(SELECT (SELECT ($6::float8[])[n][least((entry ->> 'required_level')::int,
                                                      ($5::int[])[n])]
                         FROM jsonb_array_elements(model.entries) AS entry
                        WHERE (entry ->> 'competency_id')::uuid = ($4::uuid[])[n]
                          AND (entry ->> 'required_level')::int > 0)
                 FROM generate_series(1, cardinality($4::uuid[])) AS n
                ORDER BY n) AS levels
    FROM model
), load AS (
  SELECT a.employee_id,
         count(*) FILTER (WHERE a.status = 'active' AND s.status <> 'closed') AS open,
         bool_or(a.assignment_id = $8::uuid) AS on_it
    FROM stretch_assignees AS a
    JOIN stretch_assignments AS s ON s.id = a.assignment_id AND s.org_id = a.org_id
   WHERE a.org_id = $1
   GROUP BY a.employee_id
), current AS (
  SELECT employee_id{currents}
    FROM competency_current_scores
   WHERE org_id = $1
), pair AS (
  SELECT candidate.employee_id, {current_columns}{required}
         coalesce(load.open, 0) AS load, candidate.employee_id = ANY($10::uuid[]) AS pooled
    FROM candidate
    LEFT JOIN current ON current.employee_id = candidate.employee_id
    LEFT JOIN required AS variant
      ON variant.position_id = candidate.position_id
     AND variant.department_id = candidate.department_id
    LEFT JOIN required AS general
      ON general.position_id = candidate.position_id AND general.department_id IS NULL
    LEFT JOIN load ON load.employee_id = candidate.employee_id
   WHERE NOT coalesce(load.on_it, false)
), scored AS MATERIALIZED (
  SELECT pair.*,
         CASE WHEN $12::float8 > 0 THEN
              ({gap_fit}) / {count} * ($11::float8[])[1] / $12::float8 * 100
            + ({readiness}) / {count} * ($11::float8[])[2] / $12::float8 * 100
            + greatest(0, 1 - load::float8 / $13::int) * ($11::float8[])[3] / $12::float8 * 100
            + pooled::int * ($11::float8[])[4] / $12::float8 * 100
         ELSE 0 END AS approximate
    FROM pair
), cut AS (
  SELECT approximate FROM scored ORDER BY approximate DESC OFFSET $14::int - 1 LIMIT 1
), near AS MATERIALIZED (
  SELECT *
    FROM scored
   WHERE NOT EXISTS (SELECT FROM cut) OR approximate >= (SELECT approximate FROM cut) - $15::float8
), named AS (
  SELECT near.*, (SELECT full_name FROM employees
                   WHERE org_id = $1 AND id = near.employee_id) AS full_name
    FROM near
), band AS (
  SELECT named.*,
         row_number() OVER (PARTITION BY {inputs} load, pooled
                            ORDER BY full_name, employee_id) AS nth
    FROM named
)
SELECT employee_id, ARRAY[{current_list}]::float8[] AS currents,
       ARRAY[{required_list}]::float8[] AS required, load, pooled,
       (SELECT count(*) FROM scored) AS candidates
  FROM band
 WHERE nth <= $14
 ORDER BY full_name, employee_id
"""


@functools.cache
def rank_people_sql(developed: int) -> str:
    """`_RANK_PEOPLE` for an assignment developing this many competencies (one text each,
    built once): each competency's current score and requirement are columns of their own."""
    numbers = range(1, developed + 1)
    currents = [f"x{n}" for n in numbers]
    required = [f"r{n}" for n in numbers]
    return _RANK_PEOPLE.format(
        currents="".join(
            f", scores[array_position(competency_ids, ($4::uuid[])[{n}])] AS x{n}" for n in numbers
        ),
        current_columns="".join(f"current.x{n}, " for n in numbers),
        required="".join(
            f"(coalesce(variant.levels, general.levels))[{n}] AS r{n}, " for n in numbers
        ),
        gap_fit=" + ".join(
            f"CASE WHEN r{n} > 0 THEN greatest(r{n} - coalesce(x{n}, 0), 0) / r{n} ELSE 0 END"
            for n in numbers
        )
        or "0",
        readiness=" + ".join(f"least(coalesce(x{n}, 0) / ($7::float8[])[{n}], 1)" for n in numbers)
        or "0",
        count=max(developed, 1),
        inputs="".join(f"{name}, " for name in currents + required),
        current_list=", ".join(currents),
        required_list=", ".join(required),
    )


async def rank_people(session: AsyncSession, developed: int, *args: Any) -> list[Any]:
    """The band of candidates that may hold the page, in people's order (see `_RANK_PEOPLE`
    for the arguments); every row says how many candidates there were. The caller plans the
    transaction for its values (`core.db.plan_for_these_values` with `RANKING_MEMORY`): a
    generic plan cannot see how large the subtree and the reach are (it took 16–22 s where
    the planned one took 2.5–4 s at 94,910 people, load ~12, when the candidates came as
    arrays)."""
    return await fetch(session, rank_people_sql(developed), *args)


RANKING_MEMORY = "64MB"
"""`work_mem` for a ranking's transaction: its sorts, hashes and the scored candidates (94,910
rows, ~8 MB) otherwise spill to disk at the default 4 MB (docs/performance.md)."""
