"""Competency profiles 「能力画像」: 0–10 per competency from the evidence, recomputed in the
worker when evidence arrives (one employee) and by HR for everyone at once, every figure
explained by the evidence and weights behind it. Each recompute that changes a figure is a
snapshot: the history.

A piece of evidence counts `kind weight × source weight × ½^(age / half-life)`: the kind's
weight is a setting (`competency_source_weights`), the source's its own (a calibrated review
counts more than a quick check), and older evidence counts less
(`competency_evidence_half_life_days`); past 64 half-lives it counts nothing. A score is
the weighted mean (`core.scoring`) rounded to hundredths.

The scores are computed where the evidence is: one statement recomputes any number of
employees (`RECOMPUTE`), the worker's one and the full recompute's thousand alike, with
`core.scoring.weighted_mean_sql`, float for float the Python rule (tests assert it on random
evidence). A snapshot keeps per competency the score and how many source events stand behind
it; the profile read explains the newest one from the evidence rows themselves, each with
the weight it counted with at the snapshot's moment (`evidence_weight`) — 20 million pieces
of evidence are not copied into 100,000 snapshots.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository
from hrcore.competencies.schemas import CompetencyProfileOut
from hrcore.core.authz import Principal
from hrcore.core.db import fetch
from hrcore.core.models import new_id
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.core.schemas import Ref
from hrcore.core.scoring import weighted_mean_sql
from hrcore.people import api as people
from hrcore.settings import Settings

RECOMPUTE_JOB = "competencies.recompute_profile"
HISTORY = 20
SECONDS_A_DAY = 86_400
Stored = tuple[uuid.UUID, list[dict[str, Any]], list[dict[str, Any]], datetime]
"""A stored snapshot: the employee, the scores it replaced, its scores, its moment (what
`profile_events.publish_many` publishes)."""
MAX_HALF_LIVES = 64
"""Evidence this many half-lives old counts nothing (rather than 2⁻⁶⁴ of its weight or
less: the database refuses a product too small for a float where Python rounds it to 0)."""

# The weight of each piece of evidence exactly as `evidence_weight` computes it (the age in
# seconds as the difference of the two moments' epoch seconds, `$6` being now's, then the
# same float8 operations in the same order); the score per employee and competency by
# `weighted_mean_sql` over the rows in the explanation's order (observed, then id);
# `sources` is the row count (one row per source event and competency, by the evidence's
# unique key). A snapshot only where the figures differ from the newest one (an employee
# without evidence or snapshot gets none), and its scores become the employee's
# `competency_current_scores` row unless a newer snapshot (by moment, then id) is current
# already — the one writer of that table, in the same statement (0063's trigger re-read
# every inserted snapshot's JSON instead); the moved scores come back for the webhook.
RECOMPUTE = f"""
WITH weighted AS (
  SELECT e.employee_id, e.competency_id, e.id, e.value, e.observed_at,
         coalesce(kind.weight, 1) * e.source_weight
           * CASE WHEN age.half_lives < {MAX_HALF_LIVES} THEN power(0.5::float8, age.half_lives)
                  ELSE 0 END AS weight
    FROM competency_evidence AS e
    LEFT JOIN unnest($3::text[], $4::float8[]) AS kind(name, weight)
      ON kind.name = e.source_kind
   CROSS JOIN LATERAL (
         SELECT greatest($6::float8 - date_part('epoch', e.observed_at), 0)
                  / {SECONDS_A_DAY} / $5::float8 AS half_lives
         ) AS age
   WHERE e.org_id = $1 AND e.employee_id = ANY($2::uuid[])
),
figures AS (
  SELECT employee_id, competency_id, count(*) AS sources,
         round({weighted_mean_sql("value", "weight")} * 100) / 100 AS score
    FROM (SELECT * FROM weighted ORDER BY employee_id, competency_id, observed_at, id) AS ordered
   GROUP BY employee_id, competency_id
),
computed AS (
  SELECT employee_id,
         jsonb_agg(jsonb_build_object('competency_id', competency_id, 'score', score,
                                      'sources', sources) ORDER BY competency_id) AS figures,
         jsonb_agg(jsonb_build_object('competency_id', competency_id, 'score', score)
                   ORDER BY competency_id) AS scores,
         array_agg(competency_id ORDER BY competency_id) AS competency_ids,
         array_agg(score ORDER BY competency_id) AS score_list
    FROM figures
   WHERE score IS NOT NULL
   GROUP BY employee_id
),
newest AS (
  SELECT DISTINCT ON (employee_id) employee_id, figures, scores
    FROM competency_profiles
   WHERE org_id = $1 AND employee_id = ANY($2::uuid[])
   ORDER BY employee_id, computed_at DESC, id DESC
),
stored AS (
  INSERT INTO competency_profiles (id, org_id, employee_id, computed_at, figures, scores)
  SELECT batch.id, $1, batch.employee_id, $7,
         coalesce(computed.figures, '[]'), coalesce(computed.scores, '[]')
    FROM unnest($2::uuid[], $8::uuid[]) AS batch(employee_id, id)
    LEFT JOIN computed USING (employee_id)
    LEFT JOIN newest USING (employee_id)
   WHERE coalesce(computed.figures, '[]') <> coalesce(newest.figures, '[]')
  RETURNING id, employee_id, scores
),
current AS (
  INSERT INTO competency_current_scores AS current
         (org_id, employee_id, profile_id, computed_at, competency_ids, scores)
  SELECT $1, stored.employee_id, stored.id, $7,
         coalesce(computed.competency_ids, '{{}}'), coalesce(computed.score_list, '{{}}')
    FROM stored
    LEFT JOIN computed USING (employee_id)
  ON CONFLICT (org_id, employee_id) DO UPDATE
     SET profile_id = excluded.profile_id, computed_at = excluded.computed_at,
         competency_ids = excluded.competency_ids, scores = excluded.scores
   WHERE (excluded.computed_at, excluded.profile_id) > (current.computed_at, current.profile_id)
)
SELECT stored.employee_id, coalesce(newest.scores, '[]') AS before, stored.scores AS after
  FROM stored
  LEFT JOIN newest USING (employee_id)
