"""What competencies plug into the processes (core.registry): the library, models,
evidence, profiles, stretch-assignment and rotation tables, the routes, the profile
recompute job, the task kinds of stretch assignments (the outcome task closes by recording
the outcome) and rotations (the host supervisor's rating), and the library's import kind
(imports runs the upload, competencies checks and writes the rows)."""

from fastapi import APIRouter

from hrcore.competencies import (
    jobs,
    library_import,
    models,
    profiles,
    rotation_models,
    rotation_router,
    rotations,
    stretch_assigning,
    stretch_outcomes,
)
from hrcore.competencies.router import router as library_router
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain
from hrcore.workflow import api as workflow

router = APIRouter()
router.include_router(library_router)
router.include_router(rotation_router.router)

DOMAIN = Domain(
    name="competencies",
    models=[models, rotation_models],
    router=router,
    jobs=[JobSpec(profiles.RECOMPUTE_JOB, jobs.recompute_profile, max_tries=5)],
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
    ],
    providers=[library_import.LIBRARY],
)
