"""An approval kind as a domain declares one, with an act the tests can observe: it records
each approved subject and refuses (422) the subjects in `REFUSE`, so a test sees the act
run once, and run in the last decision's transaction; `ENDED` records each rejection or
withdrawal the kind's `on_ended` is told of. The kind is declared for each test only
(`kinds.declared_for_test`), so no other test runs with a kind no domain declares."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import kinds
from hrcore.approvals.api import ApprovalKindSpec, ApprovedSubject, Fact
from hrcore.core.clock import Clock
from hrcore.core.errors import Unprocessable
from hrcore.core.i18n import _

KIND = "test.promotion"
ACTED: list[ApprovedSubject] = []
ENDED: list[tuple[uuid.UUID, str]] = []
REFUSE: set[uuid.UUID] = set()


async def promote(session: AsyncSession, approved: ApprovedSubject, clock: Clock) -> None:
    if approved.subject_id in REFUSE:
        raise Unprocessable(_("Unknown fact"))
    ACTED.append(approved)


async def end(session: AsyncSession, subject: ApprovedSubject, status: str, clock: Clock) -> None:
    ENDED.append((subject.approval_id, status))


SPEC = ApprovalKindSpec(
    KIND,
    promote,
    facts=(
        Fact("grade", "grade"),
        Fact("amount", "number"),
        Fact("other_department_id", "department"),
    ),
    requested_over_http=True,
    on_ended=end,
)


@pytest.fixture(autouse=True)
def promotion_kind() -> Iterator[None]:
    ACTED.clear()
    ENDED.clear()
    REFUSE.clear()
    with kinds.declared_for_test(SPEC):
        yield
    ACTED.clear()
    ENDED.clear()
    REFUSE.clear()
