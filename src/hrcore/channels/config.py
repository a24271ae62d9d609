"""What channel administration, fan-out and delivery share: the job name and the settings."""

from __future__ import annotations

from dataclasses import dataclass

from hrcore.core.delivery import Policy
from hrcore.settings import Settings

DELIVER_JOB = "channels.deliver"
MAX_ATTEMPTS = 8
"""Attempts of one delivery before it is `failed` (deferrals do not count)."""


@dataclass(frozen=True)
class ChannelConfig:
    """The settings channels read, passed explicitly by the router and the job."""

    policy: Policy
    api_base: str = "https://oapi.dingtalk.com"


def config_from(settings: Settings) -> ChannelConfig:
    """Robot URLs follow the webhook rules (HRCORE_WEBHOOK_ALLOW_PRIVATE_TARGETS, timeout)."""
    policy = Policy(
        allow_private_targets=settings.webhook_allow_private_targets,
        timeout_seconds=settings.webhook_timeout_seconds,
        max_attempts=MAX_ATTEMPTS,
        retry_base_seconds=settings.job_retry_base_seconds,
    )
    return ChannelConfig(policy=policy, api_base=settings.dingtalk_api_base.rstrip("/"))
