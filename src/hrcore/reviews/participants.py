"""Who a draft cycle reviews: HR adds employees by hand, by department subtree or by the
people list's filters (active people only, at most `MAX_BY_QUERY` a call; repeats ignored).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.db import insert_new
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.reviews import access, repository
from hrcore.reviews.models import ReviewParticipant
from hrcore.reviews.schemas import ParticipantQuery, ReviewParticipantsAdded, ReviewParticipantsIn

MAX_BY_QUERY = 20_000


async def add_participants(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID, body: ReviewParticipantsIn
) -> ReviewParticipantsAdded:
    """Add employees by hand and/or a department subtree (draft cycles; repeats ignored)."""
    require_hr_admin(principal)
    cycle = await access.readable_cycle(session, principal, cycle_id, for_update=True)
    if cycle.status != "draft":
        raise Conflict(_("Participants are added before the cycle opens"))
    if not body.employee_ids and body.department_id is None and body.query is None:
        raise Unprocessable(
            _("Name employees, a department or a query"),
            errors=[FieldError(field="employee_ids", message=_("or department_id, or query"))],
        )
    wanted = list(body.employee_ids)
    if body.department_id is not None:
        await org.require_department(session, principal.org_id, body.department_id)
        wanted += await people.active_employees_in_subtree(
            session, principal.org_id, body.department_id
        )
    if body.query is not None:
        wanted += await _matching(session, principal, body.query)
    found = await people.employee_summaries(session, principal.org_id, wanted)
    missing = [
        str(i) for i in dict.fromkeys(wanted) if i not in found or found[i].status == "exited"
    ]
    if missing:
        raise Unprocessable(
            _("Some employees are unknown or have left"),
            errors=[FieldError(field="employee_ids", message=", ".join(missing[:20]))],
        )
    rows = [
        {
            "org_id": principal.org_id,
            "cycle_id": cycle.id,
            "employee_id": e.ref.id,
            "department_id": e.department_id,
        }
        for e in found.values()
    ]
    added = await insert_new(
        session,
        ReviewParticipant,
        rows,
        unique=["org_id", "cycle_id", "employee_id"],
        returning=[ReviewParticipant.id],
    )
    counts = await repository.participant_counts(session, principal.org_id, [cycle.id])
    total = counts.get(cycle.id, 0)
    audit.record(
        session,
        principal,
        "review_cycle.participants_added",
        "review_cycle",
        cycle.id,
        org_id=cycle.org_id,
        after={"added": len(added), "participants": total},
    )
    return ReviewParticipantsAdded(added=len(added), participants=total)


async def _matching(
    session: AsyncSession, principal: Principal, query: ParticipantQuery
) -> list[uuid.UUID]:
    """The active employees a people list with this query shows (422 beyond the cap)."""
    if query.department_id is not None:
        await org.require_department(session, principal.org_id, query.department_id)
    filters = people.EmployeeFilters(
        status="active",
        department_id=query.department_id,
        include_subtree=query.include_subtree,
        manager_id=query.manager_id,
        position_id=query.position_id,
        q=query.q,
    )
    found = await people.matching_employee_ids(session, principal, filters, limit=MAX_BY_QUERY + 1)
    if len(found) > MAX_BY_QUERY:
        raise Unprocessable(
            _(
                "The query matches more than {MAX_BY_QUERY} people: narrow it",
                MAX_BY_QUERY=MAX_BY_QUERY,
            ),
            errors=[
                FieldError(
                    field="query",
                    message=_("over {limit} matches", limit=MAX_BY_QUERY),
                )
            ],
        )
    return found
