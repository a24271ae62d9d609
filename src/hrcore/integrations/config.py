"""What the DingTalk callback and the worker share: names and the callback settings."""

from __future__ import annotations

from dataclasses import dataclass

from hrcore.settings import Settings

APPLY_JOB = "integrations.apply_dingtalk_event"
CALLBACK_PATH = "/api/v1/integrations/dingtalk/events"
USER_EVENTS = ("user_add_org", "user_modify_org", "user_leave_org")
DEPT_EVENTS = ("org_dept_create", "org_dept_modify", "org_dept_remove")


@dataclass(frozen=True)
class CallbackConfig:
    replay_window_seconds: int = 300
    api_base: str = "https://oapi.dingtalk.com"
    workflow_api_base: str = "https://api.dingtalk.com"
    timeout_seconds: float = 10.0


def config_from(settings: Settings) -> CallbackConfig:
    return CallbackConfig(
        replay_window_seconds=settings.dingtalk_callback_replay_window_seconds,
        api_base=settings.dingtalk_api_base.rstrip("/"),
        workflow_api_base=settings.dingtalk_workflow_api_base.rstrip("/"),
        timeout_seconds=settings.webhook_timeout_seconds,
    )


def timestamp_seconds(timestamp: str) -> float | None:
    """DingTalk sends milliseconds since the epoch; seconds are accepted too."""
    try:
        value = int(timestamp)
    except ValueError:
        return None
    return value / 1000 if value > 10**11 else float(value)
