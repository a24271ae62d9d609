"""What reviews plugs into the processes (core.registry)."""

from hrcore.approvals import api as approvals
from hrcore.core.jobs import JobSpec
from hrcore.core.personal_data import PersonalDataSection
from hrcore.core.registry import Domain
from hrcore.files import api as files
from hrcore.notifications import api as notifications
from hrcore.reviews import (
    access,
    aggregation,
    appeals,
    assignments,
    jobs,
    models,
    nominations,
    personal_data,
    publication,
)
from hrcore.reviews.router import router
from hrcore.workflow import api as workflow

_RESULT_NAMES = (
    "SELECT r.id, c.name, r.employee_id FROM review_results r"
    " JOIN review_cycles c ON c.id = r.cycle_id AND c.org_id = r.org_id"
    " WHERE r.org_id = {org} AND r.id = ANY({ids})"
)
_APPEAL_NAMES = (
    "SELECT a.id, c.name, a.employee_id FROM review_appeals a"
    " JOIN review_results r ON r.id = a.result_id AND r.org_id = a.org_id"
    " JOIN review_cycles c ON c.id = r.cycle_id AND c.org_id = r.org_id"
    " WHERE a.org_id = {org} AND a.id = ANY({ids})"
)
_NOMINATION_NAMES = (
    "SELECT n.id, c.name, p.employee_id FROM review_nominations n"
    " JOIN review_cycles c ON c.id = n.cycle_id AND c.org_id = n.org_id"
    " JOIN review_participants p ON p.id = n.participant_id AND p.org_id = n.org_id"
    " WHERE n.org_id = {org} AND n.id = ANY({ids})"
)
"""The inbox names a result, an appeal or a peer nomination after its cycle, for the
employee it concerns (a nomination's: the participant rated)."""

DOMAIN = Domain(
    name="reviews",
    models=[models],
    router=router,
    jobs=[JobSpec(aggregation.AGGREGATE_JOB, jobs.aggregate)],
    task_hooks=[
        workflow.TaskKindSpec(
            assignments.TASK_KIND,
            completed_by=workflow.Operation(
                "submit_review_answers",
                "POST",
                "/review-assignments/{assignment_id}/submit",
                subject_param="assignment_id",
            ),
            submission=None,
        ),
        workflow.TaskKindSpec(
            appeals.REPLY_TASK_KIND,
            completed_by=workflow.Operation(
                "reply_to_review_appeal",
                "POST",
                "/appeals/{appeal_id}/reply",
                subject_param="appeal_id",
            ),
            submission=None,
        ),
        workflow.SubmissionCheck(assignments.TASK_KIND, assignments.submitted_only),
        workflow.SubmissionCheck(appeals.REPLY_TASK_KIND, appeals.replied_only),
        approvals.ApprovalKindSpec(
            nominations.APPROVAL_KIND,
            nominations.approved,
            facts=nominations.FACTS,
            default_steps=nominations.DEFAULT_STEPS,
            on_ended=nominations.ended,
            confidential=True,
        ),
    ],
    providers=[
        files.SubjectReader(access.FILES_SUBJECT, access.may_read_files),
        notifications.SubjectNames(publication.SUBJECT, _RESULT_NAMES),
        notifications.SubjectNames(appeals.SUBJECT, _APPEAL_NAMES),
        notifications.SubjectNames(nominations.SUBJECT, _NOMINATION_NAMES),
        PersonalDataSection("review_results", personal_data.results_about),
    ],
)
