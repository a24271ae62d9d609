"""Document storage: the local directory and an S3-compatible bucket (moto's server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from hrcore.core.storage import LocalStorage, S3Storage, StoredObjectMissing, storage_for
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


async def test_local_storage_round_trips_and_replaces_atomically(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    await storage.put("org/a/v1.pdf", b"first", "application/pdf")
    await storage.put("org/a/v1.pdf", b"second", "application/pdf")
    assert await storage.get("org/a/v1.pdf") == b"second"
    await storage.put("org/b/v1.pdf", b"other", "application/pdf")
    assert [stored.key for stored in await storage.list_under("org/a/")] == ["org/a/v1.pdf"]
    assert await storage.list_under("org/none/") == []
    assert sorted(p.name for p in (tmp_path / "org" / "a").iterdir()) == ["v1.pdf"]
    with pytest.raises(StoredObjectMissing):
        await storage.get("org/a/v2.pdf")
    await storage.delete("org/a/v1.pdf")
    await storage.delete("org/a/v1.pdf")  # already gone: fine
    with pytest.raises(StoredObjectMissing):
        await storage.get("org/a/v1.pdf")
    for key in ("../escape.pdf", "/etc/passwd", ""):
        with pytest.raises(ValueError, match="invalid storage key"):
            await storage.put(key, b"x", "application/pdf")


async def test_s3_storage_round_trips(s3_endpoint: str) -> None:
    settings = make_settings(
        storage_backend="s3",
        storage_s3_bucket="documents",
        storage_s3_endpoint_url=s3_endpoint,
        storage_s3_region="us-east-1",
        storage_s3_access_key_id="test",
        storage_s3_secret_access_key="test",
    )
    boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket="documents")
    storage = storage_for(settings)
    assert isinstance(storage, S3Storage)
    await storage.put("org/a/v1.pdf", "变更协议".encode(), "application/pdf")
    assert (await storage.get("org/a/v1.pdf")).decode() == "变更协议"
    await storage.put("org/ab/v1.pdf", b"other", "application/pdf")
    assert [stored.key for stored in await storage.list_under("org/a/")] == ["org/a/v1.pdf"]
    with pytest.raises(StoredObjectMissing):
        await storage.get("org/a/missing.pdf")
    await storage.delete("org/a/v1.pdf")
    await storage.delete("org/a/v1.pdf")  # already gone: fine
    with pytest.raises(StoredObjectMissing):
        await storage.get("org/a/v1.pdf")


def test_s3_needs_a_bucket() -> None:
    with pytest.raises(ValueError, match="BUCKET"):
        storage_for(make_settings(storage_backend="s3"))
