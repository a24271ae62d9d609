"""What other domains may call of webhooks: `publish` an event (`EventType`) to the
organization's subscriptions, or `publish_many` for a batch of one type, in the caller's
transaction (rolled back, nothing is sent).

Retention (privacy's purge): `deliveries_due` / `deliveries_due_count` /
`delete_deliveries` — the delivery log, once settled and old enough."""

from __future__ import annotations

from hrcore.webhooks.models import EventType
from hrcore.webhooks.retention import delete_deliveries, deliveries_due, deliveries_due_count
from hrcore.webhooks.service import publish, publish_many

__all__ = [
    "EventType",
    "delete_deliveries",
    "deliveries_due",
    "deliveries_due_count",
    "publish",
    "publish_many",
]
