"""What domains above integrations plug into it: handlers of DingTalk event types they own
(approvals handles `bpms_instance_change`) and the approval kinds a process code may be
mapped to. Integrations sits below those domains, so it declares the hooks and they fill
them from their registries."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.integrations.dingtalk_workflow import Workflow
from hrcore.integrations.models import EventStatus


@dataclass(frozen=True)
class InboundEvent:
    """A verified event for its handler; `workflow` is None when no app is configured."""

    org_id: uuid.UUID
    event_type: str
    payload: dict[str, Any]
    clock: Clock
    workflow: Workflow | None


@dataclass(frozen=True)
class Handled:
    """What became of the event (`applied`, `ignored` or `failed`) and a note why."""

    status: EventStatus
    note: str | None = None


EventHandler = Callable[[AsyncSession, InboundEvent], Awaitable[Handled]]
_HANDLERS: dict[str, EventHandler] = {}
_KINDS: list[Callable[[], list[str]]] = []


@dataclass(frozen=True)
class DingTalkEventHook:
    """`handler` applies events of `event_type` in the worker, in the event's transaction."""

    event_type: str
    handler: EventHandler

    def install(self) -> None:
        _HANDLERS[self.event_type] = self.handler


@dataclass(frozen=True)
class ApprovalKinds:
    """Names the approval kinds an organization may run in DingTalk."""

    declared: Callable[[], list[str]]

    def install(self) -> None:
        _KINDS[:] = [self.declared]


def handler_of(event_type: str) -> EventHandler | None:
    return _HANDLERS.get(event_type)


def approval_kinds() -> set[str]:
    return {kind for declared in _KINDS for kind in declared()}
