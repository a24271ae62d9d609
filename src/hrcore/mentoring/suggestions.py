"""Mentor suggestions for a mentee in a program, ranked and explained.

Each of the program's mentors (qualifying: a flagged mentor is not suggested; never the mentee
themself) is scored 0–100 on terms, combined by the program's weights through
`core.scoring.weighted_mean` (a term that says nothing about a mentor is left out and the
others reweighed):

- `strengths`: how much of the level the mentee's position requires the mentor has, on each
  competency the mentee falls short of (competencies' gap rule), weighted by the gap and the
  model's weight; absent when the mentee has no gap (no position, no model, or every
  requirement met).
- `proximity`: 100 in the mentee's department, 25 less per step between the two departments
  in the tree (a parent 75, a sibling 50), 0 from four steps.
- `capacity`: the share of the program's capacity still free. Full mentors are shown, ranked
  after every mentor with room (`available_only` leaves them out).
- `effectiveness`: the mentor's past effectiveness (0–100, `effectiveness.effectiveness_of`,
  recomputed by the worker); left out for a mentor without a figure.

A fixed number of statements whatever the number of mentors: the program, the mentee, the
mentors with their load, their names and departments, the departments' paths, the mentee's
match (at most three), the mentors' scores on the gaps, their effectiveness.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.authz import Principal
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.i18n import Text as Message
from hrcore.core.schemas import Ref
from hrcore.core.scoring import weighted_mean
from hrcore.mentoring import access, effectiveness, suggestion_queries
from hrcore.mentoring.models import MentoringProgram
from hrcore.mentoring.schemas import SuggestionWeights
from hrcore.mentoring.suggestion_schemas import (
    MentorGap,
    MentorStrength,
    MentorSuggestionOut,
    MentorSuggestionsOut,
    MentorSuggestionTerm,
    Relation,
)
from hrcore.org import api as org
from hrcore.people import api as people

PROXIMITY_STEP = 25.0


@dataclass(frozen=True)
class _Gap:
    competency_id: uuid.UUID
    required: float
    weight: float


@dataclass(frozen=True, slots=True)
class _Ranked:
    """One mentor's figures as plain values: only the shown ones become response models."""

    mentor_id: uuid.UUID
    employee: Ref
    department_id: uuid.UUID
    load: int
    figures: dict[str, float]
    covers: list[float]
    distance: int
    relation: Relation
    score: float


async def suggest(
    session: AsyncSession,
    principal: Principal,
    program_id: uuid.UUID,
    mentee_id: uuid.UUID,
    *,
    limit: int,
    available_only: bool,
) -> MentorSuggestionsOut:
    """HR admins, or whoever has the mentee in reach but the mentee (their manager up the
    line, the department head); 404 otherwise."""
    program = await access.readable_program(session, principal, program_id)
    mentee = await people.ensure_can_view(session, principal, mentee_id)
    if not principal.is_hr_admin and mentee.id == principal.employee_id:
        raise NotFound(_("No such {what}", what=Message(N_("employee"))))
    await _require_mentee(session, program, mentee)
    return await rank(session, program, mentee, limit=limit, available_only=available_only)


async def rank(
    session: AsyncSession,
    program: MentoringProgram,
    mentee: people.EmployeeInfo,
    *,
    limit: int,
    available_only: bool,
) -> MentorSuggestionsOut:
    """The suggestions for a mentee the caller was already allowed to ask about (a mentor
    request computes them for its requester, who may not ask `suggest` about themself)."""
    org_id = program.org_id
    rows = await suggestion_queries.mentors_with_load(session, org_id, program.id, mentee.id)
    mentor_of = {row["employee_id"]: row for row in rows}
    active = await people.active_people_among(session, org_id, list(mentor_of))
    paths = await org.department_paths(
        session, org_id, list({mentee.department_id, *active.department_ids})
    )
    match = await _mentee_match(session, org_id, mentee)
    gaps = [_Gap(line.competency_id, line.required, line.gap * line.weight) for line in match]
    scores = await competencies.current_scores(
        session, org_id, active.ids, [gap.competency_id for gap in gaps]
    )
    past = await effectiveness.effectiveness_of(
        session, org_id, [mentor_of[e]["id"] for e in active.ids]
    )
    weights = SuggestionWeights.model_validate(program.suggestion_weights or {})
    weight_of = weights.model_dump()
    parts = {department: _parts(path) for department, path in paths.items()}
    ranked = []
    # In name order (the named query's), so a stable sort by score breaks ties by name.
    for employee_id, name, department_id in zip(
        active.ids, active.names, active.department_ids, strict=True
    ):
        row = mentor_of[employee_id]
        distance, relation = _distance(parts[mentee.department_id], parts[department_id])
        mine = scores.get(employee_id, {})
        covers = [_covers(gap, mine.get(gap.competency_id)) for gap in gaps]
        figures = {
            "proximity": max(0.0, 100.0 - PROXIMITY_STEP * distance),
            "capacity": max(0, program.capacity - row["load"]) / program.capacity * 100,
        }
        if gaps:
            figures["strengths"] = _coverage(gaps, covers)
        if row["id"] in past:
            figures["effectiveness"] = past[row["id"]]
        if row["load"] < program.capacity or not available_only:
            ranked.append(
                _Ranked(
                    row["id"],
                    Ref(id=employee_id, name=name),
                    department_id,
                    row["load"],
                    figures,
                    covers,
                    distance,
                    relation,
                    round(weighted_mean(figures, weight_of) or 0.0, 2),
                )
            )
    ranked.sort(key=lambda item: (item.load >= program.capacity, -item.score))
    shown = ranked[:limit]
    departments = await org.department_refs(session, org_id, list({i.department_id for i in shown}))
    items = [
        _item(item, departments, program.capacity, weight_of, scores, gaps, match) for item in shown
    ]
    return MentorSuggestionsOut(
        program=Ref(id=program.id, name=program.name),
        mentee=Ref(id=mentee.id, name=mentee.full_name),
        gaps=[
            MentorGap(
                competency=Ref(id=line.competency_id, name=line.name),
                required=line.required,
                current=line.current,
                gap=line.gap,
            )
            for line in match
        ],
        weights=weights,
        considered=len(ranked),
        items=items,
    )


