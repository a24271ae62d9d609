"""Request and response models of employees, their history, ratings and growth profile (the
panoramic profile's are in `profile_schemas`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

from hrcore.core.i18n import _
from hrcore.core.masking import (
    PAY_DESCRIPTION,
    Masked,
    MaskedModel,
    OptionalPayReference,
    PayAmount,
)
from hrcore.core.privacy import DataClass
from hrcore.core.schemas import BoundedDate, Ref
from hrcore.people.exit_reasons import ExitReason

EmployeeStatus = Literal["active", "on_leave", "exited"]
EventKind = Literal["hire", "transfer", "promotion", "temporary_post", "exit"]
EmployeeSort = Literal["full_name", "employee_number", "hire_date"]
PERIOD_PATTERN = r"^(19|20)\d{2}(-(H[12]|Q[1-4]))?$"

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=2000)]


# --- employees ----------------------------------------------------------------------------

ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK = "10X98765432"
"""GB 11643: the 18th character of a resident ID number is `ID_NUMBER_CHECK` at the weighted
sum of the first 17 digits modulo 11."""


def id_number_check_digit(first_17: str) -> str:
    """The check character a resident ID number's 17 digits call for (GB 11643)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_17, ID_NUMBER_WEIGHTS, strict=True)
    )
    return ID_NUMBER_CHECK[total % 11]


def _checked_id_number(value: str) -> str:
    number = value.strip().upper()
    if not (len(number) == 18 and number[:17].isdigit() and number[17] in ID_NUMBER_CHECK):
        raise ValueError(_("a resident ID number is 17 digits and a check digit (0-9 or X)"))
    if id_number_check_digit(number[:17]) != number[17]:
        raise ValueError(_("this resident ID number's check digit is wrong"))
    return number


IdNumber = Annotated[
    str,
    AfterValidator(_checked_id_number),
    Field(description="The resident ID number 「身份证号」: 18 characters, checksum of GB 11643."),
]
Phone = Annotated[str, Field(min_length=3, max_length=32)]

ContactEmail = Annotated[
    str | None,
    Masked(DataClass.CONTACT, "email"),
    Field(
        description="Work e-mail. Contact data: masked (`z***@example.com`) for whoever may "
        "not see it (core.masking)."
    ),
]
ContactPhone = Annotated[
    str | None,
    Masked(DataClass.CONTACT, "phone"),
    Field(
        description="Work phone. Contact data: masked (`138****5678`) for whoever may not "
        "see it (core.masking)."
    ),
]
PersonalPhone = Annotated[
    str | None,
    Masked(DataClass.CONTACT, "phone"),
    Field(
        description="Personal phone. Contact data: masked (`138****5678`) for whoever may "
        "not see it (core.masking)."
    ),
]
SensitiveIdNumber = Annotated[
    str | None,
    Masked(DataClass.SENSITIVE, "id_number"),
    Field(
        description="Resident ID number 「身份证号」. Sensitive: masked (`110***********1234`) "
        "except for the person, an HR admin holding `sensitive_reader` who sends `X-Purpose`, and "
        "an integration key with `sensitive:read` (core.masking)."
    ),
]


class EmployeeCreate(BaseModel):
    employee_number: str = Field(min_length=1, max_length=32, pattern=r"^\S+$")
    full_name: ShortText
    email: EmailStr | None = None
    phone: Phone | None = None
    personal_phone: Phone | None = None
    id_number: IdNumber | None = None
    department_id: uuid.UUID
    position_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    hire_date: BoundedDate
    status: EmployeeStatus = "active"
    dingtalk_user_id: str | None = Field(
        default=None, min_length=1, max_length=64, description="The employee's DingTalk user id."
    )


REQUIRED_ON_PATCH = ("employee_number", "full_name", "department_id", "hire_date", "status")


class EmployeePatch(BaseModel):
    """Only the fields sent change; `null` clears the optional ones (email, phone, links)."""

    employee_number: str | None = Field(default=None, min_length=1, max_length=32, pattern=r"^\S+$")
    full_name: ShortText | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    personal_phone: Phone | None = None
    id_number: IdNumber | None = None
    department_id: uuid.UUID | None = None
    position_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    hire_date: BoundedDate | None = None
    status: EmployeeStatus | None = None
    dingtalk_user_id: str | None = Field(default=None, min_length=1, max_length=64)
    version: int | None = Field(default=None, description="The version you read (or If-Match).")

    @model_validator(mode="after")
    def _required_stay_set(self) -> EmployeePatch:
        cleared = [name for name in REQUIRED_ON_PATCH if name in self.model_fields_set]
        if any(getattr(self, name) is None for name in cleared):
            raise ValueError(
                _(
                    "these fields cannot be null: {REQUIRED_ON_PATCH}",
                    REQUIRED_ON_PATCH=", ".join(REQUIRED_ON_PATCH),
                )
            )
        return self


