"""What the files routes answer."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from hrcore.core.schemas import Ref


class FileOut(BaseModel):
    id: uuid.UUID = Field(description="The reference submissions, answers and evidence name.")
    file_name: str = Field(description="As uploaded, without directories or control characters.")
    content_type: str = Field(description="Recognised from the bytes, not the declared type.")
    size: int = Field(description="Bytes.")
    sha256: str
    uploaded_at: datetime
    uploader: Ref | None = Field(
        description="The employee who uploaded it (None: an account without one)."
    )
    attached: bool = Field(
        description="Whether a submission, answer or evidence references it; an unattached "
        "upload is deleted a day (`HRCORE_FILE_UNREFERENCED_RETENTION_HOURS`) after upload."
    )
