"""The talent review's report over HTTP and the real worker: 202 while it is drawn, then a
PDF whose Chinese (or English) text extracts and whose pages carry the charts; one per
revision and language; only for readers of every participant."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from httpx import AsyncClient, Response
from pypdf import PdfReader

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.analytics.conftest import World
from tests.analytics.test_talent_review import REVIEWS, ZH, open_review, pool_with_members
from tests.contracts.conftest import storage_dir, stored
from tests.factories import Account

__all__ = ["storage_dir"]


async def _drawn(client: AsyncClient, runtime: Runtime, account: Account, path: str) -> Response:
    pending = await client.get(path, headers=account.headers | ZH)
    assert pending.status_code == 202, pending.text
    assert pending.headers["Retry-After"]
    assert pending.json()["status"] == "pending"
    await run_burst(runtime)
    ready = await client.get(path, headers=account.headers | ZH)
    assert ready.status_code == 200, ready.text
    assert ready.headers["content-type"] == "application/pdf"
    return ready


def _text(response: Response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _images(response: Response) -> int:
    reader = PdfReader(io.BytesIO(response.content))
    return sum(len(page.images) for page in reader.pages)


@pytest.mark.commits
async def test_the_report_is_drawn_by_the_worker_in_chinese_with_its_charts(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    pool_id = await pool_with_members(client, world)
    review = await open_review(client, world.hr, pool_id=pool_id)
    path = f"{REVIEWS}/{review['id']}"
    move = {
        "employee_id": str(world.engineer.id),
        "performance": "medium",
        "potential": "high",
        "reason": "跨部门项目表现好",
    }
    moved = await client.post(f"{path}/placements", json=move, headers=world.hr.headers)
    assert moved.status_code == 200, moved.text

    ready = await _drawn(client, runtime, world.hr, f"{path}/report")
    assert ready.content.startswith(b"%PDF")
    text = _text(ready)
    assert "人才盘点报告：2026 年度人才盘点" in text
    assert "储备人才" in text
    assert "跨部门项目表现好" in text
    assert "Engineer" in text
    assert _images(ready) == 2
    assert len(stored(storage_dir, "*.pdf")) == 1

    english = await client.get(f"{path}/report", headers=world.hr.headers)
    assert english.status_code == 202, english.text
    await run_burst(runtime)
    english = await client.get(f"{path}/report", headers=world.hr.headers)
    assert english.status_code == 200, english.text
    assert "Talent review report: 2026 年度人才盘点" in _text(english)

    again = await client.get(f"{path}/report", headers=world.hr.headers | ZH)
    assert again.status_code == 200
    assert again.content == ready.content
    closed = await client.post(f"{path}/close", headers=world.hr.headers)
    assert closed.status_code == 200, closed.text
    newer = await client.get(f"{path}/report", headers=world.hr.headers | ZH)
    assert newer.status_code == 202, newer.text
    assert newer.json()["revision"] == review["revision"] + 2


@pytest.mark.commits
async def test_only_readers_of_every_participant_get_the_report(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    company = await open_review(client, world.hr, department_id=world.head_office.id)
    head = world.sales_head.headers
    partial = await client.get(f"{REVIEWS}/{company['id']}/report", headers=head)
    assert partial.status_code == 404, partial.text
    sales = await open_review(client, world.hr, department_id=world.sales.id)
    await _drawn(client, runtime, world.sales_head, f"{REVIEWS}/{sales['id']}/report")
    employee = await client.get(
        f"{REVIEWS}/{sales['id']}/report", headers=world.member_account.headers
    )
    assert employee.status_code == 403, employee.text
