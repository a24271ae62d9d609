"""What performance plugs into the processes (core.registry): its tables, its routes and the
live-score recompute job that ingestion enqueues."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain
from hrcore.performance import closing_jobs, closing_models, jobs, live_scores, models
from hrcore.performance.router import router

DOMAIN = Domain(
    name="performance",
    models=[models, closing_models],
    router=router,
    jobs=[JobSpec(live_scores.RECOMPUTE_JOB, jobs.recompute_scores, max_tries=5)],
    crons=[Cron("performance.close_due_periods", closing_jobs.close_due_periods, minute={23})],
)
