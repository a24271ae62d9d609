"""What notifications plugs into the processes (core.registry): its router and tables."""

from hrcore.core.registry import Domain
from hrcore.notifications import models
from hrcore.notifications.router import router

DOMAIN = Domain(name="notifications", models=[models], router=router)
