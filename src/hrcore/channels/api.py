"""What other domains may call of channels: the fan-out of notifications to the channels
that apply (`notifications.notify` calls it in its own transaction), and the DingTalk
directory client integrations' directory sync reads users and departments with, and the
app access tokens (cached per app) integrations calls DingTalk's other APIs with; the to-do
client (`Todos`, `NewTodo`) tasks become DingTalk to-dos through; `act_label`, the act a
DingTalk card's button names for an item type, in a language."""

from __future__ import annotations

from hrcore.channels.cards import act_label
from hrcore.channels.dingtalk import DingTalkError, access_token, call_v1, forget_token
from hrcore.channels.dingtalk import Directory as DingTalkDirectory
from hrcore.channels.dingtalk_todo import AlreadyExists, NewTodo, Todos
from hrcore.channels.fanout import InboxItem, fan_out

__all__ = [
    "AlreadyExists",
    "DingTalkDirectory",
    "DingTalkError",
    "InboxItem",
    "NewTodo",
    "Todos",
    "access_token",
    "act_label",
    "call_v1",
    "fan_out",
    "forget_token",
]
