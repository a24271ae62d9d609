"""Approval kinds: what each owning domain declares about the things it has approved.

Approvals sit below the domains whose objects need approving (talent, programs, contracts),
so they cannot name those kinds: each domain declares its own (`ApprovalKindSpec` in its
registry's `task_hooks`), installed when a process is built. A kind names the facts a chain's
conditions may read, the chain it runs when the organization has none of its own (today's
behaviour), and the act that runs, in the transaction of the last decision, when approved.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock

FactType = Literal["number", "text", "grade", "department"]
DECISION_DAYS = 3
"""An approver's time to decide unless the kind says otherwise."""


@dataclass(frozen=True)
class Fact:
    """A fact a rule may test: `grade` compares like grades do (M2 ≥ M1, not M10 < M2); a
    `department` is a department's id (another department involved, whose head may
    approve)."""

    name: str
    type: FactType = "text"


@dataclass(frozen=True)
class ApprovedSubject:
    """What the owning domain's act reads of a completed approval."""

    approval_id: uuid.UUID
    org_id: uuid.UUID
    kind: str
    subject_id: uuid.UUID
    subject_employee_id: uuid.UUID | None
    """None for a subject that is no person (a position)."""
    requester_employee_id: uuid.UUID | None
    facts: Mapping[str, Any]
    actor: Principal | None = None
    """Who made the deciding move (None: the system, or DingTalk)."""
    comment: str | None = None
    """The deciding move's comment: the approver's reason, or DingTalk's remark."""
    requester_user_id: uuid.UUID | None = None
    """The requesting account, for one without an employee record."""


OnApproved = Callable[[AsyncSession, ApprovedSubject, Clock], Awaitable[None]]
OnEnded = Callable[[AsyncSession, ApprovedSubject, str, Clock], Awaitable[None]]
"""Given the subject and how the approval ended without approval (`rejected`, `withdrawn`)."""


@dataclass(frozen=True)
class ApprovalKindSpec:
    """A domain's declaration of one approval kind. `default_steps` are chain steps as
    `POST /approval-chains` takes them (None: HR admins, any one of them)."""

    kind: str
    on_approved: OnApproved
    facts: tuple[Fact, ...] = ()
    default_steps: tuple[Mapping[str, Any], ...] | None = None
    on_ended: OnEnded | None = None
    """The domain's act when a rejection or a withdrawal ends the approval, run in that
    transaction (a returned one may still be resubmitted: nothing has ended)."""
    confidential: bool = False
    """Decision tasks that would say who rates whom (a peer nomination) are confidential:
    seen by the approver and HR auditors, escalated without their title, never sent to
    webhooks."""
    requested_over_http: bool = False
    """Whether `POST /approvals` may start one: only for a kind whose facts the requester may
    state (the facts decide the chain's conditions). A domain that computes them starts its
    approvals through `api.submit`."""
    decision_days: int = DECISION_DAYS
    """How many days each approver has to decide (the decision task's due date), counted as
    the organization counts its tasks' days: working days when its default task policy
    does (workflow's `due_after`)."""
    fact_types: dict[str, FactType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fact_types", {fact.name: fact.type for fact in self.facts})

    def install(self) -> None:
        _KINDS[self.kind] = self


_KINDS: dict[str, ApprovalKindSpec] = {}
HR_ONLY: tuple[Mapping[str, Any], ...] = ({"approver": {"rule": "hr_admins"}, "mode": "any"},)


def declared() -> list[str]:
    return sorted(_KINDS)


def spec_of(kind: str) -> ApprovalKindSpec | None:
    return _KINDS.get(kind)


_GRADE = re.compile(r"^\s*([A-Za-z]*)\s*(\d+)\s*$")


def _grade(value: Any) -> tuple[str, int] | None:
    found = _GRADE.match(str(value))
    return (found.group(1).upper(), int(found.group(2))) if found else None


def holds(fact_type: FactType, actual: Any, op: str, expected: Any) -> bool:
    """Whether `actual op expected`; a missing fact or grades of different ladders never
    hold, so a condition on something unknown does not add a step."""
    if actual is None:
        return False
    left: Any
    right: Any
    if fact_type == "grade":
        left, right = _grade(actual), _grade(expected)
        if left is None or right is None or left[0] != right[0]:
            return False
    elif fact_type == "number":
        try:
            left, right = float(actual), float(expected)
        except (TypeError, ValueError):
            return False
    else:
        left, right = str(actual), str(expected)
    result: bool = {
        "eq": left == right,
        "ne": left != right,
        "gt": left > right,
        "gte": left >= right,
        "lt": left < right,
        "lte": left <= right,
    }[op]
    return result


@contextmanager
def declared_for_test(spec: ApprovalKindSpec) -> Iterator[ApprovalKindSpec]:
    """Declare `spec` while the block runs, then put back whatever its kind was: tests
    declare a kind no domain has (or change a domain's) without it leaking into others."""
    before = _KINDS.get(spec.kind)
    _KINDS[spec.kind] = spec
    try:
        yield spec
    finally:
        if before is None:
            _KINDS.pop(spec.kind, None)
        else:
            _KINDS[spec.kind] = before
