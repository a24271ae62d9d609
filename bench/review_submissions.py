"""An open review cycle for the write benchmark: one rater with many draft answers to submit.

`bench/run_writes.py` calls `open_cycle` before it measures `POST
/review-assignments/{id}/submit` and `CLEAN` after. The cycle, its form and its participants
are rows as `bench/generate_reviews.py` writes them (status open, name `CYCLE`); the
assignments and their tasks come from hrcore's own `reviews.assignments.assign_many`, so
each task is what a launched cycle gives its rater; the answers are then saved as a draft
(what `PUT /review-assignments/{id}/answers` leaves), ready to submit.
"""

from __future__ import annotations

import json
import uuid

from generate_reviews import _indicators
from sqlalchemy import select, text

from hrcore import domains
from hrcore.core.runtime import Runtime
from hrcore.reviews.assignments import Rating, assign_many
from hrcore.reviews.models import ReviewCycle, ReviewParticipant

CYCLE = "Benchmark submissions"
_IN_CYCLE = f"SELECT id FROM review_cycles WHERE name = '{CYCLE}'"
_ASSIGNMENTS = f"SELECT id FROM review_assignments WHERE cycle_id IN ({_IN_CYCLE})"
_FORM = {
    "indicators": _indicators(),
    "kind_weights": {"quantitative": 60, "qualitative": 40},
    "department_overrides": [],
}
_WEIGHTS = {"self": 0, "supervisor": 50, "peer": 30, "subordinate": 20}
ANSWERS = {f"b{n}": {"score": 4} for n in range(16)} | {f"q{n}": {"actual": 90} for n in range(4)}
CLEAN = (
    "DELETE FROM audit_events WHERE object_type = 'review_assignment'"
    f" AND object_id IN ({_ASSIGNMENTS})",
    "DELETE FROM audit_events WHERE object_type = 'task' AND object_id IN"
    f" (SELECT task_id FROM review_assignments WHERE cycle_id IN ({_IN_CYCLE}))",
    "CREATE TEMP TABLE bench_review_tasks AS SELECT task_id FROM review_assignments"
    f" WHERE cycle_id IN ({_IN_CYCLE})",
    f"DELETE FROM review_assignments WHERE cycle_id IN ({_IN_CYCLE})",
    "DELETE FROM tasks WHERE id IN (SELECT task_id FROM bench_review_tasks)",
    "DROP TABLE bench_review_tasks",
    f"DELETE FROM review_participants WHERE cycle_id IN ({_IN_CYCLE})",
    "CREATE TEMP TABLE bench_review_templates AS SELECT template_id FROM review_cycles"
    f" WHERE name = '{CYCLE}'",
    f"DELETE FROM review_cycles WHERE name = '{CYCLE}'",
    "DELETE FROM review_templates WHERE id IN (SELECT template_id FROM bench_review_templates)",
    "DROP TABLE bench_review_templates",
)
"""What the bench wrote for the cycle goes, in foreign-key order."""


async def open_cycle(runtime: Runtime, rater_email: str, count: int) -> list[uuid.UUID]:
    """The cycle with `count` participants, each rated (peer) by the user `rater_email`'s
    employee with a saved draft; returns the assignments' ids."""
    domains.install()  # the task kinds assign_many's tasks are checked against
    async with runtime.engine.begin() as connection:
        await connection.execute(text("SET LOCAL ROLE NONE"))
        row = (
            await connection.execute(
                text("SELECT org_id, employee_id FROM users WHERE email = :email"),
                {"email": rater_email},
            )
        ).one()
        org_id, rater = row.org_id, row.employee_id
        template = (
            await connection.execute(
                text(
                    "INSERT INTO review_templates (id, org_id, name, indicators, kind_weights,"
                    " department_overrides, revision, version) VALUES (gen_random_uuid(), :org,"
                    " :name, CAST(:indicators AS jsonb), CAST(:weights AS jsonb), '[]', 1, 1)"
                    " RETURNING id"
                ),
                {
                    "org": org_id,
                    "name": CYCLE,
                    "indicators": json.dumps(_FORM["indicators"]),
                    "weights": json.dumps(_FORM["kind_weights"]),
                },
            )
        ).scalar_one()
        cycle_id = (
            await connection.execute(
                text(
                    "INSERT INTO review_cycles (id, org_id, name, kind, template_id,"
                    " template_revision, form, relationship_weights, starts_on, due_on, status,"
                    " opened_at, version) VALUES (gen_random_uuid(), :org, :name, 'year_end',"
                    " :template, 1, CAST(:form AS jsonb), CAST(:weights AS jsonb), current_date,"
                    " current_date + 30, 'open', now(), 1) RETURNING id"
                ),
                {
                    "org": org_id,
                    "name": CYCLE,
                    "template": template,
                    "form": json.dumps(_FORM),
                    "weights": json.dumps(_WEIGHTS),
                },
            )
        ).scalar_one()
        await connection.execute(
            text(
                "INSERT INTO review_participants (id, org_id, cycle_id, employee_id,"
                " department_id) SELECT gen_random_uuid(), org_id, :cycle, id, department_id"
                " FROM employees WHERE org_id = :org AND status = 'active' AND id <> :rater"
                " ORDER BY id LIMIT :count"
            ),
            {"cycle": cycle_id, "org": org_id, "rater": rater, "count": count},
        )
    async with runtime.sessionmaker() as session, session.begin():
        await session.execute(
            text("SELECT set_config('app.org_id', :org, true)"), {"org": str(org_id)}
        )
        cycle = await session.get_one(ReviewCycle, cycle_id)
        members = (
            await session.scalars(
                select(ReviewParticipant).where(ReviewParticipant.cycle_id == cycle_id)
            )
        ).all()
        employees = await session.execute(
            text("SELECT id, full_name FROM employees WHERE id = ANY(:ids)"),
            {"ids": [member.employee_id for member in members]},
        )
        names = {row.id: row.full_name for row in employees}
        ratings = [Rating(m, rater, "peer", names[m.employee_id]) for m in members]
        await assign_many(session, cycle, ratings, actor=None)
        await session.execute(
            text(
                "UPDATE review_assignments SET status = 'draft', answers = CAST(:answers AS jsonb)"
                " WHERE cycle_id = :cycle"
            ),
            {"answers": json.dumps(ANSWERS), "cycle": cycle_id},
        )
        ids = await session.scalars(
            text(_ASSIGNMENTS.replace(_IN_CYCLE, ":cycle")), {"cycle": cycle_id}
        )
        return list(ids)
