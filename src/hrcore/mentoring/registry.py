"""What mentoring plugs into the processes (core.registry): its tables and routes."""

from hrcore.core.registry import Domain
from hrcore.mentoring import mentorship_models, models
from hrcore.mentoring.router import router

DOMAIN = Domain(name="mentoring", models=[models, mentorship_models], router=router)
