"""What mentoring plugs into the processes (core.registry): its tables and routes."""

from hrcore.core.registry import Domain
from hrcore.mentoring import models
from hrcore.mentoring.router import router

DOMAIN = Domain(name="mentoring", models=[models], router=router)
