"""What other domains may call of competencies, in plain data:

- `record_evidence` — every source that says something about an employee's competency
  (reviews, programs, stretch assignments, training, mentoring) records it here, one row per
  source event and competency (recording the same event again replaces its evidence); the
  profile follows in the worker. `replace_source_evidence` sets everything one event says
  (`SourceValue`s; a competency it no longer names loses the event's row, no values withdraw
  it); `MENTORING_SKILL_TEST` is the kind mentoring's skill tests record under,
  `TRAINING_COURSE_RESULT` and `TRAINING_ACTION_PLAN` training's course results and plans.
  `require_competencies` checks the competencies a request body names (422 per field).
- `match_for_candidates` — candidates against the competency model of a position (talent's
  vacancy ranking): `Match` per candidate, set-based. `current_scores` — many employees'
  newest scores on some competencies, one statement (mentoring's suggestions: mentors'
  strengths on a mentee's gaps).
- `profile_change` — an employee's profile at a moment and now, against a position's model
  (the program dossier): `ProfileChange`.
- `recompute_profile` — the profile as of a moment (the worker's job does it on evidence; the
  demo seed builds a history with it); `recompute_all_profiles` — every profile of an
  organization, set-based in batches (`hrcore competencies recompute-all`).
- `ModelVersionUse` — a domain above whose objects go by a position's model declares it among
  its registry's providers, so a version they use is not deleted (409).
- `PoolMembershipProvider` — talent answers stretch matching's `pool` factor through it (a
  provider in talent's registry), so competencies never imports talent.
- `OUTCOME_RECORDED` — announced when a stretch assignment's outcome is recorded or corrected
  (payload: assignment_id, assignee_id, employee_id, outcome_id).
- `open_stretch_tasks` — the kick-off, mid-point and outcome tasks of an assignee the demo
  seed wrote as rows.
- `ProgramActionsProvider` / `ProgramAction` — programs answers development plans' program
  actions (its registry lists the provider); `development_plan_of` — the current plan people's
  panoramic profile shows (provided in competencies' registry).
- `stretch_record` / `current_plan_progress` — the program dossier's sections: the stretch
  assignments an employee was on since a day, with their outcomes (`StretchRecord`), and
  their current development plan with its progress (`PlanProgress`); a fixed number of
  statements each.
- `stretch_place_of` — the employee's place on an assignment (put there by hand, say), if
  any, and whether its outcome is recorded.
- `level_counts` — how many levels each named competency has (a mentee template's goal
  names a competency and the level to reach).
- `known_stretch_assignments` — which of some stretch assignments the organization has (a
  program template's stages name them).
- `team_attainment` / `TeamAttainment` — how far a team (people's `EmployeePost`s) meets its
  position models, per competency as the heat map's columns (performance's diagnosis bundle);
  three statements.
- `mean_scores_around` / `ScoresAround` — for many (employee, moment) pairs the mean score
  (0–10) on some competencies of the newest profile before the moment and of the newest
  since (training's effect report: before and after a course); one statement.
- `current_levels` — employees' current level in given competencies (the newest profile's
  score on the competency's levels): mentoring's competency goals; one statement.
- `unmet_for_many` / `UnmetLine` — many people's unmet requirements against positions'
  models (their own, or a career plan's target), by the gap analysis's rule: training's
  needs analysis; three statements. `competency_refs` — links to competencies.
- `assign_to_stretch` — a program's stretch-assignment stage puts its participant on the
  assignment with the rules of `POST /stretch-assignments/{id}/assign` (capacity,
  department, supervisor: 409/422 as there); the assignee's id.
- `own_profile` / `own_stretch_matches` — the caller's own competency profile and stretch
  matches, explained, as `/me/competency-profile` and `/me/stretch-assignment-matches` answer
  them (privacy's automated evaluations, PIPL Art. 24); a fixed number of statements each.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.competencies import (
    plan_progress,
    plan_repository,
    plans,
    profiles,
    repository,
    stretch_assigning,
    stretch_repository,
)
from hrcore.competencies.current_levels import current_levels
from hrcore.competencies.evidence import (
    MENTORING_EFFECTIVENESS,
    MENTORING_SKILL_TEST,
    TRAINING_ACTION_PLAN,
    TRAINING_COURSE_RESULT,
    SourceValue,
    competency_named,
    record_evidence,
    replace_source_evidence,
    require_competencies,
)
from hrcore.competencies.full_recompute import Recomputed
from hrcore.competencies.full_recompute import recompute_all as recompute_all_profiles
from hrcore.competencies.gaps import UnmetLine, unmet_for_many
from hrcore.competencies.heatmap import TeamAttainment, team_attainment
from hrcore.competencies.matching import (
    Candidate,
    ChangeLine,
    Match,
    MatchLine,
    ProfileChange,
    match_for_candidates,
    profile_change,
)
from hrcore.competencies.model_uses import ModelVersionUse
from hrcore.competencies.models import (
    PLAN_APPROVAL,
    StretchAssignee,
    StretchAssignment,
    StretchOutcome,
)
from hrcore.competencies.plan_sources import ProgramAction, ProgramActionsProvider
from hrcore.competencies.plans import profile_entry as development_plan_of
from hrcore.competencies.repository import current_scores_on as current_scores
from hrcore.competencies.schemas import CompetencyProfileOut
from hrcore.competencies.stretch_assigning import open_tasks as open_stretch_tasks
from hrcore.competencies.stretch_matching import PoolMembershipProvider, my_matches
from hrcore.competencies.stretch_outcomes import OUTCOME_RECORDED
from hrcore.competencies.stretch_schemas import AssignmentMatchesOut
from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.clock import Clock
from hrcore.core.schemas import Ref
from hrcore.settings import Settings

__all__ = [
    "MENTORING_EFFECTIVENESS",
    "MENTORING_SKILL_TEST",
    "OUTCOME_RECORDED",
    "TRAINING_ACTION_PLAN",
    "TRAINING_COURSE_RESULT",
    "AssignmentMatchesOut",
    "Candidate",
    "ChangeLine",
    "CompetencyProfileOut",
    "Match",
    "MatchLine",
    "ModelVersionUse",
    "PlanProgress",
    "PoolMembershipProvider",
    "ProfileChange",
    "ProgramAction",
    "ProgramActionsProvider",
    "Recomputed",
    "ScoresAround",
    "SourceValue",
    "StretchRating",
    "StretchRecord",
    "TeamAttainment",
    "UnmetLine",
    "assign_to_stretch",
    "competency_named",
    "competency_refs",
    "current_levels",
    "current_plan_progress",
    "current_scores",
    "development_plan_of",
    "known_stretch_assignments",
    "level_counts",
    "match_for_candidates",
    "mean_scores_around",
    "open_stretch_tasks",
    "own_profile",
    "own_stretch_matches",
    "profile_change",
    "recompute_all_profiles",
    "recompute_profile",
    "record_evidence",
    "replace_source_evidence",
    "require_competencies",
    "stretch_record",
    "team_attainment",
    "unmet_for_many",
]


async def recompute_profile(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    settings: Settings,
    at: datetime,
) -> bool:
    """Recompute the employee's profile from their evidence as of `at`, storing a snapshot
    when a figure changed; whether it stored one."""
    return bool(await profiles.recompute(session, org_id, employee_id, settings, at))


@dataclass(frozen=True)
class StretchRating:
    """One developed competency in an outcome: the supervisor's rating and the peers' mean
    and count as the outcome keeps them (null when too few peers answered; never one
    answer)."""

    competency: Ref
    supervisor_rating: float
    peer_mean: float | None
    peer_count: int | None


@dataclass(frozen=True)
class StretchRecord:
    """A stretch assignment the employee was on, with the outcome once recorded."""

    assignment_id: uuid.UUID
    title: str
    department_id: uuid.UUID
    starts_on: date
    ends_on: date
    status: str
    """The employee's: `active` until the outcome is recorded, then `completed`."""
    outcome_recorded_at: datetime | None
    figures: list[dict[str, Any]]
    """The outcome's figures as recorded: name, value, unit."""
    ratings: list[StretchRating]


