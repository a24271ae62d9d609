"""A goal's life 「目标状态」: which status changes are allowed, when its key results are
frozen, and when it may be deleted rather than cancelled.

`draft → active → done | cancelled`; a draft may also be cancelled. Reopening — a `done` or
`cancelled` goal back to `active` — needs a reason (kept in the audit trail), since the goal's
progress and its owner's dashboard change with it. Any other change (back to draft, a draft
straight to done) is 409. A goal that is done or cancelled keeps its key results as they
are: adding, editing or checking one in is 409 until it is reopened.

Deleting is for mistakes: a draft nobody has checked in on. Anything else has a history that
HR reads (progress reported, a dashboard shown) and is cancelled instead (409 saying so);
a goal with goals aligned to it is 409 whatever its status, so no goal loses its parent
silently.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.concurrency import check_version
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import N_, Text, _
from hrcore.performance import goals_access, goals_repository
from hrcore.performance.goals_access import GOAL
from hrcore.performance.goals_models import Goal

STATUSES = {
    "draft": N_("draft"),
    "active": N_("active"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
"""Each status as a sentence names it, in the reader's language."""
NEXT = {
    "draft": {"active", "cancelled"},
    "active": {"done", "cancelled"},
    "done": {"active"},
    "cancelled": {"active"},
}
"""The statuses a goal may move to from each one."""
REOPENED = {"done", "cancelled"}
"""Leaving these (to `active`) is a reopening: it needs a reason."""


def _named(status: str) -> Text:
    return Text(STATUSES[status])


def check_status_change(current: str, wanted: str, reason: str | None) -> None:
    """409 for a change the life above does not allow, 422 on `reason` for a reopening
    without one or a reason without a change."""
    if wanted == current:
        if reason is not None:
            raise Unprocessable(
                _("The goal's status does not change"),
                errors=[
                    FieldError(field="reason", message=_("a reason goes with a status change"))
                ],
            )
        return
    if wanted not in NEXT[current]:
        raise Conflict(
            _(
                "A goal that is {current} cannot become {wanted}",
                current=_named(current),
                wanted=_named(wanted),
            )
        )
    if current in REOPENED and reason is None:
        raise Unprocessable(
            _("Reopening a goal needs a reason"),
            errors=[
                FieldError(
                    field="reason",
                    message=_("say why the {status} goal is reopened", status=_named(current)),
                )
            ],
        )


def require_open_key_results(goal: Goal) -> None:
    """409 when the goal is done or cancelled: its key results stay as they are."""
    if goal.status in REOPENED:
        raise Conflict(
            _(
                "The goal is {status}: its key results are frozen until it is reopened",
                status=_named(goal.status),
            )
        )


async def delete(
    session: AsyncSession, principal: Principal, goal_id: uuid.UUID, *, if_match: str | None
) -> None:
    """Delete a draft goal nobody checked in on (with its key results), audited with what it
    was; whoever may change the goal."""
    goal = await get_or_404(session, Goal, principal.org_id, goal_id, what=GOAL, for_update=True)
    await goals_access.require_editor(session, principal, goal)
    check_version(goal.version, if_match=if_match, body_version=None)
    facts = await goals_repository.deletion_facts(session, goal.org_id, goal.id)
    if facts["children"]:
        raise Conflict(
            _(
                "Goals are aligned to this goal ({count}): align them elsewhere or delete them "
                "first",
                count=facts["children"],
            )
        )
    if goal.status != "draft" or facts["check_ins"]:
        raise Conflict(
            _(
                "Only a draft goal without check-ins can be deleted; cancel this one instead "
                "(it is {status}; check-ins: {count})",
                status=_named(goal.status),
                count=facts["check_ins"],
            )
        )
    audit.record(
        session,
        principal,
        "goal.deleted",
        "goal",
        goal.id,
        org_id=goal.org_id,
        before={
            "level": goal.level,
            "title": goal.title,
            "period": goal.period,
            "status": goal.status,
            "department_id": str(goal.department_id) if goal.department_id else None,
            "employee_id": str(goal.employee_id) if goal.employee_id else None,
            "parent_id": str(goal.parent_id) if goal.parent_id else None,
            "key_results": facts["key_results"],
        },
    )
    await session.delete(goal)
    await session.flush()
