"""Files over HTTP: upload, metadata, download."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime
from hrcore.core.http import HrcoreRoute
from hrcore.core.pdf import content_disposition
from hrcore.core.responses import NOT_FOUND, problem
from hrcore.files import access, uploads
from hrcore.files.schemas import FileOut
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["files"])


@router.post(
    "/files",
    operation_id="upload_file",
    summary="Upload a file to attach to a submission, a review answer or evidence",
    status_code=status.HTTP_201_CREATED,
    responses={
        **problem(403, "An integration key cannot upload"),
        **problem(413, "Larger than `HRCORE_FILE_MAX_BYTES` (20 MB by default)"),
        **problem(415, "Its bytes are not PDF, an Office document or an image accepted here"),
    },
)
async def upload_file(
    file: Annotated[UploadFile, File(description="The file (PDF, Office, PNG/JPEG/GIF/WebP).")],
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
    clock: AppClock,
    response: Response,
) -> FileOut:
    """Stores the file in the caller's organization; its `id` is the reference to put in a
    task submission's `attachments` or a review answer's `attachments`. Until referenced
    only the uploader sees it, and it is deleted a day after upload."""
    settings = runtime.settings
    row = await uploads.upload(
        session,
        principal,
        content=await file.read(settings.file_max_bytes + 1),
        file_name=file.filename,
        settings=settings,
        clock=clock,
    )
    response.headers["Location"] = f"/api/v1/files/{row.id}"
    return await uploads.view(session, row)


@router.get(
    "/files/{file_id}",
    operation_id="get_file",
    summary="A file's name, type, size and checksum",
    responses={**NOT_FOUND},
)
async def get_file(file_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession) -> FileOut:
    """For its uploader and whoever may see the task or review answer it is attached to."""
    return await uploads.view(session, await access.readable_file(session, principal, file_id))


@router.get(
    "/files/{file_id}/content",
    operation_id="download_file",
    summary="Download a file",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
            "description": "The bytes, with the recognised `Content-Type`.",
        },
        **NOT_FOUND,
    },
)
async def download_file(
    file_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, runtime: AppRuntime
) -> Response:
    """For its uploader and whoever may see the task or review answer it is attached to."""
    row, data = await uploads.content(session, principal, file_id, runtime.settings)
    return Response(
        data,
        media_type=row.content_type,
        headers={
            "Content-Disposition": content_disposition(row.file_name, row.file_name),
            "ETag": f'"{row.sha256}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private",
        },
    )
