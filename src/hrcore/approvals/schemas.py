"""Request and response models of approval chains and running approvals."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from hrcore.core.i18n import Rendered
from hrcore.core.schemas import Ref

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
FactValue = str | float
RuleName = Literal["manager", "department_head", "hr_admins", "person", "group"]
SUBJECT_DEPARTMENT = "subject"
DEPARTMENT_FACT = "department_id"
"""The fact naming the department of a subject that is no person: its department rules'
anchor."""
Mode = Literal["any", "all"]
Status = Literal["pending", "approved", "rejected", "returned", "withdrawn"]
RunsIn = Literal["hrcore", "dingtalk"]
RUNS_IN = (
    "Where it is decided: `hrcore` (its chain's steps) or `dingtalk` (the organization "
    "approves the kind in DingTalk's approval app). One DingTalk never started runs in "
    "`hrcore`, on its chain, with `dingtalk.state` `failed`."
)


class ApproverRule(BaseModel):
    """Who approves a step: the subject's `manager` (`level` 1 direct, 2 the manager's
    manager…), the `department_head` of the subject's department, of `department_id` or of
    the departments `of` names, every HR admin (`hr_admins`), the named `person`
    (`employee_id`) or a named `group` of people (`group`, `employee_ids`)."""

    rule: RuleName
    level: int = Field(1, ge=1, le=10, description="For `manager`: how many levels up.")
    department_id: uuid.UUID | None = Field(
        None, description="For `department_head`: this department rather than the subject's."
    )
    of: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=lambda: [SUBJECT_DEPARTMENT],
        min_length=1,
        max_length=5,
        description="For `department_head`: whose departments' heads approve — `subject` "
        "(the subject's department) and/or department facts (`other_department_id`), each "
        "the nearest head at or above it.",
    )
    employee_id: uuid.UUID | None = Field(None, description="For `person`.")
    group: Name | None = Field(None, description="For `group`: the group's name.")
    employee_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=100, description="For `group`: its members."
    )


class ApprovalCondition(BaseModel):
    """The step applies only when the fact compares so (`grade` gte `M2`), or, with
    `involved` and no value, when a department fact names a department other than the
    subject's (another department is involved)."""

    fact: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    op: Literal["eq", "ne", "gt", "gte", "lt", "lte", "involved"]
    value: FactValue | None = None


class ApprovalStep(BaseModel):
    name: Name | None = None
    approver: ApproverRule
    mode: Mode = Field("any", description="`any`: one of them decides (或签); `all`: 会签.")
    condition: ApprovalCondition | None = None


class ApprovalChainIn(BaseModel):
    name: Name
    kind: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    description: Comment | None = None
    steps: list[ApprovalStep] = Field(min_length=1, max_length=20)


class ApprovalChainPatch(ApprovalChainIn):
    version: int | None = None


class ApprovalChainOut(BaseModel):
    id: uuid.UUID
    name: str
    kind: str
    description: str | None
    steps: list[ApprovalStep]
    revision: int
    version: int
    created_at: datetime
    updated_at: datetime


class ApprovalChainRevisionOut(BaseModel):
    template_id: uuid.UUID
    revision: int
    created_at: datetime
    name: str
    kind: str
    description: str | None
    steps: list[ApprovalStep]


class ApprovalPreviewIn(BaseModel):
    kind: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    subject_employee_id: uuid.UUID | None = Field(
        None,
        description="The employee it would be about; left out for a subject that is no person "
        "(a position), whose department the `department_id` fact names.",
    )
    requester_employee_id: uuid.UUID | None = Field(
        None, description="Who would submit it; the caller's own employee record if left out."
    )
    facts: dict[str, FactValue] = Field(default_factory=dict)


