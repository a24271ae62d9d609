"""What other domains may call of integrations, for DingTalk approvals:

- hooks, filled from the owning domain's registry: `DingTalkEventHook(event_type, handler)`
  (an `async handler(session, InboundEvent) -> Handled` applied by the worker, in the event's
  transaction) and `ApprovalKinds(declared)` (the kinds a process code may be mapped to);
- `approval_process_code(session, org_id, kind)`: the DingTalk process code a kind runs
  under, None when it runs in hrcore;
- `workflow_of(session, org_id, config)`: the organization's DingTalk approval client
  (`Workflow.start(NewInstance) -> instance id`, `Workflow.get(instance id)`,
  `Workflow.terminate(instance id, operator, remark)`), None without an
  app; `config_from(settings)` its configuration. Failures raise `DingTalkError`;
- for DingTalk to-dos (workflow): `has_app(session, org_id)`, `todos_of(session, org_id,
  config)` (the organization's `channels.Todos` client, None without an app),
  `todos_for(workflow)` (the same app's to-do client inside an event handler) and the event
  `DINGTALK_APP_READY` (the integration now acts with an app it did not before).
"""

from __future__ import annotations

from hrcore.channels.api import DingTalkError
from hrcore.integrations.config import CallbackConfig, config_from
from hrcore.integrations.dingtalk_workflow import NewInstance, Workflow, workflow_of
from hrcore.integrations.hooks import ApprovalKinds, DingTalkEventHook, Handled, InboundEvent
from hrcore.integrations.models import EventStatus
from hrcore.integrations.repository import approval_process_code
from hrcore.integrations.todo_clients import DINGTALK_APP_READY, has_app, todos_for, todos_of

__all__ = [
    "DINGTALK_APP_READY",
    "ApprovalKinds",
    "CallbackConfig",
    "DingTalkError",
    "DingTalkEventHook",
    "EventStatus",
    "Handled",
    "InboundEvent",
    "NewInstance",
    "Workflow",
    "approval_process_code",
    "config_from",
    "has_app",
    "todos_for",
    "todos_of",
    "workflow_of",
]
