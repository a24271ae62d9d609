"""Own-data exports over HTTP and the real worker: the person asks, the worker builds JSON
and a Chinese or English PDF into storage, only that person downloads it (404 for anyone
else, HR included), until it expires (410; the daily cron deletes the files). Audited."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient, Response
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.privacy.exports import expire
from hrcore.worker import run_burst
from hrcore.workflow import api as workflow
from tests.conftest import frozen_clock
from tests.contracts.conftest import storage_dir, stored
from tests.factories import make_user
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["storage_dir", "world"]
API = "/api/v1"
ZH = {"Accept-Language": "zh-CN"}
START = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


def _ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _pdf_text(response: Response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return "\n".join(page.extract_text() for page in pages)


async def _audited(owner_engine: AsyncEngine, org_id: Any) -> list[str]:
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT action FROM audit_events WHERE org_id = :org"
                " AND object_type = 'data_export' ORDER BY created_at, id"
            ),
            {"org": org_id},
        )
        return list(rows.scalars())


@pytest.mark.commits
async def test_the_worker_builds_my_export_and_only_i_download_it_until_it_expires(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    storage_dir: Path,
    owner_engine: AsyncEngine,
) -> None:
    member = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.member.id)
    async with frozen_clock(runtime, START) as clock:
        texts = {
            "purpose": "sensitive_data",
            "title_zh": "敏感个人信息处理同意书",
            "title_en": "Sensitive data consent",
            "body_zh": "正文",
            "body_en": "Body",
        }
        published = _ok(
            await client.post(f"{API}/consent-texts", json=texts, headers=world.hr.headers), 201
        )
        _ok(
            await client.post(
                f"{API}/me/consents", json={"text_id": published["id"]}, headers=member.headers
            ),
            201,
        )
        _ok(
            await client.post(
                f"{API}/privacy-requests",
                json={"kind": "correct", "message": "我的电话号码不对"},
                headers=member.headers,
            ),
            201,
        )
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, world.hr.org_id)
            await workflow.create_task(
                session,
                org_id=world.hr.org_id,
                subject_type="employee",
                subject_id=world.member.id,
                kind="workflow.report",
                assignee_employee_id=world.member.id,
                title="提交季度总结",
                due=date(2027, 3, 31),
            )
        started = _ok(await client.post(f"{API}/me/data-exports", headers=member.headers | ZH), 202)
        assert (started["status"], started["locale"]) == ("pending", "zh-CN")
        twice = await client.post(f"{API}/me/data-exports", headers=member.headers)
        assert_problem(twice, 409)
        one = f"{API}/me/data-exports/{started['id']}"
        assert_problem(await client.get(f"{one}/download", headers=member.headers), 409)

        await run_burst(runtime)
        ready = _ok(await client.get(one, headers=member.headers))
        assert ready["status"] == "ready", ready
        assert ready["expires_at"] == (START + timedelta(days=7)).isoformat().replace("+00:00", "Z")
        files = stored(storage_dir, "data.*")
        assert len(files) == 2

        data = await client.get(f"{one}/download", headers=member.headers)
        assert data.status_code == 200
        assert data.headers["content-type"] == "application/json"
        content = json.loads(data.content)
        assert content["profile"]["basics"]["full_name"] == "Member"
        sections = content["sections"]
        assert [c["title"] for c in sections["consents"]] == ["敏感个人信息处理同意书"]
        assert [r["message"] for r in sections["privacy_requests"]] == ["我的电话号码不对"]
        assert ready["sections"] == len(sections)
        assert set(sections) == {
            "action_plans",
            "check_ins",
            "competency_profile",
            "consents",
            "contract_amendments",
            "feedback_received",
            "goals",
            "mentorships",
            "points_ledger",
            "privacy_requests",
            "review_results",
            "tasks",
            "training_enrolments",
        }
        assert [t["title"] for t in sections["tasks"]] == ["提交季度总结"]

        document = await client.get(f"{one}/download?format=pdf", headers=member.headers)
        assert document.status_code == 200
        assert document.headers["content-type"] == "application/pdf"
        words = _pdf_text(document)
        assert "我的数据" in words
        assert "Member" in words
        assert "同意记录" in words
        assert "我的电话号码不对" in words
        assert "分配给我的任务" in words

        for someone in (world.hr, world.lead_account):
            assert_problem(await client.get(one, headers=someone.headers), 404)
            assert_problem(await client.get(f"{one}/download", headers=someone.headers), 404)
        lead_list = await client.get(f"{API}/me/data-exports", headers=world.lead_account.headers)
        assert _ok(lead_list)["items"] == []
        hr_list = await client.get(f"{API}/me/data-exports", headers=world.hr.headers)
        assert_problem(hr_list, 404)
        bad_format = await client.get(f"{one}/download?format=xml", headers=member.headers)
        assert_problem(bad_format, 422, fields={"query.format"})
        inbox = _ok(await client.get(f"{API}/me/notifications", headers=member.headers))["items"]
        assert "privacy.data_export_ready" in [n["kind"] for n in inbox]

        clock.advance(timedelta(days=7))
        gone = await client.get(f"{one}/download", headers=member.headers)
        assert_problem(gone, 410, kind="gone")
        assert await expire(runtime.sessionmaker, clock, runtime.settings) == 1
        assert stored(storage_dir, "data.*") == {}
        expired = _ok(await client.get(one, headers=member.headers))
        assert expired["status"] == "expired"
        assert_problem(await client.get(f"{one}/download", headers=member.headers), 410)
        assert await expire(runtime.sessionmaker, clock, runtime.settings) == 0
    assert await _audited(owner_engine, world.hr.org_id) == [
        "data_export.requested",
        "data_export.built",
        "data_export.downloaded",
        "data_export.downloaded",
        "data_export.expired",
    ]


async def test_an_account_without_an_employee_or_a_key_has_no_export(
    client: AsyncClient, world: World
) -> None:
    assert_problem(await client.post(f"{API}/me/data-exports", headers=world.hr.headers), 404)
    missing = f"{API}/me/data-exports/018f0000-0000-7000-8000-000000000000"
    assert_problem(await client.get(missing, headers=world.lead_account.headers), 404)
