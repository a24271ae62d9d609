"""What channels plugs into the processes (core.registry)."""

from hrcore.channels import jobs, models
from hrcore.channels.config import DELIVER_JOB
from hrcore.channels.router import router
from hrcore.core.delivery import MAX_TRIES
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain

DOMAIN = Domain(
    name="channels",
    models=[models],
    router=router,
    jobs=[JobSpec(DELIVER_JOB, jobs.deliver, max_tries=MAX_TRIES)],
)
