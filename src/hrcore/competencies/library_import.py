"""Bulk import of the competency library (CSV or XLSX) through imports' flow: one row per
level of a competency — `name`, `category`, `level` (1, 2, …), `level_name`, optionally
`description` and `indicators` (several separated by line breaks or semicolons). The rows
of one name make one competency; its category and description may be given on any of its
rows and must not differ. A name the library has already is revised (a new revision, as
`PATCH` does; unchanged content writes nothing), a new one created, each audited through
the template kit. Every row is checked first: any error and nothing is written."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.library import RULES
from hrcore.competencies.models import Competency
from hrcore.competencies.schemas import MAX_LEVELS, CompetencyIn
from hrcore.core.authz import Principal
from hrcore.core.i18n import _, render
from hrcore.imports import api as imports

KIND = "competencies"
INDICATOR_SEPARATORS = re.compile(r"[\n;；]")


@dataclass(frozen=True)
class Entry:
    """One competency of the file, checked, and the library's row of that name if any."""

    body: CompetencyIn
    existing: Competency | None
    rows: int


class _Errors:
    """The file's errors so far, each rendered in the uploader's language."""

    def __init__(self) -> None:
        self.found: list[imports.RowError] = []

    def add(self, row: int, field: str, message: Any) -> None:
        self.found.append(imports.RowError(row=row, field=field, message=render(message)))


def _level(cells: dict[str, str]) -> int | None:
    text = cells.get("level", "")
    return int(text) if text.isdecimal() and 1 <= int(text) <= MAX_LEVELS else None


def _shared(rows: list[tuple[int, dict[str, str]]], column: str, errors: _Errors) -> str | None:
    """A column every row of the competency may give, but never differently."""
    first: tuple[int, str] | None = None
    for number, cells in rows:
        value = cells.get(column, "")
        if not value:
            continue
        if first is None:
            first = (number, value)
        elif value != first[1]:
            errors.add(number, column, _("differs from row {row}", row=first[0]))
    return first[1] if first else None


def _competency(
    name: str, rows: list[tuple[int, dict[str, str]]], errors: _Errors
) -> CompetencyIn | None:
    """The rows of one name as a competency; every problem reported on its row and column."""
    count = len(errors.found)
    by_level: dict[int, tuple[int, dict[str, str]]] = {}
    for number, cells in rows:
        level = _level(cells)
        if level is None:
            errors.add(number, "level", _("a whole number from 1 to {limit}", limit=MAX_LEVELS))
        elif level in by_level:
            errors.add(
                number,
                "level",
                _("level {level} is on row {row} already", level=level, row=by_level[level][0]),
            )
        else:
            by_level[level] = (number, cells)
    missing = [level for level in range(1, len(by_level) + 1) if level not in by_level]
    if missing and len(errors.found) == count:
        errors.add(
            rows[0][0],
            "level",
            _("levels run from 1 without gaps: {missing} is missing", missing=missing[0]),
        )
    ordered = [by_level[level] for level in sorted(by_level)]
    values = {
        "name": name,
        "category": _shared(rows, "category", errors) or "",
        "description": _shared(rows, "description", errors),
        "levels": [
            {
                "name": cells.get("level_name", ""),
                "indicators": [
                    part.strip()
                    for part in INDICATOR_SEPARATORS.split(cells.get("indicators", ""))
                    if part.strip()
                ],
            }
            for _number, cells in ordered
        ],
    }
    try:
        body = CompetencyIn.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            row, column = _where(error["loc"], rows, ordered)
            errors.add(row, column, error["msg"])
        return None
    return body if len(errors.found) == count else None


def _where(
    loc: tuple[int | str, ...],
    rows: list[tuple[int, dict[str, str]]],
    ordered: list[tuple[int, dict[str, str]]],
) -> tuple[int, str]:
    """The row and column a validation error of the assembled competency comes from."""
    if loc[0] == "levels" and len(loc) > 2 and isinstance(loc[1], int):
        column = "level_name" if loc[2] == "name" else "indicators"
        return ordered[loc[1]][0], column
    if loc[0] == "levels":
        return rows[0][0], "level"
    return rows[0][0], str(loc[0])


async def check(session: AsyncSession, principal: Principal, rows: imports.Rows) -> imports.Checked:
    """Every row checked, nothing written: the competencies of the file and, for names the
    library has, their rows (one statement)."""
    errors = _Errors()
    groups: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, cells in rows:
        name = cells.get("name", "")
        if not name:
            errors.add(number, "name", _("the competency's name is missing"))
            continue
        groups[name].append((number, cells))
    checked = {name: _competency(name, group, errors) for name, group in groups.items()}
    existing = await _library_rows(session, principal.org_id, list(groups))
    plan = [
        Entry(body, existing.get(name), len(groups[name]))
        for name, body in checked.items()
        if body is not None
    ]
    return imports.Checked(plan=plan, errors=errors.found)


async def _library_rows(
    session: AsyncSession, org_id: uuid.UUID, names: list[str]
) -> dict[str, Competency]:
    """The library's competencies of these names, in one statement (none: nothing sent)."""
    if not names:
        return {}
    rows = await session.scalars(
        select(Competency).where(Competency.org_id == org_id, Competency.name.in_(names))
    )
    return {competency.name: competency for competency in rows}


def _unchanged(existing: Competency, content: dict[str, Any]) -> bool:
    return all(getattr(existing, name) == value for name, value in content.items())


async def write(
    session: AsyncSession, principal: Principal, plan: list[Entry], report: imports.Report
) -> int:
    """Create or revise each competency through the template kit (revision kept, audited);
    how many were written."""
    written = done = 0
    for entry in plan:
        content = RULES.content(entry.body)
        if entry.existing is None:
            await RULES.create_template(session, principal, entry.body)
            written += 1
        elif not _unchanged(entry.existing, content):
            await RULES.kind.revise(
                session, principal, entry.existing, content, if_match=None, body_version=None
            )
            written += 1
        done += entry.rows
        await report(done)
    return written


LIBRARY = imports.ImportKind(
    kind=KIND,
    required=("name", "category", "level", "level_name"),
    optional=("description", "indicators"),
    check=check,
    write=write,
)
