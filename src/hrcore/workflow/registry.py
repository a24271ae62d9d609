"""What workflow plugs into the processes (core.registry). Task hooks are declared by the
domains owning the task kinds (`SubmissionCheck`, `CompletionHook`)."""

from hrcore.core.registry import Cron, Domain
from hrcore.files import api as files
from hrcore.workflow import access, jobs, models
from hrcore.workflow.router import router

DOMAIN = Domain(
    name="workflow",
    models=[models],
    router=router,
    # Every minute (second 0): reminders and escalations that became due.
    crons=[Cron("workflow.sweep_deadlines", jobs.sweep_deadlines, timeout=55)],
    providers=[files.SubjectReader(access.FILES_SUBJECT, access.may_read_files)],
)
