"""The department heat map 「能力热力图」: competency × people in scope. Each active person
of the department (and, asked, the departments below it) is measured against their own
position's model — or a named position's — in the variant of their department when it has
one, as the gap analysis measures one person. The columns' figures cover everyone in scope,
the rows are paged; the read is a fixed number of statements whatever the size.
`team_attainment` is the columns alone for a team no caller scopes (a diagnosis's bundle)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import access, repository
from hrcore.competencies.gaps import measure
from hrcore.competencies.schemas import HeatmapOut
from hrcore.core.authz import Principal
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.core.pagination import OFFSET, PageParams, decode_cursor, encode_cursor
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people


def _columns(
    measures: list[dict[str, Any]], names: dict[uuid.UUID, tuple[str, int]]
) -> list[dict[str, Any]]:
    """Per competency: how many are measured against it and have a score, their mean score
    and the share who meet it."""
    lines: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for measured in measures:
        for line in measured["competencies"]:
            lines[line["competency_id"]].append(line)
    columns = []
    for competency_id, group in lines.items():
        scores = [line["current"] for line in group if line["current"] is not None]
        name, levels = names[competency_id]
        columns.append(
            {
                "competency_id": competency_id,
                "competency": {"id": competency_id, "name": name},
                "levels": levels,
                "people": len(group),
                "assessed": len(scores),
                "average": round(sum(scores) / len(scores), 2) if scores else None,
                "attained_percent": round(sum(line["met"] for line in group) / len(group) * 100, 1),
            }
        )
    return sorted(
        columns, key=lambda column: (column["competency"]["name"], str(column["competency_id"]))
    )


def _row(person: people.EmployeePost, model: Any, measured: dict[str, Any]) -> dict[str, Any]:
    return {
        "employee_id": person.ref.id,
        "employee": person.ref,
        "department_id": person.department.id,
        "department": person.department,
        "position_id": person.position.id if person.position else None,
        "position": person.position,
        "model_version": model["version"] if model is not None else None,
        "attained": measured["attained"],
        "match": measured["match"],
        "cells": [
            {key: line[key] for key in ("competency_id", "required_level", "required")}
            | {key: line[key] for key in ("current", "gap", "met")}
            for line in measured["competencies"]
        ],
    }


async def _target(
    session: AsyncSession, org_id: uuid.UUID, position_id: uuid.UUID | None
) -> Ref | None:
    if position_id is None:
        return None
    position = (await org.position_refs(session, org_id, [position_id])).get(position_id)
    if position is None:
        raise NotFound(_("No such position"))
    return position


async def _models_of(
    session: AsyncSession,
    org_id: uuid.UUID,
    persons: list[people.EmployeePost],
    target: Ref | None,
) -> dict[uuid.UUID, Any]:
    """By employee, the model they are measured against — the target's or their own
    position's, their department's variant when it has one — in one statement; people
    without a position or a model are absent. 404 when the target has no model."""
    wanted = {
        person.ref.id: (post.id, person.department.id)
        for person in persons
        if (post := target or person.position) is not None
    }
    models = await repository.models_for(session, org_id, list(set(wanted.values())))
    if target is not None and not models and persons:
        raise NotFound(_("No competency model for this position"))
    return {employee_id: models[key] for employee_id, key in wanted.items() if key in models}


async def heatmap(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID,
    *,
    position_id: uuid.UUID | None,
    include_subdepartments: bool,
    page: PageParams,
) -> HeatmapOut:
    """HR admins any department; a department head one in their scope; a manager the people
    of theirs in it; 404 otherwise, for a department of another organization, for a named
    position of another and for a named position without a model."""
    [offset] = decode_cursor(page.cursor, [OFFSET]) if page.cursor else [0]
    org_id = principal.org_id
    department = await org.department_ref(session, org_id, department_id)
    if department is None:
        raise NotFound(_("No such department"))
    departments = (
        await org.subtree_ids(session, org_id, department_id)
        if include_subdepartments
        else [department_id]
    )
    reach = await people.visible_employee_ids(session, principal)
    persons = await people.active_posts_in(session, org_id, departments, reach)
    await access.ensure_heatmap_reader(session, principal, department_id, reach, persons)
    target = await _target(session, org_id, position_id)
    chosen = await _models_of(session, org_id, persons, target)
    ids = {uuid.UUID(e["competency_id"]) for model in chosen.values() for e in model["entries"]}
    names = await repository.competency_levels(session, org_id, list(ids))
    scores = await repository.latest_scores(session, org_id, [p.ref.id for p in persons])
    measures = [
        measure(
            model["entries"] if (model := chosen.get(person.ref.id)) else [],
            profile["figures"] if (profile := scores.get(person.ref.id)) else [],
            names,
        )
        for person in persons
    ]
    end = offset + page.limit
    rows = [
        _row(person, chosen.get(person.ref.id), measured)
        for person, measured in zip(persons[offset:end], measures[offset:end], strict=True)
    ]
    return HeatmapOut.model_validate(
        {
            "department_id": department.id,
            "department": department,
            "include_subdepartments": include_subdepartments,
            "position_id": target.id if target else None,
            "position": target,
            "people": len(persons),
            "competencies": _columns(measures, names),
            "items": rows,
            "next_cursor": encode_cursor([end]) if end < len(persons) else None,
        }
    )


@dataclass(frozen=True)
class TeamAttainment:
    """How far a team meets its position models, over the members who have both a model and
    a profile (the others say nothing yet): the heat map's columns without its rows."""

    members: int
    measured: int
    attained: int
    mean_match: float | None
    competencies: list[dict[str, Any]]
    """Per competency as the heat map's columns: people, assessed, average, attained_percent."""


async def team_attainment(
    session: AsyncSession, org_id: uuid.UUID, persons: list[people.EmployeePost]
) -> TeamAttainment:
    """Each person against their own position's model (`gaps.measure`, the heat map's rule),
    for a report no caller scopes (a diagnosis opened by the cron); three statements."""
    chosen = await _models_of(session, org_id, persons, None)
    scores = await repository.latest_scores(session, org_id, list(chosen))
    ids = {uuid.UUID(e["competency_id"]) for model in chosen.values() for e in model["entries"]}
    names = await repository.competency_levels(session, org_id, list(ids))
    measures = [
        measure(chosen[employee_id]["entries"], profile["figures"], names)
        for employee_id, profile in scores.items()
        if employee_id in chosen
    ]
    matches = [m["match"] for m in measures]
    return TeamAttainment(
        members=len(persons),
        measured=len(measures),
        attained=sum(m["attained"] for m in measures),
        mean_match=round(sum(matches) / len(matches), 1) if matches else None,
        competencies=_columns(measures, names),
    )
