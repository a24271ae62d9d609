"""What training plugs into the processes (core.registry): its tables and routes, the
reminder task kind of a seat in a session (closed by checking in) and how the inbox names
an enrolment, and the action plan made when an enrolment completes (a task closed by
submitting the plan); the job evaluating a period's incentives and the hourly cron queueing
periods as they end; the panoramic profile's trainings and points sections."""

from hrcore.core.jobs import JobSpec
from hrcore.core.personal_data import PersonalDataSection
from hrcore.core.registry import Cron, Domain, Subscription
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.training import (
    action_plan_jobs,
    action_plans,
    checkin_models,
    courses_reminders,
    enrolments_personal_data,
    events,
    exam_models,
    incentive_evaluation,
    incentive_jobs,
    incentive_models,
    models,
    personal_data,
    reports_profile,
)
from hrcore.training.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="training",
    models=[models, exam_models, checkin_models, incentive_models],
    router=router,
    jobs=[
        JobSpec(action_plan_jobs.CREATE_JOB, action_plan_jobs.create_action_plan, max_tries=5),
        JobSpec(incentive_evaluation.EVALUATE_JOB, incentive_jobs.evaluate_incentives, max_tries=5),
    ],
    crons=[Cron(incentive_jobs.QUEUE_CRON, incentive_jobs.queue_evaluations, minute={11})],
    subscriptions=[
        Subscription(events.ENROLMENT_COMPLETED, action_plan_jobs.CREATE_JOB),
    ],
    providers=[
        notifications.SubjectNames(courses_reminders.SUBJECT_TYPE, courses_reminders.INBOX_NAMES),
        people.TrainingsProvider(reports_profile.profile_trainings),
        people.PointsProvider(reports_profile.profile_points),
        PersonalDataSection("points_ledger", personal_data.points_ledger),
        PersonalDataSection("training_enrolments", enrolments_personal_data.enrolments),
        PersonalDataSection("action_plans", enrolments_personal_data.action_plans),
    ],
    task_hooks=[
        workflow.TaskKindSpec(
            courses_reminders.REMINDER_KIND,
            completed_by=courses_reminders.CHECK_IN,
            submission=None,
        ),
        workflow.SubmissionCheck(
            courses_reminders.REMINDER_KIND, courses_reminders.checked_in_only
        ),
        workflow.TaskKindSpec(
            action_plans.TASK_KIND, completed_by=action_plans.SUBMIT, submission=None
        ),
        workflow.SubmissionCheck(action_plans.TASK_KIND, action_plans.submitted_only),
    ],
)
