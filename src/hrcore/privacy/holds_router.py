"""Legal holds' routes: the list, placing a hold and releasing it (HR admins)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.privacy import holds
from hrcore.privacy.holds_schemas import LegalHoldIn, LegalHoldOut

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])


@router.get(
    "/legal-holds",
    operation_id="list_legal_holds",
    summary="Legal holds (HR admin)",
    responses=FORBIDDEN,
)
async def list_holds(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    active: Annotated[
        bool | None, Query(description="Only standing (true) or released (false) holds.")
    ] = None,
    employee_id: Annotated[uuid.UUID | None, Query(description="Only this person's.")] = None,
    case_reference: Annotated[
        str | None, Query(max_length=100, description="Only this case's.")
    ] = None,
) -> Page[LegalHoldOut]:
    """For HR admins: legal holds newest first, standing and released, with who placed and
    released each."""
    return await holds.listed(
        session,
        principal,
        page,
        active=active,
        employee_id=employee_id,
        case_reference=case_reference,
    )


@router.post(
    "/legal-holds",
    operation_id="place_legal_hold",
    summary="Put a person on legal hold (HR admin)",
    status_code=201,
    responses=FORBIDDEN,
)
async def place_hold(
    body: LegalHoldIn, principal: CurrentPrincipal, session: DbSession
) -> LegalHoldOut:
    """For HR admins. While the hold stands no retention rule purges the person's data (the
    dry run leaves them out too) and a request to delete it is refused with `reason`. An
    employee not in the organization is 422. A person may have several holds (one per
    case). Audited."""
    return await holds.place(session, principal, body)


@router.delete(
    "/legal-holds/{hold_id}",
    operation_id="release_legal_hold",
    summary="Release a legal hold (HR admin)",
    status_code=204,
    responses={**FORBIDDEN, **NOT_FOUND, **problem(409, "The hold is released already")},
)
async def release_hold(
    hold_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> None:
    """For HR admins. The hold is released (kept, with who released it and when); once the
    person has no standing hold, the next purge takes their expired data. Audited."""
    await holds.release(session, principal, hold_id, clock)
