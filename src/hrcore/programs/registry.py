"""What programs plugs into the processes (core.registry): its stage tasks' hooks (and the
review stages' rater tasks), withdrawals on people's and talent's events, stretch-assignment
stages completed on competencies' outcomes, training stages on training's completions and
passed exams, the crons, and
the program completion talent's ranking asks for, the ending of an appointee's programs
talent's appointment asks for, the participations people's profile shows, the source kind
of the supervisor evaluations' competency evidence, and the runs competencies' development
plans name."""

from hrcore.competencies import api as competencies
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Cron, Domain, Subscription
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.programs import (
    api,
    dossier_pdf,
    evidence,
    jobs,
    models,
    stages,
    stretch_stages,
    training_stages,
    withdrawal,
)
from hrcore.programs.router import router
from hrcore.reviews import api as reviews
from hrcore.talent import api as talent
from hrcore.training import api as training
from hrcore.workflow import api as workflow

_DECISION = workflow.Operation(
    "decide_program_participant",
    "POST",
    "/programs/{run_id}/participants/{participant_id}/decision",
)
_KINDS = [
    workflow.TaskKindSpec(stages.TASK_KINDS["training"]),
    # 心得 and the other reports: never closed with an empty text; a stage adds its rule.
    workflow.TaskKindSpec(stages.TASK_KINDS["submission"], submission=workflow.REPORT),
    workflow.TaskKindSpec(stages.TASK_KINDS["assignment"]),
    workflow.TaskKindSpec(stages.TASK_KINDS["evaluation"], submission=workflow.REPORT),
    workflow.TaskKindSpec(stages.TASK_KINDS["decision"], completed_by=_DECISION, submission=None),
    # HR's, when a participant could not be put on a stage's stretch assignment: done, retried.
    workflow.TaskKindSpec(stages.TASK_KINDS["stretch_assignment"]),
]

_PARTICIPANT_NAMES = (
    "SELECT p.id, r.name, p.employee_id FROM program_participants p"
    " JOIN program_runs r ON r.id = p.run_id AND r.org_id = p.org_id"
    " WHERE p.org_id = {org} AND p.id = ANY({ids})"
)
"""The inbox names a participant after their run."""

DOMAIN = Domain(
    name="programs",
    models=[models],
    router=router,
    jobs=[
        JobSpec(withdrawal.LEAVER_JOB, jobs.withdraw_leaver),
        JobSpec(withdrawal.REMOVED_JOB, jobs.withdraw_removed_member),
        JobSpec(dossier_pdf.DOSSIER_JOB, jobs.generate_dossier_document),
        JobSpec(stages.STRETCH_JOB, jobs.assign_stretch_stage),
        JobSpec(stretch_stages.OUTCOME_JOB, jobs.complete_stretch_stage),
        JobSpec(stages.TRAINING_JOB, jobs.check_training_stage),
        JobSpec(training_stages.PROGRESS_JOB, jobs.complete_training_stages),
    ],
    crons=[
        # Hourly: program review stages past their grace period close with what they have.
        Cron(
            "programs.close_overdue_reviewed_stages",
            jobs.close_overdue_reviewed_stages,
            minute={23},
        ),
        # Daily at 03:41 UTC: superseded dossier PDFs past their retention.
        Cron(
            "programs.prune_dossier_documents",
            jobs.prune_dossier_documents,
            hour={3},
            minute={41},
        ),
    ],
    subscriptions=[
        Subscription(people.EMPLOYMENT_EVENT_RECORDED, withdrawal.LEAVER_JOB),
        Subscription(people.EMPLOYMENT_EVENT_APPLIED, withdrawal.LEAVER_JOB),
        Subscription(talent.MEMBER_REMOVED, withdrawal.REMOVED_JOB),
        Subscription(competencies.OUTCOME_RECORDED, stretch_stages.OUTCOME_JOB),
        Subscription(training.ENROLMENT_COMPLETED, training_stages.PROGRESS_JOB),
        Subscription(training.EXAM_PASSED, training_stages.PROGRESS_JOB),
    ],
    task_hooks=[
        *_KINDS,
        *(
            workflow.SubmissionCheck(kind, stages.check_completion)
            for kind in stages.TASK_KINDS.values()
        ),
        *(
            workflow.CompletionHook(kind, stages.on_task_completed)
            for kind in stages.TASK_KINDS.values()
        ),
        workflow.CompletionHook(reviews.TASK_KIND, stages.on_task_completed),
    ],
    providers=[
        talent.ProgramCompletionProvider(api.latest_completion_in_pools),
        people.ProgramParticipationProvider(api.participations_of),
        competencies.ProgramActionsProvider(api.development_actions),
        talent.AppointeeProgramsProvider(api.graduate_appointee),
        notifications.SubjectNames("program_participant", _PARTICIPANT_NAMES),
        reviews.EvidenceKind(evidence.evaluation_kind),
    ],
)
