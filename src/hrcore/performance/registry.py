"""What performance plugs into the processes (core.registry): its tables, its routes and the
live-score recompute job that ingestion enqueues."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain
from hrcore.performance import goals_models, jobs, live_scores, models
from hrcore.performance.router import router

DOMAIN = Domain(
    name="performance",
    models=[models, goals_models],
    router=router,
    jobs=[JobSpec(live_scores.RECOMPUTE_JOB, jobs.recompute_scores, max_tries=5)],
)
