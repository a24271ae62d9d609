"""Contracts themselves: recorded, listed, extended and renewed by HR.

An employee has at most one active contract on any day (overlap → 409); writes per employee
are serialized with an advisory lock so the check holds under concurrency. Contracts are
never deleted; terms change only through confirmed amendments (`confirmation`). Every write
re-checks the employee's program conflicts in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import access, conflicts, expiry, repository
from hrcore.contracts.models import Contract
from hrcore.contracts.schemas import (
    CONTRACT_LINKS,
    ContractCreate,
    ContractExtend,
    ContractOut,
    ContractRenew,
)
from hrcore.contracts.terms import CONTRACT_SUBJECT, snapshot
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import Day, _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.org import api as org
from hrcore.people import api as people

CONTRACT_FIELDS = [name for name in ContractOut.model_fields if name not in CONTRACT_LINKS]


async def contract_views(
    session: AsyncSession, org_id: uuid.UUID, contracts: Sequence[Contract]
) -> list[ContractOut]:
    """Contracts with the names of their employee, department and position: three batched
    lookups (fewer when none is needed) however many contracts."""
    employees = await people.employee_refs(session, org_id, [c.employee_id for c in contracts])
    departments = await org.department_refs(session, org_id, [c.department_id for c in contracts])
    positions = await org.position_refs(
        session, org_id, [c.position_id for c in contracts if c.position_id is not None]
    )
    return [
        ContractOut(
            **{name: getattr(contract, name) for name in CONTRACT_FIELDS},
            employee=employees[contract.employee_id],
            department=departments[contract.department_id],
            position=positions[contract.position_id] if contract.position_id else None,
        )
        for contract in contracts
    ]


async def contract_view(session: AsyncSession, contract: Contract) -> ContractOut:
    [view] = await contract_views(session, contract.org_id, [contract])
    return view


async def list_contracts(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    employee_id: uuid.UUID | None,
    status: str | None,
) -> tuple[list[Contract], str | None]:
    """HR: every contract (filterable); others: their own. Newest start first."""
    if not principal.is_hr_admin:
        if principal.employee_id is None or employee_id not in (None, principal.employee_id):
            return [], None
        employee_id = principal.employee_id
    statement = repository.contracts_query(principal.org_id, employee_id=employee_id, status=status)
    rows, cursor = await paginate(
        session, statement, [Contract.start_date, Contract.id], page, descending=True
    )
    note_reads(principal, [row.employee_id for row in rows], DataClass.SENSITIVE, "contract")
    return rows, cursor


async def _require_free(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    start: date,
    end: date | None,
    *,
    exclude_id: uuid.UUID | None = None,
) -> None:
    await repository.lock_employee(session, org_id, employee_id)
    clash = await repository.overlapping(
        session, org_id, employee_id, start, end, exclude_id=exclude_id
    )
    if clash is not None:
        if clash.end_date is None:
            raise Conflict(
                _(
                    "The employee has an open-ended active contract from {start} that overlaps "
                    "these dates",
                    start=Day(clash.start_date),
                )
            )
        raise Conflict(
            _(
                "The employee has an active contract from {start} to {end} that overlaps these "
                "dates",
                start=Day(clash.start_date),
                end=Day(clash.end_date),
            )
        )


async def create_contract(
    session: AsyncSession, principal: Principal, body: ContractCreate, clock: Clock
) -> Contract:
    """A new contract (HR admin) on the employee's current post unless given."""
    require_hr_admin(principal)
    org_id = principal.org_id
    employee = await people.require_employee(session, org_id, body.employee_id)
    if employee.status == "exited":
        raise Conflict(_("The employee has exited"))
    department_id = body.department_id or employee.department_id
    await org.require_department(session, org_id, department_id)
    position_id = body.position_id or employee.position_id
    grade = None
    if position_id is not None:
        grade = (await org.require_position(session, org_id, position_id)).grade
    await _require_free(session, org_id, employee.id, body.start_date, body.end_date)
    contract = Contract(
        org_id=org_id,
        employee_id=employee.id,
        kind=body.kind,
        status="active",
        start_date=body.start_date,
        end_date=body.end_date,
        department_id=department_id,
        position_id=position_id,
        grade=grade,
        allowance=body.allowance,
        work_location=body.work_location,
        pay_terms_ref=body.pay_terms_ref,
    )
    session.add(contract)
    await session.flush()
    audit.record(
        session,
        principal,
        "contract.created",
        CONTRACT_SUBJECT,
        contract.id,
        org_id=org_id,
        after=snapshot(contract),
    )
    await conflicts.check_program_conflicts(session, org_id, [contract.employee_id], clock)
    return contract


