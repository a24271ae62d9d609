"""What imports plugs into the processes (core.registry): the routes, the job that runs a
queued import of any kind, the stall cron, and its own kind, employees."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain
from hrcore.imports import employees, jobs, models, service
from hrcore.imports.router import router

DOMAIN = Domain(
    name="imports",
    models=[models],
    router=router,
    jobs=[JobSpec(service.JOB, jobs.run_import, max_tries=3)],
    crons=[
        # Every five minutes: running imports with no progress for HRCORE_IMPORT_STALL_MINUTES.
        Cron("imports.fail_stalled_imports", jobs.fail_stalled_imports, minute=set(range(2, 60, 5)))
    ],
    providers=[employees.EMPLOYEES],
)
