"""What competencies plug into the processes (core.registry)."""

from hrcore.competencies import models
from hrcore.competencies.router import router
from hrcore.core.registry import Domain

DOMAIN = Domain(name="competencies", models=[models], router=router)
