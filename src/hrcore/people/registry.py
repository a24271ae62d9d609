"""What people plugs into the processes (core.registry): its router and tables."""

from hrcore.core.registry import Domain
from hrcore.people import models
from hrcore.people.router import router

DOMAIN = Domain(name="people", models=[models], router=router)
