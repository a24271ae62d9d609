"""What other domains and the composition roots (`seed`, `cli`, `worker`) may call in
people. Everything else in the package is internal.

Everything answers in plain data (`EmployeeInfo`, `Ref`, ids, dataclasses); the ORM rows stay
inside people. The wrappers below turn people's own rows into what other domains read.

- Reach (`access`): `visible_employee_ids` (a named query: the ids the caller sees, `None`
  for the whole organization; filter with `core.db.among`), `ensure_can_view` (→
  `EmployeeInfo`, 404 outside reach), `ensure_can_manage` — every domain gets the same
  answers.
- References and summaries (`references`): `require_employee` (→ `EmployeeInfo`, 422),
  `employee_ref`, `employee_refs`, `employee_summaries` / `EmployeeSummary`,
  `active_posts_in` / `EmployeePost` (a named query: a department's people with their posts,
  within the caller's reach — the heat map), `active_people_in` / `ActivePeople` (the same
  people as bare parallel lists — stretch-assignment matching over a whole organization;
  `active_people_among` the same for some employees wherever they work — mentor suggestions).
- Reporting lines (`reporting_lines`): `managers_of`, `manager_chain`, `teams_of` / `Team`,
  `active_employees_in_subtree`, `team_history` / `TeamHistory` / `PeriodTurnover` (a
  team's hire dates and per-period headcount and leavers: a performance diagnosis); the
  list's selection (`matching_employee_ids` with `EmployeeFilters`).
- Employment events (`employment_events`): `EMPLOYMENT_EVENT_RECORDED`,
  `EMPLOYMENT_EVENT_APPLIED` (a pending move reached the record on its date),
  `EMPLOYMENT_EVENT_ENDED_EARLY`, `EMPLOYMENT_EVENT_WITHDRAWN`, `add_event` (→ the event's
  id), `end_temporary_post` (a recorded temporary post ends early),
  `withdraw_temporary_post` (one not begun is called off, `post_withdrawal`),
  `employment_event` / `EmploymentEventInfo`, `vacated_post` / `VacatedPost`.
- Turnover (`turnover`, `exit_reasons`): `employment_spells` / `EmploymentSpell` (every
  stretch of employment with its exit reason — analytics' retention), `EXIT_REASONS` and
  `exit_reason_label`.
- `career_targets`: the position each employee's career plan aims at (a named query,
  training's needs analysis).
- `org_today`: today's date where the organization is (`profile`); `panoramic_profile`
  (the profile as its reader sees it, plain JSON: privacy's own-data export).
- Relations beyond the reporting line (`relations`): a domain above declares a
  `RelationProvider` (mentoring's "mentor of"); the owners of the records it opens
  (`PERFORMANCE_GOALS`, `DEVELOPMENT_PLAN`, `PERFORMANCE_RATINGS`, `COMPETENCY_PROFILE`)
  read with `ensure_can_view_for` or widen a reach with `related_employee_ids` and audit
  with `record_reads`.
- The profile's sections other domains own (`profile_sections`): programs declares
  `ProgramParticipationProvider` (→ `ProgramParticipation`), contracts `ContractsProvider`
  (→ `ContractRecord`), competencies `DevelopmentPlanProvider` (→ `DevelopmentPlanRecord`),
  training `TrainingsProvider` (→ `TrainingRecord`) and `PointsProvider` (→ `PointsRecord`),
  mentoring `MentoringProvider` (→ `MentoringSection` of `MentorshipRecord`s and
  `MentorScoreRecord`s) among their registry's providers.
- DingTalk directory sync (`directory_sync`): `DirectoryUser`, `apply_directory_user`,
  `mark_left`; channel contacts (`contacts`): `dingtalk_contacts` / `DingTalkContact`,
  `employees_by_dingtalk_id`; `work_contacts` / `WorkContact` (work email and phone, for a
  relation that entitles a reader: a mentee's mentor); the event `EMPLOYEE_DINGTALK_LINKED`
  (`{employee_id}`: an employee became a DingTalk user, by the sync or an HR edit).
- Screening for talent pools and mentor eligibility (`screening`): `screen` (a named query:
  plain criteria in — `PercentileCriterion`, `TopRatingsCriterion`, `ManagementCriterion`,
  `CareerPlanCriterion`, `TenureCriterion`, `CertificationCriterion`, `GivenFigureCriterion`
  (a figure a domain above read through its api: mentoring's review rating),
  `TrainingPointsCriterion` (training's points and action plans, read as bare tables), together
  `ScreeningCriterion` — one statement over the organization, `ScreenRows` of
  `ScreenedEmployee` / `CriterionRow` out); `failing_screen` (`screening_failures`) the
  pass/fail answer for bulk evaluation — only who fails which criteria, over the whole
  organization without an id array — and `active_employee_ids` (mentor flagging).
- Period ratings (`ratings`): `write_period_ratings` (`PeriodRating`s of one period, a
  rating already there replaced) and `remove_period_ratings` — performance's period close.
- Mentees' figures (`rating_history`, named queries): `rating_histories` (→ `RatedPeriod`s:
  1–5 values with their period's last day), `promotion_dates` — mentoring's effectiveness.
- Analytics' funnel (`loop_queries`, named queries): `posts_of` / `Post` (some employees'
  department and position now, leavers' too), `promotions_of` / `Promotion`.
- Selection accuracy's "still in post" (`post_changes`): `post_changes` (→ `PostChange`s:
  each employee's transfers and exits, one statement).
- Bulk import (`bulk_import`): `check_import`, `import_employees`, `RowError`;
  `employee_ids_by_number` for other domains' files that name employees by number.
- Retention (`retention`, privacy's purge): `departed_identities_due` /
  `departed_identities_due_count` / `anonymise_departed`, `departed_evaluations_due` /
  `departed_evaluations_due_count` / `delete_departed_evaluations` — a departed employee's
  identity anonymised, ratings and growth profile deleted, employees on legal hold excluded.
- Request schemas other domains build: `EmployeeCreate`, `EmployeeImport`,
  `EmploymentEventCreate`, `PerformanceRatingCreate`.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope
from hrcore.core.clock import Clock
from hrcore.people import (
    access,
    employment_events,
    post_withdrawal,
    profile,
    references,
    repository,
)
from hrcore.people.access import ensure_can_manage, visible_employee_ids
from hrcore.people.audit_trail import EMPLOYEE_DINGTALK_LINKED
from hrcore.people.bulk_import import RowError, check_import, import_employees
from hrcore.people.contacts import (
    DingTalkContact,
    WorkContact,
    dingtalk_contacts,
    employees_by_dingtalk_id,
    work_contacts,
)
from hrcore.people.directory_sync import DirectoryUser, apply_directory_user, mark_left
from hrcore.people.employees import EmployeeFilters, matching_employee_ids
from hrcore.people.employment_events import (
    EMPLOYMENT_EVENT_APPLIED,
    EMPLOYMENT_EVENT_ENDED_EARLY,
    EMPLOYMENT_EVENT_RECORDED,
    EMPLOYMENT_EVENT_WITHDRAWN,
    EmploymentEventInfo,
    VacatedPost,
    employment_event,
    vacated_post,
)
from hrcore.people.exit_reasons import EXIT_REASONS
from hrcore.people.exit_reasons import label as exit_reason_label
from hrcore.people.loop_queries import Post, Promotion, posts_of, promotions_of
from hrcore.people.post_changes import PostChange, post_changes
from hrcore.people.profile import org_today
from hrcore.people.profile_sections import (
    ContractRecord,
    ContractsProvider,
    DevelopmentPlanProvider,
    DevelopmentPlanRecord,
    MentoringProvider,
    MentoringSection,
    MentorScoreRecord,
    MentorshipRecord,
    PointsProvider,
    PointsRecord,
    ProgramParticipation,
    ProgramParticipationProvider,
    TrainingRecord,
    TrainingsProvider,
)
from hrcore.people.rating_history import RatedPeriod, promotion_dates, rating_histories
from hrcore.people.ratings import PeriodRating, remove_period_ratings, write_period_ratings
from hrcore.people.references import (
    ActivePeople,
    EmployeeInfo,
    EmployeePost,
    EmployeeSummary,
    active_people_among,
    active_people_in,
    active_posts_in,
    employee_info,
    employee_ref,
    employee_refs,
    employee_summaries,
)
from hrcore.people.relations import (
    COMPETENCY_PROFILE,
    DEVELOPMENT_PLAN,
    PERFORMANCE_GOALS,
    PERFORMANCE_RATINGS,
    RelationProvider,
    ensure_can_view_for,
    record_reads,
    related_employee_ids,
)
from hrcore.people.reporting_lines import (
    PeriodTurnover,
    Team,
    TeamHistory,
    active_employees_in_subtree,
    manager_chain,
    managers_of,
    team_history,
    teams_of,
)
from hrcore.people.repository import career_targets
from hrcore.people.retention import (
    anonymise_departed,
    delete_departed_evaluations,
    departed_evaluations_due,
    departed_evaluations_due_count,
    departed_identities_due,
    departed_identities_due_count,
)
from hrcore.people.schemas import (
    EmployeeCreate,
    EmployeeImport,
    EmploymentEventCreate,
    PerformanceRatingCreate,
)
from hrcore.people.screening import (
    CareerPlanCriterion,
    CertificationCriterion,
    CriterionRow,
    GivenFigureCriterion,
    ManagementCriterion,
    PercentileCriterion,
    ScreenedEmployee,
    ScreeningCriterion,
    ScreenRows,
    TenureCriterion,
    TopRatingsCriterion,
    TrainingPointsCriterion,
    screen,
)
from hrcore.people.screening_failures import active_employee_ids, failing_screen
from hrcore.people.turnover import EmploymentSpell, employment_spells

__all__ = [
    "COMPETENCY_PROFILE",
    "DEVELOPMENT_PLAN",
    "EMPLOYEE_DINGTALK_LINKED",
    "EMPLOYMENT_EVENT_APPLIED",
    "EMPLOYMENT_EVENT_ENDED_EARLY",
    "EMPLOYMENT_EVENT_RECORDED",
    "EMPLOYMENT_EVENT_WITHDRAWN",
    "EXIT_REASONS",
    "PERFORMANCE_GOALS",
    "PERFORMANCE_RATINGS",
    "ActivePeople",
    "CareerPlanCriterion",
    "CertificationCriterion",
    "ContractRecord",
    "ContractsProvider",
    "CriterionRow",
    "DevelopmentPlanProvider",
    "DevelopmentPlanRecord",
    "DingTalkContact",
    "DirectoryUser",
    "EmployeeCreate",
    "EmployeeFilters",
    "EmployeeImport",
    "EmployeeInfo",
    "EmployeePost",
    "EmployeeSummary",
    "EmploymentEventCreate",
    "EmploymentEventInfo",
    "EmploymentSpell",
    "GivenFigureCriterion",
    "ManagementCriterion",
    "MentorScoreRecord",
    "MentoringProvider",
    "MentoringSection",
    "MentorshipRecord",
    "PercentileCriterion",
    "PerformanceRatingCreate",
    "PeriodRating",
    "PeriodTurnover",
    "PointsProvider",
    "PointsRecord",
    "Post",
    "PostChange",
    "ProgramParticipation",
    "ProgramParticipationProvider",
    "Promotion",
    "RatedPeriod",
    "RelationProvider",
    "RowError",
    "ScreenRows",
    "ScreenedEmployee",
    "ScreeningCriterion",
    "Team",
    "TeamHistory",
    "TenureCriterion",
    "TopRatingsCriterion",
    "TrainingPointsCriterion",
    "TrainingRecord",
    "TrainingsProvider",
    "VacatedPost",
    "WorkContact",
    "active_employee_ids",
    "active_employees_in_subtree",
    "active_people_among",
    "active_people_in",
    "active_posts_in",
    "add_event",
    "anonymise_departed",
    "apply_directory_user",
    "career_targets",
    "check_import",
    "delete_departed_evaluations",
    "departed_evaluations_due",
    "departed_evaluations_due_count",
    "departed_identities_due",
    "departed_identities_due_count",
    "dingtalk_contacts",
    "employee_ids_by_email",
    "employee_ids_by_number",
    "employee_ref",
    "employee_refs",
    "employee_summaries",
    "employees_by_dingtalk_id",
    "employment_event",
    "employment_spells",
    "end_temporary_post",
    "ensure_can_manage",
    "ensure_can_view",
    "ensure_can_view_for",
    "exit_reason_label",
    "failing_screen",
    "import_employees",
    "is_applied",
    "manager_chain",
    "managers_of",
    "mark_left",
    "matching_employee_ids",
    "org_today",
    "panoramic_profile",
    "post_changes",
    "posts_of",
    "promotion_dates",
    "promotions_of",
    "rating_histories",
    "record_reads",
    "related_employee_ids",
    "remove_period_ratings",
    "require_employee",
    "screen",
    "team_history",
    "teams_of",
    "vacated_post",
    "visible_employee_ids",
    "withdraw_temporary_post",
    "work_contacts",
    "write_period_ratings",
]


async def ensure_can_view(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    *,
    key_scope: Scope | None = None,
) -> EmployeeInfo:
    """The employee, or 404 when outside the caller's reach (existence must not leak).
    Integration keys need `key_scope`."""
    employee = await access.ensure_can_view(session, principal, employee_id, key_scope=key_scope)
    return employee_info(employee)


async def require_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, field: str = "employee_id"
) -> EmployeeInfo:
    """An employee referenced in a request body: 422 when it is not in this organization."""
    return employee_info(await references.require_employee(session, org_id, employee_id, field))


async def add_event(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    body: EmploymentEventCreate,
    clock: Clock,
) -> uuid.UUID:
    """Record a career move (HR only), applied to the employee's post or status at once or,
    dated later, on its effective date; the event's id."""
    event = await employment_events.add_event(session, principal, employee_id, body, clock)
    return event.id


