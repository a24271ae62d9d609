"""Channels tests talk to the local DingTalk of `tests.fake_dingtalk`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from hrcore.core.runtime import Runtime
from hrcore.settings import Settings
from tests.fake_dingtalk import FakeDingTalk, fake_dingtalk

__all__ = ["FakeDingTalk", "fake_dingtalk"]


Configure = Callable[..., Settings]


@pytest.fixture
def configure(runtime: Runtime, fake_dingtalk: FakeDingTalk) -> Iterator[Configure]:
    """Settings for the API and the worker pointing at the fake DingTalk; restored after."""
    original = runtime.settings
    original_clock = runtime.clock
    defaults = {
        "webhook_allow_private_targets": True,
        "webhook_timeout_seconds": 5.0,
        "dingtalk_api_base": fake_dingtalk.base,
    }

    def apply(**overrides: object) -> Settings:
        runtime.settings = original.model_copy(update={**defaults, **overrides})
        return runtime.settings

    apply()
    yield apply
    runtime.settings = original
    runtime.clock = original_clock
