"""Every domain, in one list: the API, the worker, the CLI, Alembic and the tests are built
from it. The order is the routers' order in the OpenAPI document and the order of an
event's subscribers. A new domain adds its `registry.DOMAIN` here."""

from __future__ import annotations

from sqlalchemy import MetaData

from hrcore.analytics.registry import DOMAIN as ANALYTICS
from hrcore.approvals.registry import DOMAIN as APPROVALS
from hrcore.calendars.registry import DOMAIN as CALENDARS
from hrcore.channels.registry import DOMAIN as CHANNELS
from hrcore.competencies.registry import DOMAIN as COMPETENCIES
from hrcore.contracts.registry import DOMAIN as CONTRACTS
from hrcore.core import registry
from hrcore.core.housekeeping import DOMAIN as CORE
from hrcore.core.models import Base
from hrcore.core.registry import Domain
from hrcore.files.registry import DOMAIN as FILES
from hrcore.identity.registry import DOMAIN as IDENTITY
from hrcore.imports.registry import DOMAIN as IMPORTS
from hrcore.integrations.registry import DOMAIN as INTEGRATIONS
from hrcore.mentoring.registry import DOMAIN as MENTORING
from hrcore.notifications.registry import DOMAIN as NOTIFICATIONS
from hrcore.org.registry import DOMAIN as ORG
from hrcore.people.registry import DOMAIN as PEOPLE
from hrcore.performance.registry import DOMAIN as PERFORMANCE
from hrcore.privacy.registry import DOMAIN as PRIVACY
from hrcore.programs.registry import DOMAIN as PROGRAMS
from hrcore.reviews.registry import DOMAIN as REVIEWS
from hrcore.talent.registry import DOMAIN as TALENT
from hrcore.training.registry import DOMAIN as TRAINING
from hrcore.webhooks.registry import DOMAIN as WEBHOOKS
from hrcore.workflow.registry import DOMAIN as WORKFLOW

DOMAINS: tuple[Domain, ...] = (
    CORE,
    IDENTITY,
    ORG,
    PEOPLE,
    IMPORTS,
    WORKFLOW,
    NOTIFICATIONS,
    WEBHOOKS,
    CHANNELS,
    INTEGRATIONS,
    CONTRACTS,
    REVIEWS,
    TALENT,
    PROGRAMS,
    CALENDARS,
    FILES,
    APPROVALS,
    COMPETENCIES,
    PERFORMANCE,
    MENTORING,
    TRAINING,
    PRIVACY,
    ANALYTICS,
)

metadata: MetaData = Base.metadata
"""Every table: each domain's `models` modules are imported above (Alembic's target)."""


def install() -> None:
    """Wire every domain's jobs, subscriptions and hooks (idempotent): what building the
    API, the worker or a CLI command does first."""
    registry.install(DOMAINS)
