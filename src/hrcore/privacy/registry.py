"""What privacy plugs into the processes (core.registry): its tables and routes."""

from hrcore.core.registry import Domain
from hrcore.privacy import automated_models, automated_objections
from hrcore.privacy.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="privacy",
    models=[automated_models],
    router=router,
    task_hooks=[
        workflow.TaskKindSpec(
            automated_objections.REVIEW_TASK_KIND,
            completed_by=workflow.Operation(
                "resolve_automated_evaluation_objection",
                "POST",
                "/automated-evaluation-objections/{objection_id}/resolve",
                subject_param="objection_id",
            ),
            submission=None,
        ),
        workflow.SubmissionCheck(
            automated_objections.REVIEW_TASK_KIND, automated_objections.resolved_only
        ),
    ],
)
