"""What other domains may call in mentoring, in plain data: a person's pairings as mentee
and as mentor (`mentoring_record` → `MentoringRecord`), which programs' participant dossier
shows."""

from __future__ import annotations

from hrcore.mentoring.participant_record import MentoringRecord, mentoring_record

__all__ = ["MentoringRecord", "mentoring_record"]
