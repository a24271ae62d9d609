"""What training plugs into the processes (core.registry): its tables and routes."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain, Subscription
from hrcore.training import action_plan_jobs, action_plans, events, models
from hrcore.training.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="training",
    models=[models],
    router=router,
    jobs=[
        JobSpec(action_plan_jobs.CREATE_JOB, action_plan_jobs.create_action_plan, max_tries=5),
    ],
    subscriptions=[
        Subscription(events.ENROLMENT_COMPLETED, action_plan_jobs.CREATE_JOB),
    ],
    task_hooks=[
        workflow.TaskKindSpec(
            action_plans.TASK_KIND, completed_by=action_plans.SUBMIT, submission=None
        ),
        workflow.SubmissionCheck(action_plans.TASK_KIND, action_plans.submitted_only),
    ],
)
