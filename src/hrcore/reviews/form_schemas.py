"""Request and response shapes of review forms (templates) and their department variants."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from hrcore.core.i18n import _
from hrcore.reviews.schemas import Indicator, Key, KindWeights, Name, Strict, sums_to_100

IndicatorWeight = Annotated[float, Field(gt=0, le=100)]


class DepartmentOverride(Strict):
    """A department subtree's variant of the form: its own kind weights (sales: results 70)
    and/or its own weights of single indicators (R&D: strategic thinking 50)."""

    department_id: uuid.UUID
    kind_weights: KindWeights | None = Field(
        default=None, description="This subtree's split; null: the form's."
    )
    indicator_weights: dict[Key, IndicatorWeight] = Field(
        default_factory=dict,
        max_length=50,
        description="Indicator key → weight within its kind, replacing the form's; with the "
        "form's other weights each kind still sums to 100.",
    )

    @model_validator(mode="after")
    def _changes_something(self) -> DepartmentOverride:
        if self.kind_weights is None and not self.indicator_weights:
            raise ValueError(_("a department override sets kind weights or indicator weights"))
        return self


def _check_override(index: int, indicators: list[Indicator], override: DepartmentOverride) -> None:
    """Known keys, and each kind's weights with the override's still summing to 100."""
    kinds = {i.key: i.kind for i in indicators}
    unknown = sorted(set(override.indicator_weights) - set(kinds))
    if unknown:
        raise ValueError(
            _(
                "department_overrides.{index}.indicator_weights: no indicator {keys}",
                index=index,
                keys=", ".join(unknown),
            )
        )
    for kind in ("quantitative", "qualitative"):
        weights = [
            override.indicator_weights.get(i.key, i.weight) for i in indicators if i.kind == kind
        ]
        if weights and not sums_to_100(weights):
            raise ValueError(
                _(
                    "department_overrides.{index}.indicator_weights: {kind} indicator weights "
                    "must sum to 100, not {total}",
                    index=index,
                    kind=kind,
                    total=sum(weights),
                )
            )


class ReviewTemplateIn(Strict):
    name: Name
    indicators: list[Indicator] = Field(min_length=1, max_length=50)
    kind_weights: KindWeights = Field(default_factory=KindWeights)
    department_overrides: list[DepartmentOverride] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _weights(self) -> ReviewTemplateIn:
        keys = [indicator.key for indicator in self.indicators]
        if len(set(keys)) != len(keys):
            raise ValueError(_("indicator keys must be unique"))
        for kind in ("quantitative", "qualitative"):
            weights = [i.weight for i in self.indicators if i.kind == kind]
            if weights and not sums_to_100(weights):
                raise ValueError(
                    _(
                        "{kind} indicator weights must sum to 100, not {total}",
                        kind=kind,
                        total=sum(weights),
                    )
                )
        for index, override in enumerate(self.department_overrides):
            _check_override(index, self.indicators, override)
        return self


class ReviewTemplatePatch(ReviewTemplateIn):
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class ReviewTemplateOut(BaseModel):
    id: uuid.UUID
    name: str
    indicators: list[Indicator]
    kind_weights: KindWeights
    department_overrides: list[DepartmentOverride]
    revision: int
    created_at: datetime
    updated_at: datetime
    version: int


class ReviewTemplateRevision(BaseModel):
    """A form as it was at one revision (what a cycle created at that revision runs on)."""

    template_id: uuid.UUID
    revision: int
    name: str
    indicators: list[Indicator]
    kind_weights: KindWeights
    department_overrides: list[DepartmentOverride]
    created_at: datetime
