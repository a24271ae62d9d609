"""The dossier as a PDF over HTTP and the real worker: generated once per audience and
content, trimmed like the JSON for the participant, Chinese extractable, failures retried."""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from httpx import AsyncClient, Response
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.outbox import OutboxMessage
from hrcore.core.runtime import Runtime
from hrcore.programs.dossier_pdf import DOSSIER_JOB, prune_dossier_documents
from hrcore.programs.models import DossierDocument
from hrcore.worker import run_burst
from tests.contracts.conftest import storage_dir, stored
from tests.factories import Account, make_employee, make_user
from tests.people.conftest import World, world
from tests.programs.test_programs import API, _complete, _ok, _post, add_active_member

__all__ = ["storage_dir", "world"]
PDF = {"Accept": "application/pdf"}
STAGES = [
    {"key": "training", "name": "管理培训", "kind": "training", "duration_days": 30},
    {"key": "evaluation", "name": "主管评价", "kind": "evaluation", "duration_days": 7},
    {"key": "decision", "name": "晋升决定", "kind": "decision", "duration_days": 14},
]
EVALUATION = "沟通能力突出"
REASON = "下次空缺时任命"


class Program:
    """张伟 (reporting to Lead) in a started run of a three-stage template."""

    def __init__(self, path: str, zhang: Account) -> None:
        self.path, self.zhang = path, zhang


@pytest.fixture
async def program(client: AsyncClient, runtime: Runtime, world: World) -> Program:
    hr = world.hr
    zhang = await make_employee(runtime, hr.org_id, world.sales, "张伟", manager=world.lead)
    account = await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=zhang.id)
    template = await _post(client, hr, "/program-templates", {"name": "储备科长", "stages": STAGES})
    pool = await _post(client, hr, "/talent-pools", {"name": "储备人才", "rules": []})
    await add_active_member(client, hr, pool["id"], zhang.id)
    body = {"name": "2027 储备科长", "template_id": template["id"], "pool_id": pool["id"]}
    run = await _post(client, hr, "/programs", body | {"starts_on": "2027-01-04"})
    await _post(
        client, hr, f"/programs/{run['id']}/participants", {"employee_ids": [str(zhang.id)]}
    )
    await _post(client, hr, f"/programs/{run['id']}/start")
    [participant] = (
        await _ok(await client.get(f"{API}/programs/{run['id']}/participants", headers=hr.headers))
    )["items"]
    return Program(f"{API}/programs/{run['id']}/participants/{participant['id']}/dossier", account)


async def _pdf(client: AsyncClient, account: Account, path: str) -> Response:
    return await client.get(path, headers=account.headers | PDF)


async def _generated(
    client: AsyncClient, runtime: Runtime, account: Account, path: str
) -> Response:
    """202 first, then the PDF once the worker ran."""
    pending = await _pdf(client, account, path)
    assert pending.status_code == 202, pending.text
    assert pending.headers["Retry-After"]
    assert pending.json()["status"] == "pending"
    await run_burst(runtime)
    ready = await _pdf(client, account, path)
    assert ready.status_code == 200, ready.text
    assert ready.headers["content-type"] == "application/pdf"
    return ready