class EmployeeOut(MaskedModel):
    """An employee, with the names a screen shows of its department, position and manager
    (`department`, `position`, `manager` link the `*_id` fields). Contact and sensitive
    fields (`x-masked`) are masked for whoever may not see them (docs/privacy.md)."""

    id: uuid.UUID
    employee_number: str
    full_name: str
    email: ContactEmail
    phone: ContactPhone
    personal_phone: PersonalPhone
    id_number: SensitiveIdNumber
    department_id: uuid.UUID
    position_id: uuid.UUID | None
    manager_id: uuid.UUID | None
    department: Ref
    position: Ref | None = Field(description="The position's title as `name`.")
    manager: Ref | None = Field(
        description="The direct manager's full name as `name`, whoever may see it."
    )
    hire_date: date
    status: EmployeeStatus
    dingtalk_user_id: str | None
    created_at: datetime
    version: int


class EmployeeDetail(EmployeeOut):
    """One employee, with the moves recorded for later dates."""

    pending_changes: list[PendingChange] = Field(
        description="Moves recorded with a future effective date, in the order they take "
        "effect: the post, department and manager above stay until then."
    )


# --- employment events --------------------------------------------------------------------


class EmploymentEventCreate(BaseModel):
    """A movement in the employee's career.

    `transfer` needs `department_id`, `promotion` needs `position_id`; both update the
    employee's current post. `temporary_post` needs `title` and `end_date` and leaves the
    current post unchanged. `exit` sets the status to exited; `hire` re-hires an exited
    employee.
    """

    kind: EventKind
    effective_date: BoundedDate
    end_date: BoundedDate | None = None
    department_id: uuid.UUID | None = None
    position_id: uuid.UUID | None = None
    title: ShortText | None = None
    leads_team: bool = False
    allowance: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    note: LongText | None = None
    manager_id: uuid.UUID | None = Field(
        default=None,
        description="The direct manager at the new post, from the effective date (the "
        "manager chain follows); default: unchanged.",
    )
    pay_terms_ref: ShortText | None = Field(
        default=None,
        description="The pay band of the new post: the contract amendment drafted from the "
        "move carries it.",
    )
    exit_reason: ExitReason | None = Field(
        default=None,
        description="Why the employee leaves (an `exit` only): turnover is counted by it "
        "(`/analytics/retention`). Optional, as the directory sync records exits without "
        "one; such exits count as not recorded.",
    )
    exit_reason_note: LongText | None = Field(
        default=None, description="What the category leaves unsaid (needs `exit_reason`)."
    )

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> EmploymentEventCreate:
        missing = {
            "transfer": ["department_id"] if self.department_id is None else [],
            "promotion": ["position_id"] if self.position_id is None else [],
            "temporary_post": [
                name for name in ("title", "end_date") if getattr(self, name) is None
            ],
        }.get(self.kind, [])
        if missing:
            raise ValueError(
                _("a {kind} event needs {missing}", kind=self.kind, missing=" and ".join(missing))
            )
        if self.kind != "temporary_post" and (self.end_date or self.allowance is not None):
            raise ValueError(_("end_date and allowance belong to temporary posts only"))
        if self.kind == "exit" and (self.department_id or self.position_id or self.manager_id):
            raise ValueError(_("an exit event carries no department, position or manager"))
        if self.kind != "exit" and self.exit_reason is not None:
            raise ValueError(_("exit_reason belongs to exits only"))
        if self.exit_reason_note is not None and self.exit_reason is None:
            raise ValueError(_("exit_reason_note needs an exit_reason"))
        if self.end_date is not None and self.end_date < self.effective_date:
            raise ValueError(_("end_date must not be before effective_date"))
        return self


