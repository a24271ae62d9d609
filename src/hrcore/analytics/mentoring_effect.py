"""Mentoring effectiveness 「带教成效」: pairings running and ended, sessions held against
those planned, and what the pairings achieved as mentoring's effectiveness stored it (the
mentee's rating before → since, the skill-test gain, goals reached) and each mentor's score.
Nothing is recomputed here. Pairings and their outcomes count for the mentee, sessions and
scores for the mentor; a logged session or an ended pairing recollects the figure, and the
hourly pass takes in effectiveness the worker recomputed meanwhile."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.figures import Fact, Figure
from hrcore.core.i18n import N_
from hrcore.mentoring import api as mentoring
from hrcore.workflow import api as workflow

NAME = "mentoring_effect"
PAIRING, SESSION, TASK, MENTOR = "mentorship", "mentoring_session", "task", "mentor"

REASONS = {
    "active": N_("Paired on {started_on}, until {ends_on}"),
    "completed": N_("Pairing completed on {ended_on}"),
    "cancelled": N_("Pairing cancelled on {ended_on}"),
    "session_planned": N_("Session scheduled, due {due_on}"),
    "session_held": N_("Session held on {held_on}"),
    "performance_gain": N_("Rated {before} before the pairing, {latest} since"),
    "skill_gain": N_("Skill tests: {first} first, {last} last"),
    "goals_reached": N_("{reached} of {total} goals reached"),
    "mentor_score": N_("Effectiveness score {score} over {pairings} pairings"),
}


async def collect(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, people: Sequence[uuid.UUID] | None
) -> list[Fact]:
    """Pairings of the mentees, sessions, planned sessions and scores of the mentors."""
    found = await mentoring.mentoring_outcomes(session, org_id, people)
    kinds = list(mentoring.SESSION_TASK_KINDS)
    planned = await workflow.task_timeliness(session, org_id, kinds, now, people)
    facts = [fact for pairing in found.pairings for fact in _pairing_facts(pairing)]
    facts += [
        _fact(
            "session_held",
            SESSION,
            s.id,
            s.mentor_employee_id,
            s.department_id,
            s.held_on,
            {"held_on": s.held_on.isoformat()},
            dimension=s.kind,
        )
        for s in found.sessions
    ]
    facts += [
        _fact(
            "session_planned",
            TASK,
            t.id,
            t.assignee_employee_id,
            t.department_id,
            t.due_at.date(),
            {"due_on": t.due_at.date().isoformat()},
            dimension=t.kind,
        )
        for t in planned
    ]
    facts += [
        _fact(
            "mentor_score",
            MENTOR,
            m.mentor_id,
            m.employee_id,
            m.department_id,
            m.computed_at.date(),
            {"score": round(m.score, 2), "pairings": m.pairings},
            value=m.score,
        )
        for m in found.scores
    ]
    return facts


def _pairing_facts(p: mentoring.PairingOutcome) -> list[Fact]:
    """The pairing's state, and each outcome its effectiveness measured, on the day it
    ended (or began, while it runs)."""
    ended = p.ended_at.date() if p.ended_at is not None else None
    day = ended or p.starts_on
    if p.status == "active" or ended is None:
        params = {"started_on": p.starts_on.isoformat(), "ends_on": p.ends_on.isoformat()}
        facts = [_fact("active", PAIRING, p.id, p.mentee_employee_id, p.department_id, day, params)]
    else:
        facts = [
            _fact(
                p.status,
                PAIRING,
                p.id,
                p.mentee_employee_id,
                p.department_id,
                day,
                {"ended_on": ended.isoformat()},
            )
        ]
    if p.status == "cancelled":
        return facts
    outcomes = []
    if p.performance_gain is not None:
        outcomes.append(
            (
                "performance_gain",
                p.performance_gain,
                {"before": p.rating_before, "latest": p.rating_latest},
            )
        )
    if p.skill_gain is not None:
        outcomes.append(
            ("skill_gain", p.skill_gain, {"first": p.skill_first, "last": p.skill_last})
        )
    if p.goals_total:
        outcomes.append(
            (
                "goals_reached",
                100 * p.goals_reached / p.goals_total,
                {"reached": p.goals_reached, "total": p.goals_total},
            )
        )
    facts += [
        _fact(step, PAIRING, p.id, p.mentee_employee_id, p.department_id, day, params, value=value)
        for step, value, params in outcomes
    ]
    return facts


def _fact(
    step: str,
    subject_type: str,
    subject_id: uuid.UUID,
    employee_id: uuid.UUID,
    department_id: uuid.UUID | None,
    day: date,
    params: Mapping[str, object],
    *,
    dimension: str = "",
    value: float | None = None,
) -> Fact:
    return Fact(
        step=step,
        subject_type=subject_type,
        subject_id=subject_id,
        employee_id=employee_id,
        department_id=department_id,
        occurred_on=day,
        reason_key=REASONS[step],
        reason_params=dict(params),
        dimension=dimension,
        value=None if value is None else Decimal(str(round(value, 4))),
    )


FIGURE = Figure(
    name=NAME,
    steps=(
        ("active", N_("Pairings running")),
        ("completed", N_("Pairings completed")),
        ("cancelled", N_("Pairings cancelled")),
        ("session_planned", N_("Sessions planned")),
        ("session_held", N_("Sessions held")),
        ("performance_gain", N_("Mentee rating gain")),
        ("skill_gain", N_("Skill-test gain")),
        ("goals_reached", N_("Goals reached")),
        ("mentor_score", N_("Mentor effectiveness score")),
    ),
    collect=collect,
    events=(mentoring.SESSION_LOGGED, mentoring.MENTORSHIP_ENDED),
    every_minutes=60,
)
