"""Request and response shapes of program templates, runs, progress, decisions, dossiers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from typing_extensions import TypedDict

from hrcore.core.calendar import DaysAre
from hrcore.core.i18n import _
from hrcore.core.schemas import BoundedDate, Ref
from hrcore.reviews.api import ResultOut
from hrcore.talent.api import Readiness
from hrcore.workflow.api import EscalationPolicy, ReminderPolicy, TaskOut

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
StageKind = Literal[
    "training", "submission", "review", "evaluation", "assignment", "decision", "stretch_assignment"
]
RunStatus = Literal["draft", "running"]
ParticipantStatus = Literal["enrolled", "active", "completed", "graduated", "withdrawn"]
StageStatus = Literal["pending", "open", "completed", "cancelled"]
Outcome = Literal["appoint_when_open", "continue", "extend", "remove"]
SUBMITTING_KINDS = ("submission", "assignment")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubmissionRule(_Strict):
    """What a stage's submission (the tasks engine's `Submission`) must contain."""

    min_text_length: int = Field(default=1, ge=0, le=20_000)
    min_links: int = Field(default=0, ge=0, le=20)
    min_attachments: int = Field(default=0, ge=0, le=20)


REVIEWED_KINDS = ("review", "evaluation")


class StageIn(_Strict):
    """One step. Training, submission and assignment are the candidate's tasks; evaluation
    and decision the supervisor's; review is a 360 cycle on `review_template_id`, and an
    evaluation with a `review_template_id` is a supervisor-only cycle on that form; a
    stretch assignment stage puts the candidate on `stretch_assignment_id`; a training stage
    naming `course_ids` completes when the candidate has done those courses."""

    key: Key
    name: Name
    kind: StageKind
    duration_days: int = Field(ge=1, le=366, description="Length of the stage's window.")
    days_are: DaysAre = Field(
        default="calendar",
        description="calendar: `duration_days` counts calendar days; working: working days "
        "on the organization's calendar (the window ends on the last of them).",
    )
    description: str | None = Field(default=None, max_length=4000)
    submission: SubmissionRule | None = Field(
        default=None,
        description="Submission and assignment stages only; a submission stage without one "
        "needs some text.",
    )
    reminder_policy: ReminderPolicy | None = Field(
        default=None, description="Null: the organization's default."
    )
    escalation_policy: EscalationPolicy | None = Field(
        default=None, description="Null: the organization's default."
    )
    review_template_id: uuid.UUID | None = Field(
        default=None,
        description="The form of a review stage (required there), or of an evaluation stage "
        "the supervisor fills in through reviews (without it, the evaluation is written).",
    )

    stretch_assignment_id: uuid.UUID | None = Field(
        default=None,
        description="The stretch assignment of a stretch_assignment stage (required there, "
        "an assignment of the organization): the participant is put on it when the stage "
        "opens, and the stage completes when its outcome is recorded.",
    )

    course_ids: list[uuid.UUID] | None = Field(
        default=None,
        min_length=1,
        max_length=20,
        description="Training stages only: courses of the organization. The stage then has "
        "no task: it completes when the participant has completed every course and passed "
        "the exam of each that has a pass mark.",
    )

    @model_validator(mode="after")
    def _fits_kind(self) -> StageIn:
        if self.course_ids is not None and self.kind != "training":
            raise ValueError(_("only training stages name course_ids"))
        stretch = self.kind == "stretch_assignment"
        if stretch and self.stretch_assignment_id is None:
            raise ValueError(_("a stretch_assignment stage names its stretch_assignment_id"))
        if not stretch and self.stretch_assignment_id is not None:
            raise ValueError(_("only stretch_assignment stages name a stretch_assignment_id"))
        if self.kind == "review" and self.review_template_id is None:
            raise ValueError(_("a review stage names its review_template_id"))
        if self.review_template_id is not None and self.kind not in REVIEWED_KINDS:
            raise ValueError(_("only review and evaluation stages name a review_template_id"))
        if self.submission is not None and self.kind not in SUBMITTING_KINDS:
            raise ValueError(_("only submission and assignment stages take a submission rule"))
        if self.kind == "submission" and self.submission is None:
            self.submission = SubmissionRule()
        return self


class StageInsert(_Strict):
    after: Key | None = Field(
        default=None, description="Key of the base stage it follows; null: first."
    )
    stage: StageIn


class DepartmentVariant(_Strict):
    """A department's own stages: inserted ones and replacements (matched by key). The most
    specific variant covering a participant's department applies."""

    department_id: uuid.UUID
    insert: list[StageInsert] = Field(default_factory=list, max_length=20)
    replace: list[StageIn] = Field(default_factory=list, max_length=20)


def apply_variant(stages: list[StageIn], variant: DepartmentVariant | None) -> list[StageIn]:
    """The base stages with a variant's replacements and insertions, in order."""
    if variant is None:
        return list(stages)
    replaced = {stage.key: stage for stage in variant.replace}
    result = [replaced.get(stage.key, stage) for stage in stages]
    for insert in reversed(variant.insert):
        keys = [stage.key for stage in result]
        at = keys.index(insert.after) + 1 if insert.after is not None else 0
        result.insert(at, insert.stage)
    return result


