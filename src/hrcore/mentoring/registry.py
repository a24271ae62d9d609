"""What mentoring plugs into the processes (core.registry): its tables and routes, the
approval kind of pairings' plans, the job planning a pairing's schedule when its plan is
approved (subscribed to `PLAN_APPROVED`) and the hourly cron planning those it missed, the
task kinds of the schedule (completed by logging the session), the survey task kind, the
jobs asking for a survey when a session is logged and recomputing a mentor's effectiveness
(on a session, a pairing's end, a survey answer, and nightly), the nightly flagging of
mentors who stop qualifying, the "mentor of" relation people's access asks about, the
panoramic profile's mentoring section, and how the inbox names a mentor request."""

from hrcore.approvals import api as approvals
from hrcore.core.jobs import JobSpec
from hrcore.core.personal_data import PersonalDataSection
from hrcore.core.registry import Cron, Domain, Subscription
from hrcore.mentoring import (
    effectiveness,
    effectiveness_models,
    events,
    jobs_effectiveness,
    jobs_flagging,
    jobs_periodic_surveys,
    jobs_schedule,
    mentor_relation,
    mentor_request_models,
    mentor_requests,
    mentorship_models,
    models,
    periodic_survey_models,
    personal_data,
    plans,
    profile_section,
    schedule,
    survey_models,
    surveys,
)
from hrcore.mentoring.router import router
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="mentoring",
    models=[
        models,
        mentorship_models,
        survey_models,
        effectiveness_models,
        mentor_request_models,
        periodic_survey_models,
    ],
    router=router,
    jobs=[
        JobSpec(jobs_schedule.PLAN_SCHEDULE_JOB, jobs_schedule.plan_schedule, max_tries=5),
        JobSpec(surveys.ASK_JOB, jobs_effectiveness.ask_for_survey, max_tries=5),
        JobSpec(
            effectiveness.RECOMPUTE_JOB, jobs_effectiveness.recompute_effectiveness, max_tries=5
        ),
    ],
    subscriptions=[
        Subscription(events.PLAN_APPROVED, jobs_schedule.PLAN_SCHEDULE_JOB),
        Subscription(events.SESSION_LOGGED, surveys.ASK_JOB),
        Subscription(events.SESSION_LOGGED, effectiveness.RECOMPUTE_JOB),
        Subscription(events.MENTORSHIP_ENDED, effectiveness.RECOMPUTE_JOB),
    ],
    crons=[
        Cron(
            "mentoring.recompute_effectiveness_nightly",
            jobs_effectiveness.recompute_all,
            hour={19},
            minute={37},
        ),
        Cron(jobs_flagging.FLAG_CRON, jobs_flagging.flag_mentors, hour={2}, minute={37}),
        Cron(jobs_schedule.CATCH_UP_CRON, jobs_schedule.catch_up_schedules, minute={47}),
        Cron(
            jobs_periodic_surveys.PERIODIC_SURVEY_CRON,
            jobs_periodic_surveys.ask_for_periodic_surveys,
            hour={1},
            minute={7},
        ),
    ],
    providers=[
        PersonalDataSection("mentorships", personal_data.mentorships),
        notifications.SubjectNames(mentor_requests.SUBJECT, mentor_requests.INBOX_NAMES),
        people.RelationProvider(
            mentor_relation.RELATION,
            frozenset({people.PERFORMANCE_GOALS, people.DEVELOPMENT_PLAN}),
            mentor_relation.running_mentees,
        ),
        people.RelationProvider(
            mentor_relation.RELATION,
            frozenset({people.PERFORMANCE_RATINGS}),
            mentor_relation.mentees_with_rating_goal,
        ),
        people.RelationProvider(
            mentor_relation.RELATION,
            frozenset({people.COMPETENCY_PROFILE}),
            mentor_relation.mentees_with_competency_goal,
        ),
        people.MentoringProvider(profile_section.profile_mentoring),
    ],
    task_hooks=[
        approvals.ApprovalKindSpec(
            plans.PLAN_APPROVAL, plans.approved, facts=plans.FACTS, on_ended=plans.ended
        ),
        *(
            workflow.TaskKindSpec(kind, completed_by=schedule.LOG_SESSION, submission=None)
            for kind in schedule.TASK_KINDS.values()
        ),
        *(
            workflow.SubmissionCheck(kind, schedule.logged_only)
            for kind in schedule.TASK_KINDS.values()
        ),
        workflow.TaskKindSpec(
            surveys.SURVEY_KIND, completed_by=surveys.ANSWER_SURVEY, submission=None
        ),
    ],
)
