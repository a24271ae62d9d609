"""What training plugs into the processes (core.registry): its tables and routes, the
reminder task kind of a seat in a session (closed by checking in) and how the inbox names
an enrolment."""

from hrcore.core.registry import Domain
from hrcore.notifications import api as notifications
from hrcore.training import courses_reminders, models
from hrcore.training.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="training",
    models=[models],
    router=router,
    providers=[
        notifications.SubjectNames(courses_reminders.SUBJECT_TYPE, courses_reminders.INBOX_NAMES),
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
    ],
)
