"""What training plugs into the processes (core.registry): its tables and routes."""

from hrcore.core.registry import Domain
from hrcore.training import checkin_models, models
from hrcore.training.router import router

DOMAIN = Domain(name="training", models=[models, checkin_models], router=router)
