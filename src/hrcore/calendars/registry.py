"""What the working calendar plugs into the processes (core.registry)."""

from hrcore.calendars import models
from hrcore.calendars.router import router
from hrcore.core.registry import Domain

DOMAIN = Domain(name="calendars", models=[models], router=router)
