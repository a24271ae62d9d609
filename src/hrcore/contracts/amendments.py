"""Reading amendments: one with its current version, a contract's list, and their views.

An amendment keeps every version; the current one is what the employee reads and confirms.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import access, repository
from hrcore.contracts.models import Amendment, AmendmentVersion
from hrcore.contracts.schemas import (
    AmendmentOut,
    AmendmentVersionOut,
    Change,
    ConfirmationOut,
    DocumentOut,
)
from hrcore.core.authz import Principal
from hrcore.core.errors import NotFound
from hrcore.core.i18n import Day, Text, _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.core.schemas import Ref
from hrcore.people import api as people


async def current_version(session: AsyncSession, amendment: Amendment) -> AmendmentVersion:
    version = await repository.version(
        session, amendment.org_id, amendment.id, amendment.current_version
    )
    if version is None:
        raise NotFound(_("No such amendment version"))
    return version


async def get_amendment(
    session: AsyncSession, principal: Principal, amendment_id: uuid.UUID
) -> tuple[Amendment, AmendmentVersion]:
    amendment = await access.amendment_in_reach(session, principal, amendment_id)
    note_read(principal, amendment.employee_id, DataClass.SENSITIVE, "contract.amendment")
    return amendment, await current_version(session, amendment)


async def list_amendments(
    session: AsyncSession, principal: Principal, contract_id: uuid.UUID, page: PageParams
) -> tuple[list[tuple[Amendment, AmendmentVersion]], str | None]:
    """A contract's amendments, newest first, each with its current version (two queries)."""
    contract = await access.contract_in_reach(session, principal, contract_id)
    note_read(principal, contract.employee_id, DataClass.SENSITIVE, "contract.amendment")
    statement = repository.amendments_query(principal.org_id, contract.id)
    rows, cursor = await paginate(session, statement, [Amendment.id], page, descending=True)
    versions = await repository.current_versions(session, principal.org_id, rows)
    return [(row, versions[row.id]) for row in rows], cursor


def version_view(version: AmendmentVersion) -> AmendmentVersionOut:
    return AmendmentVersionOut(
        number=version.number,
        effective_date=version.effective_date,
        end_date=version.end_date,
        changes=[Change.model_validate(change) for change in version.changes],
        note=version.note,
        created_at=version.created_at,
        document=DocumentOut(
            status=version.document_status,
            error=version.document_error,
            sha256=version.document_sha256,
            size=version.document_size,
            generated_at=version.generated_at,
        ),
    )


def status_label(amendment: Amendment, version: AmendmentVersion) -> Text:
    """What the mobile app shows: whose move it is, and when the terms apply."""
    if amendment.status == "withdrawn":
        return _("Withdrawn: its temporary post was called off")
    if amendment.status == "confirmed" and amendment.withdrawn_at is not None:
        return _("Confirmed, but its temporary post was withdrawn: HR settles it with you")
    if amendment.status != "confirmed":
        return _("Awaiting the employee's confirmation")
    if amendment.applied_at is None:
        return _("Confirmed; takes effect on {date}", date=Day(version.effective_date))
    return _("Confirmed and in effect")


async def amendment_views(
    session: AsyncSession, org_id: uuid.UUID, rows: Sequence[tuple[Amendment, AmendmentVersion]]
) -> list[AmendmentOut]:
    """Amendments with their employees' names: one batched lookup however many rows."""
    employees = await people.employee_refs(session, org_id, [row.employee_id for row, _ in rows])
    return [
        _amendment_out(amendment, version, employees[amendment.employee_id])
        for amendment, version in rows
    ]


async def amendment_view(
    session: AsyncSession, amendment: Amendment, version: AmendmentVersion
) -> AmendmentOut:
    [view] = await amendment_views(session, amendment.org_id, [(amendment, version)])
    return view


def _amendment_out(amendment: Amendment, version: AmendmentVersion, employee: Ref) -> AmendmentOut:
    confirmation = None
    if amendment.confirmed_at is not None:
        confirmation = ConfirmationOut(
            confirmed_at=amendment.confirmed_at,
            confirmed_by=amendment.confirmed_by,
            version=amendment.confirmed_version,
            document_sha256=amendment.confirmed_sha256,
        )
    return AmendmentOut(
        id=amendment.id,
        contract_id=amendment.contract_id,
        employee_id=amendment.employee_id,
        employee=employee,
        source=amendment.source,
        event_id=amendment.event_id,
        status=amendment.status,
        status_label=status_label(amendment, version),
        applied_at=amendment.applied_at,
        current=version_view(version),
        confirmation=confirmation,
        confirm_task_id=amendment.confirm_task_id,
        withdrawn_at=amendment.withdrawn_at,
        withdrawal_reason=amendment.withdrawal_reason,
        withdrawal_task_id=amendment.withdrawal_task_id,
        created_at=amendment.created_at,
        version=amendment.version,
    )
