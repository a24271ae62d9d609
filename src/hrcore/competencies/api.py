"""What other domains may call of competencies, in plain data: `record_evidence` — every
source that says something about an employee's competency (reviews, programs, stretch
assignments, training, mentoring) records it here, one row per source event and competency
(recording the same event again replaces its evidence); the profile follows in the worker.

`PoolMembershipProvider`: talent answers stretch matching's `pool` factor through it (a
provider in talent's registry), so competencies never imports talent. `OUTCOME_RECORDED`:
the event announced when a stretch assignment's outcome is recorded or corrected (payload:
assignment_id, assignee_id, employee_id, outcome_id). `open_stretch_tasks`: the kick-off,
mid-point and outcome tasks of an assignee the demo seed wrote as rows."""

from __future__ import annotations

from hrcore.competencies.evidence import record_evidence
from hrcore.competencies.stretch_assigning import open_tasks as open_stretch_tasks
from hrcore.competencies.stretch_matching import PoolMembershipProvider
from hrcore.competencies.stretch_outcomes import OUTCOME_RECORDED

__all__ = ["OUTCOME_RECORDED", "PoolMembershipProvider", "open_stretch_tasks", "record_evidence"]
