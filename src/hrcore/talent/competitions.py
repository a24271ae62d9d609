"""Internal competition 「岗位竞聘」: HR opens an open vacancy for it with its own rules (the
talent screening rules, `training_points` among them: 100 points in the period unlock the
next-level competition) and a closing moment; employees who meet the rules see it.

Rules are evaluated by people's screening statement (`people.screen`) for the caller alone
(`among_ids`): every open competition's rules go into that one statement together, so the
list costs the same whatever the number of competitions. Each rule explains itself in the
reader's language, which is also what a refused application (422) names.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import Text, _
from hrcore.core.labels import label
from hrcore.core.pagination import OFFSET, PageParams, decode_cursor, encode_cursor
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.talent import access, competition_repository
from hrcore.talent.competition_schemas import CompetitionIn, CompetitionRuleOut, OpenCompetitionOut
from hrcore.talent.models import Vacancy, VacancyStatus
from hrcore.talent.schemas import (
    RULES,
    CareerPlanRule,
    ConsecutiveTopRatingsRule,
    ManagementExperienceRule,
    PerformancePercentileRule,
    Rule,
    TenureRule,
    TrainingPointsRule,
)
from hrcore.talent.screening import as_criterion


@dataclass(frozen=True)
class Verdict:
    """One rule against one employee: what was found, whether it passes, and why."""

    kind: str
    value: float | str | None
    passed: bool
    explanation: Text


async def open_competition(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    body: CompetitionIn,
    clock: Clock,
    *,
    if_match: str | None,
) -> Vacancy:
    """HR admin: the open vacancy takes applications from who meets `rules` until
    `closes_at`; 409 when it is not open or already a competition. Audited."""
    require_hr_admin(principal)
    vacancy = await access.vacancy_in_reach(session, principal, vacancy_id, for_update=True)
    check_version(vacancy.version, if_match=if_match, body_version=body.version)
    if vacancy.status != VacancyStatus.OPEN.value:
        raise Conflict(_("This vacancy is {status}", status=label(vacancy.status)))
    if vacancy.competition_rules is not None:
        raise Conflict(_("This vacancy is open for internal competition already"))
    now = clock.now()
    if body.closes_at.tzinfo is None:
        why = _("must carry its UTC offset")
    elif body.closes_at <= now:
        why = _("must be later than now")
    else:
        why = None
    if why is not None:
        raise Unprocessable(
            _("The competition must close in the future"),
            errors=[FieldError(field="closes_at", message=why)],
        )
    vacancy.competition_rules = RULES.dump_python(body.rules, mode="json")
    vacancy.competition_closes_at, vacancy.competition_opened_at = body.closes_at, now
    await session.flush()
    audit.record(
        session,
        principal,
        "vacancy.competition_opened",
        "vacancy",
        vacancy.id,
        org_id=vacancy.org_id,
        after={"rules": vacancy.competition_rules, "closes_at": body.closes_at.isoformat()},
    )
    return vacancy


def rules_of(vacancy: Vacancy) -> list[Rule]:
    return RULES.validate_python(vacancy.competition_rules or [])


async def evaluate(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    rule_sets: Sequence[Sequence[Rule]],
    clock: Clock,
) -> list[list[Verdict]] | None:
    """The employee against each set of rules, in people's one screening statement; None
    when they are not an active employee."""
    rules = [rule for rule_set in rule_sets for rule in rule_set]
    screened = await people.screen(
        session,
        org_id,
        [as_criterion(rule) for rule in rules],
        today=await people.org_today(session, org_id, clock),
        among_ids=[employee_id],
        only_passing=False,
        limit=1,
    )
    if not screened.employees:
        return None
    found = iter(zip(rules, screened.employees[0].criteria, strict=True))
    verdicts = []
    for rule_set in rule_sets:
        verdicts.append([_verdict(*next(found)) for _rule in rule_set])
    return verdicts


def _number(value: object) -> float | None:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return round(float(value), 1)
    return None


def _verdict(rule: Rule, found: people.CriterionRow) -> Verdict:
    number = _number(found.value)
    value: float | str | None = number if number is not None else found.value
    if value is not None and not isinstance(value, float | str):
        value = str(value)
    return Verdict(rule.kind, value, found.passed, explain(rule, value))


def _percentile(rule: PerformancePercentileRule, value: float | str | None) -> Text:
    if value is None:
        return _("performance: no ratings found; the top {top}% are needed", top=rule.top_percent)
    return _(
        "performance: top {value}% found; the top {top}% are needed",
        value=value,
        top=rule.top_percent,
    )


def _top_ratings(rule: ConsecutiveTopRatingsRule, value: float | str | None) -> Text:
    return _(
        "ratings of {letter} or better in a row: {value} found; {count} needed",
        letter=rule.letter,
        value=value or 0,
        count=rule.count,
    )


def _management(rule: ManagementExperienceRule, value: float | str | None) -> Text:
    return _(
        "management experience: {value} team-lead moves found; {count} needed",
        value=value or 0,
        count=rule.min_events,
    )


def _career_plan(rule: CareerPlanRule, value: float | str | None) -> Text:
    if value is None:
        return _(
            "career plan: none submitted; a {aspiration} aspiration is needed",
            aspiration=rule.aspiration,
        )
    return _(
        "career plan: {value} aspiration found; {aspiration} needed",
        value=value,
        aspiration=rule.aspiration,
    )


def _tenure(rule: TenureRule, value: float | str | None) -> Text:
    return _("tenure: {value} years found; {years} needed", value=value or 0, years=rule.min_years)


def _points(rule: TrainingPointsRule, value: float | str | None) -> Text:
    if rule.min_plan_completion_percent is None:
        return _(
            "training points in the last 12 months: {value} found; {points} needed",
            value=value or 0,
            points=rule.min_points,
        )
    return _(
        "training points in the last 12 months: {value} found; {points} needed, and "
        "{percent}% of the action plans due in them scored",
        value=value or 0,
        points=rule.min_points,
        percent=rule.min_plan_completion_percent,
    )


_EXPLAIN: dict[type[Any], Callable[[Any, Any], Text]] = {
    PerformancePercentileRule: _percentile,
    ConsecutiveTopRatingsRule: _top_ratings,
    ManagementExperienceRule: _management,
    CareerPlanRule: _career_plan,
    TenureRule: _tenure,
    TrainingPointsRule: _points,
}


def _shown(value: float | str | None) -> float | int | str | None:
    """A whole number without its `.0` (100 points, 5 years), others as they are."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def explain(rule: Rule, value: float | str | None) -> Text:
    """What a rule asks and what was found, in the reader's language."""
    shown_rule = rule.model_copy(
        update={
            name: _shown(getattr(rule, name))
            for name in ("top_percent", "min_years", "min_plan_completion_percent")
            if hasattr(rule, name)
        }
    )
    return _EXPLAIN[type(rule)](shown_rule, _shown(value))


