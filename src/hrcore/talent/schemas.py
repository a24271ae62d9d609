"""Request and response shapes of talent pools, screening rules and memberships."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from hrcore.core.i18n import Rendered
from hrcore.core.schemas import BoundedDate, Ref
from hrcore.talent.models import (
    ChangeSource,
    MemberStatus,
    NominationSource,
    Readiness,
    VacancyReason,
    VacancyStatus,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Level = Literal["low", "medium", "high"]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PerformancePercentileRule(_Rule):
    """Among the top `top_percent` % by mean rating over the latest `periods` periods."""

    kind: Literal["performance_percentile"]
    scope: Literal["organization", "department"] = Field(
        default="organization",
        description="Ranked against the whole organization or the employee's own department.",
    )
    periods: int = Field(default=1, ge=1, le=10)
    top_percent: float = Field(gt=0, le=100)


class ConsecutiveTopRatingsRule(_Rule):
    """The latest `count` lettered ratings are all `letter` or better (A is best)."""

    kind: Literal["consecutive_top_ratings"]
    letter: Literal["A", "B", "C", "D"] = "A"
    count: int = Field(default=2, ge=1, le=10)


class ManagementExperienceRule(_Rule):
    """At least `min_events` employment events that put the employee at the head of a team."""

    kind: Literal["management_experience"]
    min_events: int = Field(default=1, ge=1, le=50)


class CareerPlanRule(_Rule):
    """A submitted career plan with this aspiration."""

    kind: Literal["career_plan"]
    aspiration: Literal["management", "specialist"] = "management"


class TenureRule(_Rule):
    """Employed at least `min_years` years (from the hire date to today, in the org's zone)."""

    kind: Literal["tenure"]
    min_years: float = Field(ge=0, le=60)


class TrainingPointsRule(_Rule):
    """At least `min_points` training points in the last 12 months and, when set, at least
    `min_plan_completion_percent` of the action plans due in them scored (promotion: 120 and
    80 %)."""

    kind: Literal["training_points"]
    min_points: int = Field(default=120, ge=1, le=100_000)
    min_plan_completion_percent: float | None = Field(default=None, ge=0, le=100)


Rule = Annotated[
    PerformancePercentileRule
    | ConsecutiveTopRatingsRule
    | ManagementExperienceRule
    | CareerPlanRule
    | TenureRule
    | TrainingPointsRule,
    Field(discriminator="kind"),
]
RULES = TypeAdapter(list[Rule])
"""A pool's rules as stored (JSON) to and from `Rule`s."""


class TalentPoolIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: str | None = Field(default=None, max_length=4000)
    target_position_id: uuid.UUID | None = None
    target_family: str | None = Field(default=None, min_length=1, max_length=100)
    rules: list[Rule] = Field(default_factory=list, max_length=10)
    active: bool = True


class TalentPoolPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: str | None = Field(default=None, max_length=4000)
    target_position_id: uuid.UUID | None = None
    target_family: str | None = Field(default=None, min_length=1, max_length=100)
    rules: list[Rule] | None = Field(default=None, max_length=10)
    active: bool | None = None
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class TalentPoolOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    target_position: Ref | None
    target_family: str | None
    rules: list[Rule]
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int


class ScreenRequest(BaseModel):
    """Preview who qualifies. `rules` previews unsaved rules; the pool's own by default."""

    model_config = ConfigDict(extra="forbid")

    rules: list[Rule] | None = Field(default=None, max_length=10)
    only_passing: bool = Field(
        default=True, description="false: everyone in scope, with each rule's pass or fail."
    )
    limit: int = Field(default=100, ge=1, le=500)


class CriterionResult(BaseModel):
    kind: str
    value: float | str | None = Field(description="What was found (null: no data).")
    passed: bool


class ScreenCandidate(BaseModel):
    employee: Ref
    department_id: uuid.UUID
    department: Ref
    passed: bool
    criteria: list[CriterionResult]


class ScreenResult(BaseModel):
    evaluated: int = Field(description="Active employees in the caller's scope.")
    rules: list[Rule]
    candidates: list[ScreenCandidate]


class NineBox(BaseModel):
    model_config = ConfigDict(extra="forbid")

    performance: Level
    potential: Level


class Nomination(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    reason: Reason


class MemberPatch(BaseModel):
    """HR: approve (status active) or reject (status rejected) a nomination, graduate or
    remove an active member, set readiness, place on the 9-box. Every change needs a reason;
    it is audited and kept in the member's history."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["active", "rejected", "graduated", "removed"] | None = None
    readiness: Readiness | None = None
    nine_box: NineBox | None = None
    reason: Reason
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class PlacementOut(BaseModel):
    performance: Level
    potential: Level
    reason: str
    placed_at: datetime


class MemberOut(BaseModel):
    id: uuid.UUID
    pool_id: uuid.UUID
    pool: Ref = Field(description="The talent pool, by its name.")
    employee: Ref
    department_id: uuid.UUID
    department: Ref = Field(description="The employee's department.")
    status: MemberStatus
    readiness: Readiness | None
    source: NominationSource
    reason: str
    nominated_at: datetime
    activated_at: datetime | None
    ended_at: datetime | None
    ended_reason: str | None = Field(
        description="Why the system ended the membership (an appointment's reason)."
    )
    nine_box: PlacementOut | None
    decided_by: uuid.UUID | None = Field(
        description="The user who approved or rejected the current nomination."
    )
    decided_by_user: Ref | None = Field(description="`decided_by`'s link: the user's display name.")
    decided_at: datetime | None
    decision_reason: str | None = Field(description="Why it was approved or rejected.")
    ranking: MemberRankingOut | None = Field(
        default=None,
        description="With `sort=readiness`: the member's place in their readiness band by the "
        "vacancy ranking's score, with each factor; null otherwise.",
    )
    version: int


class MemberRankingOut(BaseModel):
    band_rank: int | None = Field(
        description="1 is the best of the band among every listed member (not only those in "
        "the caller's reach); null for an employee reading their own membership."
    )
    score: float = Field(description="Σ contributions, 0–100, as the vacancy ranking scores.")
    factors: list[FactorOut]


class MemberChangeOut(BaseModel):
    """One change of a membership, as it was made."""

    kind: Literal["status", "readiness", "placement"]
    status: MemberStatus | None = Field(description="The new status (kind `status`).")
    readiness: Readiness | None = Field(
        description="The new readiness (kind `readiness`; null: cleared by a new nomination)."
    )
    nine_box: NineBox | None = Field(description="The new placement (kind `placement`).")
    reason: str | None = Field(description="Why (null when the employee left).")
    source: ChangeSource = Field(
        description="Who: the nominator's role, HR, a program's decision or the system."
    )
    changed_at: datetime


class NineBoxCell(BaseModel):
    performance: Level
    potential: Level
    members: list[Ref]


class NineBoxOut(BaseModel):
    pool_id: uuid.UUID
    pool: Ref = Field(description="The talent pool, by its name.")
    cells: list[NineBoxCell] = Field(description="All nine cells, high potential first.")
    unplaced: list[Ref] = Field(description="Nominated or active members not yet placed.")


# --- vacancies and succession ---------------------------------------------------------------


class VacancyIn(BaseModel):
    """Open a vacancy by hand (HR admin). The department defaults to the position's."""

    model_config = ConfigDict(extra="forbid")

    position_id: uuid.UUID
    department_id: uuid.UUID | None = None
    note: str | None = Field(default=None, max_length=2000)


class CompetencyGapOut(BaseModel):
    competency_id: uuid.UUID
    competency: Ref
    weight: int = Field(description="The competency's weight in the model.")
    required: float = Field(description="The required level on the profile's 0–10 scale.")
    current: float | None = Field(description="The profile's score; null without evidence.")
    gap: float


class CompetencyMatchOut(BaseModel):
    """What the `competency_match` factor measured (competencies' gap analysis)."""

    model_version: int = Field(description="The model version the match is measured against.")
    department_id: uuid.UUID | None = Field(
        description="The department variant the model came from; null for the general model."
    )
    profile_computed_at: datetime | None
    match: float = Field(description="0–100: the weighted share of the requirements met.")
    attained: bool = Field(description="「达标」: every required level is met.")
    largest_gaps: list[CompetencyGapOut] = Field(
        description="The unmet competencies weighing most on the match, largest first (3)."
    )


class FactorOut(BaseModel):
    factor: str
    weight: float = Field(
        description="The weight the factor counted with: the policy's weights scaled so the "
        "counted factors' sum to 100 (0 for a factor not counted)."
    )
    value: float | str | None = Field(description="What was found (null: no data).")
    points: float | None = Field(
        description="0–100 for what was found; null when the factor could not be measured "
        "and is not counted (the competency match without a model or an assessment)."
    )
    contribution: float = Field(description="weight × points / 100, added to the score.")
    explanation: Rendered
    competencies: CompetencyMatchOut | None = Field(
        default=None,
        description="`competency_match` only, when counted: the match, attainment, model "
        "version and largest gaps behind it.",
    )


class CandidateOut(BaseModel):
    rank: int = Field(description="1 is the best; ties broken by readiness, time in pool.")
    employee: Ref
    department_id: uuid.UUID
    department: Ref | None = Field(
        default=None,
        description="The employee's department; null only in a ranking stored with an "
        "appointment before departments were named.",
    )
    member_id: uuid.UUID | None = Field(
        description="The pool membership ranked; null for an applicant to an internal "
        "competition who is in no pool for the position."
    )
    pool: Ref | None = Field(description="`member_id`'s pool (null: an applicant outside pools).")
    application_id: uuid.UUID | None = Field(
        default=None,
        description="The candidate's application to this vacancy's internal competition.",
    )
    readiness: Readiness | None
    eligible: bool = Field(
        description="Appointable without an override: ready now, or an applicant who met the "
        "competition's rules."
    )
    score: float = Field(description="Σ contributions, 0–100.")
    factors: list[FactorOut]


class AppointmentIn(BaseModel):
    """Appoint an employee (HR admin). Someone who is not an active member of a pool for
    this position, or not ready now, needs `override_reason`."""

    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    effective_date: BoundedDate = Field(
        description="When the new post takes effect: today or earlier at once, a later date "
        "on that date (the employee shows the current post and the pending change until then)."
    )
    reason: Reason
    override_reason: Reason | None = None
    manager_id: uuid.UUID | None = Field(
        default=None,
        description="The appointee's direct manager at the new post, from the effective "
        "date; default: unchanged.",
    )
    pay_terms_ref: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        default=None, description="The new post's pay band: the contract amendment carries it."
    )


class VacancyCancelIn(BaseModel):
    """Cancel an open vacancy (HR admin): the post is abolished or was opened by mistake."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class AppointmentOut(BaseModel):
    employee: Ref
    member_id: uuid.UUID | None = Field(description="The pool membership appointed from.")
    employment_event_id: uuid.UUID
    effective_date: date
    reason: str
    override_reason: str | None
    ranking: CandidateOut | None = Field(
        description="The ranking explanation as shown when appointing (null: not a candidate)."
    )
    appointed_at: datetime


class CompetitionOut(BaseModel):
    """A vacancy open for internal competition: who may apply and until when."""

    rules: list[Rule] = Field(description="The screening rules an applicant must meet.")
    closes_at: datetime = Field(description="Applications are refused (409) from this moment.")
    opened_at: datetime


class VacancyOut(BaseModel):
    id: uuid.UUID
    position: Ref
    department_id: uuid.UUID
    department: Ref
    status: VacancyStatus
    reason: VacancyReason
    note: str | None
    vacated_by: uuid.UUID | None = Field(description="The holder whose leaving opened it.")
    vacated_by_employee: Ref | None = Field(description="`vacated_by`'s link: their full name.")
    opened_at: datetime
    closed_at: datetime | None
    cancel_reason: str | None = Field(description="Why HR cancelled it.")
    appointment: AppointmentOut | None
    awaiting_approval: uuid.UUID | None = Field(
        None,
        description="The approval an appointment with an override awaits (the organization's "
        "chain for `talent.appointment_override`); the vacancy stays open until it completes.",
    )
    competition: CompetitionOut | None = Field(
        None, description="The internal competition 「岗位竞聘」 HR opened on it (null: none)."
    )
    version: int


class MyRankingOut(BaseModel):
    """The caller's own standing for one open vacancy: their factors only, never others'."""

    vacancy_id: uuid.UUID
    position: Ref
    pool: Ref | None = Field(description="null: ranked as an applicant outside pools.")
    application_id: uuid.UUID | None = Field(
        default=None, description="My application to the vacancy's internal competition."
    )
    readiness: Readiness | None
    eligible: bool
    score: float
    factors: list[FactorOut]


class PoolMeasuresOut(BaseModel):
    """Succession measures over a period (dates in the organization's time zone)."""

    pool_id: uuid.UUID | None = Field(description="null: every pool of the organization.")
    pool: Ref | None = Field(description="`pool_id`'s link (null: every pool).")
    period_from: date
    period_to: date
    members: int = Field(description="Memberships active at some time in the period.")
    appointed: int = Field(description="Of those, appointed to a vacancy in the period.")
    left: int = Field(description="Of those, left the company in the period.")
    promotion_rate: float | None = Field(description="appointed / members (null: no members).")
    attrition_rate: float | None = Field(description="left / members (null: no members).")
    vacancies_filled: int = Field(description="Vacancies filled in the period.")
    filled_from_pools: int = Field(description="Of those, by an active pool member.")
    filled_from_pools_share: float | None = Field(description="null: nothing filled.")
    median_days_to_fill: float | None = Field(description="Opened → filled, in days.")
