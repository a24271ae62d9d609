"""What talent plugs into the processes (core.registry): a leaver's memberships end and a
vacated management post opens a vacancy, both on people's employment events; an appointee
is told when an appointment dated later takes effect; a nomination runs on the approval
engine (`talent.pool_nomination`), and HR's task for one the engine cannot carry is
completed by the decision, not on its own."""

from hrcore.approvals import api as approvals
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain, Subscription
from hrcore.people import api as people
from hrcore.talent import (
    aftermath,
    appointment,
    approving,
    jobs,
    membership,
    models,
    nominations,
    vacancies,
)
from hrcore.talent.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="talent",
    models=[models],
    router=router,
    jobs=[
        JobSpec(membership.LEFT_JOB, jobs.end_memberships_of_leaver),
        JobSpec(vacancies.OPEN_VACANCY_JOB, jobs.open_vacancy_for_vacated_post),
        JobSpec(aftermath.APPLIED_JOB, jobs.tell_appointment_in_effect),
    ],
    subscriptions=[
        Subscription(people.EMPLOYMENT_EVENT_RECORDED, membership.LEFT_JOB),
        Subscription(people.EMPLOYMENT_EVENT_RECORDED, vacancies.OPEN_VACANCY_JOB),
        Subscription(people.EMPLOYMENT_EVENT_APPLIED, membership.LEFT_JOB),
        Subscription(people.EMPLOYMENT_EVENT_APPLIED, aftermath.APPLIED_JOB),
    ],
    task_hooks=[
        workflow.TaskKindSpec(
            nominations.TASK_KIND, completed_by=nominations.DECIDED_BY, submission=None
        ),
        workflow.SubmissionCheck(nominations.TASK_KIND, nominations.decided_only),
        approvals.ApprovalKindSpec(
            approving.NOMINATION,
            approving.approved,
            facts=approving.FACTS,
            default_steps=approving.DEFAULT_STEPS,
            decision_days=nominations.DECISION_DAYS,
            on_ended=approving.ended,
        ),
        approvals.ApprovalKindSpec(
            appointment.OVERRIDE,
            appointment.override_approved,
            facts=appointment.OVERRIDE_FACTS,
            on_ended=appointment.override_ended,
        ),
    ],
)
