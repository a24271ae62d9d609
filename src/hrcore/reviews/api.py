"""What other domains (and seed, CLI, benchmarks) may call in reviews.

Programs run review stages as cycles of their own (`start_cycle`, `cycle_task_ids`,
`close_by_id`, the rater task kind) and show their results (`result_in_cycle`); talent
ranks candidates by their latest published recommendation. Importing this module also
registers how a rater's task may close (`assignments`).
"""

from __future__ import annotations

from hrcore.reviews.aggregation import AGGREGATE_JOB, aggregate_cycle
from hrcore.reviews.assignments import TASK_KIND
from hrcore.reviews.cycles import close, close_by_id, cycle_task_ids, start_cycle
from hrcore.reviews.recommendations import latest_published_recommendations, latest_recommendation
from hrcore.reviews.results import result_in_cycle
from hrcore.reviews.schemas import ResultOut
from hrcore.reviews.templates import get_template

__all__ = [
    "AGGREGATE_JOB",
    "TASK_KIND",
    "ResultOut",
    "aggregate_cycle",
    "close",
    "close_by_id",
    "cycle_task_ids",
    "get_template",
    "latest_published_recommendations",
    "latest_recommendation",
    "result_in_cycle",
    "start_cycle",
]
