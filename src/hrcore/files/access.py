"""Who may read an uploaded file: its uploader, and whoever may see the one object that
references it, as the domain owning that object decides (`SubjectReader`). Anyone else gets
404, as if it did not exist: a file's existence can say who answered what (a 360 rater's
evidence).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.files import repository
from hrcore.files.models import StoredFile

MayRead = Callable[[AsyncSession, Principal, uuid.UUID], Awaitable[bool]]
_READERS: dict[str, MayRead] = {}


@dataclass(frozen=True)
class SubjectReader:
    """A domain's declaration (its registry's `providers`): `may_read(session, principal,
    subject_id)` says whether the caller may see its object of `subject_type`, and so read
    the files attached to it."""

    subject_type: str
    may_read: MayRead

    def install(self) -> None:
        _READERS[self.subject_type] = self.may_read


async def readable_file(
    session: AsyncSession, principal: Principal, file_id: uuid.UUID
) -> StoredFile:
    """The file if the caller uploaded it or may see what references it, else 404."""
    row = await repository.file_by_id(session, principal.org_id, file_id)
    if row is None:
        raise NotFound(_("No such file"))
    if principal.kind == "user" and row.uploaded_by == principal.id:
        return row
    if row.subject_type is not None and row.subject_id is not None:
        may_read = _READERS.get(row.subject_type)
        if may_read is not None and await may_read(session, principal, row.subject_id):
            return row
    raise NotFound(_("No such file"))
