"""What other domains may call in mentoring, in plain data: a person's pairings as mentee
and as mentor (`mentoring_record` → `MentoringRecord`), which programs' participant dossier
shows; `own_effectiveness` → `OwnEffectiveness`, the employee's scored effectiveness as a
mentor per program with each part explained (privacy's automated evaluations, PIPL Art. 24),
two statements; `mentoring_outcomes` → `MentoringOutcomes`, pairings with their stored
effectiveness, sessions logged and mentors' scores for analytics, three statements;
`first_pairings`, the first day each person was a mentee (analytics' retention), one
statement."""

from __future__ import annotations

from hrcore.mentoring.effectiveness_schemas import MentorEffectivenessPart
from hrcore.mentoring.events import MENTORSHIP_ENDED, SESSION_LOGGED
from hrcore.mentoring.mentees import first_pairings
from hrcore.mentoring.own_effectiveness import OwnEffectiveness, own_effectiveness
from hrcore.mentoring.pairing_outcomes import (
    MentoringOutcomes,
    PairingOutcome,
    mentoring_outcomes,
)
from hrcore.mentoring.participant_record import MentoringRecord, mentoring_record
from hrcore.mentoring.schedule import TASK_KINDS as _SESSION_KINDS

SESSION_TASK_KINDS: tuple[str, ...] = tuple(sorted(_SESSION_KINDS.values()))
"""The task kinds of scheduled mentoring sessions (analytics' on-time rate of sessions)."""

__all__ = [
    "MENTORSHIP_ENDED",
    "SESSION_LOGGED",
    "SESSION_TASK_KINDS",
    "MentorEffectivenessPart",
    "MentoringOutcomes",
    "MentoringRecord",
    "OwnEffectiveness",
    "PairingOutcome",
    "first_pairings",
    "mentoring_outcomes",
    "mentoring_record",
    "own_effectiveness",
]
