"""What other domains may call of channels: the fan-out of notifications to the channels
that apply (`notifications.notify` calls it in its own transaction), and the DingTalk
directory client integrations' directory sync reads users and departments with."""

from __future__ import annotations

from hrcore.channels.dingtalk import Directory as DingTalkDirectory
from hrcore.channels.fanout import InboxItem, fan_out

__all__ = ["DingTalkDirectory", "InboxItem", "fan_out"]
