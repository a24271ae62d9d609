"""A dossier as the text of its PDF: headings (`# `) and lines in the reader's language.

Rendered only from the trimmed `Dossier` its reader was shown, so the PDF can never say more
than the JSON did (no supervisor evaluation or decision reason in the participant's own copy,
360 results only as reviews aggregated them). The worker renders it inside
`i18n.using(<the locale the reader asked in>)`: labels and enum values are messages, dates
follow the locale, names and texts people typed stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterator

from hrcore.core.i18n import N_, Day, Text, _, _n, translate
from hrcore.programs.schemas import (
    DecisionRecord,
    Dossier,
    DossierCompetencies,
    DossierMentorship,
    DossierPlan,
    DossierStage,
    DossierStretch,
)
from hrcore.reviews.api import ResultOut
from hrcore.workflow.api import TaskOut

LABELS = {
    "enrolled": N_("enrolled"),
    "active": N_("active"),
    "completed": N_("completed"),
    "graduated": N_("graduated"),
    "withdrawn": N_("withdrawn"),
    "pending": N_("pending"),
    "open": N_("open"),
    "cancelled": N_("cancelled"),
    "computed": N_("computed"),
    "published": N_("published"),
    "training": N_("training"),
    "submission": N_("submission"),
    "review": N_("review"),
    "evaluation": N_("evaluation"),
    "assignment": N_("assignment"),
    "decision": N_("decision"),
    "stretch_assignment": N_("stretch assignment"),
    "appoint_when_open": N_("appoint when a post opens"),
    "continue": N_("continue"),
    "extend": N_("extend"),
    "remove": N_("remove"),
    "ready_now": N_("ready now"),
    "one_to_two_years": N_("one to two years"),
    "three_plus_years": N_("three plus years"),
    "self": N_("self"),
    "supervisor": N_("supervisor"),
    "peer": N_("peer"),
    "subordinate": N_("subordinate"),
    "draft": N_("draft"),
    "approved": N_("approved"),
    "submitted": N_("submitted"),
    "returned": N_("returned"),
    "rejected": N_("rejected"),
    "closed": N_("closed"),
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "dropped": N_("dropped"),
    "program": N_("program"),
    "course": N_("course"),
    "mentoring": N_("mentoring"),
    "other": N_("other"),
}
"""Enum values as the reader reads them (the JSON keeps the codes)."""


def label(code: str) -> str:
    """An enum value in the current locale; an unknown one as it is."""
    return translate(LABELS[code]) if code in LABELS else code


def dossier_text(dossier: Dossier) -> str:
    return "\n".join(str(line) for line in _lines(dossier))


def _lines(dossier: Dossier) -> Iterator[str | Text]:
    participant = dossier.participant
    yield "# " + str(_("Development dossier"))
    yield _("Program: {program}", program=dossier.run.name)
    yield _("Participant: {name}", name=participant.employee.name)
    if participant.outcome:
        yield _(
            "Status: {status} · Outcome: {outcome}",
            status=label(participant.status),
            outcome=label(participant.outcome),
        )
    else:
        yield _("Status: {status}", status=label(participant.status))
    if participant.status == "graduated" and participant.ended_reason:
        yield _("Graduated: {reason}", reason=participant.ended_reason)
    elif participant.withdrawn_reason:
        yield _("Withdrawn: {reason}", reason=participant.withdrawn_reason)
    for number, stage in enumerate(dossier.stages, start=1):
        yield ""
        yield from _stage(number, stage)
    if dossier.competency_profile is not None:
        yield ""
        yield from _competencies(dossier.competency_profile)
    if dossier.stretch_assignments:
        yield ""
        yield "# " + str(_("Stretch assignments"))
        for stretch in dossier.stretch_assignments:
            yield from _stretch(stretch)
    if dossier.development_plan is not None:
        yield ""
        yield from _plan(dossier.development_plan)
    if dossier.mentoring:
        yield ""
        yield "# " + str(_("Mentoring"))
        for pairing in dossier.mentoring:
            yield from _mentorship(pairing)


def _stage(number: int, stage: DossierStage) -> Iterator[str | Text]:
    yield f"# {number}. {stage.name}"
    fields = {
        "kind": label(stage.kind),
        "starts": Day(stage.starts_on),
        "due": Day(stage.due_on),
        "status": label(stage.status),
    }
    if stage.on_time is None:
        yield _("{kind} · {starts} – {due} · {status}", **fields)
    elif stage.on_time:
        yield _("{kind} · {starts} – {due} · {status} · on time", **fields)
    else:
        yield _("{kind} · {starts} – {due} · {status} · late", **fields)
    for task in stage.tasks:
        yield from _task(task)
    if stage.review_result is not None:
        yield from _review(stage.review_result)
    if stage.decision is not None:
        yield from _decision(stage.decision)
    if stage.stretch_problem:
        yield _("Not on the stretch assignment yet: {reason}", reason=stage.stretch_problem)


def _task(task: TaskOut) -> Iterator[str | Text]:
    if task.completed_at:
        yield _(
            "Task: {title} ({status}, {done})",
            title=task.title,
            status=label(task.status),
            done=Day(task.completed_at.date()),
        )
    else:
        yield _("Task: {title} ({status})", title=task.title, status=label(task.status))
    submission = task.submission
    if submission is None:
        return
    if submission.text:
        yield _("Submission: {text}", text=submission.text)
    for link in submission.links:
        yield _("Link: {link}", link=link)
    for attachment in submission.attachments:
        yield _("Attachment: {attachment}", attachment=attachment)


def _review(result: ResultOut) -> Iterator[str | Text]:
    overall = "—" if result.overall is None else f"{result.overall:g}"
    yield _n(
        "360 review: {overall} ({count} rater, {status})",
        "360 review: {overall} ({count} raters, {status})",
        result.raters,
        overall=overall,
        status=label(result.status),
    )
    for indicator in result.indicators:
        score = f"{indicator.score:g}"
        if indicator.groups:
            groups = ", ".join(
                f"{label(group.relationship)} {group.score:g} ({group.raters})"
                for group in indicator.groups
            )
            yield f"  {indicator.name}: {score} — {groups}"
        else:
            yield f"  {indicator.name}: {score}"
    for comment in result.comments:
        yield _("  Comment: {comment}", comment=comment)


def _decision(decision: DecisionRecord) -> Iterator[str | Text]:
    fields = {"outcome": label(decision.outcome), "date": Day(decision.decided_at.date())}
    if decision.readiness:
        yield _(
            "Decision: {outcome}, {readiness} ({date})",
            readiness=label(decision.readiness),
            **fields,
        )
    else:
        yield _("Decision: {outcome} ({date})", **fields)
    if decision.reason:
        yield _("Reason: {reason}", reason=decision.reason)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _competencies(profile: DossierCompetencies) -> Iterator[str | Text]:
    """Before → after per competency, with the requirement of the target position's model."""
    yield "# " + str(_("Competency profile"))
    if profile.position is not None and profile.model_version is not None:
        yield _(
            "Against the competency model of {position} (version {version})",
            position=profile.position.name,
            version=profile.model_version,
        )
    if profile.started_at is not None:
        yield _(
            "Before: at the program's start ({date}); after: now",
            date=Day(profile.started_at.date()),
        )
    if not profile.competencies:
        yield _("No competency assessed yet")
    for line in profile.competencies:
        scores = {
            "name": line.competency.name,
            "before": _score(line.before),
            "after": _score(line.after),
        }
        if line.required is None:
            yield _("{name}: {before} → {after}", **scores)
        elif line.met:
            yield _(
                "{name}: {before} → {after} (required {required}, met)",
                required=f"{line.required:g}",
                **scores,
            )
        else:
            yield _(
                "{name}: {before} → {after} (required {required}, not met)",
                required=f"{line.required:g}",
                **scores,
            )


