"""Gap analysis: an employee against a position's competency model — per competency the
requirement, where they stand and the gap, and attainment 「达标」 when every required level
is met. A required level r of a competency with N levels is r / N × 10 on the profile's
0–10 scale (level 4 of 5 needs 8.0)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository
from hrcore.competencies.levels import on_scale
from hrcore.competencies.schemas import CompetencyGapsOut
from hrcore.core.authz import Principal
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.org import api as org
from hrcore.people import api as people


def _gap(required: float, current: float | None) -> float:
    """How far below the required score, 0 when met (no score counts as 0)."""
    return round(max(required - (current or 0.0), 0.0), 2)


def _lines(
    entries: list[dict[str, Any]],
    scores: dict[str, float],
    names: dict[uuid.UUID, tuple[str, int]],
) -> list[dict[str, Any]]:
    lines = []
    for entry in entries:
        competency_id = uuid.UUID(entry["competency_id"])
        name, levels = names.get(competency_id, ("", 0))
        if levels == 0:
            continue
        required = on_scale(entry["required_level"], levels)
        current = scores.get(entry["competency_id"])
        gap = _gap(required, current)
        lines.append(
            {
                "competency_id": competency_id,
                "competency": {"id": competency_id, "name": name},
                "weight": entry["weight"],
                "required_level": entry["required_level"],
                "levels": levels,
                "required": required,
                "current": current,
                "gap": gap,
                "met": gap == 0,
            }
        )
    return lines


def measure(
    entries: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    names: dict[uuid.UUID, tuple[str, int]],
) -> dict[str, Any]:
    """A profile's figures against a model's entries: the lines (required, current, gap,
    met), `match` 0–100 (the weighted share of the requirements met, capped per competency)
    and `attained` 「达标」. The one rule the gap report and every batch reader share."""
    scores = {figure["competency_id"]: figure["score"] for figure in figures}
    lines = _lines(entries, scores, names)
    total = sum(line["weight"] for line in lines)
    met = sum(
        line["weight"] * min((line["current"] or 0.0) / line["required"], 1.0) for line in lines
    )
    return {
        "competencies": lines,
        "attained": bool(lines) and all(line["met"] for line in lines),
        "match": round(met / total * 100, 1) if total else 0.0,
    }


@dataclass(frozen=True)
class Unmet:
    """What an employee does not meet yet of their position's model, and which model it is:
    the position, the variant's department (None: the general model) and the version."""

    position_id: uuid.UUID
    department_id: uuid.UUID | None
    version: int
    requirements: list[tuple[uuid.UUID, int]]
    """(competency, required level), heaviest first."""


async def unmet_requirements(
    session: AsyncSession, org_id: uuid.UUID, employee: people.EmployeeInfo
) -> Unmet | None:
    """Each requirement of the employee's own position model (their department's variant
    when there is one) they do not meet yet, heaviest first, with the model's version; None
    when they have no position or it has no model."""
    if employee.position_id is None:
        return None
    model = await repository.model_row(
        session, org_id, employee.position_id, employee.department_id, None
    )
    if model is None:
        return None
    snapshot = await repository.snapshots(session, org_id, employee.id, 1)
    scores = {f["competency_id"]: f["score"] for f in (snapshot[0]["figures"] if snapshot else [])}
    ids = [uuid.UUID(entry["competency_id"]) for entry in model["entries"]]
    names = await repository.competency_levels(session, org_id, ids)
    lines = sorted(_lines(model["entries"], scores, names), key=lambda line: -line["weight"])
    return Unmet(
        position_id=employee.position_id,
        department_id=model["department_id"],
        version=model["version"],
        requirements=[
            (line["competency_id"], line["required_level"]) for line in lines if not line["met"]
        ],
    )


@dataclass(frozen=True)
class UnmetLine:
    """One requirement a person does not meet of the model a position goes by for them: the
    required level and the profile's score on the 0–10 scale (None: no score yet)."""

    employee_id: uuid.UUID
    position_id: uuid.UUID
    competency_id: uuid.UUID
    required: float
    current: float | None


async def unmet_for_many(
    session: AsyncSession,
    org_id: uuid.UUID,
    wanted: Sequence[tuple[uuid.UUID, uuid.UUID, uuid.UUID]],
) -> list[UnmetLine]:
    """Per (employee, position, the employee's department): each requirement of the position's
    model — the department's variant when it has one — the employee does not meet, by the
    gap analysis's rule. Three statements however many people (models, scores, levels);
    positions without a model say nothing."""
    models = await repository.models_for(
        session,
        org_id,
        list({(position_id, department_id) for _, position_id, department_id in wanted}),
    )
    if not models:
        return []
    ids = {uuid.UUID(e["competency_id"]) for model in models.values() for e in model["entries"]}
    names = await repository.competency_levels(session, org_id, list(ids))
    scores = await repository.current_scores_on(
        session, org_id, list({employee_id for employee_id, _, _ in wanted}), list(ids)
    )
    requirements = {
        key: [
            (uuid.UUID(e["competency_id"]), on_scale(e["required_level"], levels))
            for e in model["entries"]
            if (levels := names.get(uuid.UUID(e["competency_id"]), ("", 0))[1])
        ]
        for key, model in models.items()
    }
    unmet: list[UnmetLine] = []
    for employee_id, position_id, department_id in wanted:
        own = scores.get(employee_id, {})
        for competency_id, required in requirements.get((position_id, department_id), []):
            current = own.get(competency_id)
            if _gap(required, current) > 0:
                unmet.append(UnmetLine(employee_id, position_id, competency_id, required, current))
    return unmet


async def gaps(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    position_id: uuid.UUID | None,
) -> CompetencyGapsOut:
    """For whoever may see the employee (404 otherwise). Against `position_id`, else their
    own position (422 when they have none); the variant of the employee's department when
    the position has one. 404 for another organization's position or one without a model."""
    employee = await people.ensure_can_view(session, principal, employee_id)
    note_read(principal, employee.id, DataClass.EVALUATION, "competency_gaps")
    target = position_id or employee.position_id
    if target is None:
        raise Unprocessable(
            _("The employee has no position"),
            errors=[
                FieldError(field="position_id", message=_("name the position to compare with"))
            ],
        )
    position = (await org.position_refs(session, principal.org_id, [target])).get(target)
    if position is None:
        raise NotFound(_("No such position"))
    model = await repository.model_row(
        session, principal.org_id, target, employee.department_id, None
    )
    if model is None:
        raise NotFound(_("No competency model for this position"))
    snapshot = await repository.snapshots(session, principal.org_id, employee.id, 1)
    figures = snapshot[0]["figures"] if snapshot else []
    ids = [uuid.UUID(entry["competency_id"]) for entry in model["entries"]]
    names = await repository.competency_levels(session, principal.org_id, ids)
    return CompetencyGapsOut.model_validate(
        {
            "employee_id": employee.id,
            "employee": {"id": employee.id, "name": employee.full_name},
            "position_id": target,
            "position": position,
            "department_id": model["department_id"],
            "model_version": model["version"],
            "profile_computed_at": snapshot[0]["computed_at"] if snapshot else None,
        }
        | measure(model["entries"], figures, names)
    )
