"""Training needs analysis 「培训需求分析」: what the data says people need to learn, per
competency, with the evidence and the courses that address it.

Three sources, each read set-based from the domain that owns it: the requirements of the
person's position's competency model they do not meet (competencies' gap rule), the items
of their newest published review result that name a competency and scored under the
threshold (the stored figure every reader of the result sees, never a rater's answer), and
the requirements of the model of the position their career plan aims at. Scores are shown
on 0–100 (the profile's 0–10 × 10).

In a department, a competency that enough people share is one common need with its count
and average score; everyone else's needs are individual. Each need proposes the active
courses tagged with its competency, never to someone who passed the course. The read is a
fixed number of statements whatever the department's size."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.authz import Principal
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import OFFSET, PageParams, decode_cursor, encode_cursor
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.reviews import api as reviews
from hrcore.training import needs_repository
from hrcore.training.needs_access import Person, department_people, one_person
from hrcore.training.needs_schemas import TrainingNeedsOut


@dataclass(frozen=True)
class Thresholds:
    """The query's figures: a review item under `review` (0–100) is a need; a competency is
    common in a department when at least two people share it and either `min_people` do or
    `min_percent` of those analysed."""

    review: int
    min_people: int
    min_percent: int


DEFAULTS = Thresholds(review=70, min_people=3, min_percent=30)
"""The seeds' figures: a review item under 70 is a need; a competency shared by 3 people, or
by 30 % of those analysed, is common (`GET /training-needs`'s defaults)."""


@dataclass(frozen=True)
class Finding:
    """One piece of evidence of one person's need of one competency (values 0–100)."""

    source: str
    value: float | None
    threshold: float
    position_id: uuid.UUID | None = None
    cycle: Ref | None = None
    item: str | None = None


Findings = dict[uuid.UUID, dict[uuid.UUID, list[Finding]]]
"""Employee → competency → evidence."""


@dataclass(frozen=True)
class Course:
    """A course that addresses some of the needs, and who among the people has passed it."""

    row: asyncpg.Record
    competency_ids: frozenset[uuid.UUID]
    passed_by: frozenset[uuid.UUID]


async def analyse(
    session: AsyncSession,
    principal: Principal,
    *,
    department_id: uuid.UUID | None,
    employee_id: uuid.UUID | None,
    thresholds: Thresholds,
    page: PageParams,
) -> TrainingNeedsOut:
    """A department's subtree (HR admins, department heads inside their scope) or one person
    (whoever may see them); exactly one of the two (422)."""
    if (department_id is None) == (employee_id is None):
        raise Unprocessable(
            _("Name exactly one: a department or an employee"),
            errors=[
                FieldError(field=name, message=_("give exactly one of department_id, employee_id"))
                for name in ("department_id", "employee_id")
            ],
        )
    [offset] = decode_cursor(page.cursor, [OFFSET]) if page.cursor else [0]
    department: Ref | None = None
    if department_id is not None:
        department, persons = await department_people(session, principal, department_id)
    else:
        assert employee_id is not None
        persons = [await one_person(session, principal, employee_id)]
    findings = await _findings(session, principal.org_id, persons, thresholds.review)
    needs = await _needs(session, principal.org_id, persons, findings, thresholds, department)
    end = offset + page.limit
    return TrainingNeedsOut.model_validate(
        {
            "department_id": department.id if department else None,
            "department": department,
            "employee_id": None if department else persons[0].ref.id,
            "employee": None if department else persons[0].ref,
            "people": len(persons),
            "review_threshold": thresholds.review,
            "items": needs[offset:end],
            "next_cursor": encode_cursor([end]) if end < len(needs) else None,
        }
    )


async def _findings(
    session: AsyncSession, org_id: uuid.UUID, persons: Sequence[Person], review_threshold: int
) -> Findings:
    """Every person's evidence by competency, from the three sources: four statements."""
    ids = [person.ref.id for person in persons]
    targets = await people.career_targets(session, org_id, ids)
    own = {p.ref.id: p.position_id for p in persons if p.position_id is not None}
    wanted = [(p.ref.id, own[p.ref.id], p.department.id) for p in persons if p.ref.id in own]
    wanted += [
        (p.ref.id, target, p.department.id)
        for p in persons
        if (target := targets.get(p.ref.id)) is not None and target != own.get(p.ref.id)
    ]
    findings: Findings = defaultdict(lambda: defaultdict(list))
    for line in await competencies.unmet_for_many(session, org_id, wanted):
        source = (
            "position_model" if own.get(line.employee_id) == line.position_id else "career_plan"
        )
        current = round(line.current * 10, 1) if line.current is not None else None
        findings[line.employee_id][line.competency_id].append(
            Finding(source, current, round(line.required * 10, 1), position_id=line.position_id)
        )
    for item in await reviews.low_published_items(session, org_id, ids, below=review_threshold):
        findings[item.employee_id][item.competency_id].append(
            Finding(
                "review",
                round(item.score, 1),
                float(review_threshold),
                cycle=item.cycle,
                item=item.name,
            )
        )
    return findings


def _score(found: list[Finding]) -> float | None:
    """A person's score on the competency: the review's figures where a review measured it
    (the newest observation), else the profile's."""
    measured = [f.value for f in found if f.source == "review" and f.value is not None]
    if measured:
        return round(sum(measured) / len(measured), 1)
    return next((f.value for f in found if f.value is not None), None)


def _is_common(count: int, analysed: int, thresholds: Thresholds) -> bool:
    return count >= 2 and (
        count >= thresholds.min_people or count * 100 >= thresholds.min_percent * analysed
    )


async def _needs(
    session: AsyncSession,
    org_id: uuid.UUID,
    persons: Sequence[Person],
    findings: Findings,
    thresholds: Thresholds,
    department: Ref | None,
) -> list[dict[str, Any]]:
    """The needs as response dicts, common first (most people first), then individual;
    three statements (competency and position names, the courses)."""
    by_competency: dict[uuid.UUID, list[Person]] = defaultdict(list)
    for person in persons:
        for competency_id in findings.get(person.ref.id, {}):
            by_competency[competency_id].append(person)
    positions = {
        f.position_id
        for found in findings.values()
        for items in found.values()
        for f in items
        if f.position_id is not None
    }
    names = await competencies.competency_refs(session, org_id, list(by_competency))
    position_names = await org.position_refs(session, org_id, list(positions))
    rows = await needs_repository.courses_addressing(
        session, org_id, list(by_competency), [p.ref.id for p in persons if p.ref.id in findings]
    )
    courses = [
        Course(row, frozenset(row["competency_ids"]), frozenset(row["passed_by"])) for row in rows
    ]
    groups: list[tuple[bool, uuid.UUID, list[Person]]] = []
    for competency_id, group in by_competency.items():
        if competency_id not in names:
            continue
        if department is not None and _is_common(len(group), len(persons), thresholds):
            groups.append((True, competency_id, group))
        else:
            groups.extend((False, competency_id, [person]) for person in group)
    groups.sort(
        key=lambda g: (
            not g[0],
            -len(g[2]) if g[0] else 0,
            names[g[1]].name,
            str(g[1]),
            g[2][0].ref.name if not g[0] else "",
            str(g[2][0].ref.id),
        )
    )
    return [
        _need(common, names[competency_id], group, findings, courses, position_names)
        for common, competency_id, group in groups
    ]


def _need(
    common: bool,
    competency: Ref,
    group: list[Person],
    findings: Findings,
    courses: list[Course],
    position_names: dict[uuid.UUID, Ref],
) -> dict[str, Any]:
    addressing = [course for course in courses if competency.id in course.competency_ids]
    people_rows: list[dict[str, Any]] = []
    scores: list[float] = []
    evidence: dict[tuple[Any, ...], list[float | None]] = defaultdict(list)
    cycles: dict[uuid.UUID, Ref] = {}
    for person in group:
        found = findings[person.ref.id][competency.id]
        score = _score(found)
        if score is not None:
            scores.append(score)
        for f in found:
            if f.cycle is not None:
                cycles[f.cycle.id] = f.cycle
            key = (f.source, f.position_id, f.cycle.id if f.cycle else None, f.item, f.threshold)
            evidence[key].append(f.value)
        people_rows.append(
            {
                "employee_id": person.ref.id,
                "employee": person.ref,
                "department_id": person.department.id,
                "department": person.department,
                "score": score,
                "course_ids": [
                    course.row["id"]
                    for course in addressing
                    if person.ref.id not in course.passed_by
                ],
            }
        )
    proposed = [
        (course.row, sum(person.ref.id not in course.passed_by for person in group))
        for course in addressing
    ]
    return {
        "kind": "common" if common else "individual",
        "competency_id": competency.id,
        "competency": competency,
        "count": len(group),
        "average_score": round(sum(scores) / len(scores), 1) if scores else None,
        "evidence": [
            _evidence(key, values, position_names, cycles)
            for key, values in sorted(
                evidence.items(), key=lambda kv: (kv[0][0], -len(kv[1]), str(kv[0][1:]))
            )
        ],
        "people": people_rows,
        "courses": [
            {
                "course_id": course["id"],
                "course": {"id": course["id"], "name": course["name"]},
                "mode": course["mode"],
                "hours": course["hours"],
                "points": course["points"],
                "proposed_to": count,
            }
            for course, count in proposed
            if count
        ],
    }


def _evidence(
    key: tuple[Any, ...],
    values: list[float | None],
    position_names: dict[uuid.UUID, Ref],
    cycles: dict[uuid.UUID, Ref],
) -> dict[str, Any]:
    source, position_id, cycle_id, item, threshold = key
    known = [value for value in values if value is not None]
    return {
        "source": source,
        "people": len(values),
        "value": round(sum(known) / len(known), 1) if known else None,
        "threshold": threshold,
        "position_id": position_id,
        "position": position_names.get(position_id) if position_id else None,
        "review_cycle_id": cycle_id,
        "review_cycle": cycles.get(cycle_id) if cycle_id else None,
        "item": item,
    }
