"""Mentors who stop qualifying are flagged, not dropped: a nightly re-evaluation screens each
open program's mentors against its current rules (one screen per program) and keeps, on each
mentor who fails one, when it was noticed (`flagged_at`) and every rule's value and
pass/fail (`flag_checks`). HR is told in the inbox and outside systems by `mentor.flagged`;
a flagged mentor who qualifies again is cleared. A mentor who is no longer an active
employee is not screened (the screen covers active employees) and stays as they are.

Per program, the pass/fail answer (`eligibility_bulk.failing`) finds who fails; every rule's
value is evaluated (`eligibility.evaluate_many`) only for those and for the mentors flagged
already, who may be cleared: a mentor who passes and is not flagged costs no check."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.clock import Clock
from hrcore.core.db import among
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.mentoring import eligibility, eligibility_bulk
from hrcore.mentoring.models import Mentor, MentoringProgram
from hrcore.mentoring.schemas import RULES, MentorRuleCheck
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.webhooks import api as webhooks

FLAGGED_EVENTS = uuid.UUID("6d1f4f63-5a8e-4a43-9c56-3f3a34d8e8a1")
"""Namespace of the `mentor.flagged` event ids: one per mentor and flagging, so a re-run
publishes nothing twice."""


async def reevaluate(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> int:
    """Screen every open program's mentors against its rules; flag who fails a rule, clear
    who qualifies again. How many mentors changed."""
    programs = {
        program.id: program
        for program in await session.scalars(
            select(MentoringProgram).where(
                MentoringProgram.org_id == org_id, MentoringProgram.active.is_(True)
            )
        )
    }
    mentors: dict[uuid.UUID, list[Mentor]] = defaultdict(list)
    for mentor in await session.scalars(
        select(Mentor)
        .where(Mentor.org_id == org_id, among(Mentor.program_id, list(programs)))
        .order_by(Mentor.id)
        .with_for_update()
    ):
        mentors[mentor.program_id].append(mentor)
    flagged: list[tuple[Mentor, list[MentorRuleCheck]]] = []
    changed = 0
    for program_id, group in mentors.items():
        rules = RULES.validate_python(programs[program_id].rules)
        failing = await eligibility_bulk.failing(
            session, org_id, rules, clock, [mentor.employee_id for mentor in group]
        )
        checks = await eligibility.evaluate_many(
            session,
            org_id,
            [
                mentor.employee_id
                for mentor in group
                if mentor.employee_id in failing or mentor.flagged_at is not None
            ],
            rules,
            clock,
        )
        for mentor in group:
            found = checks.get(mentor.employee_id)
            if found is None:
                continue
            if _update(session, mentor, found, clock.now()):
                changed += 1
                if mentor.flagged_at is not None:
                    flagged.append((mentor, found))
    await session.flush()
    await _announce(session, org_id, programs, flagged)
    return changed


def _update(
    session: AsyncSession, mentor: Mentor, checks: list[MentorRuleCheck], now: datetime
) -> bool:
    """Flag, refresh or clear one mentor; whether they were flagged or cleared (audited)."""
    qualifies = all(check.passed for check in checks)
    if qualifies and mentor.flagged_at is None:
        return False
    if not qualifies and mentor.flagged_at is not None:
        mentor.flag_checks = [check.model_dump() for check in checks]
        return False
    before = {"flagged_at": mentor.flagged_at.isoformat() if mentor.flagged_at else None}
    mentor.flagged_at = None if qualifies else now
    mentor.flag_checks = None if qualifies else [check.model_dump() for check in checks]
    audit.record(
        session,
        None,
        "mentor.requalified" if qualifies else "mentor.flagged",
        "mentor",
        mentor.id,
        org_id=mentor.org_id,
        before=before,
        after={
            "flagged_at": now.isoformat() if not qualifies else None,
            "checks": mentor.flag_checks,
        },
    )
    return True


async def _announce(
    session: AsyncSession,
    org_id: uuid.UUID,
    programs: dict[uuid.UUID, MentoringProgram],
    flagged: list[tuple[Mentor, list[MentorRuleCheck]]],
) -> None:
    """HR's inbox and the `mentor.flagged` webhook for the mentors flagged now."""
    if not flagged:
        return
    names = await people.employee_refs(session, org_id, [m.employee_id for m, _ in flagged])
    hr = await identity.hr_admin_user_ids(session, org_id)
    await notifications.notify_many(
        session,
        org_id=org_id,
        messages=[
            notifications.Message(
                user_ids=hr,
                kind="mentor.flagged",
                title=_("A mentor no longer qualifies"),
                body=_(
                    "{employee} fails {rules} in the mentoring program {program}: review "
                    "their pairings.",
                    employee=names[mentor.employee_id].name,
                    rules=", ".join(check.kind for check in checks if not check.passed),
                    program=programs[mentor.program_id].name,
                ),
                subject_type="employee",
                subject_id=mentor.employee_id,
                dedupe_key=f"mentor:{mentor.id}:flagged:{_stamp(mentor)}",
            )
            for mentor, checks in flagged
        ],
    )
    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=webhooks.EventType.MENTOR_FLAGGED,
        events=[
            (
                {
                    "mentor_id": str(mentor.id),
                    "program_id": str(mentor.program_id),
                    "employee_id": str(mentor.employee_id),
                    "flagged_at": _stamp(mentor),
                    "failed": [check.kind for check in checks if not check.passed],
                },
                uuid.uuid5(FLAGGED_EVENTS, f"{mentor.id}:{_stamp(mentor)}"),
            )
            for mentor, checks in flagged
        ],
    )


def _stamp(mentor: Mentor) -> str:
    return mentor.flagged_at.isoformat() if mentor.flagged_at else ""
