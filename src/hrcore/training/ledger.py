"""Writing the points ledger: awards and compensating corrections, each with the balances
of its month, quarter and year in the same statement.

Every writer of points goes through here (check-in, online progress, action plans,
teaching, manual awards, corrections), so the two guarantees hold in one place: an award is
one row per (employee, rule, source) — the partial unique index answers a duplicate from a
retried job or a concurrent request with `ON CONFLICT DO NOTHING`, not a check before the
insert — and the value is copied from the rule when awarded, so a rule edited later changes
only later awards. Periods are the organization's calendar (its time zone)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.i18n import N_, translate
from hrcore.core.models import new_ids
from hrcore.identity import api as identity
from hrcore.training.models import PointCategory


@dataclass(frozen=True)
class DefaultRule:
    code: str
    name: str
    category: PointCategory
    points: int


DEFAULT_RULES: tuple[DefaultRule, ...] = (
    DefaultRule("attendance", N_("Attended an offline class"), PointCategory.PARTICIPATION, 10),
    DefaultRule("online_course", N_("Completed an online course"), PointCategory.PARTICIPATION, 5),
    DefaultRule("late", N_("Arrived late"), PointCategory.PARTICIPATION, -2),
    DefaultRule("action_plan", N_("Action plan scored"), PointCategory.OUTCOME, 20),
    DefaultRule("adopted", N_("Action plan adopted by the company"), PointCategory.OUTCOME, 50),
    DefaultRule("teaching", N_("Taught a class"), PointCategory.SHARING, 30),
    DefaultRule("article", N_("Published an article"), PointCategory.SHARING, 15),
)
DEFAULT_CATEGORY_WEIGHTS = {"participation": 30, "outcome": 40, "sharing": 30}


@dataclass(frozen=True)
class Award:
    """One award wanted: the rule's `code`, the source event it rewards, and `points` only
    where the source sets its own value (a course's points); otherwise the rule's."""

    employee_id: uuid.UUID
    code: str
    source_type: str
    source_id: uuid.UUID
    occurred_at: datetime
    points: int | None = None


@dataclass(frozen=True)
class Awarded:
    entry_id: uuid.UUID
    employee_id: uuid.UUID
    code: str
    source_id: uuid.UUID
    points: int


_BALANCES = """
periods AS (
    SELECT e.employee_id, p.period, e.category, e.points
    FROM written e, LATERAL (VALUES
        (to_char(e.occurred_at AT TIME ZONE $2, 'YYYY')),
        (to_char(e.occurred_at AT TIME ZONE $2, 'YYYY-"Q"Q')),
        (to_char(e.occurred_at AT TIME ZONE $2, 'YYYY-MM'))
    ) AS p(period)
), balances AS (
    INSERT INTO points_balances
        (org_id, period, employee_id, participation, outcome, sharing, total)
    SELECT $1, period, employee_id,
        coalesce(sum(points) FILTER (WHERE category = 'participation'), 0),
        coalesce(sum(points) FILTER (WHERE category = 'outcome'), 0),
        coalesce(sum(points) FILTER (WHERE category = 'sharing'), 0),
        sum(points)
    FROM periods GROUP BY period, employee_id
    ON CONFLICT (org_id, period, employee_id) DO UPDATE SET
        participation = points_balances.participation + EXCLUDED.participation,
        outcome = points_balances.outcome + EXCLUDED.outcome,
        sharing = points_balances.sharing + EXCLUDED.sharing,
        total = points_balances.total + EXCLUDED.total
)
"""

AWARD_SQL = (
    """
WITH wanted AS (
    SELECT * FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::uuid[],
                         $8::timestamptz[], $9::int[])
        AS w(id, employee_id, code, source_type, source_id, occurred_at, points)
), written AS (
    INSERT INTO points_ledger
        (id, org_id, employee_id, rule_id, category, points, source_type, source_id, occurred_at)
    SELECT w.id, $1, w.employee_id, r.id, r.category, coalesce(w.points, r.points),
           w.source_type, w.source_id, w.occurred_at
    FROM wanted w JOIN point_rules r ON r.org_id = $1 AND r.code = w.code AND r.active
    ON CONFLICT (org_id, employee_id, rule_id, source_type, source_id)
        WHERE rule_id IS NOT NULL DO NOTHING
    RETURNING id, employee_id, category, points, occurred_at, source_id
), """  # noqa: S608 (this module's constants only)
    + _BALANCES.strip()
    + """
SELECT w.id, w.employee_id, w.points, w.source_id, x.code
FROM written w JOIN wanted x ON x.id = w.id
"""
)

CORRECT_SQL = (
    """
