"""What talent plugs into the processes (core.registry): a leaver's memberships end and a
vacated management post opens a vacancy, both on people's employment events; HR's task to
decide a nomination is completed by the decision, not on its own."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain, Subscription
from hrcore.people import api as people
from hrcore.talent import jobs, membership, models, nominations, vacancies
from hrcore.talent.router import router
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="talent",
    models=[models],
    router=router,
    jobs=[
        JobSpec(membership.LEFT_JOB, jobs.end_memberships_of_leaver),
        JobSpec(vacancies.OPEN_VACANCY_JOB, jobs.open_vacancy_for_vacated_post),
    ],
    subscriptions=[
        Subscription(people.EMPLOYMENT_EVENT_RECORDED, membership.LEFT_JOB),
        Subscription(people.EMPLOYMENT_EVENT_RECORDED, vacancies.OPEN_VACANCY_JOB),
    ],
    task_hooks=[workflow.SubmissionCheck(nominations.TASK_KIND, nominations.decided_only)],
)