class ProgramTemplateIn(_Strict):
    name: Name
    description: str | None = Field(default=None, max_length=4000)
    stages: list[StageIn] = Field(min_length=1, max_length=30)
    department_variants: list[DepartmentVariant] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _consistent(self) -> ProgramTemplateIn:
        keys = [stage.key for stage in self.stages]
        if len(set(keys)) != len(keys):
            raise ValueError(_("stage keys must be unique"))
        departments = [variant.department_id for variant in self.department_variants]
        if len(set(departments)) != len(departments):
            raise ValueError(_("one variant per department"))
        for variant in self.department_variants:
            _check_variant(keys, variant)
        return self


def _check_variant(keys: list[str], variant: DepartmentVariant) -> None:
    unknown = [s.key for s in variant.replace if s.key not in keys]
    unknown += [i.after for i in variant.insert if i.after is not None and i.after not in keys]
    if unknown:
        raise ValueError(
            _("variant names unknown stages: {unknown}", unknown=", ".join(sorted(set(unknown))))
        )
    added = [i.stage.key for i in variant.insert]
    if len(set(added)) != len(added) or set(added) & set(keys):
        raise ValueError(_("inserted stage keys must be new and unique"))


class ProgramTemplatePatch(ProgramTemplateIn):
    """The whole template again; running programs keep the copy they started with."""

    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class ProgramTemplateOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    stages: list[StageIn]
    department_variants: list[DepartmentVariant]
    revision: int
    created_at: datetime
    updated_at: datetime
    version: int


class ProgramTemplateRevision(BaseModel):
    """A template as it was at one revision (what a run started at that revision keeps)."""

    template_id: uuid.UUID
    revision: int
    name: str
    description: str | None
    stages: list[StageIn]
    department_variants: list[DepartmentVariant]
    created_at: datetime


class RunIn(_Strict):
    name: Name
    template_id: uuid.UUID
    pool_id: uuid.UUID = Field(description="Participants come from this talent pool.")
    starts_on: BoundedDate = Field(
        description="First day of the first stage (organization's zone)."
    )


class RunOut(BaseModel):
    id: uuid.UUID
    name: str
    template_id: uuid.UUID
    template: Ref = Field(description="The program template, by its current name.")
    template_revision: int | None = Field(description="The revision snapshotted at the start.")
    pool_id: uuid.UUID
    pool: Ref = Field(description="The talent pool participants come from.")
    starts_on: date
    status: RunStatus
    participants: int
    stages: list[StageIn] | None = Field(description="The snapshotted base stages once started.")
    started_at: datetime | None
    version: int


class ProgramParticipantsIn(_Strict):
    employee_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class ProgramParticipantsAdded(BaseModel):
    added: int = Field(description="New participants (repeats are ignored).")
    participants: int


class ParticipantOut(BaseModel):
    id: uuid.UUID
    run_id: uuid.UUID
    employee: Ref
    department_id: uuid.UUID
    department: Ref = Field(description="The department the participant enrolled from.")
    status: ParticipantStatus
    current_stage: str | None = Field(description="Key of the open stage.")
    outcome: Outcome | None
    withdrawn_reason: str | None = Field(description="Why it was withdrawn (status withdrawn).")
    ended_reason: str | None = Field(
        default=None,
        description="Why it ended before its last stage: the withdrawal's reason, or the "
        "appointment's for a participant an appointment graduated.",
    )
    ended_at: datetime | None = Field(default=None, description="When it completed or ended.")
    version: int


# Progress rows are typed dicts, not models: a run of thousands has thousands of department
# rows, and validating them as dicts is several times cheaper than building a model each.


class Counts(TypedDict):
    participants: int
    completed: int
    completion_rate: Annotated[float | None, Field(description="completed / participants.")]
    on_time_rate: Annotated[
        float | None, Field(description="Completed by the due time / completed.")
    ]
    overdue: Annotated[int, Field(description="Not completed and past the stage's due time.")]


class ProgramDepartmentProgress(Counts):
    department_id: uuid.UUID
    department: Ref


class LateParticipant(TypedDict):
    participant_id: uuid.UUID
    employee: Ref
    department_id: uuid.UUID
    department: Ref
    due_on: date
    status: StageStatus


class StageProgress(Counts):
    key: str
    name: str
    kind: StageKind
    departments: list[ProgramDepartmentProgress]
    late: list[LateParticipant]


class ProgressOut(BaseModel):
    run_id: uuid.UUID
    as_of: datetime
    stages: list[StageProgress]


class DecisionIn(_Strict):
    outcome: Outcome
    reason: Reason
    readiness: Readiness | None = Field(
        default=None,
        description="New pool readiness (appoint_when_open sets ready_now when left out).",
    )


