"""What other domains may call of notifications: `notify` one message to some users, or
`notify_many` (`Message`s) in a fixed number of statements; both join the caller's
transaction and are idempotent on (user, `dedupe_key`). A domain whose objects are
notifications' subjects declares how the inbox names them (`SubjectNames`, a provider)."""

from __future__ import annotations

from hrcore.notifications.service import Message, notify, notify_many
from hrcore.notifications.subjects import SubjectNames

__all__ = ["Message", "SubjectNames", "notify", "notify_many"]
