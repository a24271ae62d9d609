"""What other domains may call of webhooks: `publish` an event (`EventType`) to the
organization's subscriptions, or `publish_many` for a batch of one type, in the caller's
transaction (rolled back, nothing is sent)."""

from __future__ import annotations

from hrcore.webhooks.models import EventType
from hrcore.webhooks.service import publish, publish_many

__all__ = ["EventType", "publish", "publish_many"]