class ResolvedApprovalStep(BaseModel):
    """One step as the chain resolves it now: its approvers, or why it is skipped."""

    step: int
    round: int = Field(1, description="Which submission it belongs to (a resubmission: 2…).")
    name: str | None
    mode: Mode
    approvers: list[Ref] = Field(description="Employees: each gets a decision task.")
    approver_users: list[Ref] = Field(
        default_factory=list,
        description="Accounts without an employee record (HR admins): told in their inbox.",
    )
    skipped: bool
    reason: Rendered | None = None


class ApprovalPreviewOut(BaseModel):
    kind: str
    runs_in: RunsIn = Field(description=RUNS_IN)
    dingtalk_process_code: str | None = Field(
        None, description="In DingTalk: the process code whose form decides who approves."
    )
    chain_id: uuid.UUID | None = Field(
        description="None: the kind's default chain, or it runs in DingTalk."
    )
    chain_revision: int | None
    steps: list[ResolvedApprovalStep] = Field(description="Empty when it runs in DingTalk.")
    fallback: bool = Field(description="No step had an approver: HR admins approve instead.")
    note: Rendered | None = None


class ApprovalIn(BaseModel):
    kind: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    title: Name
    subject_employee_id: uuid.UUID
    subject_id: uuid.UUID | None = Field(
        None, description="The owning domain's object; the subject employee if left out."
    )
    facts: dict[str, FactValue] = Field(default_factory=dict)


class ApprovalDecisionIn(BaseModel):
    comment: Comment | None = None


class ApprovalCommentIn(BaseModel):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ApprovalResubmitIn(BaseModel):
    """A returned approval sent again: changed facts (only for a kind whose facts the
    requester states), a new title, a comment for the approvers."""

    facts: dict[str, FactValue] | None = Field(None, description="Left out: unchanged.")
    title: Name | None = None
    comment: Comment | None = None


class ApprovalDelegateIn(BaseModel):
    employee_id: uuid.UUID
    comment: Comment | None = None


class ApprovalAssignmentOut(BaseModel):
    """One approver's part in a step: pending, their decision, or handed on."""

    step: int
    round: int
    approver: Ref | None = Field(description="The approving employee; None for an account.")
    approver_user: Ref | None = Field(
        None, description="The approving account, for one without an employee record."
    )
    status: str
    comment: str | None
    task_id: uuid.UUID | None
    delegated_to: Ref | None
    decided_at: datetime | None


class ApprovalDingTalkOut(BaseModel):
    """The approval's process instance in DingTalk's approval app."""

    state: Literal["starting", "running", "closed", "failed"] = Field(
        description="`starting` until the worker has created it, `running` until its outcome "
        "is applied or it is withdrawn (`closed`), `failed` when DingTalk never accepted it "
        "(the approval then runs on its chain in hrcore: `runs_in` is `hrcore`)."
    )
    instance_id: str | None = Field(description="DingTalk's `processInstanceId`, once created.")
    process_code: str


class ApprovalOut(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    status: Status
    subject_id: uuid.UUID
    subject_employee: Ref | None = Field(
        description="The employee it is about; None for a subject that is no person (a "
        "position's description)."
    )
    requester: Ref | None = Field(
        description="The requesting employee; None when an account without one asked."
    )
    requester_user: Ref | None = Field(
        None, description="The requesting account, for one without an employee record."
    )
    facts: dict[str, Any]
    chain_id: uuid.UUID | None
    chain_revision: int | None
    current_step: int | None = Field(description="The step awaiting decisions; None when done.")
    round: int = Field(description="1, then one more each time it is resubmitted.")
    runs_in: RunsIn = Field(description=RUNS_IN)
    dingtalk: ApprovalDingTalkOut | None = Field(
        description="Its DingTalk instance, for one that runs in DingTalk; None otherwise."
    )
    fallback: bool
    note: Rendered | None
    steps: list[ResolvedApprovalStep] = Field(
        description="The kept chain's steps as resolved so far."
    )
    assignments: list[ApprovalAssignmentOut]
    created_at: datetime
    decided_at: datetime | None
