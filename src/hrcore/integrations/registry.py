"""What integrations plugs into the processes (core.registry)."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain
from hrcore.integrations import jobs, models
from hrcore.integrations.config import APPLY_JOB
from hrcore.integrations.router import router

DOMAIN = Domain(
    name="integrations",
    models=[models],
    router=router,
    jobs=[JobSpec(APPLY_JOB, jobs.apply_dingtalk_event, max_tries=8)],
)
