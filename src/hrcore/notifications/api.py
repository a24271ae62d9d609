"""What other domains may call of notifications: `notify` one message to some users, or
`notify_many` (`Message`s) in a fixed number of statements; both join the caller's
transaction and are idempotent on (user, `dedupe_key`)."""

from __future__ import annotations

from hrcore.notifications.service import Message, notify, notify_many

__all__ = ["Message", "notify", "notify_many"]
