"""What people plugs into the processes (core.registry): its router and tables, and the
hourly job that applies future-dated moves on their date."""

from hrcore.core.registry import Cron, Domain
from hrcore.people import jobs, models
from hrcore.people.router import router

DOMAIN = Domain(
    name="people",
    models=[models],
    router=router,
    crons=[Cron("people.apply_due_changes", jobs.apply_due_changes, minute={2})],
)
