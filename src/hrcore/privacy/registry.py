"""What privacy plugs into the processes (core.registry): its tables and routes."""

from hrcore.core.registry import Domain
from hrcore.privacy.router import router

DOMAIN = Domain(name="privacy", models=[], router=router)
