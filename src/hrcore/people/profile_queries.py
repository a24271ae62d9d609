"""The panoramic profile's reads, each SQL written once and run at the driver
(`core.db.fetch`): the profile is the heaviest of the mobile reads, so its statements are
plain text prepared once per connection (docs/performance.md, issue 16)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

PROFILE_HEAD = (
    "SELECT e.id, e.employee_number, e.full_name, e.email, e.phone, e.personal_phone,"
    " e.id_number, e.department_id,"
    " e.position_id, e.manager_id, e.hire_date, e.status, d.name AS department_name,"
    " p.title AS position_title, p.is_management AS position_is_management,"
    " m.full_name AS manager_name, o.timezone"
    " FROM employees e JOIN organizations o ON o.id = e.org_id"
    " JOIN departments d ON d.id = e.department_id AND d.org_id = e.org_id"
    " LEFT JOIN positions p ON p.id = e.position_id AND p.org_id = e.org_id"
    " LEFT JOIN employees m ON m.id = e.manager_id AND m.org_id = e.org_id"
    " WHERE e.org_id = $1 AND e.id = $2"
)
PROFILE_HISTORY = (
    "SELECT ev.id, ev.employee_id, ev.kind, ev.effective_date, ev.end_date, ev.department_id,"
    " ev.position_id, ev.title, ev.leads_team, ev.allowance, ev.note, ev.created_at,"
    " ev.manager_id, ev.pay_terms_ref, ev.applied_at, ev.withdrawn_at, ev.withdrawal_reason,"
    " ev.exit_reason, ev.exit_reason_note,"
    " (ev.leads_team OR p.is_management IS true) AS management,"
    " d.name AS department_name, p.title AS position_title, m.full_name AS manager_name"
    " FROM employment_events ev"
    " LEFT JOIN positions p ON p.id = ev.position_id AND p.org_id = ev.org_id"
    " LEFT JOIN departments d ON d.id = ev.department_id AND d.org_id = ev.org_id"
    " LEFT JOIN employees m ON m.id = ev.manager_id AND m.org_id = ev.org_id"
    " WHERE ev.org_id = $1 AND ev.employee_id = $2 ORDER BY ev.effective_date, ev.id"
)
PENDING_CHANGES = (
    "SELECT ev.id, ev.kind, ev.effective_date, ev.department_id, ev.position_id,"
    " ev.manager_id, d.name AS department_name, p.title AS position_title,"
    " m.full_name AS manager_name"
    " FROM employment_events ev"
    " LEFT JOIN positions p ON p.id = ev.position_id AND p.org_id = ev.org_id"
    " LEFT JOIN departments d ON d.id = ev.department_id AND d.org_id = ev.org_id"
    " LEFT JOIN employees m ON m.id = ev.manager_id AND m.org_id = ev.org_id"
    " WHERE ev.org_id = $1 AND ev.employee_id = $2 AND ev.applied_at IS NULL"
    " AND ev.withdrawn_at IS NULL"
    " ORDER BY ev.effective_date, ev.id"
)
PROFILE_RATINGS = (
    "SELECT r.id, r.employee_id, r.period, r.letter, r.score, r.comment, r.rated_by,"
    " u.display_name AS rated_by_name, r.created_at"
    " FROM performance_ratings r"
    " LEFT JOIN users u ON u.id = r.rated_by AND u.org_id = r.org_id"
    " WHERE r.org_id = $1 AND r.employee_id = $2 AND r.period >= $3"
    " ORDER BY r.period, r.id"
)
PROFILE_GROWTH = (
    "SELECT skills, certifications, external_trainings, career_plan, submitted_at, version"
    " FROM growth_profiles WHERE org_id = $1 AND employee_id = $2"
)
"""The panoramic profile's statements, written once: the employee with the names of its
post and its organization's time zone, then history, ratings and growth. Management
experience — led a team, or held a management post — is `PROFILE_HISTORY`'s `management`."""


async def profile_head(session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID) -> Any:
    rows = await fetch(session, PROFILE_HEAD, org_id, employee_id)
    return rows[0] if rows else None


async def profile_history(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[Any]:
    """Every event, oldest first, with whether it counts as management experience."""
    return await fetch(session, PROFILE_HISTORY, org_id, employee_id)


async def pending_changes(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[Any]:
    """The employee's pending events with the names of what they change to."""
    return await fetch(session, PENDING_CHANGES, org_id, employee_id)


async def profile_ratings(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, first_year: int
) -> list[Any]:
    """Ratings from `first_year` on, by period (periods start with their year), each with
    its rater's display name (`rated_by_name`)."""
    return await fetch(session, PROFILE_RATINGS, org_id, employee_id, str(first_year))


async def profile_growth(session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID) -> Any:
    rows = await fetch(session, PROFILE_GROWTH, org_id, employee_id)
    return rows[0] if rows else None