async def extend_contract(
    session: AsyncSession,
    principal: Principal,
    contract_id: uuid.UUID,
    body: ContractExtend,
    clock: Clock,
) -> Contract:
    """Move the end date later (HR admin); closes the expiry task of the old end date."""
    contract = await access.active_contract_for_hr(session, principal, contract_id)
    if contract.end_date is None:
        raise Conflict(_("The contract has no end date"))
    if body.end_date <= contract.end_date:
        raise Unprocessable(
            _("An extension ends later"),
            errors=[
                FieldError(
                    field="end_date", message=_("after {end_date}", end_date=Day(contract.end_date))
                )
            ],
        )
    await _require_free(
        session,
        principal.org_id,
        contract.employee_id,
        contract.start_date,
        body.end_date,
        exclude_id=contract.id,
    )
    await expiry.close_expiry_task(session, principal, contract, clock)
    before = snapshot(contract)
    contract.end_date = body.end_date
    await session.flush()
    old, new = audit.changes(before, snapshot(contract))
    audit.record(
        session,
        principal,
        "contract.extended",
        CONTRACT_SUBJECT,
        contract.id,
        org_id=principal.org_id,
        before=old,
        after=new,
    )
    await conflicts.check_program_conflicts(
        session, principal.org_id, [contract.employee_id], clock
    )
    return contract


async def renew_contract(
    session: AsyncSession,
    principal: Principal,
    contract_id: uuid.UUID,
    body: ContractRenew,
    clock: Clock,
) -> Contract:
    """A follow-up contract from the day after this one ends, on the same terms (HR admin)."""
    contract = await access.active_contract_for_hr(session, principal, contract_id)
    if contract.end_date is None or contract.end_date == date.max:
        raise Conflict(_("An open-ended contract is not renewed"))
    start = contract.end_date + timedelta(days=1)
    if body.end_date is not None and body.end_date < start:
        raise Unprocessable(
            _("The renewal ends before it starts"),
            errors=[FieldError(field="end_date", message=_("on or after {start}", start=start))],
        )
    await _require_free(session, principal.org_id, contract.employee_id, start, body.end_date)
    await expiry.close_expiry_task(session, principal, contract, clock)
    renewal = Contract(
        org_id=principal.org_id,
        employee_id=contract.employee_id,
        kind=body.kind,
        status="active",
        start_date=start,
        end_date=body.end_date,
        department_id=contract.department_id,
        position_id=contract.position_id,
        grade=contract.grade,
        allowance=contract.allowance,
        work_location=body.work_location or contract.work_location,
        pay_terms_ref=body.pay_terms_ref or contract.pay_terms_ref,
        renewed_from_id=contract.id,
    )
    session.add(renewal)
    await session.flush()
    audit.record(
        session,
        principal,
        "contract.renewed",
        CONTRACT_SUBJECT,
        renewal.id,
        org_id=principal.org_id,
        after=snapshot(renewal) | {"renewed_from_id": str(contract.id)},
    )
    await conflicts.check_program_conflicts(
        session, principal.org_id, [contract.employee_id], clock
    )
    return renewal
