"""Names of what a notification is about, for the inbox. A task's title and assignee are
joined into the inbox statement itself (`repository`); any other subject is named by the
domain that owns it (`SubjectNames`, among its registry's providers), all of a page's
subjects in one more statement, sent only when the page has some."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch


@dataclass(frozen=True)
class SubjectNames:
    """A domain's declaration: `sql` selects `id, name, employee_id` of its objects of
    `subject_type` — the name shown for the object (null: its employee's name) and the
    employee it concerns — with `{org}` for the organization and `{ids}` for a `uuid[]` of
    ids, e.g. `SELECT m.id, p.name, m.employee_id FROM … WHERE m.org_id = {org} AND m.id =
    ANY({ids})`. Written once: the inbox prepares it once per connection."""

    subject_type: str
    sql: str

    def install(self) -> None:
        _DECLARED[self.subject_type] = self.sql
        _STATEMENT.clear()


EMPLOYEE = SubjectNames(
    "employee",
    "SELECT id, full_name, id FROM employees WHERE org_id = {org} AND id = ANY({ids})",
)
"""An employee is named as such (notifications read employees' names for tasks already)."""
_DECLARED: dict[str, str] = {EMPLOYEE.subject_type: EMPLOYEE.sql}
_STATEMENT: dict[str, tuple[tuple[str, ...], str]] = {}
"""The statement of the kinds declared so far (written once, after the providers install)."""


def _statement() -> tuple[tuple[str, ...], str]:
    """The declared kinds, in the order of their `uuid[]` parameters ($2, $3…), and the one
    statement naming any of them: each kind's part finds nothing when its array is empty."""
    if "" not in _STATEMENT:
        kinds = tuple(sorted(_DECLARED))
        parts = " UNION ALL ".join(
            f"SELECT '{kind}' AS subject_type, n.* FROM"  # noqa: S608 (code's constants only)
            f" ({_DECLARED[kind].format(org='$1', ids=f'${number}::uuid[]')})"
            " n (id, name, employee_id)"
            for number, kind in enumerate(kinds, start=2)
        )
        sql = (
            "SELECT s.subject_type, s.id, s.name, s.employee_id, e.full_name AS employee_name"  # noqa: S608
            f" FROM ({parts}) s LEFT JOIN employees e ON e.id = s.employee_id AND e.org_id = $1"
        )
        _STATEMENT[""] = (kinds, sql)
    return _STATEMENT[""]


@dataclass(frozen=True)
class Named:
    name: str | None
    employee_id: uuid.UUID | None
    employee_name: str | None


async def names(
    session: AsyncSession, org_id: uuid.UUID, subjects: Iterable[tuple[str, uuid.UUID]]
) -> Mapping[tuple[str, uuid.UUID], Named]:
    """The declared subjects among (type, id) named, in one statement (none without any);
    a subject not found (deleted, another organization's) is absent."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for subject_type, subject_id in subjects:
        if subject_type in _DECLARED:
            wanted.setdefault(subject_type, set()).add(subject_id)
    if not wanted:
        return {}
    kinds, sql = _statement()
    rows: list[Any] = await fetch(
        session, sql, org_id, *(sorted(wanted.get(kind, ())) for kind in kinds)
    )
    return {
        (row["subject_type"], row["id"]): Named(
            row["name"] if row["name"] is not None else row["employee_name"],
            row["employee_id"],
            row["employee_name"],
        )
        for row in rows
    }
