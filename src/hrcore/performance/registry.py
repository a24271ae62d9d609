"""What performance plugs into the processes (core.registry): its tables, its routes and the
live-score recompute job that ingestion enqueues."""

from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain
from hrcore.files import api as files
from hrcore.performance import (
    jobs,
    live_scores,
    models,
    observation_import,
    work_results,
    work_results_models,
)
from hrcore.performance.router import router

DOMAIN = Domain(
    name="performance",
    models=[models, work_results_models],
    router=router,
    jobs=[JobSpec(live_scores.RECOMPUTE_JOB, jobs.recompute_scores, max_tries=5)],
    providers=[
        observation_import.OBSERVATIONS,
        files.SubjectReader(work_results.SUBJECT, work_results.may_read_files),
    ],
)
