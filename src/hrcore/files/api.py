"""What other domains may call in files. Each call joins the caller's transaction.

- `attach(session, *, org_id, refs, employee_id, subject_type, subject_id, field)`: make
  `refs` (file ids, as strings or UUIDs) the files of one object of the caller's domain;
  each must have been uploaded by `employee_id` (the submitter) in the organization and not
  be attached elsewhere, else 422 naming `<field>.<index>`. Call it whenever the object's
  references are saved (an empty list detaches what it had).
- `attachments_of(session, org_id, subject_type, subject_ids)`: the file ids of each object,
  in one statement (the caller checked reach).
- `SubjectReader(subject_type, may_read)`: declared in the owning domain's registry
  `providers`; whoever `may_read(session, principal, subject_id)` may read its files.
- `detach_all(session, org_id, subject_type, subject_ids)`: the objects' files are referenced
  by nothing again, so files' hourly purge deletes them and their bytes (privacy's retention
  purging reviews' raw answers).
- `UPLOAD_PATH`: the upload route, whose body may be larger than other requests'.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.files import repository
from hrcore.files.access import MayRead, SubjectReader
from hrcore.files.uploads import attach

__all__ = ["UPLOAD_PATH", "MayRead", "SubjectReader", "attach", "attachments_of", "detach_all"]

UPLOAD_PATH = "/api/v1/files"


async def attachments_of(
    session: AsyncSession, org_id: uuid.UUID, subject_type: str, subject_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    return await repository.attached_to(session, org_id, subject_type, subject_ids)


async def detach_all(
    session: AsyncSession, org_id: uuid.UUID, subject_type: str, subject_ids: Sequence[uuid.UUID]
) -> None:
    await repository.detach_all_of(session, org_id, subject_type, subject_ids)
