"""What competencies plug into the processes (core.registry): the library, models,
evidence, profiles and stretch-assignment tables, the routes, the profile recompute job, and
the stretch assignments' task kinds (the outcome task closes by recording the outcome)."""

from hrcore.competencies import jobs, models, profiles, stretch_assigning, stretch_outcomes
from hrcore.competencies.router import router
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain
from hrcore.workflow import api as workflow

DOMAIN = Domain(
    name="competencies",
    models=[models],
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
    ],
)
