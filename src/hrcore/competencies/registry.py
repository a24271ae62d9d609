"""What competencies plug into the processes (core.registry): the library, models,
evidence, profiles, stretch-assignment, rotation and development-plan tables, the routes,
the profile recompute job, the roster's job following people's employment events, the task
kinds of stretch assignments (the outcome task closes by recording the outcome) and
rotations (the host supervisor's rating), the approval kind development plans run on
(`competencies.development_plan`), the library's import kind (imports runs the upload,
competencies checks and writes the rows), the current plan people's panoramic profile
shows, and the plans that keep a model version in use."""

from fastapi import APIRouter

from hrcore.approvals import api as approvals
from hrcore.competencies import (
    api,
    jobs,
    library_import,
    models,
    personal_data,
    plan_approval,
    plan_notices,
    plan_repository,
    profiles,
    roster,
    rotation_models,
    rotation_router,
    rotations,
    stretch_assigning,
    stretch_outcomes,
)
from hrcore.competencies.router import router as library_router
from hrcore.core.i18n import N_
from hrcore.core.jobs import JobSpec
from hrcore.core.personal_data import PersonalDataSection
from hrcore.core.registry import Domain, Subscription
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.workflow import api as workflow

_ASSIGNEE_NAMES = (
    "SELECT e.id, a.title, e.employee_id FROM stretch_assignees e"
    " JOIN stretch_assignments a ON a.id = e.assignment_id AND a.org_id = e.org_id"
    " WHERE e.org_id = {org} AND e.id = ANY({ids})"
)
_LEG_NAMES = (
    "SELECT l.id, l.post_title, p.employee_id FROM rotation_legs l"
    " JOIN rotation_plans p ON p.id = l.plan_id AND p.org_id = l.org_id"
    " WHERE l.org_id = {org} AND l.id = ANY({ids})"
)
"""The inbox names a stretch assignment's task after the assignment and a rotation leg's
after its post, both about the employee on it."""

router = APIRouter()
router.include_router(library_router)
router.include_router(rotation_router.router)

DOMAIN = Domain(
    name="competencies",
    models=[models, rotation_models],
    router=router,
    jobs=[
        JobSpec(profiles.RECOMPUTE_JOB, jobs.recompute_profile, max_tries=5),
        JobSpec(roster.FOLLOW_JOB, roster.follow_post, max_tries=5),
    ],
    subscriptions=[
        Subscription(event, roster.FOLLOW_JOB)
        for event in (
            people.EMPLOYMENT_EVENT_RECORDED,
            people.EMPLOYMENT_EVENT_APPLIED,
            people.EMPLOYMENT_EVENT_ENDED_EARLY,
            people.EMPLOYMENT_EVENT_WITHDRAWN,
        )
    ],
    task_hooks=[
        workflow.TaskKindSpec(stretch_assigning.KICKOFF_KIND),
        workflow.TaskKindSpec(stretch_assigning.MIDPOINT_KIND),
        workflow.TaskKindSpec(
            stretch_assigning.OUTCOME_KIND,
            completed_by=stretch_assigning.RECORD_OUTCOME,
            submission=None,
        ),
        workflow.SubmissionCheck(stretch_assigning.OUTCOME_KIND, stretch_outcomes.outcome_required),
        workflow.TaskKindSpec(
            rotations.RATING_TASK_KIND,
            completed_by=workflow.Operation(
                "rate_rotation_leg",
                "POST",
                "/rotation-plans/{plan_id}/legs/{leg_id}/rating",
                subject_param="leg_id",
            ),
            submission=None,
        ),
        workflow.SubmissionCheck(rotations.RATING_TASK_KIND, rotations.rated_only),
        approvals.ApprovalKindSpec(
            models.PLAN_APPROVAL,
            plan_approval.approved,
            facts=plan_approval.FACTS,
            default_steps=plan_approval.DEFAULT_STEPS,
            on_ended=plan_approval.ended,
        ),
    ],
    providers=[
        PersonalDataSection("competency_profile", personal_data.competency_profile),
        notifications.SubjectNames(stretch_assigning.SUBJECT, _ASSIGNEE_NAMES),
        notifications.SubjectNames(rotations.LEG_SUBJECT, _LEG_NAMES),
        notifications.SubjectNames(plan_notices.SUBJECT, plan_notices.INBOX_NAMES),
        library_import.LIBRARY,
        people.DevelopmentPlanProvider(api.development_plan_of),
        api.ModelVersionUse(
            N_("open development plans drew their goals from it: {names}"),
            plan_repository.PLANS_ON_MODEL_VERSION,
        ),
    ],
)
