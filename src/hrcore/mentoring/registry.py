"""What mentoring plugs into the processes (core.registry): its tables and routes, the
approval kind of pairings' plans, the job planning a pairing's schedule when its plan is
approved (subscribed to `PLAN_APPROVED`), and the task kinds of the schedule (completed by
logging the session)."""

from hrcore.approvals import api as approvals
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain, Subscription
from hrcore.mentoring import events, jobs_schedule, mentorship_models, models, plans, schedule
from hrcore.mentoring.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="mentoring",
    models=[models, mentorship_models],
    router=router,
    jobs=[JobSpec(jobs_schedule.PLAN_SCHEDULE_JOB, jobs_schedule.plan_schedule, max_tries=5)],
    subscriptions=[Subscription(events.PLAN_APPROVED, jobs_schedule.PLAN_SCHEDULE_JOB)],
    task_hooks=[
        approvals.ApprovalKindSpec(
            plans.PLAN_APPROVAL, plans.approved, facts=plans.FACTS, on_ended=plans.ended
        ),
        *(
            workflow.TaskKindSpec(kind, completed_by=schedule.LOG_SESSION, submission=None)
            for kind in schedule.TASK_KINDS.values()
        ),
        *(
            workflow.SubmissionCheck(kind, schedule.logged_only)
            for kind in schedule.TASK_KINDS.values()
        ),
    ],
)
