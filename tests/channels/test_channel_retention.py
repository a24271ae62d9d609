"""The DingTalk delivery log under a retention rule, through the real outbox, arq worker and
the local DingTalk: settled deliveries go after the period, one naming a person under legal
hold stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.privacy import retention_jobs
from hrcore.worker import run_burst
from tests.channels.conftest import Configure, FakeDingTalk
from tests.channels.test_channels import _deliveries, _notify, _robot
from tests.conftest import frozen_clock
from tests.factories import make_employee, make_org, make_tree, make_user

API = "/api/v1"


@pytest.mark.commits
async def test_settled_deliveries_go_after_the_period_and_a_held_persons_stay(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    tree = await make_tree(runtime, hr.org_id)
    held = await make_employee(runtime, hr.org_id, tree.sales, "Zhao Held")
    user = await make_user(runtime, hr.org_id)
    channel = await _robot(api, hr, fake_dingtalk)
    await _notify(runtime, hr.org_id, [user.user_id], "k1", body="Your review is due.")
    await _notify(runtime, hr.org_id, [user.user_id], "k2", body="Rate Zhao Held by Friday.")
    await run_burst(runtime)
    await run_burst(runtime)
    sent = await _deliveries(api, hr, channel["id"])
    assert [d["status"] for d in sent] == ["sent", "sent"]
    naming_held = max(d["id"] for d in sent)
    placed = await api.post(
        f"{API}/legal-holds",
        json={"employee_id": str(held.id), "reason": "Dispute over overtime"},
        headers=hr.headers,
    )
    assert placed.status_code == 201, placed.text
    rule = {
        "subject_kind": "channel_deliveries",
        "period": {"amount": 3, "unit": "months"},
        "action": "delete",
    }
    created = await api.post(f"{API}/retention-rules", json=rule, headers=hr.headers)
    assert created.status_code == 201, created.text

    async with frozen_clock(runtime, datetime.now(UTC) + timedelta(days=80)):
        assert await retention_jobs.apply_retention({"runtime": runtime}) == 0
    async with frozen_clock(runtime, datetime.now(UTC) + timedelta(days=95)):
        assert await retention_jobs.apply_retention({"runtime": runtime}) == 1
        assert await retention_jobs.apply_retention({"runtime": runtime}) == 0
    [kept] = await _deliveries(api, hr, channel["id"])
    assert kept["id"] == naming_held, "the delivery naming the held person stays"