"""  # noqa: S608 (this module's constants only)


def evidence_weight(
    evidence: Mapping[str, Any],
    *,
    kind_weights: Mapping[str, float],
    half_life_days: int,
    now: datetime,
) -> float:
    """What one piece of evidence counts with at `now`: kind weight × source weight × ½ per
    half-life of age (none past `MAX_HALF_LIVES`; evidence dated later than `now` is new)."""
    age_days = max(now.timestamp() - evidence["observed_at"].timestamp(), 0) / SECONDS_A_DAY
    half_lives = age_days / half_life_days
    decay = 0.5**half_lives if half_lives < MAX_HALF_LIVES else 0.0
    weight: float = kind_weights.get(evidence["source_kind"], 1.0) * evidence["source_weight"]
    return weight * decay


async def recompute_many(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    settings: Settings,
    now: datetime,
) -> list[Stored]:
    """Recompute these employees' profiles as of `now` in one statement, however many:
    a snapshot for each whose figures changed. The stored ones, with the scores each
    replaced. The caller holds their profiles' locks."""
    weights = settings.competency_source_weights
    rows = await fetch(
        session,
        RECOMPUTE,
        org_id,
        list(employee_ids),
        list(weights),
        [float(weight) for weight in weights.values()],
        settings.competency_evidence_half_life_days,
        now.timestamp(),
        now,
        # time-ordered ids: two snapshots of one moment (a frozen clock) keep their order
        [new_id() for _ in employee_ids],
    )
    return [(row["employee_id"], row["before"], row["after"], now) for row in rows]


async def recompute(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    settings: Settings,
    now: datetime,
) -> list[Stored]:
    """Recompute one employee's profile from all their evidence; a snapshot when a figure
    changed (a job run twice, even at once, stores one). The stored snapshot, if any."""
    await repository.lock_profile(session, employee_id)
    return await recompute_many(session, org_id, [employee_id], settings, now)


async def profile_view(
    session: AsyncSession, org_id: uuid.UUID, employee: Ref, settings: Settings
) -> CompetencyProfileOut:
    """The newest snapshot explained, and the history of scores (newest first): three
    statements, rows mapped straight to the response. Each figure's evidence is read from
    the evidence rows, with the weights they counted with when the snapshot was computed."""
    rows = await repository.snapshots(session, org_id, employee.id, HISTORY)
    current = rows[0]["figures"] if rows else []
    names = await repository.competency_levels(
        session, org_id, [uuid.UUID(f["competency_id"]) for f in current]
    )
    computed_at = rows[0]["computed_at"] if rows else None
    used = (
        _explained(
            await repository.evidence_of(session, org_id, employee.id),
            settings,
            rows[0]["computed_at"],
        )
        if rows
        else {}
    )

    def figure(stored: dict[str, Any]) -> dict[str, Any]:
        competency_id = stored["competency_id"]
        name = names.get(uuid.UUID(competency_id), ("", 0))[0]
        return {
            "competency_id": competency_id,
            "competency": {"id": competency_id, "name": name},
            "score": stored["score"],
            "sources": stored["sources"],
            "evidence": used.get(competency_id, []),
        }

    return CompetencyProfileOut.model_validate(
        {
            "employee_id": employee.id,
            "employee": employee,
            "computed_at": computed_at,
            "competencies": [figure(stored) for stored in current],
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


def _explained(
    evidence: Sequence[Mapping[str, Any]], settings: Settings, at: datetime
) -> dict[str, list[dict[str, Any]]]:
    """The evidence rows by competency, each with the weight it counted with `at`."""
    used: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in evidence:
        weight = evidence_weight(
            row,
            kind_weights=settings.competency_source_weights,
            half_life_days=settings.competency_evidence_half_life_days,
            now=at,
        )
        used[str(row["competency_id"])].append(dict(row) | {"weight": round(weight, 4)})
    return used


async def read_profile(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, settings: Settings
) -> CompetencyProfileOut:
    """For whoever may see the employee (themself, their managers, department head, HR) or
    a relation opens the profile to (a mentor whose approved plan names a competency level,
    audited); 404 otherwise."""
    employee = await people.ensure_can_view_for(
        session, principal, employee_id, people.COMPETENCY_PROFILE
    )
    note_read(principal, employee.id, DataClass.EVALUATION, "competency_profile")
    return await profile_view(
        session, principal.org_id, Ref(id=employee.id, name=employee.full_name), settings
    )