def _stretch(stretch: DossierStretch) -> Iterator[str | Text]:
    """The assignment, its window and the outcome: figures, then per competency the
    supervisor's rating and the peers' mean when enough of them answered."""
    yield _(
        "{title} ({department}) · {starts} – {ends} · {status}",
        title=stretch.title,
        department=stretch.department.name,
        starts=Day(stretch.starts_on),
        ends=Day(stretch.ends_on),
        status=label(stretch.status),
    )
    for figure in stretch.figures:
        unit = f" {figure.unit}" if figure.unit else ""
        yield f"  {figure.name}: {figure.value:g}{unit}"
    for rating in stretch.ratings:
        if rating.peer_mean is None:
            yield _(
                "  {name}: supervisor {rating}",
                name=rating.competency.name,
                rating=f"{rating.supervisor_rating:g}",
            )
        else:
            yield _n(
                "  {name}: supervisor {rating}, peers {mean} ({count} peer)",
                "  {name}: supervisor {rating}, peers {mean} ({count} peers)",
                rating.peer_count or 0,
                name=rating.competency.name,
                rating=f"{rating.supervisor_rating:g}",
                mean=f"{rating.peer_mean:g}",
            )


def _plan(plan: DossierPlan) -> Iterator[str | Text]:
    """The plan's period and status, each goal's target against the profile now and each
    action's status."""
    yield "# " + str(_("Development plan"))
    yield _(
        "{title} ({period}) · {status} · {percent} done",
        title=plan.title,
        period=plan.period,
        status=label(plan.status),
        percent=f"{plan.percent:g}%",
    )
    for goal in plan.goals:
        fields = {
            "name": goal.competency.name,
            "current": _score(goal.current),
            "required": f"{goal.required:g}",
            "level": goal.target_level,
            "levels": goal.levels,
        }
        if goal.met:
            yield _("Goal {name}: {current} of {required} (level {level}/{levels}, met)", **fields)
        else:
            yield _(
                "Goal {name}: {current} of {required} (level {level}/{levels}, not met)", **fields
            )
    for action in plan.actions:
        yield _(
            "Action {title} ({kind}): {status}",
            title=action.title,
            kind=label(action.kind),
            status=label(action.status),
        )


def _mentorship(pairing: DossierMentorship) -> Iterator[str | Text]:
    """A pairing as the participant is in it, its dates and status, then its plan and how
    many sessions were held."""
    fields = {
        "other": pairing.other.name,
        "program": pairing.program.name,
        "starts": Day(pairing.starts_on),
        "ends": Day(pairing.ends_on),
        "status": label(pairing.status),
    }
    if pairing.role == "mentee":
        yield _("Mentored by {other} ({program}) · {starts} – {ends} · {status}", **fields)
    else:
        yield _("Mentor of {other} ({program}) · {starts} – {ends} · {status}", **fields)
    yield _n(
        "  Plan: {plan} · {count} session held",
        "  Plan: {plan} · {count} sessions held",
        pairing.sessions_held,
        plan=label(pairing.plan_status or "draft"),
    )
