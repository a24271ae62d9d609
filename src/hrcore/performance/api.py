"""What other domains and the composition roots may call of performance: `RECOMPUTE_JOB`,
the worker job that recomputes the live scores of the (employee, month) pairs in its payload
(`{"months": {employee_id: ["2026-11", …]}}`) — what an ingestion enqueues and the demo seed
enqueues for the observations it writes; `open_diagnoses`, the daily diagnosis sweep of one
organization, which the demo seed runs once. Period ratings reach screening and reviews through
people's `performance_ratings`, which a period close writes (`people.api.write_period_ratings`)."""

from __future__ import annotations

from hrcore.performance.diagnoses import open_diagnoses
from hrcore.performance.live_scores import RECOMPUTE_JOB

__all__ = ["RECOMPUTE_JOB", "open_diagnoses"]
