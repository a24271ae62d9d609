"""What org asks of the approval engine for its position descriptions 「协同文档」.

Approvals sit above org in the domain graph, so org cannot submit or decide an approval
itself: it declares what it needs here (`DescriptionApprovals`, a `core.registry` hook) and
approvals' registry provides it, with the approval kind `org.position_description` whose act
applies the draft (`descriptions.apply_approved`, through `org.api`).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock


@dataclass(frozen=True)
class DraftFacts:
    """A new draft, as its approval needs it."""

    draft_id: uuid.UUID
    position_id: uuid.UUID
    position_title: str
    department_id: uuid.UUID
    author_side: str


@dataclass(frozen=True)
class DraftApproval:
    """A draft's newest approval: `on_default_chain` when the organization wrote no chain for
    the kind (today's two-sides rule decides), and whether its current step awaits the
    caller."""

    id: uuid.UUID
    status: str
    on_default_chain: bool
    awaits_caller: bool


Submit = Callable[[AsyncSession, Principal, DraftFacts, Clock], Awaitable[None]]
Current = Callable[[AsyncSession, Principal, uuid.UUID], Awaitable[DraftApproval | None]]
Decide = Callable[[AsyncSession, Principal, uuid.UUID, Clock, bool], Awaitable[None]]
Withdraw = Callable[
    [AsyncSession, uuid.UUID, Sequence[uuid.UUID], Clock, Principal | None], Awaitable[None]
]


@dataclass(frozen=True)
class DescriptionApprovals:
    """Approvals' declaration: `submit` a new draft's approval (none when nobody is on the
    other side), the draft's `current` approval, `decide` its current step as the caller
    (`authority`: in their name, on the default chain) and `withdraw` the approvals of
    drafts superseded by another's approval."""

    submit: Submit
    current: Current
    decide: Decide
    withdraw: Withdraw

    def install(self) -> None:
        _PROVIDED[:] = [self]


_PROVIDED: list[DescriptionApprovals] = []


def provided() -> DescriptionApprovals:
    if not _PROVIDED:
        raise RuntimeError("No description approvals: install hrcore.domains.DOMAINS")
    return _PROVIDED[0]
