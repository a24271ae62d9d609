"""Contracts, their amendments and documents, the amendment template, expiring contracts."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse

from hrcore.contracts import (
    access,
    amendment_template,
    amendments,
    confirmation,
    drafting,
    expiry,
    generation,
    lifecycle,
)
from hrcore.contracts.schemas import (
    AmendmentConfirm,
    AmendmentOut,
    AmendmentTemplateIn,
    AmendmentTemplateOut,
    AmendmentTermsIn,
    ContractCreate,
    ContractExtend,
    ContractOut,
    ContractRenew,
    ContractStatus,
    DocumentPending,
    ExpiringContractOut,
    ProgramConflictOut,
)
from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.core.responses import CONFLICT, NOT_FOUND, STALE, problem
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["contracts"])

RETRY_AFTER_SECONDS = 2


@router.get(
    "/contracts",
    operation_id="list_contracts",
    summary="Contracts: HR sees the organization's, an employee their own; newest first",
)
async def list_contracts(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    employee_id: Annotated[uuid.UUID | None, Query(description="One employee's history.")] = None,
    contract_status: Annotated[
        ContractStatus | None, Query(alias="status", description="Only contracts in this status.")
    ] = None,
) -> Page[ContractOut]:
    """HR admins see the organization's contracts, any other caller only their own (whatever the
    filter); newest first, cursor-paginated. Filter by `employee_id` for one employee's history or
    by `status`."""
    rows, cursor = await lifecycle.list_contracts(
        session, principal, page, employee_id=employee_id, status=contract_status
    )
    items = await lifecycle.contract_views(session, principal.org_id, rows)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/contracts",
    operation_id="create_contract",
    summary="Record a contract (HR admin)",
    status_code=status.HTTP_201_CREATED,
    responses=problem(409, "Overlaps the employee's active contract"),
)
async def create_contract(
    body: ContractCreate,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    clock: AppClock,
) -> ContractOut:
    """For HR admins. Records an employee's contract; department and position default to the
    employee's current post. A fixed-term, internship or project-based contract needs an end date.
    An active contract overlapping the employee's other active contract answers 409 (checked under
    a per-employee lock), as does an exited employee. Audited; checks the employee's programs for
    conflicts with the contract's end."""
    contract = await lifecycle.create_contract(session, principal, body, clock)
    set_etag(response, contract.version)
    return await lifecycle.contract_view(session, contract)


