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
"""

from __future__ import annotations

from hrcore.competencies.evidence import (
    SourceValue,
    record_evidence,
    replace_source_evidence,
    require_competencies,
)
from hrcore.competencies.matching import (
    Candidate,
    ChangeLine,
    Match,
    MatchLine,
    ProfileChange,
    match_for_candidates,
    profile_change,
)

__all__ = [
    "Candidate",
    "ChangeLine",
    "Match",
    "MatchLine",
    "ProfileChange",
    "SourceValue",
    "match_for_candidates",
    "profile_change",
    "record_evidence",
    "replace_source_evidence",
    "require_competencies",
]
