"""What other domains may call of competencies, in plain data. Every source that says
something about an employee's competency (reviews, programs, stretch assignments, training,
mentoring) records it here, one row per source event and competency, and the profile follows
in the worker: `record_evidence` for one competency (recording the same event again
replaces it), `replace_source_evidence` for everything one event says (`SourceValue`s; a
competency it no longer names loses the event's row, no values withdraw it).
`require_competencies` checks the competencies a request body names (422 per field)."""

from __future__ import annotations

from hrcore.competencies.evidence import (
    SourceValue,
    record_evidence,
    replace_source_evidence,
    require_competencies,
)

__all__ = ["SourceValue", "record_evidence", "replace_source_evidence", "require_competencies"]
