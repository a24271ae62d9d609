"""The read-access log over HTTP: `GET /me/read-log` (the person) and
`GET /read-access-events` (HR, the DPO)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hrcore.core.db import DbSession
from hrcore.core.dependencies import Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.privacy import DataClass
from hrcore.core.responses import FORBIDDEN, problem
from hrcore.core.schemas import BoundedDatetime
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.privacy import read_log_reading
from hrcore.privacy.read_log_schemas import ReadAccessEventOut, ReadLogEntryOut

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])


@router.get(
    "/me/read-log",
    operation_id="list_my_read_log",
    summary="Who read my sensitive or evaluation data, newest first",
)
async def list_my_read_log(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[ReadLogEntryOut]:
    """For any signed-in employee (PIPL Art. 44): every read of their sensitive or
    evaluation data by someone else — their manager, HR, an integration key — with who read
    it (`actor`: a user's display name or the key's name), what (`data_class`, `what`),
    when, through which operation and the purpose the reader gave (`X-Purpose`), and whether
    it was shown masked. Newest first, cursor-paginated. Reads are recorded by the worker in
    batches, so the newest may appear up to a minute later. Empty for an account without an
    employee."""
    return await read_log_reading.my_read_log(session, principal, page)


@router.get(
    "/read-access-events",
    operation_id="list_read_access_events",
    summary="Reads of people's sensitive or evaluation data (HR admin), newest first",
    responses={**FORBIDDEN, **problem(422, "The time window is empty")},
)
async def list_read_access_events(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    subject_employee_id: Annotated[
        uuid.UUID | None, Query(description="Only reads of this employee's data.")
    ] = None,
    actor_id: Annotated[
        uuid.UUID | None, Query(description="Only reads by this user or integration key.")
    ] = None,
    data_class: Annotated[DataClass | None, Query(description="Only this data class.")] = None,
    occurred_from: Annotated[
        BoundedDatetime | None, Query(description="Reads at or after this moment.")
    ] = None,
    occurred_to: Annotated[
        BoundedDatetime | None, Query(description="Reads before this moment.")
    ] = None,
) -> Page[ReadAccessEventOut]:
    """For HR admins (the DPO's view, PIPL Art. 54): who read whose sensitive or evaluation
    data, what, when, through which operation and for which stated purpose, with the reader
    and the person named and the request id; filter by `subject_employee_id`, `actor_id`,
    `data_class` and the window `occurred_from`..`occurred_to` (an empty window is 422).
    Anyone else, department heads included, gets 403. Newest first, cursor-paginated."""
    return await read_log_reading.read_access_events(
        session,
        principal,
        page,
        subject_employee_id=subject_employee_id,
        actor_id=actor_id,
        data_class=data_class,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
    )
