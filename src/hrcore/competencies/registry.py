"""What competencies plug into the processes (core.registry): the library, models,
evidence and profiles tables, the routes, and the profile recompute job."""

from hrcore.competencies import jobs, models, profiles
from hrcore.competencies.router import router
from hrcore.core.jobs import JobSpec
from hrcore.core.registry import Domain

DOMAIN = Domain(
    name="competencies",
    models=[models],
    router=router,
    jobs=[JobSpec(profiles.RECOMPUTE_JOB, jobs.recompute_profile, max_tries=5)],
)
