"""The statements of incentives, written once and run at the driver: the evaluation of an
ended period as a few `INSERT … SELECT` over `points_balances` (set-based: 100,000 employees
are one statement per group of kinds, not a loop), and the list with the employee's and the
granter's names joined in (the read-only name joins docs/architecture.md lists).

Every insert is `ON CONFLICT DO NOTHING` on (org, period, kind, employee): a retried job
writes nothing twice. Each answers how many rows it wrote."""

from __future__ import annotations

_RULES = "rules AS (SELECT * FROM incentive_rules WHERE org_id = $1)"

_WRITE = """
written AS (
    INSERT INTO incentives (id, org_id, period, employee_id, kind, amount, eligible, reasons,
                            status)
    SELECT gen_random_uuid(), $1, $2, employee_id, kind, amount, eligible, reasons, status
    FROM found
    ON CONFLICT (org_id, period, kind, employee_id) DO NOTHING
    RETURNING 1
)
SELECT count(*) AS written FROM written
"""

QUARTER_SQL = (
    "WITH "  # noqa: S608 (this module's constants only)
    + _RULES
    + """, ranked AS (
    SELECT b.employee_id, b.total,
           rank() OVER (ORDER BY b.total DESC) AS rank,
           count(*) OVER () AS ranked,
           cume_dist() OVER (ORDER BY b.total DESC) * 100 AS share
    FROM points_balances b
    WHERE b.org_id = $1 AND b.period = $2 AND b.total > 0
), found AS (
    SELECT r.employee_id, k.kind, k.amount, true AS eligible, k.reasons, 'owed' AS status
    FROM ranked r CROSS JOIN rules u, LATERAL (VALUES
        ('bonus_coefficient', u.top_coefficient, r.share <= u.top_percent,
         jsonb_build_object('points', r.total, 'rank', r.rank, 'ranked', r.ranked,
                            'top_percent', round(r.share::numeric, 2),
                            'threshold', u.top_percent)),
        ('bonus_percent',
         least((r.total / u.bonus_step_points) * u.bonus_step_percent, u.bonus_cap_percent),
         r.total >= u.bonus_step_points,
         jsonb_build_object('points', r.total, 'threshold', u.bonus_step_points)),
        ('competition_eligible', NULL, r.total >= u.competition_points,
         jsonb_build_object('points', r.total, 'threshold', u.competition_points)),
        ('benefits_eligible', NULL, r.total >= u.benefits_points,
         jsonb_build_object('points', r.total, 'threshold', u.benefits_points))
    ) AS k(kind, amount, qualifies, reasons)
    WHERE k.qualifies
),"""
    + _WRITE
)
"""A quarter ($2): the top share's coefficient (ranked among those with points, ties
sharing a rank: `cume_dist` is the share with at least as many points), the bonus percent
per step up to its cap, and the competition and benefits thresholds."""

PROMOTION_SQL = (
    "WITH "  # noqa: S608 (this module's constants only)
    + _RULES
    + """, points AS (
    SELECT employee_id, sum(total) AS points
    FROM points_balances
    WHERE org_id = $1 AND period = ANY($3::text[])
    GROUP BY employee_id
), plans AS (
    SELECT employee_id, count(*) FILTER (WHERE status = 'scored') AS scored, count(*) AS due
    FROM training_action_plans
    WHERE org_id = $1 AND created_at >= $4 AND created_at < $5
      AND (status = 'scored' OR created_at + $6 * interval '1 day' <= $5)
    GROUP BY employee_id
), found AS (
    SELECT p.employee_id, 'promotion_eligible' AS kind, NULL::numeric AS amount,
           true AS eligible, 'owed' AS status,
           jsonb_build_object(
               'points', p.points, 'threshold', u.promotion_points,
               'plans_scored', coalesce(a.scored, 0), 'plans_due', coalesce(a.due, 0),
               'plan_completion_percent', round(100.0 * a.scored / nullif(a.due, 0), 2),
               'plan_threshold_percent', u.promotion_plan_percent) AS reasons
    FROM points p CROSS JOIN rules u
    LEFT JOIN plans a ON a.employee_id = p.employee_id
    WHERE p.points >= u.promotion_points
      AND (u.promotion_plan_percent = 0
           OR (a.due > 0 AND a.scored * 100 >= u.promotion_plan_percent * a.due))
),"""
    + _WRITE
)
"""Promotion at a quarter's end ($2): the 12 months ($3, `YYYY-MM`) up to it hold at least
the points, and of the action plans created in the window ($4..$5) that were due by its end
or already scored ($6: the days after which a plan is due), the share scored is at least the
percent (no plan due: not met)."""

YEAR_SQL = (
    "WITH "  # noqa: S608 (this module's constants only)
    + _RULES
    + """, found AS (
    SELECT b.employee_id, 'excellent_eligible' AS kind, NULL::numeric AS amount,
           b.total >= u.excellent_points AS eligible,
           jsonb_build_object('points', b.total, 'threshold', u.excellent_points) AS reasons,
           CASE WHEN b.total >= u.excellent_points THEN 'owed' ELSE 'not_met' END AS status
    FROM points_balances b CROSS JOIN rules u
    WHERE b.org_id = $1 AND b.period = $2
),"""
    + _WRITE
)
"""A year ($2): whether each employee with points meets the "excellent" rating's
requirement, met or not, with the points as the reason."""

_SELECTED = """
SELECT i.id, i.period, i.employee_id, e.full_name AS employee_name, i.kind, i.amount,
       i.eligible, i.reasons::text AS reasons, i.status, i.created_at, i.granted_by,
       u.display_name AS granted_by_name, i.granted_at
FROM incentives i
JOIN employees e ON e.org_id = i.org_id AND e.id = i.employee_id
LEFT JOIN users u ON u.org_id = i.org_id AND u.id = i.granted_by
"""

_LISTED = (
    _SELECTED
    + """WHERE i.org_id = $1
  AND ($2::uuid[] IS NULL OR i.employee_id = ANY($2::uuid[]))
  AND ($3::text IS NULL OR i.period = $3)
  AND ($4::text IS NULL OR i.kind = $4)
  AND ($5::text IS NULL OR i.status = $5)
  AND ($6::uuid IS NULL OR i.employee_id = $6)
"""
)

PAGE_SQL = (
    _LISTED
    + """  AND ($7::text IS NULL OR i.period < $7
       OR (i.period = $7 AND (i.kind, i.employee_id) > ($8::text, $9::uuid)))
ORDER BY i.period DESC, i.kind, i.employee_id
LIMIT $10"""
)
"""Newest period first, then by kind and employee (the unique index's order), within the
reach ($2, `NULL`: the organization); $7..$9 the cursor."""

EXPORT_SQL = _LISTED + "ORDER BY i.period DESC, i.kind, e.full_name, i.employee_id"
"""Every incentive the filters find, for payroll."""

ONE_SQL = _SELECTED + "WHERE i.org_id = $1 AND i.id = $2"
