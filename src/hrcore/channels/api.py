"""What other domains may call of channels: the fan-out of notifications to the channels
that apply (`notifications.notify` calls it in its own transaction), and the DingTalk
directory client integrations reads users and departments and exchanges sign-in auth codes
with, and the v1.0 call (`call_v1`, the app's token from the same per-app cache)
integrations calls DingTalk's other APIs with; the to-do
client (`Todos`, `NewTodo`) tasks become DingTalk to-dos through; `act_label`, the act a
DingTalk card's button names for an item type, in a language. Retention (privacy's purge):
`channel_deliveries_due` / `…_count` / `delete_channel_deliveries` — the delivery log, once
settled and old enough."""

from __future__ import annotations

from hrcore.channels.cards import act_label
from hrcore.channels.dingtalk import DingTalkError, call_v1
from hrcore.channels.dingtalk import Directory as DingTalkDirectory
from hrcore.channels.dingtalk_todo import AlreadyExists, NewTodo, Todos
from hrcore.channels.fanout import InboxItem, fan_out
from hrcore.channels.retention import (
    channel_deliveries_due,
    channel_deliveries_due_count,
    delete_channel_deliveries,
)

__all__ = [
    "AlreadyExists",
    "DingTalkDirectory",
    "DingTalkError",
    "InboxItem",
    "NewTodo",
    "Todos",
    "act_label",
    "call_v1",
    "channel_deliveries_due",
    "channel_deliveries_due_count",
    "delete_channel_deliveries",
    "fan_out",
]
