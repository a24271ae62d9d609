"""What other domains may call in imports: a domain whose rows can be imported declares an
`ImportKind` (its columns, `check` and `write` over plain rows; `Checked`, `RowError`,
`Rows`, `Report`) among its registry's providers, and serves its upload route with `start`,
which answers the import as `ImportOut` — the same flow, progress and row errors as the
employee import."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.runtime import Runtime
from hrcore.imports import service
from hrcore.imports.kinds import Checked, ImportKind, Report, RowError, Rows
from hrcore.imports.schemas import ImportOut

__all__ = ["Checked", "ImportKind", "ImportOut", "Report", "RowError", "Rows", "start"]


async def start(
    session: AsyncSession,
    principal: Principal,
    runtime: Runtime,
    *,
    kind: str,
    filename: str,
    content: bytes,
) -> ImportOut:
    """Check the file's shape against the kind (422), record the import and run it in the
    request — or, above `HRCORE_IMPORT_INLINE_MAX_ROWS` rows, queue it (`status` queued:
    answer 202). HR admins only."""
    job = await service.start(
        session,
        principal,
        kind=kind,
        filename=filename,
        content=content,
        inline_max_rows=runtime.settings.import_inline_max_rows,
        clock=runtime.clock,
    )
    return ImportOut.model_validate(job)
