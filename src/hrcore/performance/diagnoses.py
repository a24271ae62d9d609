"""Diagnosis 「根因分析」: a department below target on an indicator `diagnosis_streak` (3) ended
periods in a row opens one diagnosis — the indicator's series, the department's other
observed indicators (market, resources: same ingestion, department-level), its team's
scores and capability (`diagnoses_team`: competency attainment, tenure, turnover) — and a
task for the head of the department (the nearest department at or above it with a head
linked to an employee). The head records the root cause and an action plan whose items
become tasks (`resolve`); HR lists open and resolved ones.

The daily cron judges every department with observations (`departments.score_departments`):
only periods that are over count, and the streak must reach the newest of them. One
diagnosis per department, indicator and streak (its first period): a streak that goes on
keeps its diagnosis.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import among
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.models import new_id
from hrcore.core.pagination import Page, PageParams, paginate
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance import departments, diagnoses_team
from hrcore.performance import departments_repository as team_repository
from hrcore.performance.diagnoses_models import PerformanceDiagnosis
from hrcore.performance.diagnoses_schemas import DiagnosisOut, DiagnosisResolveIn
from hrcore.performance.periods import period_of
from hrcore.workflow import api as workflow

SUBJECT = "performance_diagnosis"
DIAGNOSIS_KIND = "performance.diagnosis"
ACTION_KIND = "performance.diagnosis_action"
DUE_DAYS = 14
RESOLVE = workflow.Operation(
    "resolve_diagnosis", "POST", "/diagnoses/{diagnosis_id}/resolve", subject_param="diagnosis_id"
)
CATEGORIES = {
    "market": N_("market"),
    "resources": N_("resources"),
    "team_capability": N_("team capability"),
    "process": N_("process"),
    "other": N_("other"),
}


def _below(figure: dict[str, Any]) -> bool:
    value, target = figure["value"], figure["target"]
    if value is None:
        return False
    return bool(value > target if figure["direction"] == "lower" else value < target)


def _end(starts_on: date, kind: str) -> date:
    return period_of(f"{starts_on:%Y-%m}", kind)[2]


def _streaks(scores: departments.DepartmentScores, today: date) -> list[dict[str, Any]]:
    """Per indicator whose ended periods, newest back, are below target at least its
    `diagnosis_streak` times in a row (adjacent periods only): the streak and its bundle."""
    kind, indicators = scores.scheme["period"], scores.scheme["indicators"]
    ended = [p for p in scores.periods if _end(p.starts_on, kind) <= today]  # newest first
    found = []
    for spec in indicators:
        run: list[departments.DepartmentPeriod] = []
        for period in ended:
            adjacent = not run or _end(period.starts_on, kind) == run[-1].starts_on
            if not (adjacent and _below(_figure(period, spec["key"]))):
                break
            run.append(period)
        if len(run) >= spec.get("diagnosis_streak", 3):
            oldest_first = ended[::-1]
            found.append(
                {
                    "spec": spec,
                    "streak": [p.period for p in run[::-1]],
                    "spans": [(p.period, p.starts_on, _end(p.starts_on, kind)) for p in run[::-1]],
                    "bundle": {
                        "indicator": {k: spec[k] for k in ("key", "name", "unit", "direction")},
                        "series": _series(spec["key"], oldest_first),
                        "context": [
                            {
                                "key": other["key"],
                                "name": other["name"],
                                "unit": other["unit"],
                                "series": _series(other["key"], oldest_first),
                            }
                            for other in indicators
                            if other["key"] != spec["key"] and _series(other["key"], oldest_first)
                        ],
                    },
                }
            )
    return found


def _figure(period: departments.DepartmentPeriod, key: str) -> dict[str, Any]:
    return next(f for f in period.indicators if f["key"] == key)


def _series(key: str, periods: list[departments.DepartmentPeriod]) -> list[dict[str, Any]]:
    """The department's observed values of one indicator, oldest first, against target."""
    return [
        {
            "period": p.period,
            "value": _figure(p, key)["value"],
            "target": _figure(p, key)["target"],
            "below": _below(_figure(p, key)),
        }
        for p in periods
        if _figure(p, key)["value"] is not None
    ]


