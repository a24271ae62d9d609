"""Competency figures for the domains above, in plain data and a fixed number of statements:
how far candidates match a position's model (talent's vacancy ranking) and how a profile
moved since a moment (the program dossier). The match is `gaps.measure`, the rule the gap
report uses, so a ranking and a gap report never disagree."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository
from hrcore.competencies.gaps import measure


@dataclass(frozen=True)
class MatchLine:
    """One competency of the model: required and current on the profile's 0–10 scale."""

    competency_id: uuid.UUID
    name: str
    weight: int
    required: float
    current: float | None
    gap: float
    met: bool


@dataclass(frozen=True)
class Match:
    """An employee against the model version a position (in a department) goes by."""

    model_version: int
    department_id: uuid.UUID | None
    """The department of the variant used; None for the position's general model."""
    profile_computed_at: datetime | None
    match: float
    """0–100: the weighted share of the requirements met."""
    attained: bool
    lines: tuple[MatchLine, ...]

    @property
    def assessed(self) -> bool:
        """Whether the profile scores any competency of the model (else the match says
        nothing about the employee)."""
        return any(line.current is not None for line in self.lines)

    def largest_gaps(self, limit: int) -> list[MatchLine]:
        """The unmet competencies that weigh most on the match, largest first."""
        unmet = [line for line in self.lines if not line.met]
        unmet.sort(key=lambda line: (-line.gap * line.weight, line.name))
        return unmet[:limit]


Candidate = tuple[uuid.UUID, uuid.UUID, uuid.UUID | None]
"""(employee, position, department whose variant of the position's model applies)."""


async def match_for_candidates(
    session: AsyncSession, org_id: uuid.UUID, candidates: Sequence[Candidate]
) -> dict[Candidate, Match]:
    """Each candidate against their position's model — the department's variant when it
    has one — and their newest profile. Candidates whose position has no model are absent.
    At most three statements however many candidates and positions: the models, the
    competencies' names and levels, the profiles."""
    models = await repository.models_for(
        session, org_id, list({(position, department) for _, position, department in candidates})
    )
    if not models:
        return {}
    ids = {uuid.UUID(e["competency_id"]) for model in models.values() for e in model["entries"]}
    names = await repository.competency_levels(session, org_id, list(ids))
    profiles = await repository.latest_scores(
        session, org_id, list({employee for employee, *_target in candidates})
    )
    matches = {}
    for candidate in candidates:
        employee_id, position_id, department_id = candidate
        model = models.get((position_id, department_id))
        if model is None:
            continue
        profile = profiles.get(employee_id)
        figures = profile["figures"] if profile else []
        matches[candidate] = _match(model, profile, measure(model["entries"], figures, names))
    return matches


def _match(model: Any, profile: Any, measured: dict[str, Any]) -> Match:
    return Match(
        model_version=model["version"],
        department_id=model["department_id"],
        profile_computed_at=profile["computed_at"] if profile else None,
        match=measured["match"],
        attained=measured["attained"],
        lines=tuple(
            MatchLine(
                competency_id=line["competency_id"],
                name=line["competency"]["name"],
                weight=line["weight"],
                required=line["required"],
                current=line["current"],
                gap=line["gap"],
                met=line["met"],
            )
            for line in measured["competencies"]
        ),
    )


@dataclass(frozen=True)
class ChangeLine:
    """One competency then and now, with the model's requirement when there is a model."""

    competency_id: uuid.UUID
    name: str
    before: float | None
    after: float | None
    required_level: int | None
    required: float | None
    """The required level on the profile's 0–10 scale."""
    met: bool | None
    """Whether `after` meets `required`; None without a requirement."""


@dataclass(frozen=True)
class ProfileChange:
    """How an employee's profile moved since a moment: the snapshot at or before it, the
    newest one, and per competency before → after."""

    before_computed_at: datetime | None
    after_computed_at: datetime | None
    model_version: int | None
    """The model version the requirements come from; None without a model."""
    lines: tuple[ChangeLine, ...]


async def profile_change(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    since: datetime | None,
    target: tuple[uuid.UUID, uuid.UUID | None] | None,
) -> ProfileChange:
    """The employee's profile at `since` (the newest snapshot at or before it; none when
    `since` is None) and now, against the model of `target` (a position and the department
    whose variant applies) when it has one: the model's competencies first, in its order,
    then the others by name. At most three statements."""
    snapshots = await repository.snapshots_then_and_now(session, org_id, employee_id, since)
    models = await repository.models_for(session, org_id, [target]) if target else {}
    model = models.get(target) if target else None
    then, now = snapshots.get("then"), snapshots.get("now")
    before, after = _scores(then), _scores(now)
    entries = model["entries"] if model else []
    keys = dict.fromkeys([e["competency_id"] for e in entries] + [*before, *after])
    names = await repository.competency_levels(session, org_id, [uuid.UUID(k) for k in keys])
    measured = measure(entries, now["figures"] if now else [], names)["competencies"]
    required = {str(line["competency_id"]): line for line in measured}
    lines = [
        _change_line(key, names[uuid.UUID(key)][0], before, after, required.get(key))
        for key in keys
        if uuid.UUID(key) in names
    ]
    # The model's competencies keep its order (a stable sort); the others follow by name.
    lines.sort(key=lambda line: (0, "") if line.required is not None else (1, line.name))
    return ProfileChange(
        before_computed_at=then["computed_at"] if then else None,
        after_computed_at=now["computed_at"] if now else None,
        model_version=model["version"] if model else None,
        lines=tuple(lines),
    )


def _change_line(
    key: str,
    name: str,
    before: dict[str, float],
    after: dict[str, float],
    required: dict[str, Any] | None,
) -> ChangeLine:
    return ChangeLine(
        competency_id=uuid.UUID(key),
        name=name,
        before=before.get(key),
        after=after.get(key),
        required_level=required["required_level"] if required else None,
        required=required["required"] if required else None,
        met=required["met"] if required else None,
    )


def _scores(snapshot: Any) -> dict[str, float]:
    return {f["competency_id"]: f["score"] for f in snapshot["figures"]} if snapshot else {}
