"""Work results 「工作成果」: an employee submits what they delivered, with evidence (files they
uploaded) and the value of one indicator it claims; their direct manager (or an HR admin)
accepts it once — recorded through the one ingestion use case as an observation (source
`work_result`, external id the result's id), so the live score moves as for any other source —
or rejects it with a reason the employee reads.

Reads follow the employee's reach (people's rule): the submitter, the managers above, the
department heads over them, HR admins; integration keys have no part in it (403).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.files import api as files
from hrcore.people import api as people
from hrcore.performance import ingestion, repository, work_results_repository
from hrcore.performance.schemas import ObservationIn
from hrcore.performance.work_results_models import WorkResult
from hrcore.performance.work_results_schemas import RejectionIn, WorkResultIn, WorkResultOut

SUBJECT = "work_result"
"""The audit object and the files subject of a work result."""
SOURCE = "work_result"
"""The source of the observation an accepted result becomes."""
WHAT = N_("work result")


async def submit(session: AsyncSession, principal: Principal, body: WorkResultIn) -> WorkResultOut:
    """The caller's own result, `submitted`; its files attached (each one the caller uploaded,
    else 422 on `file_ids.<index>`); an indicator no scheme measures is 422."""
    principal.require_key_scope(None)
    employee_id = own_employee_id(principal)
    if body.indicator not in await repository.indicator_keys(session, principal.org_id):
        raise Unprocessable(
            _("No performance scheme measures this indicator"),
            errors=[
                FieldError(
                    field="indicator",
                    message=_(
                        "no performance scheme measures {indicator}", indicator=body.indicator
                    ),
                )
            ],
        )
    result = WorkResult(
        org_id=principal.org_id,
        employee_id=employee_id,
        title=body.title,
        description=body.description,
        indicator=body.indicator,
        value=body.value,
        achieved_at=body.achieved_at,
        status="submitted",
    )
    session.add(result)
    await session.flush()
    await files.attach(
        session,
        org_id=principal.org_id,
        refs=body.file_ids,
        employee_id=employee_id,
        subject_type=SUBJECT,
        subject_id=result.id,
        field="file_ids",
    )
    audit.record(
        session,
        principal,
        f"{SUBJECT}.submitted",
        SUBJECT,
        result.id,
        org_id=principal.org_id,
        after=_audited(result) | {"file_ids": [str(f) for f in body.file_ids]},
    )
    return await read(session, principal, result.id)


def _audited(result: WorkResult) -> dict[str, Any]:
    return {
        "title": result.title,
        "indicator": result.indicator,
        "value": result.value,
        "achieved_at": result.achieved_at.isoformat(),
        "status": result.status,
    }


async def _readable(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID, *, for_update: bool
) -> WorkResult:
    """The result when its employee is in the caller's reach; 404 alike for a result that does
    not exist, another organization's and one outside the reach."""
    principal.require_key_scope(None)
    result = await get_or_404(
        session, WorkResult, principal.org_id, result_id, what=WHAT, for_update=for_update
    )
    if result.employee_id != principal.employee_id:
        try:
            await people.ensure_can_view(session, principal, result.employee_id)
        except NotFound:
            raise NotFound(_("No such {what}", what=WHAT)) from None
    return result


async def _decidable(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID
) -> WorkResult:
    """A submitted result the caller decides: its employee's direct manager or an HR admin
    (403 for anyone else who sees it; 409 once decided)."""
    result = await _readable(session, principal, result_id, for_update=True)
    if not principal.is_hr_admin:
        managers = await people.managers_of(session, principal.org_id, [result.employee_id])
        manager = managers.get(result.employee_id)
        if principal.employee_id is None or manager != principal.employee_id:
            raise Forbidden(_("Only the employee's manager accepts or rejects a work result"))
    if result.status != "submitted":
        raise Conflict(_("This work result was decided already"))
    return result


