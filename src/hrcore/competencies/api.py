"""What other domains may call of competencies, in plain data:

- `record_evidence` — every source that says something about an employee's competency
  (reviews, programs, stretch assignments, training, mentoring) records it here, one row per
  source event and competency (recording the same event again replaces its evidence); the
  profile follows in the worker. `replace_source_evidence` sets everything one event says
  (`SourceValue`s; a competency it no longer names loses the event's row, no values withdraw
  it). `require_competencies` checks the competencies a request body names (422 per field).
- `match_for_candidates` — candidates against the competency model of a position (talent's
  vacancy ranking): `Match` per candidate, set-based.
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
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import profiles
from hrcore.competencies.evidence import (
    SourceValue,
    record_evidence,
    replace_source_evidence,
    require_competencies,
)
from hrcore.competencies.full_recompute import Recomputed
from hrcore.competencies.full_recompute import recompute_all as recompute_all_profiles
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
from hrcore.competencies.plan_sources import ProgramAction, ProgramActionsProvider
from hrcore.competencies.plans import profile_entry as development_plan_of
from hrcore.competencies.stretch_assigning import open_tasks as open_stretch_tasks
from hrcore.competencies.stretch_matching import PoolMembershipProvider
from hrcore.competencies.stretch_outcomes import OUTCOME_RECORDED
from hrcore.settings import Settings

__all__ = [
    "OUTCOME_RECORDED",
    "Candidate",
    "ChangeLine",
    "Match",
    "MatchLine",
    "ModelVersionUse",
    "PoolMembershipProvider",
    "ProfileChange",
    "ProgramAction",
    "ProgramActionsProvider",
    "Recomputed",
    "SourceValue",
    "development_plan_of",
    "match_for_candidates",
    "open_stretch_tasks",
    "profile_change",
    "recompute_all_profiles",
    "recompute_profile",
    "record_evidence",
    "replace_source_evidence",
    "require_competencies",
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
    return await profiles.recompute(session, org_id, employee_id, settings, at)
