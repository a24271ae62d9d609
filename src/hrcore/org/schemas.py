"""Request and response models of departments, positions and co-edited descriptions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from hrcore.core.i18n import _
from hrcore.core.schemas import Ref

Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^\S+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Grade = Annotated[str, Field(min_length=1, max_length=32)]
Family = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    Field(description="Job family; talent pools targeting it rank for its vacancies."),
]
Responsibility = Annotated[str, Field(min_length=1, max_length=500)]

DepartmentSort = Literal["tree", "name"]
PositionSort = Literal["title", "code"]
CompetencyCategory = Literal["management", "professional", "general"]
DraftStatus = Literal["open", "approved", "superseded"]
AuthorSide = Literal["hr", "department"]

MAX_NEXT_POSITIONS = 50


def _refuse_nulls(model: BaseModel, names: tuple[str, ...]) -> None:
    """PATCH semantics: an absent field stays; these may not be sent as null."""
    cleared = [name for name in names if name in model.model_fields_set]
    if any(getattr(model, name) is None for name in cleared):
        raise ValueError(_("these fields cannot be null: {names}", names=", ".join(names)))


# --- departments --------------------------------------------------------------------------


class DepartmentCreate(BaseModel):
    name: Name
    code: Code = Field(description="Unique in the organization.")
    parent_id: uuid.UUID | None = Field(default=None, description="Null for a top department.")


class DepartmentPatch(BaseModel):
    """Only the fields sent change. A new `parent_id` moves the department with its subtree;
    `parent_id: null` makes it a top department."""

    name: Name | None = None
    code: Code | None = None
    parent_id: uuid.UUID | None = None
    version: int | None = Field(default=None, description="The version you read (or If-Match).")

    @model_validator(mode="after")
    def _required_stay_set(self) -> DepartmentPatch:
        _refuse_nulls(self, ("name", "code"))
        return self


class DepartmentOut(BaseModel):
    id: uuid.UUID
    name: str
    code: str
    parent_id: uuid.UUID | None
    parent: Ref | None = Field(description="The parent department's link; null for a top one.")
    ancestor_ids: list[uuid.UUID] = Field(
        description="From the top department down to the parent; empty for a top department."
    )
    depth: int = Field(description="0 for a top department.")
    created_at: datetime
    version: int


# --- positions ----------------------------------------------------------------------------


class Competency(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    required_level: int = Field(ge=0, le=10, description="On the 0–10 competency scale.")
    category: CompetencyCategory


class PositionDescription(BaseModel):
    """The job description 「岗位说明书」: what the post is for, does and needs."""

    model_config = ConfigDict(extra="forbid")

    summary: str = Field(default="", max_length=4000)
    responsibilities: list[Responsibility] = Field(default_factory=list, max_length=50)
    core_competencies: list[Competency] = Field(default_factory=list, max_length=50)

    @field_validator("core_competencies")
    @classmethod
    def _unique_competencies(cls, competencies: list[Competency]) -> list[Competency]:
        names = [competency.name.casefold() for competency in competencies]
        if len(set(names)) != len(names):
            raise ValueError(_("each competency may appear once"))
        return competencies


NextPositionIds = Annotated[
    list[uuid.UUID],
    Field(
        max_length=MAX_NEXT_POSITIONS,
        description="The promotion path: positions of this organization this one leads to.",
    ),
]


class PositionCreate(BaseModel):
    code: Code = Field(description="Unique in the organization.")
    title: Name
    department_id: uuid.UUID
    grade: Grade
    is_management: bool = False
    family: Family | None = None
    description: PositionDescription = Field(default_factory=PositionDescription)
    next_position_ids: NextPositionIds = Field(default_factory=list)


class PositionPatch(BaseModel):
    """Only the fields sent change. `next_position_ids` replaces the whole set.

    `description` set here takes effect at once; normally it changes through approved
    description drafts instead.
    """

    code: Code | None = None
    title: Name | None = None
    department_id: uuid.UUID | None = None
    grade: Grade | None = None
    is_management: bool | None = None
    family: Family | None = Field(default=None, description="null leaves the family.")
    description: PositionDescription | None = None
    next_position_ids: NextPositionIds | None = None
    version: int | None = Field(default=None, description="The version you read (or If-Match).")

    @model_validator(mode="after")
    def _required_stay_set(self) -> PositionPatch:
        _refuse_nulls(
            self,
            (
                "code",
                "title",
                "department_id",
                "grade",
                "is_management",
                "description",
                "next_position_ids",
            ),
        )
        return self


class PositionOut(BaseModel):
    id: uuid.UUID
    code: str
    title: str
    department_id: uuid.UUID
    department: Ref
    grade: str
    is_management: bool
    family: str | None
    description: PositionDescription
    description_revision: int = Field(
        description="0 as created; +1 for every change of the description."
    )
    next_position_ids: list[uuid.UUID]
    created_at: datetime
    version: int


# --- description drafts -------------------------------------------------------------------


class CommentCreate(BaseModel):
    body: str = Field(min_length=1, max_length=4000)


class CommentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    author_id: uuid.UUID
    author: Ref = Field(description="`author_id`'s link: the user's display name.")
    body: str
    created_at: datetime


class DraftOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    position_id: uuid.UUID
    author_id: uuid.UUID
    author: Ref = Field(description="`author_id`'s link: the user's display name.")
    author_side: AuthorSide = Field(
        description="`hr` or `department`; the other side approves the draft."
    )
    content: PositionDescription
    status: DraftStatus = Field(
        description="`superseded` when another draft of the position was approved first."
    )
    approved_by: uuid.UUID | None
    approved_by_user: Ref | None = Field(
        description="`approved_by`'s link: the user's display name."
    )
    approved_at: datetime | None
    created_at: datetime
    version: int


class DraftDetail(DraftOut):
    comments: list[CommentOut] = Field(description="Oldest first.")
