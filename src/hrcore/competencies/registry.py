"""What competencies plug into the processes (core.registry): the library, models,
evidence, profiles and development plans' tables, the routes, the profile recompute job, and
the approval kind development plans run on (`competencies.development_plan`), and the
current plan people's panoramic profile shows."""

from hrcore.approvals import api as approvals
from hrcore.competencies import api, jobs, models, plan_approval, profiles
from hrcore.competencies.router import router
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain
from hrcore.people import api as people

DOMAIN = Domain(
    name="competencies",
    models=[models],
    router=router,
    jobs=[JobSpec(profiles.RECOMPUTE_JOB, jobs.recompute_profile, max_tries=5)],
    task_hooks=[
        approvals.ApprovalKindSpec(
            models.PLAN_APPROVAL,
            plan_approval.approved,
            facts=plan_approval.FACTS,
            default_steps=plan_approval.DEFAULT_STEPS,
            on_ended=plan_approval.ended,
        ),
    ],
    providers=[people.DevelopmentPlanProvider(api.development_plan_of)],
)
