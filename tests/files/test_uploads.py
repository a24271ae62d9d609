"""Uploading and downloading over HTTP: what is accepted, what is stored, who reads it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx import AsyncClient, Response
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from hrcore.core.runtime import Runtime
from hrcore.core.storage import s3_client
from hrcore.files.sniffing import clean_name
from tests.factories import make_org
from tests.files.conftest import (
    API,
    OLE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    World,
    office,
    status_of,
    stored_files,
    upload,
    uploaded,
)
from tests.problems import assert_problem

pytestmark = pytest.mark.usefixtures("storage_dir")


async def test_an_upload_is_recorded_stored_and_read_back_by_its_uploader(
    client: AsyncClient, world: World, storage_dir: Path
) -> None:
    junior = world.junior_account
    response = await upload(client, junior, name="..\\../季度 报告.pdf")
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/api/v1/files/{body['id']}"
    assert body["file_name"] == "季度 报告.pdf", "no directories"
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF_BYTES)
    assert body["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert body["uploader"] == {"id": str(world.junior.id), "name": "Junior"}
    assert body["attached"] is False
    assert stored_files(storage_dir) == {f"{world.hr.org_id}/files/{body['id']}": PDF_BYTES}

    meta = await client.get(f"{API}/files/{body['id']}", headers=junior.headers)
    assert meta.json() == body
    content = await client.get(f"{API}/files/{body['id']}/content", headers=junior.headers)
    assert content.status_code == 200
    assert content.content == PDF_BYTES
    assert content.headers["content-type"] == "application/pdf"
    assert content.headers["x-content-type-options"] == "nosniff"
    disposition = content.headers["content-disposition"]
    assert "filename*=UTF-8''%E5%AD%A3%E5%BA%A6%20%E6%8A%A5%E5%91%8A.pdf" in disposition

    audit = await client.get(
        f"{API}/audit-events", params={"object_id": body["id"]}, headers=world.hr.headers
    )
    assert [event["action"] for event in audit.json()["items"]] == ["file.uploaded"]


async def test_the_type_comes_from_the_bytes_not_the_declaration(
    client: AsyncClient, world: World
) -> None:
    junior = world.junior_account
    cases = [
        (PNG_BYTES, "scan.pdf", "application/pdf", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "photo", "text/plain", "image/jpeg"),
        (b"GIF89a" + b"\x00" * 8, "a.gif", "image/gif", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a.webp", "image/webp", "image/webp"),
        (
            office("word/"),
            "plan.docx",
            "application/octet-stream",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            office("xl/"),
            "sheet.xlsx",
            "application/zip",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (OLE_BYTES, "old.DOC", "application/octet-stream", "application/msword"),
        (OLE_BYTES, "old.xls", "application/octet-stream", "application/vnd.ms-excel"),
    ]
    for content, name, declared, recognised in cases:
        response = await upload(client, junior, content, name, declared)
        assert response.status_code == 201, (name, response.text)
        assert response.json()["content_type"] == recognised, name


async def test_what_is_not_an_accepted_format_is_415(client: AsyncClient, world: World) -> None:
    junior = world.junior_account
    refused = [
        (b"MZ\x90\x00" + b"\x00" * 60, "invoice.pdf", "application/pdf"),  # a program
        (b"<html><script>alert(1)</script>", "page.pdf", "application/pdf"),
        (office("other/"), "archive.docx", "application/zip"),  # a zip, not a document
        (b"PK\x03\x04 broken", "broken.xlsx", "application/zip"),
        (OLE_BYTES, "mystery.bin", "application/msword"),  # OLE without an Office name
    ]
    for content, name, declared in refused:
        response = await upload(client, junior, content, name, declared)
        assert_problem(response, 415, kind="unsupported-media-type", detail="application/pdf")


async def test_the_accepted_types_and_size_come_from_the_settings(
    client: AsyncClient, world: World, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    junior = world.junior_account
    monkeypatch.setattr(runtime.settings, "file_allowed_types", ["application/pdf"])
    assert_problem(await upload(client, junior, PNG_BYTES, "a.png"), 415)
    monkeypatch.setattr(runtime.settings, "file_max_bytes", len(PDF_BYTES))
    assert (await upload(client, junior)).status_code == 201, "exactly the limit is accepted"
    too_large = await upload(client, junior, PDF_BYTES + b" ")
    assert_problem(too_large, 413, kind="payload-too-large", detail=str(len(PDF_BYTES)))


async def test_a_file_may_be_larger_than_other_request_bodies(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    large = PDF_BYTES + b"\x00" * (runtime.settings.max_body_bytes + 1024)
    response = await upload(client, world.junior_account, large)
    assert response.status_code == 201, response.text
    assert response.json()["size"] == len(large)
    small_json = await client.post(
        f"{API}/tasks/{response.json()['id']}/complete",
        content=b"{" + b" " * runtime.settings.max_body_bytes + b"}",
        headers={**world.junior_account.headers, "Content-Type": "application/json"},
    )
    assert_problem(small_json, 413, kind="payload-too-large")


async def test_an_empty_file_or_no_file_is_422(client: AsyncClient, world: World) -> None:
    junior = world.junior_account
    assert_problem(await upload(client, junior, b""), 422, fields={"file"})
    missing = await client.post(f"{API}/files", data={"x": "y"}, headers=junior.headers)
    assert_problem(missing, 422, fields={"body.file"})


async def test_in_chinese(client: AsyncClient, world: World) -> None:
    response = await client.post(
        f"{API}/files",
        files={"file": ("a.exe", b"MZ\x90\x00", "application/pdf")},
        headers={**world.junior_account.headers, "Accept-Language": "zh-CN"},
    )
    body = assert_problem(response, 415)
    assert "不接受" in body["detail"], body


async def test_an_unattached_file_is_its_uploaders_alone(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    file_id = await uploaded(client, world.junior_account)
    for account in (world.member_account, world.hr, world.sales_head):
        assert await status_of(client, account, file_id) == (404, 404)
    stranger = await make_org(runtime)
    response = await client.get(f"{API}/files/{file_id}", headers=stranger.headers)
    assert_problem(response, 404, kind="not-found", detail="No such file")


def test_a_name_is_cleaned_of_directories_control_characters_and_excess() -> None:
    assert clean_name("C:\\Users\\me\\..\\报告\x07\u200b.pdf") == "报告.pdf"
    assert clean_name("../../.hidden") == "hidden"
    assert clean_name("\x00\x1f") == clean_name(None) == "file"
    long = clean_name("a" * 300 + ".docx")
    assert len(long) == 200
    assert long.endswith("a.docx")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


async def test_uploads_go_to_the_s3_bucket_when_configured(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    s3_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s3 = {
        "storage_backend": "s3",
        "storage_s3_bucket": "uploads",
        "storage_s3_endpoint_url": s3_endpoint,
        "storage_s3_region": "us-east-1",
        "storage_s3_access_key_id": "test",
        "storage_s3_secret_access_key": SecretStr("test"),
    }
    for name, value in s3.items():
        monkeypatch.setattr(runtime.settings, name, value)
    bucket = s3_client(runtime.settings)
    bucket.create_bucket(Bucket="uploads")
    file_id = await uploaded(client, world.junior_account, content=PNG_BYTES, name="scan.png")
    key = f"{world.hr.org_id}/files/{file_id}"
    stored = bucket.get_object(Bucket="uploads", Key=key)
    assert stored["Body"].read() == PNG_BYTES
    assert stored["ContentType"] == "image/png"
    content = await client.get(
        f"{API}/files/{file_id}/content", headers=world.junior_account.headers
    )
    assert content.content == PNG_BYTES


def _multipart(boundary: str, content: bytes) -> bytes:
    return (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )


@pytest.mark.commits  # the key's claim is a transaction of its own, as in production
async def test_an_upload_retried_with_its_idempotency_key_is_stored_once(
    client: AsyncClient, world: World, storage_dir: Path
) -> None:
    """A client's retry draws a new multipart boundary: the parts decide, not the raw body."""

    async def send(boundary: str, content: bytes) -> Response:
        headers = {
            **world.junior_account.headers,
            "Idempotency-Key": "upload-1",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        return await client.post(
            f"{API}/files", content=_multipart(boundary, content), headers=headers
        )

    first = await send("first-try", PDF_BYTES)
    again = await send("second-try", PDF_BYTES)
    assert first.status_code == again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert len(stored_files(storage_dir)) == 1

    other = await send("third-try", PDF_BYTES + b"%changed\n")
    assert_problem(other, 422)
    assert len(stored_files(storage_dir)) == 1
