"""The panoramic profile's mentoring section, which people asks for through its provider
(`people.api.MentoringProvider`, listed in mentoring's registry): the employee's pairings as
mentee and as mentor, and their stored effectiveness as a mentor in each program — one
statement (one more while a plan awaits its approval, to show a plan returned on
`/approvals` as `returned`). The profile has checked the caller's reach already, and every
pairing of an employee in reach is readable (mentorship_access); survey answers are never
read here."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.core.authz import Principal
from hrcore.core.db import fetch
from hrcore.core.schemas import Ref
from hrcore.mentoring.mentorship_models import PlanStatus
from hrcore.mentoring.plans import PLAN_APPROVAL, shown_status
from hrcore.people import api as people

PROFILE_ROWS = """
SELECT 'pairing' AS row_kind, m.id,
       CASE WHEN m.mentee_employee_id = $2 THEN 'mentee' ELSE 'mentor' END AS role,
       m.program_id, p.name AS program_name, o.id AS other_id, o.full_name AS other_name,
       m.status, m.starts_on, m.ends_on, m.ended_at, pl.id AS plan_id, pl.status AS plan_status,
       (SELECT count(*) FROM mentoring_sessions s
         WHERE s.org_id = m.org_id AND s.mentorship_id = m.id)::int AS sessions_held,
       NULL::float8 AS score, NULL::int AS pairings, NULL::timestamptz AS computed_at
  FROM mentorships m
  JOIN mentoring_programs p ON p.org_id = m.org_id AND p.id = m.program_id
  JOIN employees o ON o.org_id = m.org_id AND o.id = CASE
       WHEN m.mentee_employee_id = $2 THEN m.mentor_employee_id ELSE m.mentee_employee_id END
  LEFT JOIN mentorship_plans pl ON pl.org_id = m.org_id AND pl.mentorship_id = m.id
 WHERE m.org_id = $1 AND (m.mentee_employee_id = $2 OR m.mentor_employee_id = $2)
UNION ALL
SELECT 'score', mt.id, 'mentor', mt.program_id, p.name, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, e.score, coalesce(e.pairings, 0), e.computed_at
  FROM mentors mt
  JOIN mentoring_programs p ON p.org_id = mt.org_id AND p.id = mt.program_id
  LEFT JOIN mentor_effectiveness e ON e.org_id = mt.org_id AND e.mentor_id = mt.id
 WHERE $3 AND mt.org_id = $1 AND mt.employee_id = $2
 ORDER BY row_kind, starts_on, program_name, id
"""
"""The employee's pairings (with the program's name, the other person's name — the one
column of people's table read here — the plan's stored status and the sessions held) and,
when `$3`, their mentor rows with the stored effectiveness."""


def reads_scores(principal: Principal, manager_id: uuid.UUID | None) -> bool:
    """As `/mentors/{id}/effectiveness`: HR admins, the mentor and their direct manager."""
    return principal.is_hr_admin or (
        principal.employee_id is not None and principal.employee_id == manager_id
    )


async def profile_mentoring(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    manager_id: uuid.UUID | None,
) -> people.MentoringSection | None:
    """The employee's mentoring; `None` for integration keys (mentoring shows them nothing),
    without a query."""
    if principal.kind == "api_key":
        return None
    scores = reads_scores(principal, manager_id) or principal.employee_id == employee_id
    rows = await fetch(session, PROFILE_ROWS, principal.org_id, employee_id, scores)
    pairings = [row for row in rows if row["row_kind"] == "pairing"]
    submitted = [row["plan_id"] for row in pairings if row["plan_status"] == PlanStatus.SUBMITTED]
    approval = (
        await approvals.subject_statuses(session, principal.org_id, PLAN_APPROVAL, submitted)
        if submitted
        else {}
    )
    return people.MentoringSection(
        pairings=[
            people.MentorshipRecord(
                mentorship_id=row["id"],
                role=row["role"],
                program=Ref(id=row["program_id"], name=row["program_name"]),
                other=Ref(id=row["other_id"], name=row["other_name"]),
                status=row["status"],
                starts_on=row["starts_on"],
                ends_on=row["ends_on"],
                ended_at=row["ended_at"],
                plan_status=shown_status(row["plan_status"], approval.get(row["plan_id"]))
                if row["plan_status"] is not None
                else None,
                sessions_held=row["sessions_held"],
            )
            for row in pairings
        ],
        scores=[
            people.MentorScoreRecord(
                mentor_id=row["id"],
                program=Ref(id=row["program_id"], name=row["program_name"]),
                score=row["score"],
                pairings=row["pairings"],
                computed_at=row["computed_at"],
            )
            for row in rows
            if row["row_kind"] == "score"
        ]
        if scores
        else None,
    )
