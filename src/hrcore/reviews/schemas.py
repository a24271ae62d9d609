"""Request and response shapes of review templates, cycles, rater work and results."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from hrcore.core.i18n import _
from hrcore.core.pagination import Page
from hrcore.core.schemas import BoundedDate, Ref, window_error

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Relationship = Literal["self", "supervisor", "peer", "subordinate"]
CycleKind = Literal["mid_year", "year_end", "campaign_360", "program_stage"]
Recommendation = Literal["promote", "continue_development", "reassess_next_cycle"]
TOTAL = 100.0
TOLERANCE = 1e-6


def sums_to_100(values: list[float]) -> bool:
    return abs(sum(values) - TOTAL) < TOLERANCE


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BandSpec(Strict):
    at_least: float
    score: float = Field(ge=0, le=100)


class FormulaSpec(Strict):
    """`ratio` (actual/target, capped), `linear` (0 at `floor`, 100 at the target) or
    `banded` (score of the highest band reached). Data, never code."""

    kind: Literal["ratio", "linear", "banded"]
    cap: float = Field(default=100, gt=0, le=100)
    floor: float = 0
    bands: list[BandSpec] = Field(default_factory=list, max_length=10)


class Scale(Strict):
    min: int = Field(default=1, ge=0, le=10)
    max: int = Field(default=5, ge=1, le=10)
    labels: dict[str, str] = Field(default_factory=dict, max_length=11)

    @model_validator(mode="after")
    def _goes_up(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(_("the scale's max must be above its min"))
        return self


class Indicator(Strict):
    key: Key
    name: Name
    section: Name
    kind: Literal["quantitative", "qualitative"]
    weight: float = Field(gt=0, le=100, description="Share within its kind; a kind sums to 100.")
    scale: Scale | None = Field(default=None, description="Qualitative: the rating scale.")
    target: float | None = Field(default=None, gt=0, description="Quantitative: the target.")
    formula: FormulaSpec | None = Field(default=None, description="Quantitative: the formula.")
    competency_id: uuid.UUID | None = Field(
        default=None,
        description="A competency of the organization's library this indicator measures: a "
        "published result's score on it, scaled to 0–10, becomes evidence of the competency.",
    )

    @model_validator(mode="after")
    def _fits_kind(self) -> Indicator:
        if self.kind == "quantitative" and (self.target is None or self.formula is None):
            raise ValueError(
                _("quantitative indicator {key} needs a target and a formula", key=self.key)
            )
        if self.kind == "qualitative" and self.scale is None:
            self.scale = Scale()
        return self


class KindWeights(Strict):
    quantitative: float = Field(default=60, ge=0, le=100)
    qualitative: float = Field(default=40, ge=0, le=100)

    @model_validator(mode="after")
    def _total(self) -> KindWeights:
        if not sums_to_100([self.quantitative, self.qualitative]):
            raise ValueError(_("kind weights must sum to 100"))
        return self


class RelationshipWeights(Strict):
    self_: float = Field(default=0, ge=0, le=100, alias="self")
    supervisor: float = Field(default=50, ge=0, le=100)
    peer: float = Field(default=30, ge=0, le=100)
    subordinate: float = Field(default=20, ge=0, le=100)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _total(self) -> RelationshipWeights:
        if not sums_to_100([self.self_, self.supervisor, self.peer, self.subordinate]):
            raise ValueError(_("relationship weights must sum to 100"))
        return self

    def as_dict(self) -> dict[str, float]:
        return {
            "self": self.self_,
            "supervisor": self.supervisor,
            "peer": self.peer,
            "subordinate": self.subordinate,
        }


class MinRaters(Strict):
    """Raters wanted per relationship: nominations need at least `peer`, and progress counts
    the participants with fewer answers than the minimum."""

    peer: int = Field(default=0, ge=0, le=20)
    subordinate: int = Field(default=0, ge=0, le=20)


class CycleIn(Strict):
    name: Name
    kind: CycleKind
    template_id: uuid.UUID
    starts_on: BoundedDate
    due_on: BoundedDate
    relationship_weights: RelationshipWeights = Field(default_factory=RelationshipWeights)
    peer_nomination: bool = Field(
        default=False,
        description="Participants nominate their peers (approved by the supervisor) instead "
        "of every colleague under the same manager being asked.",
    )
    min_raters: MinRaters = Field(default_factory=MinRaters)

    @field_validator("due_on")
    @classmethod
    def _window(cls, due_on: date, info: ValidationInfo) -> date:
        starts_on = info.data.get("starts_on")
        problem = starts_on and window_error(starts_on, due_on)
        if problem:
            raise ValueError(_("{problem} (starts_on)", problem=problem))
        return due_on


class CycleOut(BaseModel):
    id: uuid.UUID
    name: str
    kind: CycleKind
    template_id: uuid.UUID
    template: Ref = Field(description="The review template, by its current name.")
    template_revision: int
    relationship_weights: dict[str, float]
    starts_on: date
    due_on: date
    status: Literal["draft", "open", "closed", "aggregated"]
    participants: int
    peer_nomination: bool
    min_raters: MinRaters
    opened_at: datetime | None
    closed_at: datetime | None
    version: int


class ParticipantQuery(Strict):
    """Everyone active the employee list would show with these filters (all given must
    match)."""

    department_id: uuid.UUID | None = None
    include_subtree: bool = True
    manager_id: uuid.UUID | None = None
    position_id: uuid.UUID | None = None
    q: str | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _narrowed(self) -> ParticipantQuery:
        if not (self.department_id or self.manager_id or self.position_id or self.q):
            raise ValueError(_("a query names at least one filter"))
        return self


class ReviewParticipantsIn(Strict):
    """By hand (`employee_ids`), everyone active in a department subtree (`department_id`)
    and/or by `query`."""

    employee_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    department_id: uuid.UUID | None = None
    query: ParticipantQuery | None = None


class ReviewParticipantsAdded(BaseModel):
    added: int
    participants: int


class Evidence(Strict):
    title: Name
    url: HttpUrl


class IndicatorAnswer(Strict):
    score: float | None = Field(default=None, description="Qualitative: on the scale.")
    actual: float | None = Field(default=None, description="Quantitative: the actual result.")
    comment: str | None = Field(default=None, max_length=2000)


class AnswersIn(Strict):
    answers: dict[Key, IndicatorAnswer] = Field(default_factory=dict, max_length=50)
    comment: str | None = Field(default=None, max_length=4000)
    evidence: list[Evidence] = Field(default_factory=list, max_length=20)
    attachments: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=20,
        description="Files you uploaded (`POST /files`) as evidence; each save replaces the "
        "list. Only you and HR review auditors may read them, never the reviewee.",
    )
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class AssignmentOut(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    cycle: Ref = Field(description="The cycle this review belongs to, by its name.")
    participant_id: uuid.UUID = Field(description="Nominations are made under this id.")
    participant: Ref
    relationship: Relationship
    status: Literal["pending", "draft", "submitted"]
    due_on: date
    indicators: list[Indicator]
    answers: dict[str, IndicatorAnswer]
    comment: str | None
    evidence: list[Evidence]
    attachments: list[uuid.UUID] = Field(description="Ids of the files attached as evidence.")
    task_id: uuid.UUID | None
    submitted_at: datetime | None
    version: int


class GroupScore(BaseModel):
    relationship: Relationship
    score: float
    raters: int


WeightFrom = Literal["form", "department"]


class Weighting(BaseModel):
    """How much an indicator counts and where each weight came from: the form, or the
    department variant the result names in `weights_department`."""

    weight: float = Field(description="Share of the overall: kind weight × indicator weight.")
    kind_weight: float
    kind_weight_from: WeightFrom
    indicator_weight: float = Field(description="Within its kind.")
    indicator_weight_from: WeightFrom


class IndicatorResult(BaseModel):
    key: str
    name: str
    score: float = Field(description="As an upheld appeal set it when `adjusted`, else computed.")
    raters: int
    groups: list[GroupScore] = Field(
        description="Peers and subordinates only when enough of them answered. Always the "
        "figures computed from the answers: after an upheld appeal they make up "
        "`computed_score`, not `score`."
    )
    adjusted: bool = Field(
        default=False,
        description="An upheld appeal set `score`; the appeal and HR's resolution are in the "
        "result's appeals (`GET /review-results/{id}/appeals`).",
    )
    computed_score: float | None = Field(
        default=None, description="The score computed from the answers, when `adjusted`."
    )
    weighting: Weighting | None = Field(
        default=None, description="Null on results computed before weights were explained."
    )


class Adjustment(BaseModel):
    original: float | None
    adjusted: float
    reason: str
    at: datetime
    by: uuid.UUID | None
    by_user: Ref | None = Field(
        default=None, description="`by`'s link: the HR user's display name."
    )
    indicator: str | None = Field(
        default=None, description="Set when an upheld appeal changed this indicator."
    )


class ResultComment(BaseModel):
    """A comment as the result shows it; `id` is what an appeal on it names, made of the
    result and the text, never of who wrote it."""

    id: uuid.UUID
    text: str


class HiddenComment(BaseModel):
    """A comment HR hid from the result on the employee's appeal (its text is not shown)."""

    id: uuid.UUID
    appeal_id: uuid.UUID
    reason: str
    hidden_at: datetime