async def _require_mentee(
    session: AsyncSession, program: MentoringProgram, mentee: people.EmployeeInfo
) -> None:
    """An active employee within the program's departments, else 422 on `mentee_id`."""
    inside = program.department_id is None or mentee.department_id in await org.subtree_ids(
        session, program.org_id, program.department_id
    )
    if mentee.status != "active" or not inside:
        raise Unprocessable(
            _("The mentee must be an active employee within the program's departments"),
            errors=[FieldError(field="mentee_id", message=_("outside the program"))],
        )


async def _mentee_match(
    session: AsyncSession, org_id: uuid.UUID, mentee: people.EmployeeInfo
) -> list[competencies.MatchLine]:
    """The mentee's unmet competencies against their position's model, heaviest first."""
    if mentee.position_id is None:
        return []
    candidate = (mentee.id, mentee.position_id, mentee.department_id)
    found = await competencies.match_for_candidates(session, org_id, [candidate])
    match = found.get(candidate)
    return match.largest_gaps(len(match.lines)) if match else []


def _parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def _distance(mentee: list[str], mentor: list[str]) -> tuple[int, Relation]:
    """Steps between two departments through their closest common ancestor."""
    common = 0
    for mine, theirs in zip(mentee, mentor, strict=False):
        if mine != theirs:
            break
        common += 1
    distance = len(mentee) + len(mentor) - 2 * common
    if distance == 0:
        return 0, "same_department"
    sibling = len(mentee) == len(mentor) == common + 1
    return distance, "sibling" if sibling else "other"


def _covers(gap: _Gap, score: float | None) -> float:
    """How much of the required level the mentor has, 0–1."""
    return 0.0 if score is None or gap.required <= 0 else min(score / gap.required, 1.0)


def _coverage(gaps: Sequence[_Gap], covers: Sequence[float]) -> float:
    """The mentor's cover of the mentee's gaps, weighted by gap and model weight, 0–100."""
    total = sum(gap.weight for gap in gaps)
    if total <= 0:
        return 0.0
    return sum(gap.weight * cover for gap, cover in zip(gaps, covers, strict=True)) / total * 100


def _item(
    item: _Ranked,
    departments: Mapping[uuid.UUID, Ref],
    capacity: int,
    weight_of: dict[str, float],
    scores: Mapping[uuid.UUID, Mapping[uuid.UUID, float]],
    gaps: Sequence[_Gap],
    match: Sequence[competencies.MatchLine],
) -> MentorSuggestionOut:
    used = {term: weight_of[term] for term in item.figures if weight_of[term] > 0}
    total = sum(used.values())
    return MentorSuggestionOut(
        mentor_id=item.mentor_id,
        employee=item.employee,
        department=departments[item.department_id],
        score=item.score,
        terms=[
            MentorSuggestionTerm(
                term=term, weight=round(weight / total, 4), score=round(item.figures[term], 2)
            )
            for term, weight in used.items()
        ],
        strengths=[
            MentorStrength(
                competency=Ref(id=gap.competency_id, name=line.name),
                mentor_score=scores.get(item.employee.id, {}).get(gap.competency_id),
                covers=round(cover, 4),
            )
            for gap, line, cover in zip(gaps, match, item.covers, strict=True)
        ],
        relation=item.relation,
        distance=item.distance,
        load=item.load,
        capacity=capacity,
        has_room=item.load < capacity,
    )