@router.get(
    "/contracts/expiring",
    operation_id="list_expiring_contracts",
    summary="Active contracts ending within the notice window, soonest first (HR admin)",
)
async def list_expiring_contracts(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    clock: AppClock,
    runtime: AppRuntime,
) -> Page[ExpiringContractOut]:
    """For HR admins: active contracts ending within the notice window
    (`HRCORE_CONTRACT_EXPIRY_NOTICE_MONTHS`, 3 by default) of the organization's today, soonest
    first, cursor-paginated, each with the days left, the expiry task once raised and the
    development programs that run past its end."""
    rows, cursor = await expiry.list_expiring(session, principal, page, clock, runtime.settings)
    contracts = [row.contract for row in rows]
    views = await lifecycle.contract_views(session, principal.org_id, contracts)
    items = [
        ExpiringContractOut(
            contract=view,
            days_left=row.days_left,
            alert_task_id=row.alert_task_id,
            program_conflicts=[
                ProgramConflictOut(
                    run=end.run, participant_id=end.participant_id, program_ends_on=end.ends_on
                )
                for end in row.program_conflicts
            ],
        )
        for row, view in zip(rows, views, strict=True)
    ]
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/contracts/{contract_id}",
    operation_id="get_contract",
    summary="One contract",
    responses=NOT_FOUND,
)
async def get_contract(
    contract_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> ContractOut:
    """One contract, for HR admins or the employee it belongs to; anyone else gets 404. The `ETag`
    serves `If-None-Match` polling."""
    contract = await access.contract_in_reach(session, principal, contract_id)
    note_read(principal, contract.employee_id, DataClass.SENSITIVE, "contract")
    set_etag(response, contract.version)
    return await lifecycle.contract_view(session, contract)


@router.post(
    "/contracts/{contract_id}/extend",
    operation_id="extend_contract",
    summary="Move the contract's end date later (HR admin); completes the expiry task",
    responses=NOT_FOUND | CONFLICT,
)
async def extend_contract(
    contract_id: uuid.UUID,
    body: ContractExtend,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ContractOut:
    """For HR admins. Moves a fixed end date later (an earlier or equal date is 422, an open-ended
    contract or an overlap with another contract 409), completes the contract's expiry task and is
    audited."""
    contract = await lifecycle.extend_contract(session, principal, contract_id, body, clock)
    return await lifecycle.contract_view(session, contract)


@router.post(
    "/contracts/{contract_id}/renew",
    operation_id="renew_contract",
    summary="A follow-up contract from the day after this one ends (HR admin)",
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND | CONFLICT,
)
async def renew_contract(
    contract_id: uuid.UUID,
    body: ContractRenew,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ContractOut:
    """For HR admins. Creates the follow-up contract starting the day after this one ends, on the
    same terms, linked by `renewed_from_id`; an open-ended contract is not renewed (409). Completes
    the expiry task and is audited."""
    contract = await lifecycle.renew_contract(session, principal, contract_id, body, clock)
    return await lifecycle.contract_view(session, contract)


@router.get(
    "/contracts/{contract_id}/amendments",
    operation_id="list_contract_amendments",
    summary="A contract's amendments, newest first, each with its current version",
    responses=NOT_FOUND,
)
async def list_contract_amendments(
    contract_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[AmendmentOut]:
    """A contract's amendments, newest first, cursor-paginated, each with its current version,
    document state and confirmation. For HR admins and the contract's employee; anyone else gets
    404."""
    rows, cursor = await amendments.list_amendments(session, principal, contract_id, page)
    items = await amendments.amendment_views(session, principal.org_id, rows)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/contracts/{contract_id}/amendments",
    operation_id="create_contract_amendment",
    summary="Draft an amendment by hand (HR admin); its document is generated in the background",
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND | CONFLICT,
)
async def create_contract_amendment(
    contract_id: uuid.UUID,
    body: AmendmentTermsIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> AmendmentOut:
    """For HR admins. Drafts an amendment of the contract's terms (department, position, grade,
    allowance or a temporary post) from an effective date; each changed term is listed before and
    after. Its PDF is generated in the background; when ready the employee gets a confirmation
    task. Terms that change nothing answer 422."""
    amendment, version = await drafting.create_amendment(
        session, principal, contract_id, body, clock
    )
    return await amendments.amendment_view(session, amendment, version)


@router.get(
    "/amendments/{amendment_id}",
    operation_id="get_amendment",
    summary="One amendment with its current version, document status and confirmation",
    responses=NOT_FOUND,
)
async def get_amendment(
    amendment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> AmendmentOut:
    """One amendment with its current version, its changes, the document's state and the
    confirmation. For HR admins and the amendment's employee; anyone else gets 404. The `ETag`
    serves `If-None-Match` polling."""
    amendment, version = await amendments.get_amendment(session, principal, amendment_id)
    set_etag(response, amendment.version)
    return await amendments.amendment_view(session, amendment, version)


@router.post(
    "/amendments/{amendment_id}/versions",
    operation_id="revise_amendment",
    summary="Revise a draft amendment (HR admin): a new version supersedes the current one",
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND | CONFLICT,
)
async def revise_amendment(
    amendment_id: uuid.UUID,
    body: AmendmentTermsIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> AmendmentOut:
    """For HR admins. Drafts a new version of an unconfirmed amendment, computed against the
    contract's current terms; it supersedes the current version, whose open confirmation task is
    cancelled, and gets a document of its own. A confirmed amendment answers 409."""
    amendment, version = await drafting.revise_amendment(
        session, principal, amendment_id, body, clock
    )
    return await amendments.amendment_view(session, amendment, version)


@router.get(
    "/amendments/{amendment_id}/document",
    operation_id="get_amendment_document",
    summary="The current version's PDF; 202 while it is being generated",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        202: {
            "model": DocumentPending,
            "description": "Being generated; retry after `Retry-After` seconds.",
        },
        **NOT_FOUND,
        **problem(409, "The generation failed; the amendment shows the reason"),
    },
)
async def get_amendment_document(
    amendment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, runtime: AppRuntime
) -> Response:
    """The current version's PDF, for HR admins and the amendment's employee, with its SHA-256 as
    `ETag` (the hash `confirm` needs), the version in `X-Document-Version` and a file name naming
    the employee and the version. While the document is generated (or regenerated after its file
    was lost) it answers 202 with `Retry-After`; a failed generation answers 409 with the reason.
    """
    document = await generation.get_document(session, principal, amendment_id, runtime.settings)
    version = document.version
    if document.content is None:
        return JSONResponse(
            DocumentPending(version=version.number).model_dump(),
            status_code=status.HTTP_202_ACCEPTED,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return Response(
        document.content,
        media_type=generation.PDF,
        headers={
            "Content-Disposition": document.content_disposition,
            "ETag": f'"{version.document_sha256}"',
            "X-Document-Version": str(version.number),
        },
    )


@router.post(
    "/amendments/{amendment_id}/confirm",
    operation_id="confirm_amendment",
    summary="Confirm my amendment: the current version, by the SHA-256 of its document",
    responses={
        **problem(403, "Only the employee confirms (HR sees the amendment)"),
        **NOT_FOUND,
        **problem(409, "Superseded version, other document, not ready or confirmed"),
    },
)
async def confirm_amendment(
    amendment_id: uuid.UUID,
    body: AmendmentConfirm,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> AmendmentOut:
    """Only the amendment's employee confirms (HR gets 403, anyone else 404), naming the current
    version and the SHA-256 of the document they read. Records who confirmed what and when, applies
    the terms to the contract, completes the confirmation task and publishes
    `contract.amendment_confirmed`. A superseded version, another hash, a document not ready, an
    amendment already confirmed or drafted against terms the contract no longer has answers 409."""
    amendment, version = await confirmation.confirm_amendment(
        session, principal, amendment_id, body, clock
    )
    return await amendments.amendment_view(session, amendment, version)


@router.get(
    "/amendment-template",
    operation_id="get_amendment_template",
    summary="The organization's amendment template (HR admin)",
)
async def get_amendment_template(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> AmendmentTemplateOut:
    """For HR admins: the Jinja2 template amendment documents are rendered from : the
    organization's own, or the built-in bilingual one (`version` 0)."""
    template = await amendment_template.get_template(session, principal)
    set_etag(response, template.version)
    return template


@router.put(
    "/amendment-template",
    operation_id="put_amendment_template",
    summary="Replace the amendment template (HR admin); unknown placeholders answer 422",
    responses=STALE,
)
async def put_amendment_template(
    body: AmendmentTemplateIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AmendmentTemplateOut:
    """For HR admins. Replaces the template; a syntax error or an unknown placeholder answers 422
    naming it. Guarded by `If-Match` or a body `version`. New documents use it (and every current
    version whose generation failed is generated again); ready documents keep their bytes."""
    template = await amendment_template.put_template(session, principal, body, if_match=if_match)
    set_etag(response, template.version)
    return template
