"""Retention 「留任」: turnover of program graduates, trained managers, new hires and mentees
against the rest, and turnover by exit reason.

Each cohort (a dimension; `everyone` is the whole population) counts a person's entry into
it (`joined`: hired, or later — finished a program, trained as a manager, first mentored),
their exit from the organization while in it (`left`, with the exit reason) and, for new
hires only, their staying on past twelve months (`moved_on`). The headcount of a cohort on
a day is then `joined − left − moved_on` up to that day, summed from the rollups; every exit
is also counted once by its reason (`left_for`, dimension = the category). People count in
their current department, a leaver in their last (as team turnover does). Twelve months
elapsing is no event: the figure is recollected daily."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.figures import Fact, Figure
from hrcore.core.i18n import N_
from hrcore.mentoring import api as mentoring
from hrcore.people import api as people
from hrcore.programs import api as programs
from hrcore.training import api as training

NAME = "retention"
EVERYONE = "everyone"
NOT_RECORDED = "not_recorded"
NEW_HIRE_DAYS = 365
"""A new hire is someone hired less than twelve months ago."""

COHORTS = {
    "program_graduates": N_("Program graduates"),
    "trained_managers": N_("Trained managers"),
    "new_hires": N_("New hires"),
    "mentees": N_("Mentees"),
}
REASONS = (*people.EXIT_REASONS, NOT_RECORDED)
NOT_RECORDED_LABEL = N_("Not recorded")

JOINED = {
    EVERYONE: N_("Employed from {hired_on}"),
    "program_graduates": N_("Finished a program on {graduated_on}"),
    "trained_managers": N_("A manager who finished a course on {trained_on}"),
    "new_hires": N_("Hired on {hired_on}"),
    "mentees": N_("Mentored from {mentored_on}"),
}
LEFT = {
    "ability_mismatch": N_("Left on {left_on}: ability mismatch"),
    "pay": N_("Left on {left_on}: pay"),
    "development": N_("Left on {left_on}: development opportunities"),
    "personal": N_("Left on {left_on}: personal reasons"),
    "relocation": N_("Left on {left_on}: relocation"),
    "health": N_("Left on {left_on}: health"),
    "dismissal": N_("Left on {left_on}: dismissal"),
    "contract_end": N_("Left on {left_on}: contract ended"),
    "retirement": N_("Left on {left_on}: retirement"),
    "other": N_("Left on {left_on}: other reasons"),
    NOT_RECORDED: N_("Left on {left_on}, reason not recorded"),
}
MOVED_ON = N_("Twelve months employed on {anniversary_on}: no longer a new hire")

SPELL = "employee"
EXIT = "employment_event"


async def collect(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, wanted: Sequence[uuid.UUID] | None
) -> list[Fact]:
    """Each spell of employment in every cohort its person belongs to, up to today."""
    today = now.date()
    spells = await people.employment_spells(session, org_id, wanted, today)
    graduated = await programs.first_graduations(session, org_id, wanted)
    trained = await training.first_completions(session, org_id, wanted)
    mentored = await mentoring.first_pairings(session, org_id, wanted)
    facts: list[Fact] = []
    for spell in spells:
        if spell.started_on > today:
            continue
        person = spell.employee_id
        entries: dict[str, tuple[date, dict[str, str]]] = {
            EVERYONE: (spell.started_on, {"hired_on": spell.started_on.isoformat()}),
            "new_hires": (spell.started_on, {"hired_on": spell.started_on.isoformat()}),
        }
        if person in graduated:
            day = graduated[person].date()
            entries["program_graduates"] = (day, {"graduated_on": day.isoformat()})
        if spell.manages and person in trained:
            day = trained[person].date()
            entries["trained_managers"] = (day, {"trained_on": day.isoformat()})
        if person in mentored:
            day = mentored[person]
            entries["mentees"] = (day, {"mentored_on": day.isoformat()})
        for cohort, (since, params) in entries.items():
            facts.extend(_cohort_facts(spell, cohort, max(since, spell.started_on), params, today))
        if spell.ended_on is not None:
            facts.append(_left(spell, "left_for", spell.exit_reason or NOT_RECORDED))
    return facts


def _cohort_facts(
    spell: people.EmploymentSpell,
    cohort: str,
    entered: date,
    params: dict[str, str],
    today: date,
) -> list[Fact]:
    """The spell's entry into the cohort, and its exit from the organization or (a new
    hire) from the cohort — none when the spell ended before the person entered it."""
    ended = spell.ended_on
    if entered > today or (ended is not None and ended < entered):
        return []
    facts = [_fact(spell, "joined", cohort, entered, JOINED[cohort], params)]
    anniversary = spell.started_on + timedelta(days=NEW_HIRE_DAYS)
    if cohort == "new_hires" and (ended is None or ended >= anniversary):
        if anniversary <= today:
            facts.append(
                _fact(
                    spell,
                    "moved_on",
                    cohort,
                    anniversary,
                    MOVED_ON,
                    {"anniversary_on": anniversary.isoformat()},
                )
            )
        return facts
    if ended is not None:
        facts.append(_left(spell, "left", cohort))
    return facts


def _left(spell: people.EmploymentSpell, step: str, dimension: str) -> Fact:
    assert spell.ended_on is not None
    assert spell.exit_event_id is not None
    return Fact(
        step=step,
        subject_type=EXIT,
        subject_id=spell.exit_event_id,
        employee_id=spell.employee_id,
        department_id=spell.department_id,
        occurred_on=spell.ended_on,
        reason_key=LEFT[spell.exit_reason or NOT_RECORDED],
        reason_params={"left_on": spell.ended_on.isoformat()},
        dimension=dimension,
    )


def _fact(
    spell: people.EmploymentSpell,
    step: str,
    cohort: str,
    day: date,
    reason: str,
    params: dict[str, str],
) -> Fact:
    return Fact(
        step=step,
        subject_type=SPELL,
        subject_id=spell.employee_id,
        employee_id=spell.employee_id,
        department_id=spell.department_id,
        occurred_on=day,
        reason_key=reason,
        reason_params=params,
        dimension=cohort,
    )


FIGURE = Figure(
    name=NAME,
    steps=(
        ("joined", N_("Joined the cohort")),
        ("left", N_("Left the organization")),
        ("moved_on", N_("Left the cohort, still employed")),
        ("left_for", N_("Left, by exit reason")),
    ),
    collect=collect,
    events=(
        people.EMPLOYMENT_EVENT_RECORDED,
        people.EMPLOYMENT_EVENT_APPLIED,
        programs.PARTICIPANT_GRADUATED,
    ),
    every_minutes=24 * 60,
)
