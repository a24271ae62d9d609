"""What mentoring plugs into the processes (core.registry): its tables, routes, crons and
the "mentor of" relation people's access asks about."""

from hrcore.core.registry import Cron, Domain
from hrcore.mentoring import jobs_flagging, mentor_relation, mentorship_models, models
from hrcore.mentoring.router import router
from hrcore.people import api as people

DOMAIN = Domain(
    name="mentoring",
    models=[models, mentorship_models],
    router=router,
    crons=[Cron(jobs_flagging.FLAG_CRON, jobs_flagging.flag_mentors, hour={2}, minute={37})],
    providers=[
        people.RelationProvider(
            mentor_relation.RELATION,
            frozenset({people.PERFORMANCE_GOALS, people.DEVELOPMENT_PLAN}),
            mentor_relation.running_mentees,
        )
    ],
)