async def _team(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID, today: date
) -> list[dict[str, Any]]:
    """The team's mean scores per period, oldest first (members with a score)."""
    members = await people.active_employees_in_subtree(session, org_id, department_id)
    rows = await team_repository.team_scores(
        session, org_id, members, departments.months_back(today, departments.MONTHS_READ)
    )
    return [
        {"period": r["period"], "members": r["members"], "overall": round(r["overall"], 2)}
        for r in sorted(rows, key=lambda r: r["starts_on"])
    ]


async def _heads(
    session: AsyncSession, org_id: uuid.UUID, department_ids: list[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """Each department's head: an account heading it, else the nearest department above,
    linked to an employee (departments without one are absent). Two statements."""
    paths = await org.department_paths(session, org_id, department_ids)
    chains = {
        d: [uuid.UUID(part) for part in reversed(path.strip("/").split("/"))]
        for d, path in paths.items()
    }
    heads = await identity.department_heads(
        session, org_id, list({a for chain in chains.values() for a in chain})
    )
    found = {}
    for department_id, chain in chains.items():
        for above in chain:
            linked = [e for _, e in heads.get(above, []) if e is not None]
            if linked:
                found[department_id] = linked[0]
                break
    return found


async def open_diagnoses(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> int:
    """The daily sweep of one organization: new streaks become diagnoses with a task for
    the head; how many were opened."""
    today = await people.org_today(session, org_id, clock)
    scored = await departments.score_departments(session, org_id, None, today)
    rows, spans = [], {}
    for department_id, scores in scored.items():
        for streak in _streaks(scores, today):
            spans[row_id := new_id()] = streak["spans"]
            rows.append(
                {
                    "id": row_id,
                    "org_id": org_id,
                    "department_id": department_id,
                    "indicator": streak["spec"]["key"],
                    "indicator_name": streak["spec"]["name"],
                    "streak_from": streak["streak"][0],
                    "streak_to": streak["streak"][-1],
                    "periods": len(streak["streak"]),
                    "status": "open",
                    "bundle": streak["bundle"],
                    "action_plan": [],
                    "opened_at": clock.now(),
                }
            )
    if not rows:
        return 0
    statement = (
        insert(PerformanceDiagnosis)
        .values(rows)
        .on_conflict_do_nothing(
            index_elements=["org_id", "department_id", "indicator", "streak_from"]
        )
        .returning(PerformanceDiagnosis.id)
    )
    opened = set((await session.scalars(statement)).all())
    new = [row for row in rows if row["id"] in opened]
    if not new:
        return 0
    diagnoses = {
        d.id: d
        for d in await session.scalars(
            select(PerformanceDiagnosis).where(among(PerformanceDiagnosis.id, opened))
        )
    }
    names = await org.department_refs(session, org_id, [r["department_id"] for r in new])
    heads = await _heads(session, org_id, list({r["department_id"] for r in new}))
    tasks = []
    for row in new:
        diagnosis = diagnoses[row["id"]]
        diagnosis.bundle = row["bundle"] | {
            "team": await _team(session, org_id, row["department_id"], today),
            "capability": await diagnoses_team.capability(
                session, org_id, row["department_id"], spans[row["id"]], today
            ),
        }
        diagnosis.head_employee_id = heads.get(row["department_id"])
        if diagnosis.head_employee_id is not None:
            tasks.append(
                (
                    diagnosis,
                    workflow.NewTask(
                        subject_type=SUBJECT,
                        subject_id=diagnosis.id,
                        kind=DIAGNOSIS_KIND,
                        assignee_employee_id=diagnosis.head_employee_id,
                        title=_(
                            "Find why {department} missed {indicator} {periods} periods in a row",
                            department=names[row["department_id"]].name,
                            indicator=row["indicator_name"],
                            periods=row["periods"],
                        ),
                        due=today + timedelta(days=DUE_DAYS),
                    ),
                )
            )
    task_ids = await workflow.create_tasks(session, org_id=org_id, tasks=[t for _, t in tasks])
    for (diagnosis, _task), task_id in zip(tasks, task_ids, strict=True):
        diagnosis.task_id = task_id
    await audit.record_many(
        session,
        None,
        f"{SUBJECT}.opened",
        SUBJECT,
        [
            (r["id"], {"department_id": str(r["department_id"]), "indicator": r["indicator"]})
            for r in new
        ],
        org_id=org_id,
    )
    await session.flush()
    return len(new)


async def _readable(
    session: AsyncSession, principal: Principal, diagnosis_id: uuid.UUID, *, lock: bool = False
) -> PerformanceDiagnosis:
    """The diagnosis when the caller reads its department's performance (404 otherwise)."""
    statement = select(PerformanceDiagnosis).where(
        PerformanceDiagnosis.org_id == principal.org_id, PerformanceDiagnosis.id == diagnosis_id
    )
    diagnosis = await session.scalar(statement.with_for_update() if lock else statement)
    if diagnosis is None:
        raise NotFound(_("No such diagnosis"))
    try:
        await departments.readable_department(session, principal, diagnosis.department_id)
    except NotFound:
        raise NotFound(_("No such diagnosis")) from None
    return diagnosis


async def _out(session: AsyncSession, diagnoses: list[PerformanceDiagnosis]) -> list[DiagnosisOut]:
    if not diagnoses:
        return []
    names = await org.department_refs(
        session, diagnoses[0].org_id, list({d.department_id for d in diagnoses})
    )
    return [
        DiagnosisOut.model_validate(
            {
                column: getattr(d, column)
                for column in DiagnosisOut.model_fields
                if column != "department"
            }
            | {"department": names[d.department_id]}
        )
        for d in diagnoses
    ]


async def diagnosis(
    session: AsyncSession, principal: Principal, diagnosis_id: uuid.UUID
) -> DiagnosisOut:
    return await diagnosis_out(session, await _readable(session, principal, diagnosis_id))


async def resolved_only(
    session: AsyncSession, task: workflow.TaskInfo, submission: workflow.Submission | None
) -> None:
    """The head's task closes through `resolve`, which records the root cause; completing it
    at `/tasks/{id}/complete` would skip that."""
    status = await session.scalar(
        select(PerformanceDiagnosis.status).where(
            PerformanceDiagnosis.org_id == task.org_id, PerformanceDiagnosis.id == task.subject_id
        )
    )
    if status == "open":
        raise Unprocessable(
            _("Resolve the diagnosis itself: POST /diagnoses/{id}/resolve", id=task.subject_id)
        )


async def listed(
    session: AsyncSession, principal: Principal, page: PageParams, status: str | None
) -> Page[DiagnosisOut]:
    """HR admins (and `ratings:read` keys) see every diagnosis, a department head those of
    the departments at or below theirs; newest first, cursor-paginated."""
    departments.require_department_reader(principal)
    statement = select(PerformanceDiagnosis).where(PerformanceDiagnosis.org_id == principal.org_id)
    if status is not None:
        statement = statement.where(PerformanceDiagnosis.status == status)
    if principal.kind == "user" and not principal.is_hr_admin:
        scope = principal.department_scope
        assert scope is not None  # require_department_reader: a department head
        subtree = await org.subtree_ids(session, principal.org_id, scope)
        statement = statement.where(among(PerformanceDiagnosis.department_id, subtree))
    rows, cursor = await paginate(
        session,
        statement,
        [PerformanceDiagnosis.opened_at, PerformanceDiagnosis.id],
        page,
        descending=True,
    )
    return Page(items=await _out(session, rows), next_cursor=cursor)


async def resolve(
    session: AsyncSession,
    principal: Principal,
    diagnosis_id: uuid.UUID,
    body: DiagnosisResolveIn,
    clock: Clock,
) -> DiagnosisOut:
    """Record the root cause and the action plan (each item a task, by default for the
    caller); the head's task is done. 409 when already resolved."""
    diagnosis = await _readable(session, principal, diagnosis_id, lock=True)
    if diagnosis.status == "resolved":
        raise Conflict(_("The diagnosis is already resolved"))
    default = principal.employee_id or diagnosis.head_employee_id
    items = [(item, item.assignee_employee_id or default) for item in body.action_plan]
    if any(assignee is None for _item, assignee in items):
        raise Unprocessable(
            _("No employee carries out the action plan"),
            errors=[FieldError(field="body.action_plan", message=_("name assignee_employee_id"))],
        )
    task_ids = await workflow.create_tasks(
        session,
        org_id=principal.org_id,
        tasks=[
            workflow.NewTask(
                subject_type=SUBJECT,
                subject_id=diagnosis.id,
                kind=ACTION_KIND,
                assignee_employee_id=assignee,
                title=item.title,
                due=item.due_on,
            )
            for item, assignee in items
            if assignee is not None
        ],
        actor=principal,
    )
    diagnosis.status = "resolved"
    diagnosis.root_cause_category = body.root_cause_category
    diagnosis.root_cause = body.root_cause
    diagnosis.action_plan = [
        {
            "title": item.title,
            "due_on": item.due_on.isoformat(),
            "assignee_employee_id": str(assignee),
            "task_id": str(task_id),
        }
        for (item, assignee), task_id in zip(items, task_ids, strict=True)
    ]
    diagnosis.resolved_at = clock.now()
    diagnosis.resolved_by = principal.id
    await session.flush()  # the task's completion check reads the status
    if (
        diagnosis.task_id
        and await workflow.task_status(session, principal.org_id, diagnosis.task_id) == "open"
    ):
        await workflow.complete_task(
            session,
            org_id=principal.org_id,
            task_id=diagnosis.task_id,
            clock=clock,
            actor=principal,
        )
    audit.record(
        session,
        principal,
        f"{SUBJECT}.resolved",
        SUBJECT,
        diagnosis.id,
        org_id=principal.org_id,
        after={
            "root_cause_category": body.root_cause_category,
            "root_cause": body.root_cause,
            "action_plan": diagnosis.action_plan,
        },
    )
    await session.flush()
    return await diagnosis_out(session, diagnosis)


async def diagnosis_out(session: AsyncSession, found: PerformanceDiagnosis) -> DiagnosisOut:
    [out] = await _out(session, [found])
    return out


def bundle_text(view: DiagnosisOut) -> str:
    """The diagnosis as the PDF's text (`core.pdf`: `# ` lines are headings)."""
    bundle = view.bundle
    lines = [
        "# "
        + str(
            _(
                "Diagnosis: {department}, {indicator}",
                department=view.department.name,
                indicator=view.indicator_name,
            )
        ),
        str(
            _(
                "Below target {periods} periods in a row: {first} to {last}",
                periods=view.periods,
                first=view.streak_from,
                last=view.streak_to,
            )
        ),
        "# " + str(_("Series")),
    ]
    unit = bundle["indicator"]["unit"]
    lines += [f"{p['period']}: {p['value']:g} {unit} / {p['target']:g}" for p in bundle["series"]]
    lines.append("# " + str(_("Context")))
    for other in bundle["context"]:
        values = ", ".join(f"{p['period']} {p['value']:g}" for p in other["series"])
        lines.append(f"{other['name']} ({other['unit']}): {values}")
    lines.append("# " + str(_("Team")))
    lines += [f"{t['period']}: {t['members']} · {t['overall']:g}" for t in bundle.get("team", [])]
    if "capability" in bundle:
        lines += diagnoses_team.capability_lines(bundle["capability"])
    if view.root_cause_category:
        lines.append("# " + str(_("Root cause")))
        lines.append(f"{_(CATEGORIES[view.root_cause_category])}: {view.root_cause}")
        lines += [f"- {a.title} ({a.due_on})" for a in view.action_plan]
    return "\n".join(lines)
