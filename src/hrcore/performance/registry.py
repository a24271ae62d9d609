"""What performance plugs into the processes (core.registry): its tables, its routes and the
live-score recompute job that ingestion enqueues."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain
from hrcore.performance import alerts_models, jobs, live_scores, models
from hrcore.performance.alerts import SUBJECT_NAMES as ALERT_NAMES
from hrcore.performance.router import router

DOMAIN = Domain(
    name="performance",
    models=[models, alerts_models],
    router=router,
    jobs=[JobSpec(live_scores.RECOMPUTE_JOB, jobs.recompute_scores, max_tries=5)],
    crons=[
        Cron("performance.sweep_decline_alerts", jobs.sweep_decline_alerts, hour={1}, minute={41})
    ],
    providers=[ALERT_NAMES],
)
