"""What identity plugs into the processes (core.registry): its router and tables."""

from hrcore.core.registry import Domain
from hrcore.identity import models
from hrcore.identity.router import router

DOMAIN = Domain(name="identity", models=[models], router=router)
