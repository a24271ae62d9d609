"""What webhooks plugs into the processes (core.registry)."""

from hrcore.core.delivery import MAX_TRIES
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain
from hrcore.webhooks import jobs, models, service
from hrcore.webhooks.router import router

DOMAIN = Domain(
    name="webhooks",
    models=[models],
    router=router,
    jobs=[JobSpec(service.DELIVER_JOB, jobs.deliver, max_tries=MAX_TRIES)],
)
