"""Selection accuracy 「选拔准确率」: of the people appointed to a vacancy from a talent pool,
who at 6 and at 12 months after the appointment's effective date is still in post and
rated well, still in post but rated below that or not yet rated, or moved — transferred or
gone. Each reached mark is one fact of the appointee (dimension `6_months` or
`12_months`), on the mark's day, in the vacancy's department.

"Rated well": the latest performance rating whose period ends after the appointment and by
the mark is 4 or more on the 1–5 scale (a letter A or B). "In post": no transfer or exit
took effect after the appointment and by the mark. Exit reasons are not split yet (the
exit categories come with people's exit model). A mark passing and a rating being written
announce no event: the figure is recollected hourly, and at once for a person whose
employment changes."""

from __future__ import annotations

import uuid
from calendar import monthrange
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.figures import Fact, Figure
from hrcore.core.i18n import N_
from hrcore.people import api as people
from hrcore.talent import api as talent

NAME = "selection_accuracy"
SUBJECT = "vacancy_appointment"
WELL = 4.0
"""A rating at least this on the 1–5 scale is "rated well" (A and B letters)."""

MARKS = {"6_months": 6, "12_months": 12}
MARK_LABELS = {"6_months": N_("After 6 months"), "12_months": N_("After 12 months")}

REASONS = {
    "rated_well": N_("Appointed {position} on {appointed_on}; in post, rated {rating} ({period})"),
    "rated_below": N_(
        "Appointed {position} on {appointed_on}; in post, rated only {rating} ({period})"
    ),
    "not_rated": N_("Appointed {position} on {appointed_on}; in post, not rated since"),
    "transferred": N_("Appointed {position} on {appointed_on}; transferred on {moved_on}"),
    "left": N_("Appointed {position} on {appointed_on}; left on {moved_on}"),
}


async def collect(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, employees: Sequence[uuid.UUID] | None
) -> list[Fact]:
    """Those people's appointments from pools at each mark reached by today."""
    today = now.date()
    appointments = await talent.pool_appointments(session, org_id, employees)
    appointees = list({a.employee_id for a in appointments})
    ratings = await people.rating_histories(session, org_id, appointees)
    changes = await people.post_changes(session, org_id, appointees)
    facts = []
    for appointment in appointments:
        for mark, months in MARKS.items():
            day = _months_after(appointment.effective_date, months)
            if day > today:
                continue
            step, params = _outcome(
                appointment,
                day,
                ratings.get(appointment.employee_id, []),
                changes.get(appointment.employee_id, []),
            )
            facts.append(
                Fact(
                    step=step,
                    subject_type=SUBJECT,
                    subject_id=appointment.id,
                    employee_id=appointment.employee_id,
                    department_id=appointment.department_id,
                    occurred_on=day,
                    reason_key=REASONS[step],
                    reason_params={
                        "position": appointment.position_title,
                        "appointed_on": appointment.effective_date.isoformat(),
                        **params,
                    },
                    dimension=mark,
                )
            )
    return facts


def _outcome(
    appointment: talent.PoolAppointment,
    day: date,
    ratings: list[people.RatedPeriod],
    changes: list[people.PostChange],
) -> tuple[str, dict[str, str]]:
    start = appointment.effective_date
    moved = [c for c in changes if start < c.effective_date <= day]
    if moved:
        step = "left" if moved[0].kind == "exit" else "transferred"
        return step, {"moved_on": moved[0].effective_date.isoformat()}
    rated = [r for r in ratings if start < r.ends_on <= day]
    if not rated:
        return "not_rated", {}
    latest = rated[-1]
    params = {"rating": f"{latest.value:g}", "period": latest.period}
    return ("rated_well" if latest.value >= WELL else "rated_below"), params


def _months_after(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


FIGURE = Figure(
    name=NAME,
    steps=(
        ("rated_well", N_("In post, rated well")),
        ("rated_below", N_("In post, rated below")),
        ("not_rated", N_("In post, not rated")),
        ("transferred", N_("Transferred")),
        ("left", N_("Left")),
    ),
    collect=collect,
    events=(people.EMPLOYMENT_EVENT_RECORDED, people.EMPLOYMENT_EVENT_APPLIED),
    every_minutes=60,
)
