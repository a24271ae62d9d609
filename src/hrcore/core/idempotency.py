"""`Idempotency-Key` on POST: a retried request gets the first response, not a second write.

Records are keyed by the caller (a hash of its credential) and the key. The first request
claims the key; a concurrent duplicate gets 409; a later duplicate with the same body gets
the stored response replayed; a duplicate with another body gets 422. Only successful
responses are stored: a failed request wrote nothing, so retrying it is safe. A multipart
body is compared by its parts, not its bytes: a client's retry draws a new boundary.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import datetime, timedelta

from fastapi import Request, Response
from sqlalchemy import DateTime, Integer, LargeBinary, String, delete, func, select
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, mapped_column
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from hrcore.core.db import SessionMaker, unit_of_work
from hrcore.core.errors import BadRequest, Conflict, Unprocessable
from hrcore.core.i18n import _, current_locale
from hrcore.core.models import Base

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
ABANDONED_AFTER = timedelta(minutes=1)
REPLAYED_HEADERS = ("content-type", "location", "etag")


class IdempotencyRecord(Base):
    """A claimed key and, once the request succeeded, its response."""

    __tablename__ = "idempotency_keys"

    caller: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    expires_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, index=True
    )


def _caller(request: Request) -> str:
    credential = request.headers.get("authorization", "anonymous")
    return hashlib.sha256(credential.encode()).hexdigest()


async def _request_hash(request: Request, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        parts = await _multipart_fingerprint(request, body)
        if parts is not None:
            digest.update(b"multipart\n" + parts)
            return digest.hexdigest()
    digest.update(body)
    return digest.hexdigest()


async def _multipart_fingerprint(request: Request, body: bytes) -> bytes | None:
    """Each part's name, file name, content type and bytes, in order, without the boundary
    (chosen anew by each send). None when the body does not parse: its raw bytes count."""

    async def stream() -> AsyncGenerator[bytes]:
        yield body

    try:
        form = await MultiPartParser(request.headers, stream()).parse()
    except MultiPartException:
        return None
    digest = hashlib.sha256()
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                described = [name, value.filename or "", value.content_type or "", len(content)]
            else:
                content = value.encode()
                described = [name, None, None, len(content)]
            digest.update(json.dumps(described).encode() + b"\n" + content)
    finally:
        await form.close()
    return digest.digest()


async def _claim(
    sessionmaker: SessionMaker, caller: str, key: str, request_hash: str, ttl: timedelta
) -> IdempotencyRecord | None:
    """Claim the key, or return the record that already holds it."""
    async with unit_of_work(sessionmaker) as session:
        now = (await session.execute(select(func.now()))).scalar_one()
        await session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.caller == caller,
                IdempotencyRecord.key == key,
                IdempotencyRecord.status_code.is_(None),
                IdempotencyRecord.created_at < now - ABANDONED_AFTER,
            )
        )
        claimed = await session.execute(
            insert(IdempotencyRecord)
            .values(caller=caller, key=key, request_hash=request_hash, expires_at=now + ttl)
            .on_conflict_do_nothing()
            .returning(IdempotencyRecord.key)
        )
        if claimed.first() is not None:
            return None
        return await session.get(IdempotencyRecord, (caller, key))


async def _release(sessionmaker: SessionMaker, caller: str, key: str) -> None:
    async with unit_of_work(sessionmaker) as session:
        await session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.caller == caller, IdempotencyRecord.key == key
            )
        )


async def _store(sessionmaker: SessionMaker, caller: str, key: str, response: Response) -> None:
    headers = {
        name: response.headers[name] for name in REPLAYED_HEADERS if name in response.headers
    }
    # the body is already written in this language: a replay says so, whatever it asked for
    headers["content-language"] = current_locale()
    async with unit_of_work(sessionmaker) as session:
        record = await session.get(IdempotencyRecord, (caller, key))
        if record is not None:
            record.status_code = response.status_code
            record.headers = headers
            record.body = bytes(response.body)


def _replay(record: IdempotencyRecord) -> Response:
    assert record.status_code is not None
    response = Response(content=record.body, status_code=record.status_code, headers=record.headers)
    response.headers["Idempotent-Replayed"] = "true"
    return response


async def run_idempotently(
    request: Request, handler: Callable[[Request], Awaitable[Response]], ttl: timedelta
) -> Response:
    """Run `handler` at most once per caller and `Idempotency-Key`."""
    key = request.headers[HEADER]
    if not key or len(key) > MAX_KEY_LENGTH:
        raise BadRequest(
            _(
                "Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters",
                MAX_KEY_LENGTH=MAX_KEY_LENGTH,
            )
        )
    sessionmaker: SessionMaker = request.app.state.sessionmaker
    caller = _caller(request)
    request_hash = await _request_hash(request, await request.body())
    existing = await _claim(sessionmaker, caller, key, request_hash, ttl)
    if existing is not None:
        if existing.request_hash != request_hash:
            raise Unprocessable(_("This Idempotency-Key was used for a different request"))
        if existing.status_code is None:
            raise Conflict(_("A request with this Idempotency-Key is still in progress"))
        return _replay(existing)
    try:
        response = await handler(request)
    except BaseException:
        await _release(sessionmaker, caller, key)
        raise
    if 200 <= response.status_code < 300 and hasattr(response, "body"):
        await _store(sessionmaker, caller, key, response)
    else:
        await _release(sessionmaker, caller, key)
    return response


async def expire_keys(sessionmaker: SessionMaker) -> int:
    """Housekeeping: forget keys past their time to live."""
    async with unit_of_work(sessionmaker) as session:
        result = await session.execute(
            delete(IdempotencyRecord)
            .where(IdempotencyRecord.expires_at < func.now())
            .returning(IdempotencyRecord.key)
        )
        return len(result.all())
