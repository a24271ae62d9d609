"""What approvals plug into the processes (core.registry): its tables, its routes and the
decision task kind, completed by deciding the approval, never on its own."""

from hrcore.approvals import models, running
from hrcore.approvals.router import router
from hrcore.core.registry import Domain
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="approvals",
    models=[models],
    router=router,
    task_hooks=[
        workflow.TaskKindSpec(running.TASK_KIND, completed_by=running.DECIDED_BY, submission=None),
        workflow.SubmissionCheck(running.TASK_KIND, running.decided_only),
    ],
)