class EmploymentEventOut(MaskedModel):
    """A career move, with what it moves to named (`{id, name}` beside each id). Its pay
    (`allowance`, `pay_terms_ref`; `x-masked`) is clear for the person, HR admins and keys
    with `sensitive:read`, masked for their managers (docs/privacy.md)."""

    masking_subject = "employee_id"
    masking_object = "employment_event"

    id: uuid.UUID
    employee_id: uuid.UUID
    kind: EventKind
    effective_date: date
    end_date: date | None
    department_id: uuid.UUID | None
    department: Ref | None = Field(description="The department of the move, named.")
    position_id: uuid.UUID | None
    position: Ref | None = Field(description="The position of the move, named.")
    title: str | None
    leads_team: bool
    allowance: PayAmount
    note: str | None
    manager_id: uuid.UUID | None = Field(description="The manager at the new post.")
    manager: Ref | None = Field(description="The manager at the new post, named.")
    pay_terms_ref: OptionalPayReference = Field(
        description="The pay band of the new post. " + PAY_DESCRIPTION
    )
    applied_at: datetime | None = Field(
        description="When the move reached the employee's record; null while pending (its "
        "effective date is ahead in the organization's time zone)."
    )
    withdrawn_at: datetime | None = Field(
        description="When a temporary post was withdrawn before it began (it never applies)."
    )
    withdrawal_reason: str | None = Field(description="Why it was withdrawn.")
    exit_reason: ExitReason | None = Field(
        description="Why the employee left (exits only); null: not recorded."
    )
    exit_reason_label: str | None = Field(description="`exit_reason` in the reader's language.")
    exit_reason_note: str | None
    created_at: datetime


class TemporaryPostWithdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="Why the post is called off, kept on the event.")


class PendingChange(BaseModel):
    """A move recorded with a future effective date: until then the record shows the
    current post and manager."""

    event_id: uuid.UUID
    kind: EventKind
    effective_date: date
    department: Ref | None
    position: Ref | None
    manager: Ref | None


# --- performance ratings ------------------------------------------------------------------


class PerformanceRatingCreate(BaseModel):
    """Exactly one of `letter` and `score`."""

    period: str = Field(
        pattern=PERIOD_PATTERN, description="A year (`2025`), half (`2025-H1`) or quarter."
    )
    letter: Literal["A", "B", "C", "D"] | None = None
    score: Decimal | None = Field(default=None, ge=1, le=5, max_digits=3, decimal_places=2)
    comment: LongText | None = None

    @model_validator(mode="after")
    def _one_value(self) -> PerformanceRatingCreate:
        if (self.letter is None) == (self.score is None):
            raise ValueError(_("give exactly one of letter and score"))
        return self


class EmployeeImport(BaseModel):
    """One row of a bulk import: the employee (department and position already resolved), its
    manager by employee number (in the file or already in the organization), its ratings."""

    row: int = Field(ge=1, description="Row number in the file, for error reports.")
    employee: EmployeeCreate
    manager_number: str | None = None
    ratings: list[PerformanceRatingCreate] = Field(default_factory=list)


class PerformanceRatingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    employee_id: uuid.UUID
    period: str
    letter: Literal["A", "B", "C", "D"] | None
    score: Decimal | None
    comment: str | None
    rated_by: uuid.UUID | None
    rated_by_user: Ref | None = Field(
        description="`rated_by`'s link: the rating user's display name."
    )
    created_at: datetime


# --- growth profile -----------------------------------------------------------------------


class Skill(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    level: int = Field(ge=1, le=5)
    evidence: LongText | None = None


class Certification(BaseModel):
    name: ShortText
    issuer: ShortText | None = None
    obtained_on: BoundedDate | None = None
    expires_on: BoundedDate | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Certification:
        if self.obtained_on and self.expires_on and self.expires_on < self.obtained_on:
            raise ValueError(_("expires_on must not be before obtained_on"))
        return self


class ExternalTraining(BaseModel):
    title: ShortText
    provider: ShortText | None = None
    completed_on: BoundedDate | None = None
    hours: float | None = Field(default=None, ge=0, le=10_000)


class CareerPlan(BaseModel):
    aspiration: Literal["management", "specialist"]
    target_position_id: uuid.UUID | None = None
    horizon_years: int = Field(ge=1, le=10)
    note: LongText | None = None


class GrowthProfileIn(BaseModel):
    """The whole profile: a PUT replaces every section."""

    skills: list[Skill] = Field(default_factory=list, max_length=100)
    certifications: list[Certification] = Field(default_factory=list, max_length=50)
    external_trainings: list[ExternalTraining] = Field(default_factory=list, max_length=200)
    career_plan: CareerPlan | None = None
    version: int | None = Field(default=None, description="The version you read (or If-Match).")

    @model_validator(mode="after")
    def _skills_unique(self) -> GrowthProfileIn:
        names = [skill.name.casefold() for skill in self.skills]
        if len(names) != len(set(names)):
            raise ValueError(_("each skill may appear once"))
        return self


class GrowthProfileOut(BaseModel):
    employee_id: uuid.UUID
    skills: list[Skill]
    certifications: list[Certification]
    external_trainings: list[ExternalTraining]
    career_plan: CareerPlan | None
    submitted_at: datetime | None = Field(description="Null until the first submission.")
    version: int = Field(description="0 until the first submission.")


# --- panoramic profile --------------------------------------------------------------------