async def stretch_record(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, ending_from: date
) -> list[StretchRecord]:
    """The stretch assignments the employee was put on whose window ends on or after
    `ending_from`, oldest first, with their outcomes; two statements (the rows, the
    competencies' names) however many."""
    rows = (
        await session.execute(
            select(StretchAssignment, StretchAssignee.status, StretchOutcome)
            .join(
                StretchAssignee,
                (StretchAssignee.assignment_id == StretchAssignment.id)
                & (StretchAssignee.org_id == StretchAssignment.org_id),
            )
            .outerjoin(
                StretchOutcome,
                (StretchOutcome.assignee_id == StretchAssignee.id)
                & (StretchOutcome.org_id == StretchAssignee.org_id),
            )
            .where(
                StretchAssignee.org_id == org_id,
                StretchAssignee.employee_id == employee_id,
                StretchAssignment.ends_on >= ending_from,
            )
            .order_by(StretchAssignment.starts_on, StretchAssignment.id)
        )
    ).all()
    rated = {
        uuid.UUID(line["competency_id"])
        for _, _, outcome in rows
        if outcome is not None
        for line in outcome.competencies
    }
    names = await repository.competency_levels(session, org_id, list(rated))
    return [
        StretchRecord(
            assignment_id=assignment.id,
            title=assignment.title,
            department_id=assignment.department_id,
            starts_on=assignment.starts_on,
            ends_on=assignment.ends_on,
            status=status,
            outcome_recorded_at=outcome.updated_at if outcome is not None else None,
            figures=list(outcome.figures) if outcome is not None else [],
            ratings=[
                StretchRating(
                    competency=Ref(
                        id=uuid.UUID(line["competency_id"]),
                        name=names.get(uuid.UUID(line["competency_id"]), ("", 0))[0],
                    ),
                    supervisor_rating=line["supervisor_rating"],
                    peer_mean=line["peer_mean"],
                    peer_count=line["peer_count"],
                )
                for line in (outcome.competencies if outcome is not None else [])
            ],
        )
        for assignment, status, outcome in rows
    ]


