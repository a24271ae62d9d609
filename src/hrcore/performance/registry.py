"""What performance plugs into the processes (core.registry): its tables, its routes, the
live-score recompute job that ingestion enqueues, the job turning a published review's peer
ratings into observations (subscribed to reviews' publication event), the crons closing due
periods, sweeping decline alerts, opening diagnoses and settling the department aggregates;
the task kinds of check-ins' action items and of diagnoses, how the inbox names a check-in,
a feedback and an alert, the observations' import kind and who reads a work result's
evidence files."""

from hrcore.core.jobs import JobSpec
from hrcore.core.personal_data import PersonalDataSection
from hrcore.core.registry import Cron, Domain, Subscription
from hrcore.files import api as files
from hrcore.notifications import api as notifications
from hrcore.performance import (
    alerts_models,
    check_in_models,
    check_in_notices,
    check_ins,
    closing_jobs,
    closing_models,
    diagnoses,
    diagnoses_models,
    feedback,
    feedback_personal_data,
    goals_models,
    jobs,
    live_scores,
    models,
    observation_import,
    personal_data,
    review_ratings,
    team_models,
    work_results,
    work_results_models,
)
from hrcore.performance.alerts import SUBJECT_NAMES as ALERT_NAMES
from hrcore.performance.router import router
from hrcore.reviews import api as reviews
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="performance",
    models=[
        models,
        check_in_models,
        closing_models,
        goals_models,
        work_results_models,
        alerts_models,
        diagnoses_models,
        team_models,
    ],
    router=router,
    jobs=[
        JobSpec(live_scores.RECOMPUTE_JOB, jobs.recompute_scores, max_tries=5),
        JobSpec(review_ratings.JOB, jobs.record_review_peer_ratings, max_tries=5),
    ],
    subscriptions=[Subscription(reviews.RESULT_PUBLISHED, review_ratings.JOB)],
    crons=[
        Cron("performance.close_due_periods", closing_jobs.close_due_periods, minute={23}),
        Cron("performance.sweep_decline_alerts", jobs.sweep_decline_alerts, hour={1}, minute={41}),
        Cron("performance.open_diagnoses", jobs.open_diagnoses, hour={2}, minute={11}),
        Cron("performance.settle_team_periods", jobs.settle_team_periods, hour={3}, minute={7}),
    ],
    task_hooks=[
        workflow.TaskKindSpec(check_ins.ACTION_ITEM_KIND),
        workflow.TaskKindSpec(
            diagnoses.DIAGNOSIS_KIND, completed_by=diagnoses.RESOLVE, submission=None
        ),
        workflow.SubmissionCheck(diagnoses.DIAGNOSIS_KIND, diagnoses.resolved_only),
        workflow.TaskKindSpec(diagnoses.ACTION_KIND),
    ],
    providers=[
        notifications.SubjectNames(feedback.SUBJECT, feedback.INBOX_NAMES),
        notifications.SubjectNames(check_in_notices.SUBJECT, check_in_notices.INBOX_NAMES),
        ALERT_NAMES,
        observation_import.OBSERVATIONS,
        files.SubjectReader(work_results.SUBJECT, work_results.may_read_files),
        PersonalDataSection("goals", personal_data.goals),
        PersonalDataSection("check_ins", personal_data.check_ins),
        PersonalDataSection("feedback_received", feedback_personal_data.feedback_received),
    ],
)
