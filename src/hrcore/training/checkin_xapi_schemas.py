"""The xAPI 1.0.3 statement shape training reads (https://github.com/adlnet/xAPI-Spec): the
actor, the verb, the course object and the result; other members an LMS sends (context,
authority, stored, …) are ignored."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hrcore.core.i18n import Rendered, _

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PROGRESSED = "http://adlnet.gov/expapi/verbs/progressed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
XapiVerbId = Literal[
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/progressed",
    "http://adlnet.gov/expapi/verbs/passed",
]
MAX_STATEMENTS = 500


class _XapiPart(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class XapiAccount(_XapiPart):
    home_page: str | None = Field(default=None, alias="homePage", max_length=2000)
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] = (
        Field(description="The employee number.")
    )


class XapiActor(_XapiPart):
    object_type: Literal["Agent"] | None = Field(default=None, alias="objectType")
    name: str | None = Field(default=None, max_length=200)
    mbox: str | None = Field(default=None, pattern=r"^mailto:[^@\s]+@[^@\s]+$", max_length=300)
    account: XapiAccount | None = None

    @model_validator(mode="after")
    def _one_identifier(self) -> Self:
        if (self.mbox is None) == (self.account is None):
            raise ValueError(_("an actor has either mbox or account"))
        return self


class XapiVerb(_XapiPart):
    id: XapiVerbId
    display: dict[str, str] | None = None


class XapiObject(_XapiPart):
    object_type: Literal["Activity"] | None = Field(default=None, alias="objectType")
    id: str = Field(
        max_length=2000,
        description="The course's IRI, `…/courses/{course_id}`, with `#module_key` for a module.",
    )


class XapiScore(_XapiPart):
    scaled: float | None = Field(default=None, ge=-1, le=1)
    raw: float | None = None
    min: float | None = None
    max: float | None = None


class XapiResult(_XapiPart):
    score: XapiScore | None = None
    completion: bool | None = None
    success: bool | None = None


class XapiStatementIn(_XapiPart):
    """One statement. `id` is required here (xAPI leaves it optional): it makes a statement
    sent again a duplicate, not a second award."""

    id: uuid.UUID
    actor: XapiActor
    verb: XapiVerb
    object: XapiObject
    result: XapiResult | None = None
    timestamp: AwareDatetime | None = None


class XapiStatementResult(BaseModel):
    statement_id: uuid.UUID
    status: Literal["accepted", "duplicate", "rejected"] = Field(
        description="`duplicate`: applied before, not again; `rejected`: see `problem_status`."
    )
    problem_status: int | None = Field(
        default=None, description="404 (actor or enrolment not found) or 422 (unusable)."
    )
    reason: Rendered | None = None


class XapiStatementResults(BaseModel):
    accepted: int
    duplicates: int
    rejected: int
    results: list[XapiStatementResult] = Field(description="In the order sent.")
