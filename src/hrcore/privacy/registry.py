"""What privacy plugs into the processes (core.registry): its tables and routes."""

from hrcore.core.registry import Cron, Domain
from hrcore.privacy import holds_models, retention_jobs, retention_models
from hrcore.privacy.router import router

DOMAIN = Domain(
    name="privacy",
    models=[retention_models, holds_models],
    router=router,
    crons=[
        # Daily at 03:40 (UTC): the retention rules applied, in batches.
        Cron(
            retention_jobs.APPLY_RETENTION,
            retention_jobs.apply_retention,
            hour=3,
            minute=40,
            timeout=3600,
        ),
    ],
)
