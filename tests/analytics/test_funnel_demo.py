"""The demo organization's funnel and vacancy fill after the worker's first refresh: the
year of succession the seed writes shows in both, drillable."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.seed import DEMO_PASSWORD, DEMO_SLUG, seed_demo
from tests.analytics.conftest import API, refresh_all


@pytest.mark.commits
async def test_the_demo_shows_its_funnel_and_vacancy_fill(
    client: AsyncClient, runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime.settings, "storage_dir", tmp_path)
    await seed_demo(runtime)
    await refresh_all(runtime)
    login = {"org": DEMO_SLUG, "email": "hr@demo.example", "password": DEMO_PASSWORD}
    token = (await client.post(f"{API}/auth/token", json=login)).json()["access_token"]
    hr = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    funnel = (await client.get(f"{API}/analytics/funnel", headers=hr)).json()
    people = {step["step"]: step["people"] for step in funnel["steps"]}
    assert people["pool_member"] == 2, "the section chiefs' member and the appointed engineer"
    assert people["appointment"] == 1
    fill = (await client.get(f"{API}/analytics/vacancy-fill", headers=hr)).json()
    assert (fill["filled"], fill["internal_fill_rate"], fill["median_days_to_fill"]) == (
        2,
        0.5,
        34.0,
    ), "40 days from a pool, 28 by an override"
    drill = await client.get(
        f"{API}/analytics/vacancy-fill/people", params={"step": "internal"}, headers=hr
    )
    [item] = drill.json()["items"]
    assert "from a talent pool, 40 days" in item["reason"], item["reason"]
