"""What uses a version of a position's competency model, so it is not deleted from under
it. Competencies sits below the domains whose objects go by a model (talent's pools aim at
a position and rank against its current model), so each declares among its registry's
providers a `ModelVersionUse`: a statement naming its objects that use the version, run with
every other declaration's in one statement."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

_DECLARED: dict[str, str] = {}


@dataclass(frozen=True)
class ModelVersionUse:
    """A domain's declaration: `sql` selects one column, the names of its objects that use
    the version — `{org}` the organization, `{position}` the position, `{department}` the
    variant's department (null: the general model), `{version}` the version and `{current}`
    whether it is the variant's newest (what a reader of the model gets today). `what` is
    the reason a refusal gives (marked with `N_`, `{names}` for the names), e.g. `talent
    pools target the position: {names}`."""

    what: str
    sql: str

    def install(self) -> None:
        _DECLARED[self.what] = self.sql


async def uses(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    department_id: uuid.UUID | None,
    version: int,
    *,
    current: bool,
) -> dict[str, list[str]]:
    """By declared reason, the names of what uses the version, in one statement (none when
    nothing is declared)."""
    if not _DECLARED:
        return {}
    reasons = sorted(_DECLARED)
    parts = " UNION ALL ".join(
        f"SELECT {number} AS reason, n.name FROM"  # noqa: S608 (declared constants only)
        f" ({_DECLARED[reason].format(**_PARAMETERS)}) n (name)"
        for number, reason in enumerate(reasons)
    )
    # `typed` names every parameter's type, for a declaration that leaves some unused.
    sql = (
        f"SELECT reason, name FROM ({parts}) uses,"  # noqa: S608
        " (SELECT $1::uuid, $2::uuid, $3::uuid, $4::int, $5::boolean) typed"
        " ORDER BY reason, name"
    )
    rows = await fetch(
        session,
        sql,
        org_id,
        position_id,
        department_id,
        version,
        current,
    )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(reasons[row["reason"]], []).append(row["name"])
    return found


_PARAMETERS = {
    "org": "$1",
    "position": "$2::uuid",
    "department": "$3::uuid",
    "version": "$4::int",
    "current": "$5::boolean",
}
