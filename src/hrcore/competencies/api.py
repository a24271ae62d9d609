"""What other domains may call of competencies, in plain data: `record_evidence` — every
source that says something about an employee's competency (reviews, programs, stretch
assignments, training, mentoring) records it here, one row per source event and competency
(recording the same event again replaces its evidence); the profile follows in the worker.
`ModelVersionUse`: a domain above whose objects go by a position's model declares it among
its registry's providers, so a version they use is not deleted (409)."""

from __future__ import annotations

from hrcore.competencies.evidence import record_evidence
from hrcore.competencies.model_uses import ModelVersionUse

__all__ = ["ModelVersionUse", "record_evidence"]
