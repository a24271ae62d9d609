"""What other domains may call of competencies, in plain data: `record_evidence` — every
source that says something about an employee's competency (reviews, programs, stretch
assignments, training, mentoring) records it here, one row per source event and competency
(recording the same event again replaces its evidence); the profile follows in the worker.

Programs answers development plans' program actions: its registry lists
`ProgramActionsProvider(its query)`, the query answering `ProgramAction`s. Competencies
answers people's panoramic profile its `development_plan` section (`development_plan_of`,
provided in competencies' registry)."""

from __future__ import annotations

from hrcore.competencies.evidence import record_evidence
from hrcore.competencies.plan_sources import ProgramAction, ProgramActionsProvider
from hrcore.competencies.plans import profile_entry as development_plan_of

__all__ = ["ProgramAction", "ProgramActionsProvider", "development_plan_of", "record_evidence"]
