"""The automated evaluations of the caller's employee that exist now (PIPL Art. 24).

Each domain already explains its own: talent its pools' screening and its vacancy rankings,
competencies its stretch matches and profile scores, performance its live scores, training
the needs it draws from a person's data, mentoring a mentor's effectiveness. This module
reads them through those domains' `api.py` — the same use cases the domains' `/me/…` routes
answer with, each a fixed number of statements — and gives them one shape: kind, deciding
object, result, when, and the domain's factors, in the reader's language (a screening's
rules, which talent keeps as data, are worded here).

An evaluation's id is `<kind>:<subject id>` (a performance score adds `:<period>`): stable
while its figures move with their facts, so an objection can name it, and meaningless for
anyone else — every evaluation is looked up among the caller's own, so another person's id
is simply unknown (404). Nothing is stored until the person objects; the objection keeps
the evaluation as they read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import NotFound
from hrcore.core.i18n import N_, Text, _
from hrcore.core.pagination import OFFSET, PageParams, decode_cursor, encode_cursor
from hrcore.mentoring import api as mentoring
from hrcore.performance import api as performance
from hrcore.privacy import automated_repository as repository
from hrcore.privacy.automated_schemas import (
    AutomatedEvaluationKind,
    AutomatedEvaluationOut,
    AutomatedFactorOut,
    AutomatedObjectionStateOut,
    AutomatedResultOut,
)
from hrcore.settings import Settings
from hrcore.talent import api as talent
from hrcore.training import api as training

Kind = AutomatedEvaluationKind

STRETCH_FACTORS = {
    "gap_fit": N_("how far you fall short of your position's model in what it develops"),
    "readiness": N_("how close you are to the level it needs to start"),
    "load": N_("room for one more assignment beside those you are on"),
    "pool": N_("active membership of a talent pool"),
}
"""What each stretch-matching factor weighs (competencies' `match_scoring`)."""

EVIDENCE_KINDS = {
    "manual": N_("an assessment"),
    "review": N_("a published review result"),
    "program_evaluation": N_("a development program's evaluation"),
}
"""How a competency's evidence reads; other kinds read as their code."""


def _rule(rule: talent.Rule) -> Text:
    """A screening rule as a sentence, with its parameters."""
    if rule.kind == "performance_percentile":
        return _(
            "top {top_percent}% by mean rating over the latest {periods} periods",
            top_percent=f"{rule.top_percent:g}",
            periods=rule.periods,
        )
    if rule.kind == "consecutive_top_ratings":
        return _(
            "the latest {count} ratings {letter} or better", count=rule.count, letter=rule.letter
        )
    if rule.kind == "management_experience":
        return _("at the head of a team at least {count} times", count=rule.min_events)
    if rule.kind == "career_plan":
        return _("a submitted career plan aiming at {aspiration}", aspiration=rule.aspiration)
    if rule.kind == "training_points":
        return _("at least {points} training points in the last 12 months", points=rule.min_points)
    return _("employed at least {years} years", years=f"{rule.min_years:g}")


def _verdict(rule: talent.Rule, found: talent.CriterionResult) -> Text:
    value = (
        "–"
        if found.value is None
        else f"{found.value:g}"
        if isinstance(found.value, float)
        else found.value
    )
    if found.passed:
        return _("{rule}: met, found {value}", rule=_rule(rule), value=value)
    return _("{rule}: not met, found {value}", rule=_rule(rule), value=value)


def _screenings(
    screenings: Sequence[talent.OwnScreening], now: datetime
) -> list[AutomatedEvaluationOut]:
    return [
        AutomatedEvaluationOut(
            id=f"{Kind.POOL_SCREENING}:{screening.pool.id}",
            kind=Kind.POOL_SCREENING,
            title=_("The screening rules of the talent pool {pool}", pool=screening.pool.name),
            subject_type="talent_pool",
            subject=screening.pool,
            result=AutomatedResultOut(
                score=None,
                out_of=None,
                verdict="passed" if screening.passed else "not_passed",
                rank=None,
            ),
            computed_at=now,
            factors=[
                AutomatedFactorOut(
                    factor=found.kind,
                    value=found.value,
                    weight=None,
                    points=None,
                    explanation=_verdict(rule, found),
                )
                for rule, found in zip(screening.rules, screening.results, strict=True)
            ],
            objection=None,
        )
        for screening in screenings
    ]


def _vacancy_ranking(ranking: talent.MyRankingOut, now: datetime) -> AutomatedEvaluationOut:
    return AutomatedEvaluationOut(
        id=f"{Kind.VACANCY_RANKING}:{ranking.vacancy_id}",
        kind=Kind.VACANCY_RANKING,
        title=(
            _(
                "Your ranking for the vacancy {position}, as an applicant",
                position=ranking.position.name,
            )
            if ranking.pool is None
            else _(
                "Your ranking for the vacancy {position}, from the pool {pool}",
                position=ranking.position.name,
                pool=ranking.pool.name,
            )
        ),
        subject_type="vacancy",
        subject={"id": ranking.vacancy_id, "name": ranking.position.name},
        result=AutomatedResultOut(
            score=ranking.score,
            out_of=100,
            verdict="eligible" if ranking.eligible else "not_eligible",
            rank=None,
        ),
        computed_at=now,
        factors=[
            AutomatedFactorOut(
                factor=factor.factor,
                value=factor.value,
                weight=factor.weight,
                points=factor.points,
                explanation=factor.explanation,
            )
            for factor in ranking.factors
        ],
        objection=None,
    )


def _stretch_matches(
    matches: competencies.AssignmentMatchesOut, now: datetime
) -> list[AutomatedEvaluationOut]:
    return [
        AutomatedEvaluationOut(
            id=f"{Kind.STRETCH_MATCH}:{match.assignment_id}",
            kind=Kind.STRETCH_MATCH,
            title=_(
                "The stretch assignment {assignment} ranked {rank} for your competency gaps",
                assignment=match.assignment.name,
                rank=match.rank,
            ),
            subject_type="stretch_assignment",
            subject=match.assignment,
            result=AutomatedResultOut(score=match.score, out_of=100, verdict=None, rank=match.rank),
            computed_at=now,
            factors=[
                AutomatedFactorOut(
                    factor=factor.factor,
                    value=factor.value,
                    weight=factor.weight,
                    points=factor.points,
                    explanation=_(
                        "{what}: {value}% of the factor, {points} points",
                        what=_(STRETCH_FACTORS[factor.factor]),
                        value=f"{factor.value * 100:.0f}",
                        points=f"{factor.points:g}",
                    ),
                )
                for factor in match.factors
            ],
            objection=None,
        )
        for match in matches.items
    ]


def _competency_scores(profile: competencies.CompetencyProfileOut) -> list[AutomatedEvaluationOut]:
    if profile.computed_at is None:
        return []
    computed_at = profile.computed_at
    return [
        AutomatedEvaluationOut(
            id=f"{Kind.COMPETENCY_SCORE}:{figure.competency_id}",
            kind=Kind.COMPETENCY_SCORE,
            title=_("Your competency score on {competency}", competency=figure.competency.name),
            subject_type="competency",
            subject=figure.competency,
            result=AutomatedResultOut(score=figure.score, out_of=10, verdict=None, rank=None),
            computed_at=computed_at,
            factors=[
                AutomatedFactorOut(
                    factor=used.source_kind,
                    value=used.value,
                    weight=used.weight,
                    points=None,
                    explanation=_(
                        "{source} of {value} on {day}, counted with weight {weight}",
                        source=_(EVIDENCE_KINDS[used.source_kind])
                        if used.source_kind in EVIDENCE_KINDS
                        else used.source_kind,
                        value=f"{used.value:g}",
                        day=used.observed_at.date().isoformat(),
                        weight=f"{used.weight:.2f}",
                    ),
                )
                for used in figure.evidence
            ],
            objection=None,
        )
        for figure in profile.competencies
    ]


def _performance_scores(
    scores: performance.EmployeePerformanceOut,
) -> list[AutomatedEvaluationOut]:
    return [
        AutomatedEvaluationOut(
            id=f"{Kind.PERFORMANCE_SCORE}:{period.scheme_id}:{period.period}",
            kind=Kind.PERFORMANCE_SCORE,
            title=_(
                "Your live performance score for {period} on the scheme {scheme}",
                period=period.period,
                scheme=period.scheme.name,
            ),
            subject_type="performance_scheme",
            subject=period.scheme,
            result=AutomatedResultOut(score=period.overall, out_of=100, verdict=None, rank=None),
            computed_at=period.computed_at,
            factors=[
                AutomatedFactorOut(
                    factor=indicator.key,
                    value=indicator.value,
                    weight=indicator.weight,
                    points=indicator.score,
                    explanation=_(
                        "{indicator}: {value} {unit} from {count} observations against a "
                        "target of {target}",
                        indicator=indicator.name,
                        value="–" if indicator.value is None else f"{indicator.value:g}",
                        unit=indicator.unit,
                        count=indicator.observations,
                        target=f"{indicator.target:g}",
                    ),
                )
                for indicator in period.indicators
            ],
            objection=None,
        )
        for period in scores.periods
    ]


NEED_SOURCES = {
    "position_model": N_("a requirement of your position's competency model not met"),
    "review": N_("an item of your newest published review under the threshold"),
    "career_plan": N_("a requirement of the position your career plan aims at not met"),
}
"""Where a training need comes from (training's `needs`)."""


def _training_needs(
    analysis: training.TrainingNeedsOut, now: datetime
) -> list[AutomatedEvaluationOut]:
    return [
        AutomatedEvaluationOut(
            id=f"{Kind.TRAINING_NEED}:{need.competency_id}",
            kind=Kind.TRAINING_NEED,
            title=_("A training need in {competency}", competency=need.competency.name),
            subject_type="competency",
            subject=need.competency,
            result=AutomatedResultOut(
                score=need.average_score, out_of=100, verdict=None, rank=None
            ),
            computed_at=now,
            factors=[
                *(
                    AutomatedFactorOut(
                        factor=line.source,
                        value=line.value,
                        weight=None,
                        points=None,
                        explanation=_(
                            "{source}: {value} against {threshold}",
                            source=_(NEED_SOURCES[line.source]),
                            value="–" if line.value is None else f"{line.value:g}",
                            threshold=f"{line.threshold:g}",
                        ),
                    )
                    for line in need.evidence
                ),
                *(
                    AutomatedFactorOut(
                        factor="course",
                        value=course.course.name,
                        weight=None,
                        points=None,
                        explanation=_(
                            "proposed: the course {course}, {hours} hours",
                            course=course.course.name,
                            hours=f"{course.hours:g}",
                        ),
                    )
                    for course in need.courses
                ),
            ],
            objection=None,
        )
        for need in analysis.items
    ]


def _mentor_effectiveness(
    figures: Sequence[mentoring.OwnEffectiveness],
) -> list[AutomatedEvaluationOut]:
    return [
        AutomatedEvaluationOut(
            id=f"{Kind.MENTOR_EFFECTIVENESS}:{figure.program.id}",
            kind=Kind.MENTOR_EFFECTIVENESS,
            title=_(
                "Your effectiveness as a mentor in the program {program}",
                program=figure.program.name,
            ),
            subject_type="mentoring_program",
            subject=figure.program,
            result=AutomatedResultOut(score=figure.score, out_of=100, verdict=None, rank=None),
            computed_at=figure.computed_at,
            factors=[
                AutomatedFactorOut(
                    factor=part.part,
                    value=part.value,
                    weight=part.weight,
                    points=part.score,
                    explanation=part.explanation,
                )
                for part in figure.parts
            ],
            objection=None,
        )
        for figure in figures
    ]


async def evaluations_of(
    session: AsyncSession, principal: Principal, clock: Clock, settings: Settings
) -> list[AutomatedEvaluationOut]:
    """Every automated evaluation of the caller's employee, in a fixed order (kind, then the
    domain's own order), each with its latest objection; none for an account without one.
    A fixed number of statements whatever how many there are."""
    if principal.employee_id is None:
        return []
    now = clock.now()
    screenings = await talent.own_screenings(
        session, principal.org_id, principal.employee_id, clock
    )
    rankings = await talent.own_vacancy_rankings(session, principal, clock)
    matches = await competencies.own_stretch_matches(session, principal, settings)
    profile = await competencies.own_profile(session, principal, settings)
    scores = await performance.own_performance(session, principal)
    needs = await training.own_needs(session, principal)
    mentor_figures = await mentoring.own_effectiveness(
        session, principal.org_id, principal.employee_id
    )
    found = [
        *_screenings(screenings, now),
        *(_vacancy_ranking(ranking, now) for ranking in rankings),
        *_stretch_matches(matches, now),
        *_competency_scores(profile),
        *_performance_scores(scores),
        *_training_needs(needs, now),
        *_mentor_effectiveness(mentor_figures),
    ]
    latest = await repository.latest_objections(session, principal.org_id, principal.employee_id)
    for evaluation in found:
        state = latest.get(evaluation.id)
        if state is not None:
            evaluation.objection = AutomatedObjectionStateOut.model_validate(state)
    return found


async def evaluation_of(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: str,
    clock: Clock,
    settings: Settings,
) -> AutomatedEvaluationOut:
    """One of the caller's own evaluations as it stands now; 404 for any other id."""
    for evaluation in await evaluations_of(session, principal, clock, settings):
        if evaluation.id == evaluation_id:
            return evaluation
    raise NotFound(_("No such automated evaluation of yours"))


def page_of(
    evaluations: Sequence[AutomatedEvaluationOut], page: PageParams
) -> tuple[list[AutomatedEvaluationOut], str | None]:
    """A page by offset over the fixed order (400 for a cursor this list did not give)."""
    start = 0 if page.cursor is None else int(decode_cursor(page.cursor, [OFFSET])[0])
    end = start + page.limit
    return list(evaluations[start:end]), encode_cursor([end]) if end < len(evaluations) else None