class DecisionRecord(BaseModel):
    outcome: Outcome
    reason: str | None = Field(description="Shown to HR and the supervisor chain.")
    readiness: Readiness | None
    decided_at: datetime


class DossierStage(BaseModel):
    key: str
    name: str
    kind: StageKind
    starts_on: date
    due_on: date
    status: StageStatus
    completed_at: datetime | None
    on_time: bool | None
    tasks: list[TaskOut]
    review_result: ResultOut | None
    decision: DecisionRecord | None
    stretch_problem: str | None = Field(
        default=None,
        description="A stretch_assignment stage whose participant could not be put on the "
        "assignment: why (in the organization's language), until HR's retry succeeds.",
    )


class DossierPdfPending(BaseModel):
    """The 202 body while a dossier's PDF is being generated."""

    status: Literal["pending"] = "pending"
    audience: Literal["full", "self"]


class CompetencyChange(BaseModel):
    """One competency at the run's start and now (0–10), against the model's requirement."""

    competency_id: uuid.UUID
    competency: Ref
    before: float | None = Field(description="The score at the run's start; null: none then.")
    after: float | None = Field(description="The score now; null: not assessed.")
    required_level: int | None = Field(description="The model's level; null: not in the model.")
    required: float | None = Field(description="`required_level` on the profile's 0–10 scale.")
    met: bool | None = Field(description="Whether `after` meets `required`; null without one.")


class DossierCompetencies(BaseModel):
    """The participant's competency profile 「能力画像」 at the run's start and now."""

    started_at: datetime | None = Field(description="The run's start; null before it started.")
    before_computed_at: datetime | None = Field(
        description="The profile snapshot at or before the start; null when there was none."
    )
    after_computed_at: datetime | None = Field(
        description="The newest profile snapshot; null before any evidence."
    )
    position: Ref | None = Field(
        description="The pool's target position, whose model gives the requirements; null for "
        "a pool for a job family."
    )
    model_version: int | None = Field(
        description="The model version of the position (the participant's department's "
        "variant when it has one); null when it has no model."
    )
    competencies: list[CompetencyChange] = Field(
        description="The model's competencies in its order, then any other assessed ones."
    )


class StretchFigure(BaseModel):
    name: str
    value: float
    unit: str | None = None


class StretchRating(BaseModel):
    """A developed competency as the outcome keeps it: never a single peer's answer."""

    competency: Ref
    supervisor_rating: float
    peer_mean: float | None = Field(description="Null when too few peers answered.")
    peer_count: int | None


class DossierStretch(BaseModel):
    """A stretch assignment 「部门内任务」 the participant was on during the run."""

    assignment_id: uuid.UUID
    title: str
    department: Ref
    starts_on: date
    ends_on: date
    status: Literal["active", "completed"] = Field(
        description="The participant's: completed once the outcome is recorded."
    )
    outcome_recorded_at: datetime | None
    figures: list[StretchFigure]
    ratings: list[StretchRating] = Field(
        description="Per developed competency: the supervisor's rating and the peers' mean."
    )


class PlanGoalLine(BaseModel):
    competency: Ref
    target_level: int
    levels: int
    required: float = Field(description="The target on the profile's 0–10 scale.")
    current: float | None = Field(description="The profile's score now; null: not assessed.")
    met: bool


class PlanActionLine(BaseModel):
    id: uuid.UUID
    title: str
    kind: str
    status: str = Field(description="A program action's status is read from the program.")


class DossierPlan(BaseModel):
    """The participant's current individual development plan 「个人发展计划」."""

    id: uuid.UUID
    period: str
    title: str
    status: str
    percent: float = Field(description="0–100, as the plan's progress counts it.")
    goals: list[PlanGoalLine]
    actions: list[PlanActionLine]


class DossierMentorship(BaseModel):
    """A pairing the participant is in 「导师辅导」, as mentee or as mentor."""

    mentorship_id: uuid.UUID
    role: Literal["mentee", "mentor"]
    program: Ref
    other: Ref = Field(description="The mentor for a mentee, the mentee for a mentor.")
    status: str
    starts_on: date
    ends_on: date
    ended_at: datetime | None
    plan_status: str | None = Field(description="The plan as the pairing shows it.")
    sessions_held: int


class Dossier(BaseModel):
    run: Ref
    participant: ParticipantOut
    template_revision: int | None
    stages: list[DossierStage]
    competency_profile: DossierCompetencies | None = Field(
        default=None,
        description="Null only in a PDF document requested before dossiers showed the profile.",
    )
    stretch_assignments: list[DossierStretch] = Field(
        default_factory=list,
        description="The stretch assignments the participant was on whose window ends on or "
        "after the run's start, oldest first, with their outcomes.",
    )
    development_plan: DossierPlan | None = Field(
        default=None, description="The participant's current development plan; null: none."
    )
    mentoring: list[DossierMentorship] = Field(
        default_factory=list,
        description="The participant's pairings as mentee and as mentor, oldest first.",
    )