async def accept(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID, now: datetime
) -> WorkResultOut:
    """Record the claimed value as an observation through `ingestion.ingest` (audited, the
    live score recomputed in the worker); a value ingestion refuses (the indicator is no
    longer measured) is 422 with its reason and nothing changes."""
    result = await _decidable(session, principal, result_id)
    item = ObservationIn(
        employee_id=result.employee_id,
        indicator=result.indicator,
        value=result.value,
        observed_at=result.achieved_at,
        source=SOURCE,
        external_id=str(result.id),
    )
    (outcome,) = (await ingestion.ingest(session, principal, [item])).items
    if outcome.id is None:
        raise Unprocessable(
            _("The work result cannot be recorded: {reason}", reason=outcome.error or "")
        )
    before = _audited(result)
    result.status, result.observation_id = "accepted", outcome.id
    result.decided_by, result.decided_at = principal.id, now
    await session.flush()
    audit.record(
        session,
        principal,
        f"{SUBJECT}.accepted",
        SUBJECT,
        result.id,
        org_id=principal.org_id,
        before=before,
        after=_audited(result) | {"observation_id": str(outcome.id)},
    )
    return await read(session, principal, result.id)


async def reject(
    session: AsyncSession,
    principal: Principal,
    result_id: uuid.UUID,
    body: RejectionIn,
    now: datetime,
) -> WorkResultOut:
    """Refuse the result with a reason; nothing is recorded."""
    result = await _decidable(session, principal, result_id)
    before = _audited(result)
    result.status, result.reason = "rejected", body.reason
    result.decided_by, result.decided_at = principal.id, now
    await session.flush()
    audit.record(
        session,
        principal,
        f"{SUBJECT}.rejected",
        SUBJECT,
        result.id,
        org_id=principal.org_id,
        before=before,
        after=_audited(result) | {"reason": body.reason},
    )
    return await read(session, principal, result.id)


def _shaped(rows: Any, attached: dict[uuid.UUID, list[uuid.UUID]]) -> list[dict[str, Any]]:
    return [
        dict(row)
        | {
            "employee": {"id": row["employee_id"], "name": row["employee_name"]},
            "decided_by_user": {"id": row["decided_by"], "name": row["decided_by_name"]}
            if row["decided_by"]
            else None,
            "file_ids": attached.get(row["id"], []),
        }
        for row in rows
    ]


async def read(session: AsyncSession, principal: Principal, result_id: uuid.UUID) -> WorkResultOut:
    """One result (404 outside the caller's reach), with its files."""
    await _readable(session, principal, result_id, for_update=False)
    rows = await work_results_repository.one(session, principal.org_id, result_id)
    attached = await files.attachments_of(session, principal.org_id, SUBJECT, [result_id])
    return WorkResultOut.model_validate(_shaped(rows, attached)[0])


async def listed(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    mine: bool,
    employee_id: uuid.UUID | None,
    status: str | None,
) -> Page[WorkResultOut]:
    """Newest first: the caller's own (`mine`), or every result in the caller's reach (HR
    admins: the organization's). The reach, one statement, the files in one more."""
    principal.require_key_scope(None)
    reach = (
        [own_employee_id(principal)]
        if mine
        else await people.visible_employee_ids(session, principal)
    )
    before = decode_cursor(page.cursor, [uuid.UUID])[0] if page.cursor else None
    rows = await work_results_repository.page(
        session, principal.org_id, reach, employee_id, status, before, page.limit + 1
    )
    shown, cursor = cut_page(rows, ["id"], page)
    attached = await files.attachments_of(
        session, principal.org_id, SUBJECT, [row["id"] for row in shown]
    )
    return Page[WorkResultOut].model_validate(
        {"items": _shaped(shown, attached), "next_cursor": cursor}
    )


async def may_read_files(session: AsyncSession, principal: Principal, result_id: uuid.UUID) -> bool:
    """Whoever sees the result reads its evidence (files' `SubjectReader`)."""
    try:
        await _readable(session, principal, result_id, for_update=False)
    except (NotFound, Forbidden):
        return False
    return True
