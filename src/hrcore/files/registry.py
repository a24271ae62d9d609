"""What files plugs into the processes (core.registry). Who may read an attached file is
declared by the domains owning the objects (`SubjectReader` in their `providers`)."""

from hrcore.core.registry import Cron, Domain
from hrcore.files import jobs, models
from hrcore.files.router import router

DOMAIN = Domain(
    name="files",
    models=[models],
    router=router,
    # Hourly at minute 17: uploads nothing referenced within the retention.
    crons=[Cron("files.purge_unreferenced", jobs.purge_unreferenced, minute=17, timeout=600)],
)
