"""What privacy plugs into the processes (core.registry): its tables and routes."""

from hrcore.core import read_log
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain
from hrcore.privacy import read_log_jobs, read_log_models
from hrcore.privacy.router import router

DOMAIN = Domain(
    name="privacy",
    models=[read_log_models],
    router=router,
    jobs=[JobSpec(read_log.RECORD_JOB, read_log_jobs.record_reads, max_tries=20)],
    crons=[Cron(read_log_jobs.DRAIN_CRON, read_log_jobs.drain_read_log, timeout=300)],
    providers=[read_log.RequestLogging()],
)
