"""The kinds of bulk import: what each file holds and how its rows are checked and written.
Imports owns the flow every kind shares — upload, the header, every row checked before any
is written, all or nothing, large files in the worker with progress, row errors — and the
domain owning the rows declares an `ImportKind` among its registry's providers (employees
are imports' own; competencies' library is declared by competencies, above imports)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal


class RowError(TypedDict):
    """One problem of the file: the row (the header is row 1; 0 for the whole file), the
    column and the message, in the reader's language."""

    row: int
    field: str
    message: str


Rows = Sequence[tuple[int, dict[str, str]]]
"""The file's rows by number, each cell by its lower-cased column name."""
Report = Callable[[int], Awaitable[None]]
"""How many rows are written so far (the worker's progress and heartbeat)."""


@dataclass(frozen=True)
class Checked:
    """What a kind's check found: the rows ready to write, or every error (then nothing is
    written)."""

    plan: Any
    errors: list[RowError]


@dataclass(frozen=True)
class ImportKind:
    """A domain's declaration (a `core.registry.Hook`): the `kind` an import records,
    the columns its files must and may have (`prefixes`: column families such as
    `rating:<period>`), `check` — every row against the organization, writing nothing — and
    `write`, which writes the checked plan and answers how many rows it created, in the
    import's transaction (a savepoint: all or nothing)."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    check: Callable[[AsyncSession, Principal, Rows], Awaitable[Checked]]
    write: Callable[[AsyncSession, Principal, Any, Report], Awaitable[int]]
    prefixes: tuple[str, ...] = ()

    def install(self) -> None:
        _KINDS[self.kind] = self


_KINDS: dict[str, ImportKind] = {}


def kind_of(kind: str) -> ImportKind:
    """The declared kind (a kind no domain declares is a programming error)."""
    if kind not in _KINDS:
        raise RuntimeError(f"No import kind {kind!r}: install hrcore.domains.DOMAINS")
    return _KINDS[kind]
