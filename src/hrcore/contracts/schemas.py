"""Request and response shapes of contracts, amendments and the amendment template."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hrcore.core.i18n import Rendered, _
from hrcore.core.masking import MaskedModel, PayAmount, PayReference
from hrcore.core.schemas import BoundedDate, Ref

ContractKind = Literal["fixed_term", "open_ended", "internship", "part_time", "project_based"]
ContractStatus = Literal["active", "terminated"]
AmendmentStatus = Literal["draft", "confirmed", "withdrawn"]
DocumentStatus = Literal["pending", "ready", "failed"]
Text200 = Annotated[str, Field(min_length=1, max_length=200)]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]

NEEDS_END = ("fixed_term", "internship", "project_based")


class ContractCreate(BaseModel):
    """A new contract. Fixed-term, internship and project contracts need an end date."""

    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    kind: ContractKind
    start_date: BoundedDate
    end_date: BoundedDate | None = None
    department_id: uuid.UUID | None = Field(
        default=None, description="Default: the employee's current department."
    )
    position_id: uuid.UUID | None = Field(
        default=None, description="Default: the employee's current position."
    )
    allowance: Money | None = None
    work_location: Text200
    pay_terms_ref: Text200 = Field(description="Reference of the pay terms (band, scheme).")

    @model_validator(mode="after")
    def _dates(self) -> ContractCreate:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError(_("end_date is before start_date"))
        if self.kind in NEEDS_END and self.end_date is None:
            raise ValueError(_("a {kind} contract needs an end_date", kind=self.kind))
        return self


CONTRACT_LINKS = ("employee", "department", "position")


class ContractOut(MaskedModel):
    """A contract, with the names a screen shows of its employee, department and position.
    Its pay (`allowance`, `pay_terms_ref`; `x-masked`) is clear for the employee, HR admins
    and keys with `sensitive:read` (docs/privacy.md)."""

    masking_subject = "employee_id"
    masking_object = "contract"

    id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref = Field(description="The employee's full name as `name`.")
    kind: ContractKind
    status: ContractStatus
    start_date: date
    end_date: date | None
    department_id: uuid.UUID
    department: Ref
    position_id: uuid.UUID | None
    position: Ref | None = Field(description="The position's title as `name`.")
    grade: str | None
    allowance: PayAmount
    work_location: str
    pay_terms_ref: PayReference
    renewed_from_id: uuid.UUID | None
    created_at: datetime
    version: int


class ContractExtend(BaseModel):
    """Move the end of a contract later (the expiry task's "extend" action)."""

    model_config = ConfigDict(extra="forbid")

    end_date: BoundedDate


class ContractRenew(BaseModel):
    """A follow-up contract from the day after this one ends, on the same terms."""

    model_config = ConfigDict(extra="forbid")

    kind: ContractKind
    end_date: BoundedDate | None = None
    work_location: Text200 | None = Field(default=None, description="Default: unchanged.")
    pay_terms_ref: Text200 | None = Field(default=None, description="Default: unchanged.")

    @model_validator(mode="after")
    def _end(self) -> ContractRenew:
        if self.kind in NEEDS_END and self.end_date is None:
            raise ValueError(_("a {kind} contract needs an end_date", kind=self.kind))
        return self


class AmendmentTermsIn(BaseModel):
    """The terms an amendment changes; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    effective_date: BoundedDate
    end_date: BoundedDate | None = Field(default=None, description="For a temporary post.")
    department_id: uuid.UUID | None = None
    position_id: uuid.UUID | None = None
    grade: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    allowance: Money | None = None
    pay_terms_ref: Text200 | None = Field(
        default=None, description="The new pay band (reference of the pay terms)."
    )
    post_title: Text200 | None = Field(default=None, description="A temporary post's title.")
    note: Annotated[str, Field(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _dates(self) -> AmendmentTermsIn:
        if self.end_date is not None and self.end_date < self.effective_date:
            raise ValueError(_("end_date is before effective_date"))
        return self


class Change(BaseModel):
    field: str
    label: str
    before: str | None
    after: str | None


class DocumentOut(BaseModel):
    status: DocumentStatus
    error: str | None = Field(description="Why the generation failed (status failed).")
    sha256: str | None
    size: int | None
    generated_at: datetime | None


class DocumentPending(BaseModel):
    """The 202 body while a version's PDF is being generated."""

    status: Literal["pending"] = "pending"
    version: int


class AmendmentVersionOut(BaseModel):
    number: int
    effective_date: date
    end_date: date | None
    changes: list[Change]
    note: str | None
    created_at: datetime
    document: DocumentOut


class ConfirmationOut(BaseModel):
    confirmed_at: datetime
    confirmed_by: uuid.UUID
    version: int
    document_sha256: str


class AmendmentOut(BaseModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref = Field(description="The employee's full name as `name`.")
    source: Literal["event", "manual", "early_end"] = Field(
        description="`event`: drafted from an employment event; `manual`: by HR; "
        "`early_end`: restates a confirmed amendment's temporary post with its earlier end."
    )
    event_id: uuid.UUID | None
    status: AmendmentStatus
    status_label: Rendered = Field(
        description="The status as people read it: awaiting the employee's confirmation, "
        "confirmed and taking effect on a later date, in effect, or withdrawn."
    )
    applied_at: datetime | None = Field(
        description="When the confirmed terms reached the contract; null until confirmed "
        "and its effective date has come."
    )
    current: AmendmentVersionOut = Field(description="The version the employee may confirm.")
    confirmation: ConfirmationOut | None
    confirm_task_id: uuid.UUID | None
    withdrawn_at: datetime | None = Field(
        description="When its temporary post was withdrawn before it began: a draft is "
        "withdrawn with it; a confirmed amendment stays as signed and is not applied."
    )
    withdrawal_reason: str | None = Field(description="Why the temporary post was withdrawn.")
    withdrawal_task_id: uuid.UUID | None = Field(
        description="HR's task to settle a confirmed amendment whose post was withdrawn."
    )
    created_at: datetime
    version: int = Field(description="Row version (ETag), not the amendment version.")


class AmendmentConfirm(BaseModel):
    """What the employee confirms: the version and the hash of the document they read."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    document_sha256: Sha256


class AmendmentTemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(
        description="Jinja2 text. Variables: organization, employee, contract, amendment, "
        "changes. Lines starting with '# ' are headings."
    )
    version: int | None = Field(default=None, description="The version you read.")


class AmendmentTemplateOut(BaseModel):
    body: str
    version: int = Field(description="0 while the organization uses the built-in template.")


class ProgramConflictOut(BaseModel):
    """A development program of the employee that runs past their contracts."""

    run: Ref = Field(description="The program run.")
    participant_id: uuid.UUID
    program_ends_on: date = Field(description="The end of the participant's last stage window.")


class ExpiringContractOut(BaseModel):
    contract: ContractOut
    days_left: int
    alert_task_id: uuid.UUID | None = Field(description="HR's renew-or-extend task, once raised.")
    program_conflicts: list[ProgramConflictOut] = Field(
        description="Open program participations of the employee ending after the last day "
        "their active contracts cover (a renewal counts)."
    )
