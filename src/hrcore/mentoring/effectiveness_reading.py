"""Reading a mentor's effectiveness: the mentor, their manager and HR admins (anyone else
404; integration keys 403), as stored by the last recompute, each part explained in the
reader's language."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.db import get_or_404
from hrcore.core.errors import NotFound
from hrcore.core.i18n import N_, _
from hrcore.core.i18n import Text as Message
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.core.references import refs_by_ids
from hrcore.mentoring import effectiveness_repository as repository
from hrcore.mentoring import mentorship_access
from hrcore.mentoring.effectiveness_schemas import (
    MentorEffectivenessOut,
    MentorEffectivenessPart,
    MentoringGoalCheck,
    MentorshipEffectivenessOut,
)
from hrcore.mentoring.mentorship_models import MentorshipStatus
from hrcore.mentoring.models import Mentor, MentoringProgram
from hrcore.people import api as people


async def readable_mentor(
    session: AsyncSession, principal: Principal, mentor_id: uuid.UUID
) -> Mentor:
    """The mentor, if the caller is them, their manager or an HR admin; else 404."""
    principal.require_key_scope(None)
    mentor = await get_or_404(session, Mentor, principal.org_id, mentor_id, what=N_("mentor"))
    if not await mentorship_access.reads_mentor_figures(session, principal, mentor.employee_id):
        raise NotFound(_("No such {what}", what=Message(N_("mentor"))))
    return mentor


def _explain_survey(part: Mapping[str, Any]) -> Message:
    if part["value"] is None:
        return _("Fewer than {of} mentees answered surveys: left out", of=part["of"])
    return _(
        "Mean of on time, relevant and solved (1–5), pooled over {counted} mentees",
        counted=part["counted"],
    )


def explain(part: Mapping[str, Any]) -> Message:
    """What a part was counted over, as a sentence."""
    counted, of = part["counted"], part["of"]
    kind = part["part"]
    if kind == "performance_gain":
        return _(
            "Mean gain of the mentees' performance rating, over {counted} of {of} pairings "
            "rated before and since",
            counted=counted,
            of=of,
        )
    if kind == "skill_gain":
        return _(
            "Mean gain from the first skill test to the last, over {counted} of {of} pairings "
            "with two tests or more",
            counted=counted,
            of=of,
        )
    if kind == "goals":
        return _(
            "{counted} of {of} measurable goals of approved plans reached", counted=counted, of=of
        )
    if kind == "survey":
        return _explain_survey(part)
    if kind == "promotion":
        return _("Share of mentees promoted, over {counted} completed pairings", counted=counted)
    return _(
        "Share of mentees rated A or at least 4.5 lately, over {counted} of {of} completed "
        "pairings",
        counted=counted,
        of=of,
    )


async def mentor_effectiveness(
    session: AsyncSession, principal: Principal, mentor_id: uuid.UUID
) -> MentorEffectivenessOut:
    mentor = await readable_mentor(session, principal, mentor_id)
    note_read(principal, mentor.employee_id, DataClass.EVALUATION, "mentor_effectiveness")
    stored, rows = await repository.mentor_figures(session, principal.org_id, mentor.id)
    employees = await people.employee_refs(
        session,
        principal.org_id,
        [mentor.employee_id, *(row.mentee_employee_id for row in rows)],
    )
    programs = await refs_by_ids(
        session, MentoringProgram.name, principal.org_id, [mentor.program_id]
    )
    own = principal.employee_id == mentor.employee_id
    return MentorEffectivenessOut(
        mentor_id=mentor.id,
        employee=employees[mentor.employee_id],
        program=programs[mentor.program_id],
        score=stored.score if stored else None,
        computed_at=stored.computed_at if stored else None,
        parts=[
            MentorEffectivenessPart.model_validate({**part, "explanation": explain(part)})
            for part in (stored.parts if stored else [])
        ],
        pairings=[
            MentorshipEffectivenessOut(
                mentorship_id=row.PairingEffectiveness.mentorship_id,
                mentee=employees[row.mentee_employee_id],
                status=MentorshipStatus(row.status),
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                performance_gain=row.PairingEffectiveness.performance_gain,
                skill_first=row.PairingEffectiveness.skill_first,
                skill_last=row.PairingEffectiveness.skill_last,
                skill_gain=row.PairingEffectiveness.skill_gain,
                goals_reached=row.PairingEffectiveness.goals_reached,
                goals_total=row.PairingEffectiveness.goals_total,
                goals=[
                    MentoringGoalCheck.model_validate(g) for g in row.PairingEffectiveness.goals
                ],
                promoted=row.PairingEffectiveness.promoted,
                high_performer=None if own else row.PairingEffectiveness.high_performer,
            )
            for row in rows
        ],
    )
