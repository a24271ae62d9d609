"""Imports every module that defines tables, so `Base.metadata` is complete for Alembic."""

from hrcore.channels import models as channels_models
from hrcore.contracts import models as contracts_models
from hrcore.core import audit, idempotency, outbox
from hrcore.core.models import Base
from hrcore.identity import models as identity_models
from hrcore.imports import models as imports_models
from hrcore.integrations import models as integrations_models
from hrcore.notifications import models as notifications_models
from hrcore.org import models as org_models
from hrcore.people import models as people_models
from hrcore.programs import models as programs_models
from hrcore.reviews import models as reviews_models
from hrcore.talent import models as talent_models
from hrcore.webhooks import models as webhooks_models
from hrcore.workflow import models as workflow_models

metadata = Base.metadata

__all__ = [
    "audit",
    "channels_models",
    "contracts_models",
    "idempotency",
    "identity_models",
    "imports_models",
    "integrations_models",
    "metadata",
    "notifications_models",
    "org_models",
    "outbox",
    "people_models",
    "programs_models",
    "reviews_models",
    "talent_models",
    "webhooks_models",
    "workflow_models",
]