def _offset(page: PageParams) -> int:
    if page.cursor is None:
        return 0
    [offset] = decode_cursor(page.cursor, [OFFSET])
    return int(offset)


async def open_for_me(
    session: AsyncSession, principal: Principal, page: PageParams, clock: Clock
) -> tuple[list[OpenCompetitionOut], str | None]:
    """The competitions taking applications whose rules the caller meets, closing soonest
    first, each with what was found and the caller's application. A fixed number of
    statements: the competitions, the screening (two), positions, departments, applications."""
    principal.require_key_scope(None)
    if principal.employee_id is None:
        return [], None
    vacancies = await competition_repository.open_competitions(
        session, principal.org_id, clock.now()
    )
    if not vacancies:
        return [], None
    verdicts = await evaluate(
        session, principal.org_id, principal.employee_id, [rules_of(v) for v in vacancies], clock
    )
    met = [
        (vacancy, found)
        for vacancy, found in zip(vacancies, verdicts or [], strict=False)
        if all(verdict.passed for verdict in found)
    ]
    start = _offset(page)
    shown = met[start : start + page.limit]
    cursor = encode_cursor([start + page.limit]) if start + page.limit < len(met) else None
    ids = [vacancy.id for vacancy, _found in shown]
    positions = await org.position_refs(
        session, principal.org_id, [vacancy.position_id for vacancy, _found in shown]
    )
    departments = await org.department_refs(
        session, principal.org_id, [vacancy.department_id for vacancy, _found in shown]
    )
    mine = await competition_repository.applications_of_employee(
        session, principal.org_id, principal.employee_id, ids
    )
    views = []
    for vacancy, found in shown:
        application = mine.get(vacancy.id)
        views.append(
            OpenCompetitionOut(
                vacancy_id=vacancy.id,
                position=positions[vacancy.position_id],
                department=departments[vacancy.department_id],
                note=vacancy.note,
                closes_at=vacancy.competition_closes_at,
                rules=[verdict_view(verdict) for verdict in found],
                application_id=application.id if application else None,
                application_status=application.status if application else None,
            )
        )
    return views, cursor


def verdict_view(verdict: Verdict) -> CompetitionRuleOut:
    return CompetitionRuleOut(
        kind=verdict.kind,
        value=verdict.value,
        passed=verdict.passed,
        explanation=verdict.explanation,
    )
