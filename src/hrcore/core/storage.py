"""Where generated documents live: a local directory or an S3-compatible bucket.

Domains store bytes under a key they choose (`org/…/v1.pdf`) and read them back; they never
touch paths or buckets. Writes are all-or-nothing: the local backend writes a temporary file
in the target directory and renames it over the final name (atomic on POSIX), and an S3
PUT is atomic by nature, so a reader never sees a half-written document. Both backends are
blocking libraries, run in a thread so the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from hrcore.settings import Settings


class StoredObjectMissing(LookupError):
    """No object under this key."""


class StorageUnavailable(ConnectionError):
    """The backend failed (disk error, bucket unreachable): an outage, answered 503."""


@dataclass(frozen=True)
class StoredObject:
    """A key in the storage and when its bytes were last written."""

    key: str
    modified_at: datetime


class DocumentStorage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None:
        """Remove the object; a key already gone is fine (deleting is retried)."""

    async def list_under(self, prefix: str) -> list[StoredObject]:
        """Every object whose key starts with `prefix` (a folder: `org/files/`), to find
        bytes that nothing names."""


def _checked(key: str) -> PurePosixPath:
    """Keys are relative POSIX paths without `..`: a key can never escape the storage root."""
    path = PurePosixPath(key)
    if not key or path.is_absolute() or ".." in path.parts:
        raise ValueError(f"invalid storage key {key!r}")
    return path


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*_checked(key).parts)

    def _put(self, key: str, data: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise StoredObjectMissing(key) from None
        except OSError as exc:
            raise StorageUnavailable(f"reading {key}: {exc}") from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put, key, data)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    def _list_under(self, prefix: str) -> list[StoredObject]:
        folder = self._path(prefix)
        try:
            return [
                StoredObject(
                    path.relative_to(self.root).as_posix(),
                    datetime.fromtimestamp(path.stat().st_mtime, UTC),
                )
                for path in folder.rglob("*")
                if path.is_file()
            ]
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StorageUnavailable(f"listing {prefix}: {exc}") from exc

    async def list_under(self, prefix: str) -> list[StoredObject]:
        return await asyncio.to_thread(self._list_under, prefix)


class S3Storage:
    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def _get(self, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=str(_checked(key)))
            body: bytes = response["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise StoredObjectMissing(key) from None
            raise StorageUnavailable(f"reading {key}: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"reading {key}: {exc}") from exc
        return body

    def _list_under(self, prefix: str) -> list[StoredObject]:
        from botocore.exceptions import BotoCoreError, ClientError

        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=str(_checked(prefix)).rstrip("/") + "/"
        )
        try:
            return [
                StoredObject(item["Key"], item["LastModified"])
                for page in pages
                for item in page.get("Contents", ())
            ]
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(f"listing {prefix}: {exc}") from exc

    async def list_under(self, prefix: str) -> list[StoredObject]:
        return await asyncio.to_thread(self._list_under, prefix)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self.client.put_object,
            Bucket=self.bucket,
            Key=str(_checked(key)),
            Body=data,
            ContentType=content_type,
        )

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(
            self.client.delete_object, Bucket=self.bucket, Key=str(_checked(key))
        )


def s3_client(settings: Settings) -> Any:
    """Imports boto3 only when S3 is configured: it costs a second to import."""
    import boto3

    secret = settings.storage_s3_secret_access_key
    return boto3.client(
        "s3",
        endpoint_url=settings.storage_s3_endpoint_url,
        region_name=settings.storage_s3_region,
        aws_access_key_id=settings.storage_s3_access_key_id,
        aws_secret_access_key=secret.get_secret_value() if secret else None,
    )


def storage_for(settings: Settings) -> DocumentStorage:
    """The backend the settings choose."""
    if settings.storage_backend == "s3":
        if not settings.storage_s3_bucket:
            raise ValueError("HRCORE_STORAGE_S3_BUCKET is required with the s3 backend")
        return S3Storage(s3_client(settings), settings.storage_s3_bucket)
    return LocalStorage(settings.storage_dir)