async def end_temporary_post(
    session: AsyncSession, principal: Principal, event_id: uuid.UUID, last_day: date
) -> date:
    """End a recorded temporary post on `last_day`, before its planned end (HR only; 404 for
    another kind or organization's event, 422 on `last_day` outside the post's span); the
    end it had."""
    return await employment_events.end_temporary_post(session, principal, event_id, last_day)


async def withdraw_temporary_post(
    session: AsyncSession, principal: Principal, event_id: uuid.UUID, reason: str, clock: Clock
) -> None:
    """Call off a recorded temporary post before its first day, with a reason (HR only; 404
    for another kind or organization's event, 409 once begun or withdrawn already)."""
    await post_withdrawal.withdraw_temporary_post(session, principal, event_id, reason, clock)


async def is_applied(session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID) -> bool:
    """Whether the event reached the employee's record (False while its date is ahead)."""
    event = await employment_events.employment_event(session, org_id, event_id)
    return event is not None and event.applied


async def employee_ids_by_email(
    session: AsyncSession, org_id: uuid.UUID, emails: list[str]
) -> dict[str, uuid.UUID]:
    """The organization's active employees of these work emails, keyed by the lower-cased
    address, in one statement (none: nothing sent; an address two people share: absent)."""
    if not emails:
        return {}
    return await repository.active_employee_ids_by_email(session, org_id, emails)


async def employee_ids_by_number(
    session: AsyncSession, org_id: uuid.UUID, numbers: list[str]
) -> dict[str, uuid.UUID]:
    """The organization's employees of these numbers, by number, in one statement (none:
    nothing sent)."""
    if not numbers:
        return {}
    found = await repository.employees_by_numbers(session, org_id, numbers)
    return {number: employee.id for number, employee in found.items()}


async def panoramic_profile(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, clock: Clock
) -> dict[str, Any]:
    """The panoramic profile as `principal` may see it (404 outside reach), as JSON data."""
    found = await profile.panoramic_profile(session, principal, employee_id, clock)
    return found.model_dump(mode="json")
