"""Files on the people domain's test organization: a storage directory per test, sample
files of each recognised format, and upload helpers."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import Account
from tests.people.conftest import World, world

__all__ = ["World", "world"]
API = "/api/v1"
PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def office(folder: str) -> bytes:
    """An Office Open XML package whose main part lives in `folder` (word/, xl/, ppt/)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
async def storage_dir(runtime: Runtime, tmp_path: Path) -> AsyncIterator[Path]:
    """Uploads go to this test's directory (the runtime's settings are shared)."""
    original = runtime.settings.storage_dir
    runtime.settings.storage_dir = tmp_path
    try:
        yield tmp_path
    finally:
        runtime.settings.storage_dir = original


def stored_files(root: Path) -> dict[str, bytes]:
    """Every stored object under `root`, by its key (a sync helper: tests await nothing on
    the disk)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


async def upload(
    client: AsyncClient,
    account: Account,
    content: bytes = PDF_BYTES,
    name: str = "report.pdf",
    declared: str = "application/pdf",
) -> Any:
    """Upload as `account`; the response (not checked)."""
    return await client.post(
        f"{API}/files", files={"file": (name, content, declared)}, headers=account.headers
    )


async def uploaded(client: AsyncClient, account: Account, **options: Any) -> str:
    """Upload as `account` and return the new file's id."""
    response = await upload(client, account, **options)
    assert response.status_code == 201, response.text
    file_id: str = response.json()["id"]
    return file_id


async def status_of(client: AsyncClient, account: Account, file_id: str) -> tuple[int, int]:
    """The statuses of the file's metadata and of its content for `account`."""
    meta = await client.get(f"{API}/files/{file_id}", headers=account.headers)
    content = await client.get(f"{API}/files/{file_id}/content", headers=account.headers)
    return meta.status_code, content.status_code