@dataclass(frozen=True)
class PlanProgress:
    """The employee's current development plan and how far it got: per goal the profile's
    score against the target, per action its status (a program's from the participation)."""

    id: uuid.UUID
    period: str
    title: str
    status: str
    percent: float
    goals: list[dict[str, Any]]
    """competency (id, name), target_level, levels, required, current, met."""
    actions: list[dict[str, Any]]
    """id, title, kind, status, source."""


async def current_plan_progress(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> PlanProgress | None:
    """The current plan (the open one of the latest period) with its progress, or None:
    four statements, one more while it awaits its approval and one when an action names a
    program."""
    plan_id = await plan_repository.current_plan_id(session, org_id, employee_id)
    plan = await plan_repository.plan_by_id(session, org_id, plan_id) if plan_id else None
    if plan is None:
        return None
    status = plan.status
    if status == "submitted":
        found = await approvals.subject_statuses(session, org_id, PLAN_APPROVAL, [plan.id])
        status = plans.shown_status(status, found.get(plan.id))
    ids = list({uuid.UUID(goal["competency_id"]) for goal in plan.goals})
    names = await repository.competency_levels(session, org_id, ids)
    progress = await plan_progress.progress(
        session, org_id, employee_id, plan.goals, plan.actions, names
    )
    return PlanProgress(
        id=plan.id,
        period=plan.period,
        title=plan.title,
        status=status,
        percent=progress["percent"],
        goals=progress["goals"],
        actions=progress["actions"],
    )


async def assign_to_stretch(
    session: AsyncSession,
    actor: Principal | None,
    assignment_id: uuid.UUID,
    employee_id: uuid.UUID,
    clock: Clock,
    settings: Settings,
    *,
    org_id: uuid.UUID,
) -> uuid.UUID:
    """Put the employee on the assignment as `POST /stretch-assignments/{id}/assign` does,
    for a process rather than a person (a program stage): the same capacity, department and
    supervisor rules (409/422, nothing written then), tasks and audit; the assignee's id."""
    return await stretch_assigning.place(
        session, org_id, actor, assignment_id, employee_id, clock, settings
    )


async def known_stretch_assignments(
    session: AsyncSession, org_id: uuid.UUID, ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these stretch assignments the organization has; one statement, none for
    no ids."""
    if not ids:
        return set()
    found = await session.scalars(
        select(StretchAssignment.id).where(
            StretchAssignment.org_id == org_id, StretchAssignment.id.in_(ids)
        )
    )
    return set(found)


async def stretch_place_of(
    session: AsyncSession, org_id: uuid.UUID, assignment_id: uuid.UUID, employee_id: uuid.UUID
) -> tuple[uuid.UUID, bool] | None:
    """The employee's row on the assignment (locked) and whether its outcome is recorded, or
    None when they are not on it; one statement."""
    row = await stretch_repository.assignee_of(session, org_id, assignment_id, employee_id)
    return (row.id, row.status == "completed") if row is not None else None


async def level_counts(
    session: AsyncSession, org_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many levels each of these competencies has (another organization's and unknown
    ids are absent): a request naming a competency and a level checks both. One statement,
    none for no ids."""
    found = await repository.competency_levels(session, org_id, list(set(ids)))
    return {competency_id: named[1] for competency_id, named in found.items()}


async def competency_refs(
    session: AsyncSession, org_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, Ref]:
    """Links to these competencies (another organization's and unknown ids absent); one
    statement, none for no ids."""
    found = await repository.competency_levels(session, org_id, list(set(ids)))
    return {
        competency_id: Ref(id=competency_id, name=named[0])
        for competency_id, named in found.items()
    }


@dataclass(frozen=True)
class ScoresAround:
    """An employee's mean score (0–10) on some competencies in the newest profile before a
    moment (`before`) and in the newest since (`after`); None without one."""

    before: float | None
    after: float | None


async def mean_scores_around(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    moments: Sequence[datetime],
    competency_ids: Sequence[uuid.UUID],
) -> list[ScoresAround]:
    """For each pair (`employee_ids[i]`, `moments[i]`) its `ScoresAround` on
    `competency_ids`, in the same order; one statement, none without competencies (then every
    pair is `ScoresAround(None, None)`)."""
    if not competency_ids:
        return [ScoresAround(None, None) for _ in employee_ids]
    rows = await repository.mean_scores_around(
        session, org_id, employee_ids, moments, competency_ids
    )
    return [ScoresAround(row["before"], row["after"]) for row in rows]


async def own_profile(
    session: AsyncSession, principal: Principal, settings: Settings
) -> CompetencyProfileOut:
    """The caller's competency profile, each figure with the evidence behind it; 404 for an
    account not linked to an employee."""
    return await profiles.read_profile(session, principal, own_employee_id(principal), settings)


STRETCH_MATCHES_SHOWN = 200
"""The most assignments `own_stretch_matches` ranks (the route's largest `limit`)."""


async def own_stretch_matches(
    session: AsyncSession, principal: Principal, settings: Settings
) -> AssignmentMatchesOut:
    """The open stretch assignments ranked for the caller's gaps (the best 200), each with
    its factors; 404 for an account not linked to an employee."""
    return await my_matches(session, principal, settings, STRETCH_MATCHES_SHOWN)
