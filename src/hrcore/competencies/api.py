"""What other domains may call of competencies, in plain data: `record_evidence` — every
source that says something about an employee's competency (reviews, programs, stretch
assignments, training, mentoring) records it here, one row per source event and competency
(recording the same event again replaces its evidence); the profile follows in the worker."""

from __future__ import annotations

from hrcore.competencies.evidence import record_evidence

__all__ = ["record_evidence"]
