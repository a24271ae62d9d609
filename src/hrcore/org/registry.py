"""What org plugs into the processes (core.registry): its router and tables."""

from hrcore.core.registry import Domain
from hrcore.org import models
from hrcore.org.router import router

DOMAIN = Domain(name="org", models=[models], router=router)
