"""Eligibility for many at once, pass/fail only: who fails a program's rules, and which.

What the flagging cron needs, for a program's mentors or a whole organization: people's
`failing_screen` evaluates every rule in one statement and answers only the employees
failing one, with no value and no `MentorRuleCheck` per employee and rule (building those
for 94,910 employees was most of `evaluate_many`'s 5 s). Mentoring's own rule
(`former_mentees_gain`) goes in as a given figure: the employees with any completed pairing
at the gain, counted in one statement over the organization — few, as only mentors have
former mentees; those absent have none and fail, as in the detailed checks. The answer is
the detailed one's (`eligibility.evaluate_many`), which a test holds it to."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.core.db import fetch
from hrcore.mentoring.eligibility import as_criterion, ratings_of
from hrcore.mentoring.schemas import MentorFormerMenteesGainRule, MentorReviewRatingRule, Rule
from hrcore.people import api as people

FORMER_MENTEES_GAIN_IN_ORG = """
SELECT mentor_employee_id, count(*) FROM mentorship_effectiveness
 WHERE org_id = $1 AND completed AND performance_gain >= $2
 GROUP BY mentor_employee_id
"""
"""Per employee of the organization, the completed pairings (as a mentor, in any program)
whose mentee gained at least the percentage (employees with none are left out)."""


async def _former_mentees(
    session: AsyncSession, org_id: uuid.UUID, rule: MentorFormerMenteesGainRule
) -> people.ScreeningCriterion:
    rows = await fetch(session, FORMER_MENTEES_GAIN_IN_ORG, org_id, rule.min_gain_percent)
    return people.GivenFigureCriterion(
        figures=tuple((row[0], float(row[1])) for row in rows), minimum=rule.min_mentees
    )


async def failing(
    session: AsyncSession,
    org_id: uuid.UUID,
    rules: list[Rule],
    clock: Clock,
    employee_ids: Sequence[uuid.UUID] | None = None,
) -> dict[uuid.UUID, list[str]]:
    """The active employees (among `employee_ids`; `None`: the whole organization) who fail
    any rule, with the kinds of the rules they fail in the program's order. Two statements,
    one more per rule of mentoring's own and one or two with a review-rating rule (its
    figures are read by id, so the whole organization's ids are read for it)."""
    if employee_ids is not None and not employee_ids:
        return {}
    ratings: tuple[tuple[uuid.UUID, float], ...] = ()
    if any(isinstance(rule, MentorReviewRatingRule) for rule in rules):
        rated = (
            employee_ids
            if employee_ids is not None
            else await people.active_employee_ids(session, org_id)
        )
        ratings = await ratings_of(session, org_id, rated)
    criteria = []
    for rule in rules:
        criterion = as_criterion(rule, ratings)
        if criterion is None:
            assert isinstance(rule, MentorFormerMenteesGainRule)
            criterion = await _former_mentees(session, org_id, rule)
        criteria.append(criterion)
    failed = await people.failing_screen(
        session,
        org_id,
        criteria,
        today=await people.org_today(session, org_id, clock),
        among_ids=None if employee_ids is None else list(employee_ids),
    )
    return {
        employee_id: [rules[position].kind for position in positions]
        for employee_id, positions in failed.items()
    }
