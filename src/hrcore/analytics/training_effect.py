"""Training's figure 「培训成效与积分分布」: the effect of courses — enrolments made,
completed, exams passed where the course has a pass mark, action plans submitted, by
course category — and the distribution of the year's points per category in bands, as the
ledger's yearly balances hold them. An enrolment completing or an exam passed recollects
it; the hourly pass takes in points awarded meanwhile."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.figures import Fact, Figure
from hrcore.core.i18n import N_
from hrcore.training import api as training

NAME = "training_effect"
ENROLMENT, BALANCE = "enrolment", "points_balance"

CATEGORIES = ("participation", "outcome", "sharing", "total")
"""The ledger's point categories and their sum, each a step of the distribution."""

BANDS: tuple[tuple[int, str], ...] = ((0, "0"), (1, "1-19"), (20, "20-49"), (50, "50-99"))
TOP_BAND = "100+"
"""Each band's lowest total and name; 100 and more is the top band. A balance's subject is
the person's year (a name-based id), so each year is its own fact."""

REASONS = {
    "enrolled": N_("Enrolled on {enrolled_on}"),
    "completed": N_("Completed on {completed_on}"),
    "examined": N_("Completed on {completed_on} a course with an exam"),
    "exam_passed": N_("Passed the exam on {passed_on}"),
    "action_plan": N_("Action plan submitted on {submitted_on}"),
    "points": N_("{points} points in {year}"),
}


async def collect(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, people: Sequence[uuid.UUID] | None
) -> list[Fact]:
    """The people's enrolments and yearly points."""
    records = await training.training_records(session, org_id, people)
    facts = [fact for row in records.enrolments for fact in _enrolment_facts(row)]
    for year in records.points:
        first = date(int(year.period), 1, 1)
        for step in CATEGORIES:
            points = getattr(year, step)
            facts.append(
                Fact(
                    step=step,
                    subject_type=BALANCE,
                    subject_id=uuid.uuid5(year.employee_id, year.period),
                    employee_id=year.employee_id,
                    department_id=year.department_id,
                    occurred_on=first,
                    reason_key=REASONS["points"],
                    reason_params={"points": points, "year": year.period},
                    dimension=band(points),
                    value=Decimal(points),
                )
            )
    return facts


def band(points: int) -> str:
    """The band of a points total (none or fewer: `0`)."""
    if points >= 100:
        return TOP_BAND
    return next((name for lowest, name in reversed(BANDS) if points >= lowest), BANDS[0][1])


def _enrolment_facts(row: training.EnrolmentRecord) -> list[Fact]:
    steps = [("enrolled", row.created_at, "enrolled_on")]
    if row.completed_at is not None:
        steps.append(("completed", row.completed_at, "completed_on"))
        if row.examined:
            steps.append(("examined", row.completed_at, "completed_on"))
    if row.passed_at is not None:
        steps.append(("exam_passed", row.passed_at, "passed_on"))
    if row.plan_submitted_at is not None:
        steps.append(("action_plan", row.plan_submitted_at, "submitted_on"))
    return [
        Fact(
            step=step,
            subject_type=ENROLMENT,
            subject_id=row.id,
            employee_id=row.employee_id,
            department_id=row.department_id,
            occurred_on=moment.date(),
            reason_key=REASONS[step],
            reason_params={param: moment.date().isoformat()},
            dimension=row.category,
        )
        for step, moment, param in steps
    ]


FIGURE = Figure(
    name=NAME,
    steps=(
        ("enrolled", N_("Enrolled")),
        ("completed", N_("Completed")),
        ("examined", N_("Completed a course with an exam")),
        ("exam_passed", N_("Exams passed")),
        ("action_plan", N_("Action plans submitted")),
        ("participation", N_("Participation points")),
        ("outcome", N_("Outcome points")),
        ("sharing", N_("Sharing points")),
        ("total", N_("Total points")),
    ),
    collect=collect,
    events=(training.ENROLMENT_COMPLETED, training.EXAM_PASSED),
    every_minutes=60,
)