WITH corrected AS (
    SELECT id, employee_id, category, occurred_at FROM points_ledger
    WHERE org_id = $1 AND id = $4
), written AS (
    INSERT INTO points_ledger (id, org_id, employee_id, rule_id, category, points, source_type,
                               source_id, occurred_at, corrects_id, reason, recorded_by)
    SELECT $3, $1, c.employee_id, NULL, c.category, $5, 'correction', c.id, c.occurred_at,
           c.id, $6, $7
    FROM corrected c
    RETURNING id, employee_id, category, points, occurred_at, source_id
), """  # noqa: S608 (this module's constants only)
    + _BALANCES.strip()
    + """
SELECT id FROM written
"""
)


async def ensure_rules(session: AsyncSession, org_id: uuid.UUID) -> None:
    """The default rules and settings of an organization, added once (idempotent): every
    organization starts from the seeds' values and edits them as data. The rules are named
    in the organization's language: a name is data HR edits, not a message."""
    locale = await identity.org_locale(session, org_id)
    await session.execute(
        text(
            "INSERT INTO point_rules (id, org_id, code, name, category, points, active, version)"
            " SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:orgs AS uuid[]),"
            " CAST(:codes AS text[]), CAST(:names AS text[]), CAST(:categories AS text[]),"
            " CAST(:points AS int[])) AS r(id, org_id, code, name, category, points),"
            " LATERAL (SELECT true, 1) AS extra(active, version)"
            " ON CONFLICT (org_id, code) DO NOTHING"
        ),
        {
            "ids": new_ids(len(DEFAULT_RULES)),
            "orgs": [org_id] * len(DEFAULT_RULES),
            "codes": [rule.code for rule in DEFAULT_RULES],
            "names": [translate(rule.name, locale) for rule in DEFAULT_RULES],
            "categories": [rule.category.value for rule in DEFAULT_RULES],
            "points": [rule.points for rule in DEFAULT_RULES],
        },
    )
    await session.execute(
        text(
            "INSERT INTO training_settings (id, org_id, category_weights, badge_thresholds,"
            " version) VALUES (:id, :org_id, CAST(:weights AS jsonb), '[]', 1)"
            " ON CONFLICT (org_id) DO NOTHING"
        ),
        {"id": new_ids(1)[0], "org_id": org_id, "weights": _weights_json()},
    )


def _weights_json() -> str:
    return json.dumps(DEFAULT_CATEGORY_WEIGHTS)


async def award_many(
    session: AsyncSession, org_id: uuid.UUID, awards: Sequence[Award]
) -> list[Awarded]:
    """Write the awards not written before; answers those written now (a duplicate, or a
    rule switched off, writes nothing). One statement, whatever the batch's size."""
    if not awards:
        return []
    timezone = await identity.org_timezone(session, org_id)
    rows = await _award(session, org_id, timezone, awards)
    if not rows:
        # Nothing written: duplicates, or an organization without its rules yet. Asking
        # whether rules exist could see another transaction's rules committed since the
        # insert ran and skip the retry; adding the defaults (a no-op when present) and
        # retrying cannot lose an award.
        await ensure_rules(session, org_id)
        rows = await _award(session, org_id, timezone, awards)
    return [
        Awarded(row["id"], row["employee_id"], row["code"], row["source_id"], row["points"])
        for row in rows
    ]


async def award(session: AsyncSession, org_id: uuid.UUID, wanted: Award) -> Awarded | None:
    """One award, or None when it was given already (or its rule is switched off)."""
    written = await award_many(session, org_id, [wanted])
    return written[0] if written else None


async def correct(
    session: AsyncSession,
    org_id: uuid.UUID,
    entry_id: uuid.UUID,
    *,
    points: int,
    reason: str,
    recorded_by: uuid.UUID | None,
) -> uuid.UUID | None:
    """A compensating entry for `entry_id` (in its period and category), or None when no such
    entry is in the organization. The reason is required by the table's constraint."""
    timezone = await identity.org_timezone(session, org_id)
    [correction_id] = new_ids(1)
    rows = await fetch(
        session, CORRECT_SQL, org_id, timezone, correction_id, entry_id, points, reason, recorded_by
    )
    return rows[0]["id"] if rows else None


async def _award(
    session: AsyncSession, org_id: uuid.UUID, timezone: str, awards: Sequence[Award]
) -> list[asyncpg.Record]:
    return await fetch(
        session,
        AWARD_SQL,
        org_id,
        timezone,
        new_ids(len(awards)),
        [item.employee_id for item in awards],
        [item.code for item in awards],
        [item.source_type for item in awards],
        [item.source_id for item in awards],
        [item.occurred_at for item in awards],
        [item.points for item in awards],
    )
