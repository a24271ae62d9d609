"""What workflow plugs into the processes (core.registry). Task hooks and kinds are
declared by the domains owning the task kinds (`SubmissionCheck`, `CompletionHook`,
`TaskKindSpec`); workflow declares the two generic kinds a composition root (the demo seed)
assigns directly."""

from hrcore.calendars import api as calendars
from hrcore.core.jobs import JobSpec
from hrcore.core.personal_data import PersonalDataSection
from hrcore.core.registry import Cron, Domain, Subscription
from hrcore.files import api as files
from hrcore.integrations import api as integrations
from hrcore.people import api as people
from hrcore.workflow import access, api, jobs, models, personal_data
from hrcore.workflow.kinds import REPORT, TaskKindSpec
from hrcore.workflow.router import router

REPORT_KIND = "workflow.report"
"""A written report the assignee hands in at `/tasks/{id}/complete` (never empty)."""
TODO_KIND = "workflow.todo"
"""Something to do and tick off at `/tasks/{id}/complete`, with a submission or without."""

DOMAIN = Domain(
    name="workflow",
    models=[models],
    router=router,
    # Every minute (second 0): reminders and escalations that became due.
    crons=[Cron("workflow.sweep_deadlines", jobs.sweep_deadlines, timeout=55)],
    jobs=[
        JobSpec(api.TODO_SYNC_JOB, jobs.sync_todo),
        JobSpec(api.TODO_BACKFILL_JOB, jobs.backfill_todos),
    ],
    # tasks opened before DingTalk could take them get their to-dos (docs/workflow.md)
    subscriptions=[
        Subscription(integrations.DINGTALK_APP_READY, api.TODO_BACKFILL_JOB),
        Subscription(people.EMPLOYEE_DINGTALK_LINKED, api.TODO_BACKFILL_JOB),
    ],
    providers=[
        # a to-do ticked in DingTalk completes its task where a tick may (docs/workflow.md)
        integrations.DingTalkEventHook(api.TODO_EVENT, api.apply_todo_event),
        files.SubjectReader(access.FILES_SUBJECT, access.may_read_files),
        # a day of the organization's calendar flipped: open tasks' next actions move
        calendars.DayChangeListener("workflow", api.replan_open_tasks),
        PersonalDataSection("tasks", personal_data.tasks_assigned),
    ],
    task_hooks=[TaskKindSpec(REPORT_KIND, submission=REPORT), TaskKindSpec(TODO_KIND)],
)
