"""What analytics plugs into the processes (core.registry): its tables and routes, the
refresh job, a subscription to every event a figure listens to, a completion hook on the
tasks the on-time rates count, the cron marking figures due by time, exports' build job and
daily expiry, and the talent review report's drawing."""

from hrcore.analytics import (
    exports,
    exports_jobs,
    exports_models,
    jobs,
    models,
    on_time,
    refresh,
    talent_review_models,
)
from hrcore.analytics import talent_review_report as reports
from hrcore.analytics.catalog import FIGURES
from hrcore.analytics.router import router
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain, Subscription
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="analytics",
    models=[models, exports_models, talent_review_models],
    router=router,
    jobs=[
        JobSpec(refresh.REFRESH_JOB, jobs.refresh_figures),
        JobSpec(jobs.EVENT_JOB, jobs.note_event),
        JobSpec(exports.EXPORT_JOB, exports_jobs.build_export),
        JobSpec(reports.REPORT_JOB, jobs.draw_talent_review_report),
    ],
    crons=[
        Cron(jobs.DUE_CRON, jobs.mark_due, timeout=300),
        Cron(exports_jobs.EXPIRE_CRON, exports_jobs.expire_exports, hour={2}, minute={50}),
    ],
    subscriptions=[
        Subscription(event, jobs.EVENT_JOB)
        for event in sorted({event for figure in FIGURES.values() for event in figure.events})
    ],
    task_hooks=[
        workflow.CompletionHook(kind, jobs.note_completed_task)
        for kinds in on_time.AREAS.values()
        for kind in kinds
    ],
)