class ResultOut(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    cycle: Ref | None = Field(
        default=None,
        description="The review cycle, by its name (null only in a dossier PDF's stored copy "
        "made before cycles were named).",
    )
    employee: Ref
    overall: float | None = Field(description="As calibrated when it was, else as computed.")
    computed_overall: float | None
    raters: int
    indicators: list[IndicatorResult]
    weights_department: Ref | None = Field(
        default=None,
        description="The department whose variant of the form set weights of this result "
        "(the most specific covering the participant's department in the cycle), if any.",
    )
    withheld_groups: list[Relationship] = Field(
        description="Peer or subordinate groups with fewer answers than the anonymity "
        "threshold (none included): left out of every figure and comment here."
    )
    comments: list[str] = Field(description="Unattributed, in alphabetical order.")
    comment_items: list[ResultComment] = Field(
        default_factory=list, description="`comments` with the ids appeals name them by."
    )
    hidden_comments: list[HiddenComment] = Field(
        default_factory=list, description="Comments HR hid on an appeal, and why."
    )
    adjustments: list[Adjustment]
    status: Literal["computed", "published"]
    published_at: datetime | None
    recommendation: Recommendation | None
    recommendation_reason: str | None = Field(
        default=None,
        description="Why, as its author gave it (none on recommendations made before reasons "
        "were recorded, or when none was given).",
    )
    version: int


class PendingResultOut(BaseModel):
    """The employee's own result before HR publishes it: that it exists and nothing computed
    (no score, group, comment, rater count or version), so nothing can leak early."""

    id: uuid.UUID
    cycle_id: uuid.UUID
    cycle: Ref = Field(description="The review cycle, by its name.")
    employee: Ref
    status: Literal["pending"] = Field(description="Computed, not yet published.")


OwnResult = Annotated[ResultOut | PendingResultOut, Field(discriminator="status")]
"""What `/me/review-results` lists and `GET /review-results/{id}` answers: the employee's own
unpublished result as pending, everything else as before."""


class MyReviewResultsPage(Page[OwnResult]):
    """The employee's own results, newest first, unpublished ones as pending."""


class Calibration(Strict):
    overall: float = Field(ge=0, le=100)
    reason: Text
    version: int | None = None


class RecommendationIn(Strict):
    recommendation: Recommendation
    reason: Text | None = Field(
        default=None,
        description="Why: shown on the result beside the recommendation (optional, so that "
        "clients sending none keep working; a new recommendation replaces the reason).",
    )
    version: int | None = None


class Completion(BaseModel):
    assignments: int
    submitted: int
    submitted_on_time: int
    submission_rate: float | None = Field(description="Submitted / assignments, 0–1.")
    on_time_rate: float | None = Field(description="Submitted by the due date / assignments.")


class ReviewDepartmentProgress(Completion):
    department: Ref
    participants: int


class RelationshipProgress(Completion):
    relationship: Relationship
    minimum: int = Field(description="Raters wanted per participant (0: no minimum).")
    participants_below_minimum: int = Field(
        description="Participants with fewer submitted answers than the minimum."
    )


class ScoreBucket(BaseModel):
    low: int = Field(description="Scores from `low` (inclusive)…")
    high: int = Field(description="…to `high` (exclusive; 100 is in the last bucket).")
    results: int


class CycleProgress(Completion):
    cycle_id: uuid.UUID
    status: Literal["draft", "open", "closed", "aggregated"]
    participants: int
    by_department: list[ReviewDepartmentProgress]
    by_relationship: list[RelationshipProgress]
    score_distribution: list[ScoreBucket] = Field(
        description="Overall scores (as calibrated) in tens, once results exist."
    )


class ReopenIn(Strict):
    reason: Text


class RawAnswer(BaseModel):
    """One rater's answers as given — only for HR admins with the review-auditor role."""

    assignment_id: uuid.UUID
    rater: Ref
    relationship: Relationship
    status: Literal["pending", "draft", "submitted"]
    answers: dict[str, IndicatorAnswer]
    comment: str | None
    evidence: list[Evidence]
    attachments: list[uuid.UUID]
    submitted_at: datetime | None


class NominationsIn(Strict):
    employee_ids: list[uuid.UUID] = Field(min_length=1, max_length=20)


class NominationDecision(Strict):
    approve: bool
    reason: str | None = Field(
        default=None,
        max_length=2000,
        description="Why: optional when approving, required when rejecting (422). Kept as "
        "the decision's comment in the approval's history and sent with the decision's "
        "notifications.",
    )


class NominationOut(BaseModel):
    id: uuid.UUID
    participant_id: uuid.UUID
    nominee: Ref
    status: Literal["nominated", "approved", "rejected"]
    decided_at: datetime | None
    version: int


# A cycle's stored form and an assignment's stored answers, read back as checked.
INDICATORS = TypeAdapter(list[Indicator])
ANSWERS = TypeAdapter(dict[str, IndicatorAnswer])
