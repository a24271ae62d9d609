"""What other domains may call in mentoring, in plain data: a person's pairings as mentee
and as mentor (`mentoring_record` → `MentoringRecord`), which programs' participant dossier
shows; `own_effectiveness` → `OwnEffectiveness`, the employee's scored effectiveness as a
mentor per program with each part explained (privacy's automated evaluations, PIPL Art. 24),
two statements."""

from __future__ import annotations

from hrcore.mentoring.effectiveness_schemas import MentorEffectivenessPart
from hrcore.mentoring.own_effectiveness import OwnEffectiveness, own_effectiveness
from hrcore.mentoring.participant_record import MentoringRecord, mentoring_record

__all__ = [
    "MentorEffectivenessPart",
    "MentoringRecord",
    "OwnEffectiveness",
    "mentoring_record",
    "own_effectiveness",
]
