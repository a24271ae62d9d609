"""Who may see and do what in reviews.

- Setups (templates, cycles): HR admins and department heads read them; HR writes.
- Rater work: an assignment exists only for its rater — anyone else, HR included, gets 404.
- Results: HR any; the employee their own once published; their managers and department
  head within people's reach rules. An appeal is visible to whoever may read its result.
- Acting for the employee (recommending, replying to an appeal, deciding a nomination):
  the supervisor chain, the department head or HR, never the employee themselves.
- Raw answers: only an HR admin who also holds `review_auditor`; for anyone else they do
  not exist.

Out of reach is 404 (the object does not exist for the caller); 403 only where the caller
may know it exists (a department head writing a setup).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope, require_hr_or_dept_head
from hrcore.core.db import get_or_404
from hrcore.core.errors import NotFound
from hrcore.core.i18n import N_, _
from hrcore.people import api as people
from hrcore.reviews import repository
from hrcore.reviews.models import (
    REVIEW_TEMPLATES,
    ReviewAppeal,
    ReviewAssignment,
    ReviewCycle,
    ReviewResult,
    ReviewTemplate,
)

RESULTS_SCOPE = Scope.RATINGS_READ
"""A review result is a rating: integration keys read cycles and their results with
`ratings:read`, in the view managers get (anonymous groups below the threshold left out, no
calibration notes). Templates, progress, assignments, nominations and appeals stay closed to
keys; review tasks in `/tasks` are `reviews:read`."""


def require_setup_reader(principal: Principal, *, key_scope: Scope | None = None) -> None:
    """HR admins and department heads; integration keys only for a read that names the scope
    it needs (`key_scope`), when they hold it."""
    if principal.kind == "api_key":
        principal.require_key_scope(key_scope)
        return
    require_hr_or_dept_head(principal, _("Only HR admins and department heads read review setups"))


async def readable_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ReviewTemplate:
    require_setup_reader(principal)
    return await REVIEW_TEMPLATES.require(session, principal.org_id, template_id)


async def readable_cycle(
    session: AsyncSession,
    principal: Principal,
    cycle_id: uuid.UUID,
    *,
    for_update: bool = False,
    key_scope: Scope | None = None,
) -> ReviewCycle:
    require_setup_reader(principal, key_scope=key_scope)
    return await get_or_404(
        session,
        ReviewCycle,
        principal.org_id,
        cycle_id,
        what=N_("review cycle"),
        for_update=for_update,
    )


async def own_assignment(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> ReviewAssignment:
    """The caller's own assignment; anyone else's is 404, whoever asks."""
    assignment = await repository.assignment_by_id(
        session, principal.org_id, assignment_id, for_update=for_update
    )
    if (
        assignment is None
        or principal.employee_id is None
        or assignment.rater_employee_id != principal.employee_id
    ):
        raise NotFound(_("No such review assignment"))
    return assignment


FILES_SUBJECT = "review_assignment"
"""A rater's evidence files are attached to their assignment under this subject type."""


async def may_read_files(
    session: AsyncSession, principal: Principal, assignment_id: uuid.UUID
) -> bool:
    """A rater's files are read by the rater and by those who may read raw answers (HR
    review auditors), never by the reviewee or their managers: who rated whom stays
    anonymous (files' `SubjectReader`)."""
    if principal.may_read_raw_answers:
        return True
    assignment = await repository.assignment_by_id(session, principal.org_id, assignment_id)
    return (
        assignment is not None
        and principal.employee_id is not None
        and assignment.rater_employee_id == principal.employee_id
    )


async def readable_result(
    session: AsyncSession,
    principal: Principal,
    result_id: uuid.UUID,
    *,
    for_update: bool = False,
    key_scope: Scope | None = None,
    own_unpublished: bool = False,
) -> ReviewResult:
    """HR any; the employee their own once published (before that too with
    `own_unpublished`, for a caller that shows it as pending); their managers and heads in
    reach; integration keys holding `key_scope` any (a read that names none is closed to
    keys)."""
    principal.require_key_scope(key_scope)
    result = await get_or_404(
        session,
        ReviewResult,
        principal.org_id,
        result_id,
        what=N_("review result"),
        for_update=for_update,
    )
    if principal.is_hr_admin:
        return result
    if principal.employee_id == result.employee_id:
        if result.status != "published" and not own_unpublished:
            raise NotFound(_("No such review result"))
        return result
    await people.ensure_can_view(session, principal, result.employee_id, key_scope=key_scope)
    return result


async def own_published_result(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID
) -> ReviewResult:
    """The caller's own published result, locked (what an employee may appeal)."""
    result = await repository.result_by_id(session, principal.org_id, result_id, for_update=True)
    if (
        result is None
        or principal.employee_id is None
        or result.employee_id != principal.employee_id
        or result.status != "published"
    ):
        raise NotFound(_("No such review result"))
    return result


async def readable_appeal(
    session: AsyncSession, principal: Principal, appeal_id: uuid.UUID, *, for_update: bool = False
) -> tuple[ReviewAppeal, ReviewResult]:
    """The appeal and its result, for whoever may read the result (else 404)."""
    appeal = await get_or_404(
        session, ReviewAppeal, principal.org_id, appeal_id, what=N_("appeal"), for_update=for_update
    )
    try:
        result = await readable_result(session, principal, appeal.result_id, for_update=for_update)
    except NotFound:
        raise NotFound(_("No such appeal")) from None
    return appeal, result


async def require_reviewer(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> None:
    """HR, or the employee's supervisor chain and department head: 404 beyond reach, 403
    for whoever sees the employee but may not act for them (the employee included)."""
    employee = await people.ensure_can_view(session, principal, employee_id)
    await people.ensure_can_manage(session, principal, employee.id)


def require_raw_answer_reader(principal: Principal) -> None:
    """Individual answers exist only for an HR admin holding `review_auditor`."""
    if not principal.may_read_raw_answers:
        raise NotFound(_("No such review result"))