def _text(response: Response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


async def _jobs(owner_engine: AsyncEngine, org_id: uuid.UUID) -> int:
    async with owner_engine.connect() as connection:
        count: Any = await connection.scalar(
            select(func.count()).where(
                OutboxMessage.job == DOSSIER_JOB, OutboxMessage.org_id == org_id
            )
        )
    return int(count)


@pytest.mark.commits
async def test_the_pdf_is_generated_once_per_content_and_trimmed_for_the_participant(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    program: Program,
    storage_dir: Path,
    owner_engine: AsyncEngine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hr, path = world.hr, program.path
    assert (await _pdf(client, hr, path)).status_code == 202
    with caplog.at_level(logging.DEBUG):
        first = await _generated(client, runtime, hr, path)
    assert not [r for r in caplog.records if "%PDF" in r.getMessage()], "no bytes in logs"
    text = _text(first)
    assert "张伟" in text
    assert all(stage["name"] in text for stage in STAGES)
    again = await _pdf(client, hr, path)
    assert again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"]
    polled = await client.get(
        path, headers=hr.headers | PDF | {"If-None-Match": first.headers["ETag"]}
    )
    assert (polled.status_code, polled.content) == (304, b""), "its own tag answers 304"
    assert await _jobs(owner_engine, hr.org_id) == 1, "an unchanged dossier is reused"

    assert (await _complete(client, program.zhang, "program.training", None)).status_code == 200
    changed = await _generated(client, runtime, hr, path)
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert await _jobs(owner_engine, hr.org_id) == 2, "a changed dossier is generated anew"

    evaluated = await _complete(client, world.lead_account, "program.evaluation", EVALUATION)
    assert evaluated.status_code == 200
    await _ok(
        await client.post(
            path.replace("/dossier", "/decision"),
            json={"outcome": "continue", "reason": REASON},
            headers=world.lead_account.headers,
        )
    )
    full = _text(await _generated(client, runtime, world.lead_account, path))
    assert EVALUATION in full
    assert REASON in full
    own = _text(await _generated(client, runtime, program.zhang, path))
    assert "张伟" in own
    assert all(stage["name"] in own for stage in STAGES)
    assert EVALUATION not in own, "the participant's JSON hides the evaluation"
    assert REASON not in own, "and the decision's reason"
    own_json = await _ok(await client.get(path, headers=program.zhang.headers))
    assert EVALUATION not in str(own_json)
    assert REASON not in str(own_json)

    peer = await make_user(runtime, hr.org_id, employee_id=world.peer.id)
    assert (await _pdf(client, peer, path)).status_code == 404
    assert stored(storage_dir, "*.pdf"), "stored through core storage"


@pytest.mark.commits
async def test_a_lost_pdf_is_rendered_again_from_the_kept_content(
    client: AsyncClient, runtime: Runtime, world: World, program: Program, storage_dir: Path
) -> None:
    first = await _generated(client, runtime, world.hr, program.path)
    [lost] = stored(storage_dir, "*.pdf")
    lost.unlink()

    again = await _generated(client, runtime, world.hr, program.path)

    assert _text(again) == _text(first)
    assert again.headers["ETag"] == first.headers["ETag"], "the same content, the same bytes"


@pytest.mark.commits
async def test_superseded_pdfs_are_pruned_after_their_retention(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    program: Program,
    storage_dir: Path,
    owner_engine: AsyncEngine,
) -> None:
    first = await _generated(client, runtime, world.hr, program.path)
    [old_file] = stored(storage_dir, "*.pdf")
    assert (await _complete(client, program.zhang, "program.training", None)).status_code == 200
    latest = await _generated(client, runtime, world.hr, program.path)
    assert len(stored(storage_dir, "*.pdf")) == 2
    retention = timedelta(days=runtime.settings.dossier_document_retention_days)

    soon = FrozenClock(datetime.now(UTC) + retention - timedelta(days=1))
    kept = await prune_dossier_documents(runtime.sessionmaker, soon, runtime.settings)
    later = FrozenClock(datetime.now(UTC) + retention + timedelta(days=1))
    pruned = await prune_dossier_documents(runtime.sessionmaker, later, runtime.settings)

    assert (kept, pruned) == (0, 1), "only the superseded one, only after its retention"
    assert old_file not in stored(storage_dir, "*.pdf"), "its file went with it"
    async with owner_engine.connect() as connection:
        rows = await connection.scalar(select(func.count()).select_from(DossierDocument))
        audited = await connection.scalar(
            select(func.count()).where(AuditEvent.action == "program_dossier_document.pruned")
        )
    assert (rows, audited) == (1, 1)
    again = await _pdf(client, world.hr, program.path)
    assert again.headers["ETag"] == latest.headers["ETag"] != first.headers["ETag"]


@pytest.mark.commits
async def test_a_failed_generation_shows_its_reason_and_is_retried(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    program: Program,
    storage_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    font = runtime.settings.contract_font_path
    monkeypatch.setattr(runtime.settings, "contract_font_path", storage_dir / "missing.ttf")
    assert (await _pdf(client, world.hr, program.path)).status_code == 202
    await run_burst(runtime)
    failed = await _pdf(client, world.hr, program.path)
    assert failed.status_code == 409
    assert failed.headers["content-type"] == "application/problem+json"
    assert "FileNotFoundError" in failed.json()["detail"]
    assert failed.headers["Retry-After"]

    monkeypatch.setattr(runtime.settings, "contract_font_path", font)
    retried = await _generated(client, runtime, world.hr, program.path)
    assert "张伟" in _text(retried)
    disposition = retried.headers["content-disposition"]
    assert disposition.startswith('inline; filename="dossier-'), "an ASCII name for old clients"
    assert unquote(disposition.split("filename*=UTF-8''")[1]).endswith("-张伟.pdf"), "whose"


async def test_json_stays_the_default(client: AsyncClient, world: World, program: Program) -> None:
    response = await client.get(
        program.path,
        headers=world.hr.headers | {"Accept": "application/json, application/pdf;q=0.5"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["Vary"] == "Accept"


@pytest.mark.commits
async def test_the_pdf_reads_in_the_readers_language(
    client: AsyncClient, runtime: Runtime, world: World, program: Program, storage_dir: Path
) -> None:
    hr, path = world.hr, program.path
    chinese_reader = replace(hr, headers=hr.headers | {"Accept-Language": "zh-CN"})
    chinese = _text(await _generated(client, runtime, chinese_reader, path))
    english = _text(await _generated(client, runtime, hr, path))
    assert "培养档案" in chinese
    assert "学员：" in chinese
    assert "Development dossier" not in chinese
    assert "Development dossier" in english
    assert "Participant: " in english
    assert "培养档案" not in english
    assert "张伟" in chinese
    assert "张伟" in english
