"""What privacy plugs into the processes (core.registry): its tables and routes, the
read-access log (the outbox job of a request's reads, the drain of the Redis buffer each
minute, the request hook noting reads) and the daily retention run."""

from hrcore.core import read_log
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain
from hrcore.privacy import (
    holds_models,
    read_log_jobs,
    read_log_models,
    retention_jobs,
    retention_models,
)
from hrcore.privacy.router import router

DOMAIN = Domain(
    name="privacy",
    models=[read_log_models, retention_models, holds_models],
    router=router,
    jobs=[JobSpec(read_log.RECORD_JOB, read_log_jobs.record_reads, max_tries=20)],
    crons=[
        Cron(read_log_jobs.DRAIN_CRON, read_log_jobs.drain_read_log, timeout=300),
        # Daily at 03:40 (UTC): the retention rules applied, in batches.
        Cron(
            retention_jobs.APPLY_RETENTION,
            retention_jobs.apply_retention,
            hour=3,
            minute=40,
            timeout=3600,
        ),
    ],
    providers=[read_log.RequestLogging()],
)
