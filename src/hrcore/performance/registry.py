"""What performance plugs into the processes (core.registry): its tables, its routes and the
live-score recompute job that ingestion enqueues."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain
from hrcore.performance import alerts_models, diagnoses, diagnoses_models, jobs, live_scores, models
from hrcore.performance.alerts import SUBJECT_NAMES as ALERT_NAMES
from hrcore.performance.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="performance",
    models=[models, alerts_models, diagnoses_models],
    router=router,
    jobs=[JobSpec(live_scores.RECOMPUTE_JOB, jobs.recompute_scores, max_tries=5)],
    crons=[
        Cron("performance.sweep_decline_alerts", jobs.sweep_decline_alerts, hour={1}, minute={41}),
        Cron("performance.open_diagnoses", jobs.open_diagnoses, hour={2}, minute={11}),
    ],
    providers=[ALERT_NAMES],
    task_hooks=[
        workflow.TaskKindSpec(
            diagnoses.DIAGNOSIS_KIND, completed_by=diagnoses.RESOLVE, submission=None
        ),
        workflow.SubmissionCheck(diagnoses.DIAGNOSIS_KIND, diagnoses.resolved_only),
        workflow.TaskKindSpec(diagnoses.ACTION_KIND),
    ],
)
