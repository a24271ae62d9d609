"""What performance plugs into the processes (core.registry): its tables, its routes, the
live-score recompute job that ingestion enqueues and the cron closing due periods; the task
kind of check-ins' action items, how the inbox names a check-in and a feedback, the
observations' import kind and who reads a work result's evidence files."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain
from hrcore.files import api as files
from hrcore.notifications import api as notifications
from hrcore.performance import (
    check_in_models,
    check_in_notices,
    check_ins,
    closing_jobs,
    closing_models,
    feedback,
    goals_models,
    jobs,
    live_scores,
    models,
    observation_import,
    work_results,
    work_results_models,
)
from hrcore.performance.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="performance",
    models=[models, check_in_models, closing_models, goals_models, work_results_models],
    router=router,
    jobs=[JobSpec(live_scores.RECOMPUTE_JOB, jobs.recompute_scores, max_tries=5)],
    crons=[Cron("performance.close_due_periods", closing_jobs.close_due_periods, minute={23})],
    task_hooks=[workflow.TaskKindSpec(check_ins.ACTION_ITEM_KIND)],
    providers=[
        notifications.SubjectNames(feedback.SUBJECT, feedback.INBOX_NAMES),
        notifications.SubjectNames(check_in_notices.SUBJECT, check_in_notices.INBOX_NAMES),
        observation_import.OBSERVATIONS,
        files.SubjectReader(work_results.SUBJECT, work_results.may_read_files),
    ],
)
