"""What mentoring plugs into the processes (core.registry): its tables, routes and crons."""

from hrcore.core.registry import Cron, Domain
from hrcore.mentoring import jobs_flagging, mentorship_models, models
from hrcore.mentoring.router import router

DOMAIN = Domain(
    name="mentoring",
    models=[models, mentorship_models],
    router=router,
    crons=[Cron(jobs_flagging.FLAG_CRON, jobs_flagging.flag_mentors, hour={2}, minute={37})],
)
