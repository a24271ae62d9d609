"""What privacy plugs into the processes (core.registry): its tables and routes, the
read-access log (the outbox job of a request's reads, the drain of the Redis buffer each
minute, the request hook noting reads), own-data exports (the job building one, the daily
expiry of their files), the task kinds of a privacy request and of an objection's human
review, the consent check and the
export sections privacy holds itself, and the daily retention run."""

from hrcore.core import read_log
from hrcore.core.jobs import JobSpec
from hrcore.core.personal_data import ConsentCheck, PersonalDataSection
from hrcore.core.registry import Cron, Domain
from hrcore.privacy import (
    automated_models,
    automated_objections,
    consent,
    consent_models,
    exports,
    exports_content,
    exports_jobs,
    exports_models,
    holds_models,
    read_log_jobs,
    read_log_models,
    requests,
    requests_models,
    retention_jobs,
    retention_models,
)
from hrcore.privacy.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="privacy",
    models=[
        automated_models,
        read_log_models,
        consent_models,
        requests_models,
        exports_models,
        retention_models,
        holds_models,
    ],
    router=router,
    jobs=[
        JobSpec(read_log.RECORD_JOB, read_log_jobs.record_reads, max_tries=20),
        JobSpec(exports.EXPORT_JOB, exports_jobs.build_data_export),
    ],
    crons=[
        Cron(read_log_jobs.DRAIN_CRON, read_log_jobs.drain_read_log, timeout=300),
        Cron(exports_jobs.EXPIRE_CRON, exports_jobs.expire_data_exports, hour={2}, minute={40}),
        # Daily at 03:40 (UTC): the retention rules applied, in batches.
        Cron(
            retention_jobs.APPLY_RETENTION,
            retention_jobs.apply_retention,
            hour=3,
            minute=40,
            timeout=3600,
        ),
    ],
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
    providers=[
        read_log.RequestLogging(),
        ConsentCheck(consent.require_consent),
        PersonalDataSection("consents", exports_content.consents_section),
        PersonalDataSection("privacy_requests", exports_content.requests_section),
    ],
)
