"""What competencies plug into the processes (core.registry): the library, models,
evidence and profiles tables, the routes, the profile recompute job, and the library's
import kind (imports runs the upload, competencies checks and writes the rows)."""

from hrcore.competencies import jobs, library_import, models, profiles
from hrcore.competencies.router import router
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain

DOMAIN = Domain(
    name="competencies",
    models=[models],
    router=router,
    jobs=[JobSpec(profiles.RECOMPUTE_JOB, jobs.recompute_profile, max_tries=5)],
    providers=[library_import.LIBRARY],
)
