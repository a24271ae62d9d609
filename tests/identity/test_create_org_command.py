"""`hrcore create-org` creates a tenant whose admin logs in with the printed password."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.conftest import DATABASE_URL, REDIS_URL


def _create_org() -> subprocess.CompletedProcess[str]:
    env = os.environ | {"HRCORE_DATABASE_URL": DATABASE_URL, "HRCORE_REDIS_URL": REDIS_URL}
    command = [sys.executable, "-m", "hrcore", "create-org", "--slug", "initech"]
    command += ["--name", "Initech", "--admin-email", "Boss@Initech.example"]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


@pytest.mark.commits
async def test_create_org_prints_a_working_one_time_password(
    client: AsyncClient, runtime: Runtime
) -> None:
    created = await asyncio.to_thread(_create_org)
    assert created.returncode == 0, created.stderr
    match = re.search(r"one-time password: (\S+)", created.stdout)
    assert match, created.stdout
    login = await client.post(
        "/api/v1/auth/token",
        json={"org": "initech", "email": "boss@initech.example", "password": match.group(1)},
    )
    assert login.status_code == 200
    assert login.json()["must_change_password"] is True

    again = await asyncio.to_thread(_create_org)
    assert again.returncode == 1
    assert "exists" in again.stderr
