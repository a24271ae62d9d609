"""What privacy plugs into the processes (core.registry): its tables and routes."""

from hrcore.core.jobs import JobSpec
from hrcore.core.personal_data import ConsentCheck, PersonalDataSection
from hrcore.core.registry import Cron, Domain
from hrcore.privacy import (
    consent,
    consent_models,
    exports,
    exports_content,
    exports_jobs,
    exports_models,
    requests,
    requests_models,
)
from hrcore.privacy.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="privacy",
    models=[consent_models, requests_models, exports_models],
    router=router,
    jobs=[JobSpec(exports.EXPORT_JOB, exports_jobs.build_data_export)],
    crons=[Cron(exports_jobs.EXPIRE_CRON, exports_jobs.expire_data_exports, hour={2}, minute={40})],
    task_hooks=[
        workflow.TaskKindSpec(
            requests.TASK_KIND,
            completed_by=workflow.Operation(
                "resolve_privacy_request",
                "POST",
                "/privacy-requests/{request_id}/resolve",
                subject_param="request_id",
            ),
            submission=None,
        ),
        workflow.SubmissionCheck(requests.TASK_KIND, requests.resolved_only),
    ],
    providers=[
        ConsentCheck(consent.require_consent),
        PersonalDataSection("consents", exports_content.consents_section),
        PersonalDataSection("privacy_requests", exports_content.requests_section),
    ],
)
