"""Who may see and do what with tasks.

A task is seen by its assignee, HR admins, and whoever sees the assignee (managers,
department heads); anyone else gets 404, as if it did not exist. A confidential task (a 360
rater's) only by its assignee and HR admins holding `review_auditor`: who rates whom is
anonymous. Integration keys need `org:read`, and `reviews:read` for review tasks. Only the
assignee completes a task; others who see it get 403.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope
from hrcore.core.db import get_or_404
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, _
from hrcore.people import api as people
from hrcore.workflow.models import Task

REVIEW_SUBJECT_PREFIX = "review_"
"""Tasks whose subject type starts with this are review tasks (rater, nomination, appeal,
result): integration keys read them only with `reviews:read`."""


def _key_scope(task: Task) -> Scope:
    return (
        Scope.REVIEWS_READ
        if task.subject_type.startswith(REVIEW_SUBJECT_PREFIX)
        else Scope.ORG_READ
    )


async def ensure_reach(session: AsyncSession, principal: Principal, task: Task) -> None:
    """The assignee, HR, and whoever sees the assignee (managers, department heads); a
    confidential task only the assignee and HR auditors."""
    if principal.employee_id == task.assignee_employee_id:
        return
    if task.confidential:
        if principal.may_read_raw_answers:
            return
        raise NotFound(_("No such task"))
    if principal.is_hr_admin:
        return
    try:
        await people.ensure_can_view(
            session, principal, task.assignee_employee_id, key_scope=_key_scope(task)
        )
    except (NotFound, Forbidden):
        raise NotFound(_("No such task")) from None


async def task_in_reach(
    session: AsyncSession, principal: Principal, task_id: uuid.UUID, *, for_update: bool = False
) -> Task:
    """The task if the caller may see it, else 404; `for_update` locks it for a change."""
    task = await get_or_404(
        session, Task, principal.org_id, task_id, what=N_("task"), for_update=for_update
    )
    await ensure_reach(session, principal, task)
    return task


FILES_SUBJECT = "task"
"""Files a submission references are attached to its task under this subject type."""


async def may_read_files(session: AsyncSession, principal: Principal, task_id: uuid.UUID) -> bool:
    """Whoever may see a task may read the files its submission references (files'
    `SubjectReader`): the assignee, HR, their managers; a confidential one's as above."""
    try:
        await task_in_reach(session, principal, task_id)
    except NotFound:
        return False
    return True


def require_assignee(principal: Principal, task: Task) -> None:
    """Only the assignee completes a task; others who may see it get 403."""
    if principal.employee_id != task.assignee_employee_id:
        raise Forbidden(_("Only the assignee may complete this task"))


@dataclass(frozen=True)
class ListReach:
    """Which tasks a caller's lists may hold.

    `assignee_ids`: the ids of the assignees they may see (None: the organization);
    `confidential_of`: True for HR auditors (every confidential task), else the caller's
    own employee id (their own only), or None (none); `review_tasks`: False for integration
    keys without `reviews:read`."""

    assignee_ids: list[uuid.UUID] | None
    confidential_of: uuid.UUID | bool | None
    review_tasks: bool


async def list_reach(session: AsyncSession, principal: Principal) -> ListReach:
    visible = await people.visible_employee_ids(session, principal, key_scope=Scope.ORG_READ)
    return ListReach(
        assignee_ids=visible,
        confidential_of=principal.may_read_raw_answers or principal.employee_id,
        review_tasks=principal.kind != "api_key" or principal.has_scope(Scope.REVIEWS_READ),
    )
