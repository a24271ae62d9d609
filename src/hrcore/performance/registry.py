"""What performance plugs into the processes (core.registry): its tables, its routes and the
live-score recompute job that ingestion enqueues."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain
from hrcore.performance import jobs, live_scores, models, observation_import
from hrcore.performance.router import router

DOMAIN = Domain(
    name="performance",
    models=[models],
    router=router,
    jobs=[JobSpec(live_scores.RECOMPUTE_JOB, jobs.recompute_scores, max_tries=5)],
    providers=[observation_import.OBSERVATIONS],
)
