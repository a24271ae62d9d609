"""What mentoring plugs into the processes (core.registry): its tables, routes and the
approval kind of pairings' plans."""

from hrcore.approvals import api as approvals
from hrcore.core.registry import Domain
from hrcore.mentoring import mentorship_models, models, plans
from hrcore.mentoring.router import router

DOMAIN = Domain(
    name="mentoring",
    models=[models, mentorship_models],
    router=router,
    task_hooks=[
        approvals.ApprovalKindSpec(
            plans.PLAN_APPROVAL, plans.approved, facts=plans.FACTS, on_ended=plans.ended
        ),
    ],
)
