"""Minimum necessary per role (PIPL Art. 6): one mechanism that masks personal fields in
every response, whatever the route.

A response schema marks a field with its data class and how it is masked,
`Annotated[str | None, Masked(DataClass.SENSITIVE, "id_number")]`, and derives from
`MaskedModel`, naming the field that holds the subject employee's id (`masking_subject`,
`"id"` by default). When the response model is validated (once per response: rows go
straight into it, docs/architecture.md "How a read stays fast"), each marked field whose
class the caller may not see about that subject is replaced by its mask (`110***********1234`,
`138****5678`, `z***@example.com`). Who may see what is decided once per request from the
caller (`viewer_for`, set by identity's `CurrentPrincipal` dependency through `set_viewer`)
and per row only by whether the subject is the caller themself:

- the person themself: everything about themself;
- an HR admin: basic, evaluation and contact data; sensitive data too when they also hold
  the `sensitive_reader` role and state a purpose (`X-Purpose` header, recorded); pay
  (`Masked(..., hr_clear=True)`: allowances, pay bands, incentive amounts) clear, payroll
  being their duty;
- an integration key: basic and evaluation; contact and sensitive data with the
  `sensitive:read` scope;
- anyone else (a manager, a department head): basic and evaluation data of their reach,
  contact and sensitive masked (pay too: an amount becomes `null`, a pay reference `***`).

Without a viewer (the worker, a command) every marked field is masked: code that renders
personal data outside a request says for whom with `viewing(viewer)`.

The read-access log learns what was disclosed through `recording()`: a set that masking
fills, for the rest of the context, with one `Disclosure` per marked field of a response
model (masked or revealed, per subject), read once the response is built.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self
from urllib.parse import unquote

from pydantic import (
    BaseModel,
    Field,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from hrcore.core.authz import Principal, Role, Scope
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.privacy import DataClass

PURPOSE_MAX_LENGTH = 200
EVERYTHING = frozenset(DataClass)
ANYONE = frozenset({DataClass.BASIC, DataClass.EVALUATION})


def mask_id_number(value: str) -> str:
    """The first three and the last four characters: `110***********1234`."""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_phone(value: str) -> str:
    """The first three and the last four digits: `138****5678`."""
    return mask_id_number(value)


def mask_email(value: str) -> str:
    """The first character of the mailbox and the domain: `z***@example.com`."""
    local, at, domain = value.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


def mask_amount(value: object) -> None:
    """A number cannot be partly masked (a digit kept tells the order of magnitude): an
    amount is withheld whole: `null`, as the field reads when there is none."""


def mask_text(value: str) -> str:
    """A reference such as a pay band (`BAND-P5`) is withheld whole: `***`."""
    return "***"


MASKS: dict[str, Callable[[Any], Any]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "email": mask_email,
    "amount": mask_amount,
    "text": mask_text,
}
"""How a field is masked, by the name a `Masked` marker gives. Every mask is idempotent
(masking a masked value changes nothing), so a value read back and re-serialized stays
masked the same way."""


@dataclass(frozen=True, slots=True)
class Masked:
    """The marker of a personal field a response may mask: its class and how (`MASKS`).

    `hr_clear`: HR admins see the field clear without `sensitive_reader` and a purpose —
    pay, which is sensitive but which HR handles as its daily duty (payroll); everyone else
    as its class says."""

    data_class: DataClass
    how: str
    hr_clear: bool = False

    def __post_init__(self) -> None:
        if self.how not in MASKS:
            raise ValueError(f"unknown mask {self.how!r}: one of {sorted(MASKS)}")

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """`x-data-class` and `x-masked` in the field's schema: the document says which
        fields may come masked."""
        schema = handler(core_schema)
        schema["x-data-class"] = self.data_class.value
        schema["x-masked"] = True
        if self.hr_clear:
            schema["x-hr-clear"] = True
        return schema


PAY_DESCRIPTION = (
    "Pay (sensitive): clear for the person, HR admins (payroll is their duty, no purpose "
    "needed) and integration keys with `sensitive:read`; masked for everyone else "
    "(core.masking)."
)
PayAmount = Annotated[
    Decimal | None,
    Masked(DataClass.SENSITIVE, "amount", hr_clear=True),
    Field(description=PAY_DESCRIPTION + " Masked, an amount is `null`."),
]
"""An amount of pay (an allowance, a bonus coefficient or percent)."""
PayReference = Annotated[
    str,
    Masked(DataClass.SENSITIVE, "text", hr_clear=True),
    Field(description=PAY_DESCRIPTION + " Masked, it reads `***`."),
]
"""A reference to pay terms (a pay band)."""
OptionalPayReference = Annotated[
    str | None,
    Masked(DataClass.SENSITIVE, "text", hr_clear=True),
    Field(description=PAY_DESCRIPTION + " Masked, it reads `***`."),
]
"""A reference to pay terms that may be absent."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who reads, as masking needs it: decided once per request."""

    principal_id: uuid.UUID
    org_id: uuid.UUID
    kind: str
    employee_id: uuid.UUID | None
    reveals: frozenset[DataClass]
    """The classes this caller may see about someone else."""
    purpose: str | None
    hr_admin: bool = False
    """An HR admin (a user, not a key): sees the `hr_clear` fields (pay) clear."""


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One marked field of one subject written into a response: shown or masked."""

    subject_id: uuid.UUID
    field: str
    data_class: DataClass
    revealed: bool
    what: str = "employee"
    """The kind of object the field belongs to (`MaskedModel.masking_object`)."""


_viewer: ContextVar[Viewer | None] = ContextVar("hrcore_masking_viewer", default=None)
_disclosures: ContextVar[set[Disclosure] | None] = ContextVar(
    "hrcore_masking_disclosures", default=None
)


def purpose_from(header: str | None) -> str | None:
    """The purpose a caller states (`X-Purpose`, percent-encoded UTF-8 for non-ASCII text);
    None when absent or blank, 422 when longer than `PURPOSE_MAX_LENGTH`."""
    if header is None:
        return None
    purpose = unquote(header).strip()
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise Unprocessable(
            errors=[
                FieldError(
                    field="header.X-Purpose",
                    message=_(
                        "the purpose is at most {PURPOSE_MAX_LENGTH} characters",
                        PURPOSE_MAX_LENGTH=PURPOSE_MAX_LENGTH,
                    ),
                )
            ]
        )
    return purpose or None


def viewer_for(principal: Principal, purpose: str | None) -> Viewer:
    """What this caller may see about someone else (see the module's rules)."""
    reveals = ANYONE
    if principal.kind == "api_key":
        if Scope.SENSITIVE_READ in principal.scopes:
            reveals = EVERYTHING
    elif principal.is_hr_admin:
        sensitive = Role.SENSITIVE_READER in principal.roles and purpose is not None
        reveals = EVERYTHING if sensitive else ANYONE | {DataClass.CONTACT}
    return Viewer(
        principal_id=principal.id,
        org_id=principal.org_id,
        kind=principal.kind,
        employee_id=principal.employee_id,
        reveals=reveals,
        purpose=purpose,
        hr_admin=principal.kind != "api_key" and principal.is_hr_admin,
    )


def set_viewer(principal: Principal, purpose_header: str | None) -> Viewer:
    """Decide for the rest of this request (its context) what the caller may see."""
    viewer = viewer_for(principal, purpose_from(purpose_header))
    _viewer.set(viewer)
    return viewer


def current_viewer() -> Viewer | None:
    """The viewer of this request (None outside one): who read, and with what purpose."""
    return _viewer.get()


@contextmanager
def viewing(viewer: Viewer | None) -> Iterator[None]:
    """Build responses for `viewer` inside the block (an export rendered in the worker)."""
    token = _viewer.set(viewer)
    try:
        yield
    finally:
        _viewer.reset(token)


def recording() -> set[Disclosure]:
    """Start collecting what responses disclose in this context; the returned set fills as
    masked models are built (the read-access log's hook)."""
    found: set[Disclosure] = set()
    _disclosures.set(found)
    return found


def _reveals(viewer: Viewer | None, subject: uuid.UUID) -> tuple[frozenset[DataClass], bool]:
    """The classes `viewer` sees about `subject`, and whether the `hr_clear` fields too."""
    if viewer is None:
        return frozenset(), False
    if viewer.employee_id is not None and viewer.employee_id == subject:
        return EVERYTHING, False
    return viewer.reveals, viewer.hr_admin


def shows(marker: Masked, subject: uuid.UUID) -> bool:
    """Whether this request's viewer sees a field marked `marker` about `subject` clear: the
    rule of `MaskedModel` for what is rendered without a response model (a file export)."""
    reveals, hr_clear = _reveals(_viewer.get(), subject)
    return marker.data_class in reveals or (hr_clear and marker.hr_clear)


class MaskedModel(BaseModel):
    """A response model with `Masked` fields, masked per viewer as it is validated."""

    masking_subject: ClassVar[str] = "id"
    """The field holding the id of the employee the marked fields describe."""
    masking_object: ClassVar[str] = "employee"
    """What the object is, as the read-access log names it (`employment_event.allowance`)."""
    masked_fields: ClassVar[dict[str, Masked]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.masked_fields = {
            name: marker
            for name, field in cls.model_fields.items()
            for marker in field.metadata
            if isinstance(marker, Masked)
        }

    @model_validator(mode="after")
    def _mask(self) -> Self:
        """Mask, as the model is validated (once per response), what the viewer may not see
        about this subject: one call per object, the serialization stays pydantic's own."""
        fields = self.masked_fields
        if not fields:
            return self
        viewer = _viewer.get()
        seen = _disclosures.get()
        if viewer is not None and viewer.reveals is EVERYTHING and seen is None:
            return self
        values = self.__dict__
        subject = values[self.masking_subject]
        reveals, hr_clear = _reveals(viewer, subject)
        for name, marker in fields.items():
            value = values[name]
            if value is None:
                continue
            revealed = marker.data_class in reveals
            if not revealed and hr_clear and marker.hr_clear:
                continue  # HR's payroll duty: clear, and no disclosure for the read log
            if not revealed:
                values[name] = MASKS[marker.how](value)
            if seen is not None:
                seen.add(
                    Disclosure(subject, name, marker.data_class, revealed, self.masking_object)
                )
        return self
