"""What other domains may call of channels: the fan-out of notifications to the channels
that apply (`notifications.notify` calls it in its own transaction)."""

from __future__ import annotations

from hrcore.channels.fanout import InboxItem, fan_out

__all__ = ["InboxItem", "fan_out"]
