"""The profile's sections that other domains own: people sits below programs, contracts,
competencies and training, so it declares what it asks for and they answer it
(`core.registry` providers, as talent's program completion), one statement per section.

A domain's registry declares `ProgramParticipationProvider(its query)`,
`ContractsProvider(its query)`, `DevelopmentPlanProvider(its query)`,
`TrainingsProvider(its query)`, `PointsProvider(its query)` or `MentoringProvider(its
query)`; the provider is installed when
the API, the worker or the CLI is built. Each source answers plain data for one employee of
the caller's organization.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.schemas import Ref


@dataclass(frozen=True)
class ProgramParticipation:
    """One participation in a program run."""

    run: Ref
    status: str
    current_stage: str | None
    started_on: date
    ended_at: datetime | None


@dataclass(frozen=True)
class ContractRecord:
    """One labor contract with its terms (pay is a reference; amounts live in payroll)."""

    id: uuid.UUID
    kind: str
    status: str
    start_date: date
    end_date: date | None
    grade: str | None
    allowance: Decimal | None
    work_location: str
    pay_terms_ref: str


@dataclass(frozen=True)
class DevelopmentPlanRecord:
    """The employee's current individual development plan, in brief."""

    id: uuid.UUID
    period: str
    title: str
    status: str
    goals: int
    actions: int
    approved_at: datetime | None


@dataclass(frozen=True)
class TrainingRecord:
    """A course the employee completed: the day (in the organization's time zone) and the
    result (`passed`, `late` or `attended`)."""

    course: Ref
    completed_on: date | None
    result: str | None


@dataclass(frozen=True)
class PointsRecord:
    """The employee's training points in one year (`2026`) or quarter (`2026-Q4`)."""

    period: str
    total: int


@dataclass(frozen=True)
class MentorshipRecord:
    """One pairing the employee is in: `role` `mentee` or `mentor`, `other` the mentor (for a
    mentee) or the mentee (for a mentor); never what the mentee answered in surveys."""

    mentorship_id: uuid.UUID
    role: str
    program: Ref
    other: Ref
    status: str
    starts_on: date
    ends_on: date
    ended_at: datetime | None
    plan_status: str | None
    sessions_held: int


@dataclass(frozen=True)
class MentorScoreRecord:
    """The employee's effectiveness as a mentor in one program, as the last recompute stored
    it (`score` and `computed_at` null before one)."""

    mentor_id: uuid.UUID
    program: Ref
    score: float | None
    pairings: int
    computed_at: datetime | None


@dataclass(frozen=True)
class MentoringSection:
    """The employee's pairings, and their scores as a mentor — `None` for a caller who may
    not read a mentor's figures."""

    pairings: Sequence[MentorshipRecord]
    scores: Sequence[MentorScoreRecord] | None


ProgramParticipationSource = Callable[
    [AsyncSession, uuid.UUID, uuid.UUID], Awaitable[Sequence[ProgramParticipation]]
]
"""(session, org id, employee id) → the employee's participations, oldest run first."""

ContractsSource = Callable[
    [AsyncSession, Principal, uuid.UUID], Awaitable[Sequence[ContractRecord] | None]
]
"""(session, caller, employee id) → the employee's contracts, or `None` when the caller may
not see them (the owning domain's rule; then no query is run)."""

DevelopmentPlanSource = Callable[
    [AsyncSession, uuid.UUID, uuid.UUID], Awaitable[DevelopmentPlanRecord | None]
]
"""(session, org id, employee id) → the employee's current plan, or None."""

TrainingsSource = Callable[
    [AsyncSession, uuid.UUID, uuid.UUID, str], Awaitable[Sequence[TrainingRecord]]
]
"""(session, org id, employee id, the organization's time zone) → the completed courses,
newest first."""

PointsSource = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[Sequence[PointsRecord]]]
"""(session, org id, employee id) → the points per year, each followed by its quarters,
newest first."""

MentoringSource = Callable[
    [AsyncSession, Principal, uuid.UUID, uuid.UUID | None], Awaitable[MentoringSection | None]
]
"""(session, caller, employee id, the employee's direct manager) → the employee's mentoring,
or `None` when mentoring shows the caller nothing (the owning domain's rule)."""

_PROGRAM_PARTICIPATION: list[ProgramParticipationSource] = []
_CONTRACTS: list[ContractsSource] = []
_DEVELOPMENT_PLAN: list[DevelopmentPlanSource] = []
_TRAININGS: list[TrainingsSource] = []
_POINTS: list[PointsSource] = []
_MENTORING: list[MentoringSource] = []


@dataclass(frozen=True)
class ProgramParticipationProvider:
    """Programs' declaration (a `core.registry.Hook`): it answers `program_participation`."""

    source: ProgramParticipationSource

    def install(self) -> None:
        _PROGRAM_PARTICIPATION[:] = [self.source]


@dataclass(frozen=True)
class ContractsProvider:
    """Contracts' declaration (a `core.registry.Hook`): it answers `contracts`."""

    source: ContractsSource

    def install(self) -> None:
        _CONTRACTS[:] = [self.source]


@dataclass(frozen=True)
class DevelopmentPlanProvider:
    """Competencies' declaration (a `core.registry.Hook`): it answers `development_plan`."""

    source: DevelopmentPlanSource

    def install(self) -> None:
        _DEVELOPMENT_PLAN[:] = [self.source]


@dataclass(frozen=True)
class TrainingsProvider:
    """Training's declaration (a `core.registry.Hook`): it answers `trainings`."""

    source: TrainingsSource

    def install(self) -> None:
        _TRAININGS[:] = [self.source]


@dataclass(frozen=True)
class PointsProvider:
    """Training's declaration (a `core.registry.Hook`): it answers `points`."""

    source: PointsSource

    def install(self) -> None:
        _POINTS[:] = [self.source]


@dataclass(frozen=True)
class MentoringProvider:
    """Mentoring's declaration (a `core.registry.Hook`): it answers `mentoring`."""

    source: MentoringSource

    def install(self) -> None:
        _MENTORING[:] = [self.source]


async def program_participation(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> Sequence[ProgramParticipation]:
    if not _PROGRAM_PARTICIPATION:
        raise RuntimeError("No program participation source: install hrcore.domains.DOMAINS")
    return await _PROGRAM_PARTICIPATION[0](session, org_id, employee_id)


async def contracts(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> Sequence[ContractRecord] | None:
    if not _CONTRACTS:
        raise RuntimeError("No contracts source: install hrcore.domains.DOMAINS")
    return await _CONTRACTS[0](session, principal, employee_id)


async def development_plan(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> DevelopmentPlanRecord | None:
    if not _DEVELOPMENT_PLAN:
        raise RuntimeError("No development plan source: install hrcore.domains.DOMAINS")
    return await _DEVELOPMENT_PLAN[0](session, org_id, employee_id)


async def trainings(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, timezone: str
) -> Sequence[TrainingRecord]:
    if not _TRAININGS:
        raise RuntimeError("No trainings source: install hrcore.domains.DOMAINS")
    return await _TRAININGS[0](session, org_id, employee_id, timezone)


async def points(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> Sequence[PointsRecord]:
    if not _POINTS:
        raise RuntimeError("No points source: install hrcore.domains.DOMAINS")
    return await _POINTS[0](session, org_id, employee_id)


async def mentoring(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    manager_id: uuid.UUID | None,
) -> MentoringSection | None:
    if not _MENTORING:
        raise RuntimeError("No mentoring source: install hrcore.domains.DOMAINS")
    return await _MENTORING[0](session, principal, employee_id, manager_id)
