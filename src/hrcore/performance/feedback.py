"""Feedback and praise 「反馈 / 表扬」 between colleagues of one organization.

The giver chooses who sees it: `private` (the receiver), `manager` (the receiver and their
current direct manager) or `public` (whoever may see the receiver by people's reach: their
managers, the department head over them, HR). Giver and receiver always see their own. The
receiver is told through the inbox without the text, since a DingTalk channel may relay the
notice; the audit trail keeps who, to whom, which kind and visibility, never the text.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.performance import check_in_repository, repository
from hrcore.performance.check_in_models import Feedback
from hrcore.performance.check_in_schemas import FeedbackIn, FeedbackOut

SUBJECT = "feedback"
EVERY_VISIBILITY = ("private", "manager", "public")
INBOX_NAMES = (
    "SELECT f.id, g.full_name, f.receiver_id FROM feedback f"
    " JOIN employees g ON g.org_id = f.org_id AND g.id = f.giver_id"
    " WHERE f.org_id = {org} AND f.id = ANY({ids})"
)
"""The inbox names a feedback notification after its giver, about its receiver."""


def _giver(principal: Principal) -> uuid.UUID:
    principal.require_key_scope(None)
    if principal.employee_id is None:
        raise Forbidden(_("Only employees give and read feedback"))
    return principal.employee_id


def _invalid(field: str, message: object) -> Unprocessable:
    return Unprocessable(
        _("The feedback cannot be given"), errors=[FieldError(field=field, message=message)]
    )


async def _check_tags(session: AsyncSession, org_id: uuid.UUID, body: FeedbackIn) -> None:
    if body.competency_id is not None:
        await competencies.require_competencies(
            session, org_id, {"competency_id": body.competency_id}
        )
    if body.indicator is not None and body.indicator not in await repository.indicator_keys(
        session, org_id
    ):
        raise _invalid("indicator", _("no scheme of the organization measures it"))


async def give(
    session: AsyncSession, principal: Principal, body: FeedbackIn, clock: Clock
) -> FeedbackOut:
    """An employee's feedback to a colleague: 404 for someone not in the organization, 422
    for oneself, a colleague who left or an unknown tag. Audited; the receiver is notified."""
    giver_id = _giver(principal)
    org_id = principal.org_id
    receiver = (await people.employee_summaries(session, org_id, [body.receiver_id])).get(
        body.receiver_id
    )
    if receiver is None:
        raise NotFound(_("No such employee"))
    if receiver.ref.id == giver_id:
        raise _invalid("receiver_id", _("someone other than yourself"))
    if receiver.status != "active":
        raise _invalid("receiver_id", _("must be an active employee"))
    await _check_tags(session, org_id, body)
    row = Feedback(
        org_id=org_id,
        giver_id=giver_id,
        receiver_id=receiver.ref.id,
        kind=body.kind,
        text=body.text,
        competency_id=body.competency_id,
        indicator=body.indicator,
        visibility=body.visibility,
        created_at=clock.now(),
    )
    session.add(row)
    await session.flush()
    [stored] = await check_in_repository.feedback(
        session,
        org_id,
        receiver_id=None,
        giver_id=giver_id,
        visibilities=EVERY_VISIBILITY,
        viewer_id=giver_id,
        after=None,
        limit=1,
        only=row.id,
    )
    await _notify(session, org_id, row, stored["giver_name"])
    audit.record(
        session,
        principal,
        "feedback.given",
        SUBJECT,
        row.id,
        org_id=org_id,
        after={
            "giver_id": str(giver_id),
            "receiver_id": str(receiver.ref.id),
            "kind": body.kind,
            "visibility": body.visibility,
            "competency_id": str(body.competency_id) if body.competency_id else None,
            "indicator": body.indicator,
        },
    )
    return FeedbackOut.model_validate(_view(stored))


async def _notify(session: AsyncSession, org_id: uuid.UUID, row: Feedback, giver: str) -> None:
    """The receiver's accounts get an inbox item naming the giver, not the text."""
    users = await identity.user_ids_for_employees(session, org_id, [row.receiver_id])
    await notifications.notify(
        session,
        org_id=org_id,
        user_ids=users.get(row.receiver_id, []),
        kind=f"feedback.{row.kind}",
        title=_("{name} praised you", name=giver)
        if row.kind == "praise"
        else _("{name} left you a suggestion", name=giver),
        body=_("Read it in the app."),
        subject_type=SUBJECT,
        subject_id=row.id,
        dedupe_key=f"feedback:{row.id}",
    )


def _view(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "giver": {"id": row["giver_id"], "name": row["giver_name"]},
        "receiver": {"id": row["receiver_id"], "name": row["receiver_name"]},
        "kind": row["kind"],
        "text": row["text"],
        "visibility": row["visibility"],
        "competency": {"id": row["competency_id"], "name": row["competency_name"]}
        if row["competency_id"]
        else None,
        "indicator": row["indicator"],
        "created_at": row["created_at"],
    }


def _choice(received: bool, given: bool, employee_id: uuid.UUID | None) -> None:
    if [received, given, employee_id is not None].count(True) > 1:
        raise Unprocessable(
            _("Choose which feedback to list"),
            errors=[
                FieldError(
                    field="query.received",
                    message=_("at most one of received=true, given=true or employee_id"),
                )
            ],
        )


async def listing(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    received: bool,
    given: bool,
    employee_id: uuid.UUID | None,
) -> Page[FeedbackOut]:
    """What the caller received (when nothing is chosen), gave, or may see of one
    employee's (404 outside their reach): that employee's public feedback, the `manager`
    ones when the caller is their direct manager, and any the caller gave. Newest first."""
    _choice(received, given, employee_id)
    visibilities: tuple[str, ...] = EVERY_VISIBILITY
    if employee_id is None:
        me: uuid.UUID | None = _giver(principal)
        receiver_id, giver_id = (None, me) if given else (me, None)
    else:
        me, receiver_id, giver_id = principal.employee_id, employee_id, None
        subject = await people.ensure_can_view(session, principal, employee_id)
        managers = await people.managers_of(session, principal.org_id, [subject.id])
        mine = me is not None and managers.get(subject.id) == me
        visibilities = ("public", "manager") if mine else ("public",)
    after = decode_cursor(page.cursor, [datetime, uuid.UUID]) if page.cursor else None
    rows = await check_in_repository.feedback(
        session,
        principal.org_id,
        receiver_id=receiver_id,
        giver_id=giver_id,
        visibilities=visibilities,
        viewer_id=me,
        after=(after[0], after[1]) if after else None,
        limit=page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["created_at", "id"], page)
    items = [_view(row) for row in shown]
    return Page[FeedbackOut].model_validate({"items": items, "next_cursor": cursor})
