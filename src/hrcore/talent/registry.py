"""What talent plugs into the processes (core.registry): a leaver's memberships end and a
vacated management post opens a vacancy, both on people's employment events; an appointee
is told when an appointment dated later takes effect; a nomination runs on the approval
engine (`talent.pool_nomination`), and HR's task for one the engine cannot carry is
completed by the decision, not on its own. Stretch-assignment matching (competencies) asks
it for pool membership."""

from hrcore.approvals import api as approvals
from hrcore.competencies import api as competencies
from hrcore.core.i18n import N_
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain, Subscription
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.talent import (
    aftermath,
    application_notices,
    appointment,
    approving,
    jobs,
    membership,
    models,
    nominations,
    vacancies,
)
from hrcore.talent.router import router

_MEMBER_NAMES = (
    "SELECT m.id, p.name, m.employee_id FROM talent_pool_members m"
    " JOIN talent_pools p ON p.id = m.pool_id AND p.org_id = m.org_id"
    " WHERE m.org_id = {org} AND m.id = ANY({ids})"
)
_APPOINTMENT_NAMES = (
    "SELECT a.id, p.title, a.employee_id FROM vacancy_appointments a"
    " JOIN vacancies v ON v.id = a.vacancy_id AND v.org_id = a.org_id"
    " JOIN positions p ON p.id = v.position_id AND p.org_id = v.org_id"
    " WHERE a.org_id = {org} AND a.id = ANY({ids})"
)
_APPLICATION_NAMES = (
    "SELECT a.id, p.title, a.employee_id FROM vacancy_applications a"
    " JOIN vacancies v ON v.id = a.vacancy_id AND v.org_id = a.org_id"
    " JOIN positions p ON p.id = v.position_id AND p.org_id = v.org_id"
    " WHERE a.org_id = {org} AND a.id = ANY({ids})"
)
"""The inbox names a pool member after their pool, an appointment or a competition
application after its post."""
_POOLS_ON_POSITION = (
    "SELECT name FROM talent_pools"
    " WHERE org_id = {org} AND target_position_id = {position} AND active AND {current}"
)
"""An active pool aiming at a position ranks against its current competency model."""

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
    providers=[
        competencies.PoolMembershipProvider(
            membership.active_pools_of, membership.members_of_any_pool
        ),
        notifications.SubjectNames(nominations.SUBJECT, _MEMBER_NAMES),
        notifications.SubjectNames(aftermath.APPOINTMENT_SUBJECT, _APPOINTMENT_NAMES),
        notifications.SubjectNames(application_notices.APPLICATION_SUBJECT, _APPLICATION_NAMES),
        competencies.ModelVersionUse(
            N_("talent pools aim at the position: {names}"), _POOLS_ON_POSITION
        ),
    ],
)
