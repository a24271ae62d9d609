"""What other domains may call of competencies, in plain data:

- `record_evidence` — every source that says something about an employee's competency
  (reviews, programs, stretch assignments, training, mentoring) records it here, one row per
  source event and competency (recording the same event again replaces its evidence); the
  profile follows in the worker.
- `match_for_candidates` — candidates against the competency model of a position (talent's
  vacancy ranking): `Match` per candidate, set-based.
- `profile_change` — an employee's profile at a moment and now, against a position's model
  (the program dossier): `ProfileChange`.
"""

from __future__ import annotations

from hrcore.competencies.evidence import record_evidence
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
    "match_for_candidates",
    "profile_change",
    "record_evidence",
]
