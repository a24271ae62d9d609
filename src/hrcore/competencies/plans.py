"""Individual development plans 「个人发展计划」: one open plan per employee and period,
co-edited by the employee and whoever manages them (their managers, the department head,
HR). Each edit is a new version, every version kept and readable; a stale `If-Match` is 412,
a stale body `version` 409. A draft or a returned plan is edited; a submitted one is not
(409) until its approval returns it; an active (approved) plan changes only its actions'
statuses, and is closed when its period is done."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.competencies import (
    plan_access,
    plan_content,
    plan_notices,
    plan_progress,
    plan_repository,
    repository,
)
from hrcore.competencies.models import (
    PLAN_APPROVAL,
    DevelopmentPlan,
    DevelopmentPlanVersion,
)
from hrcore.competencies.plan_schemas import PlanCreate, PlanOut, PlanPatch, PlanSummary
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.core.pagination import Page, PageParams, paginate_rows
from hrcore.identity import api as identity
from hrcore.people import api as people

SUBJECT = plan_notices.SUBJECT
EDITABLE = ("draft", "returned")


def shown_status(stored: str, approval_status: str | None) -> str:
    """A submitted plan whose approval came back for changes reads `returned`."""
    return "returned" if stored == "submitted" and approval_status == "returned" else stored


async def for_change(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    *,
    if_match: str | None,
    body_version: int | None = None,
) -> tuple[DevelopmentPlan, people.EmployeeInfo, approvals.SubjectApproval | None, str]:
    """A co-editor's plan to change (404 for anyone else), locked after its newest approval
    — the order the engine's decisions lock them in, so an edit and a decision never wait on
    each other — with that approval while submitted and its status as shown; a stale
    version is 412 (`If-Match`) or 409 (body)."""
    plan, employee = await plan_access.readable_plan(session, principal, plan_id)
    await plan_access.require_editor(session, principal, plan.employee_id)
    approval = await approvals.subject_approval(session, plan.org_id, PLAN_APPROVAL, plan.id)
    await session.refresh(plan, with_for_update=True)
    check_version(plan.version, if_match=if_match, body_version=body_version)
    if plan.status != "submitted":
        return plan, employee, None, plan.status
    status = shown_status(plan.status, approval.status if approval is not None else None)
    return plan, employee, approval, status


def _goals_model(plan: DevelopmentPlan) -> dict[str, Any] | None:
    """The model version the goals were drawn from (None: none was)."""
    if plan.model_position_id is None or plan.model_version is None:
        return None
    return {
        "position_id": str(plan.model_position_id),
        "department_id": str(plan.model_department_id) if plan.model_department_id else None,
        "version": plan.model_version,
    }


def content(plan: DevelopmentPlan | DevelopmentPlanVersion) -> dict[str, Any]:
    return {"title": plan.title, "goals": plan.goals, "actions": plan.actions}


def _keep_version(session: AsyncSession, plan: DevelopmentPlan, principal: Principal) -> None:
    assert principal.user_id is not None  # people's reach refuses integration keys
    session.add(
        DevelopmentPlanVersion(
            org_id=plan.org_id,
            plan_id=plan.id,
            version=plan.version,
            edited_by=principal.user_id,
            **content(plan),
        )
    )


async def create(session: AsyncSession, principal: Principal, body: PlanCreate) -> uuid.UUID:
    """A draft plan for the caller or someone they manage (404 outside reach); 409 while the
    employee has an open plan for the period. Version 1 is kept like every later edit."""
    employee_id = body.employee_id or principal.employee_id
    if employee_id is None:
        raise Unprocessable(
            _("Name the employee the plan is for"),
            errors=[FieldError(field="employee_id", message=_("required for this account"))],
        )
    employee = await people.ensure_can_view(session, principal, employee_id)
    await plan_access.require_editor(session, principal, employee.id)
    org_id = principal.org_id
    goals, drawn_from = body.goals, None
    if body.goals_from_gaps:
        goals, drawn_from = await plan_content.goals_from_gaps(session, org_id, employee, goals)
    stored_goals = await plan_content.goals_content(session, org_id, goals)
    actions = await plan_content.actions_content(session, org_id, employee, body.actions, [])
    if await plan_repository.open_plan_id(session, org_id, employee.id, body.period):
        raise Conflict(
            _("The employee has an open development plan for {period}", period=body.period)
        )
    plan = DevelopmentPlan(
        org_id=org_id,
        employee_id=employee.id,
        period=body.period,
        title=body.title,
        status="draft",
        goals=stored_goals,
        actions=actions,
        version=1,
        model_position_id=drawn_from.position_id if drawn_from else None,
        model_department_id=drawn_from.department_id if drawn_from else None,
        model_version=drawn_from.version if drawn_from else None,
    )
    session.add(plan)
    await session.flush()
    _keep_version(session, plan, principal)
    audit.record(
        session,
        principal,
        "development_plan.created",
        SUBJECT,
        plan.id,
        org_id=org_id,
        after={"employee_id": str(employee.id), "period": plan.period, **content(plan)}
        | ({"goals_model": _goals_model(plan)} if drawn_from else {}),
    )
    await session.flush()
    return plan.id


async def listed(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    employee_id: uuid.UUID | None,
    period: str | None,
) -> Page[PlanSummary]:
    """The plans of the employees the caller may see, newest first."""
    visible = await people.visible_employee_ids(session, principal)
    statement = plan_repository.plans_seen(principal.org_id, visible, employee_id, period)
    rows, cursor = await paginate_rows(
        session, statement, [DevelopmentPlan.id], page, descending=True
    )
    refs = await people.employee_refs(session, principal.org_id, [r.employee_id for r in rows])
    approval_statuses = await approvals.subject_statuses(
        session, principal.org_id, PLAN_APPROVAL, [r.id for r in rows if r.status == "submitted"]
    )
    return Page[PlanSummary].model_validate(
        {
            "items": [
                {
                    **row._mapping,
                    "employee": refs[row.employee_id],
                    "status": shown_status(row.status, approval_statuses.get(row.id)),
                }
                for row in rows
            ],
            "next_cursor": cursor,
        }
    )


async def view(
    session: AsyncSession,
    plan: DevelopmentPlan,
    employee: people.EmployeeInfo,
    version: int | None = None,
) -> PlanOut:
    """The plan at its newest version (or `version`: 404 when it has none such) with its
    versions, its approval history and its progress."""
    org_id = plan.org_id
    versions = await plan_repository.versions_of(session, org_id, plan.id)
    shown: DevelopmentPlan | DevelopmentPlanVersion = plan
    if version is not None:
        found = [row for row in versions if row.version == version]
        if not found:
            raise NotFound(_("The plan has no version {version}", version=version))
        shown = found[0]
    editors = await identity.user_refs(session, org_id, list({v.edited_by for v in versions}))
    ids = list({uuid.UUID(goal["competency_id"]) for goal in shown.goals})
    names = await repository.competency_levels(session, org_id, ids)
    history = await approvals.subject_history(session, org_id, PLAN_APPROVAL, plan.id)
    progress = await plan_progress.progress(
        session, org_id, employee.id, shown.goals, shown.actions, names
    )
    return PlanOut.model_validate(
        {
            "id": plan.id,
            "employee_id": employee.id,
            "employee": {"id": employee.id, "name": employee.full_name},
            "period": plan.period,
            "title": shown.title,
            "status": shown_status(plan.status, history[-1].status if history else None),
            "version": plan.version,
            "shown_version": shown.version,
            "goals": [
                {
                    **goal,
                    "competency": {
                        "id": goal["competency_id"],
                        "name": names.get(uuid.UUID(goal["competency_id"]), ("", 0))[0],
                    },
                }
                for goal in shown.goals
            ],
            "actions": shown.actions,
            "submitted_at": plan.submitted_at,
            "approved_at": plan.approved_at,
            "closed_at": plan.closed_at,
            "goals_model": _goals_model(plan),
            "created_at": plan.created_at,
            "updated_at": plan.updated_at,
            "versions": [
                {
                    "version": row.version,
                    "edited_by": row.edited_by,
                    "edited_by_user": editors[row.edited_by],
                    "edited_at": row.edited_at,
                }
                for row in versions
            ],
            "approvals": history,
            "progress": progress,
        }
    )


async def read(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, version: int | None
) -> PlanOut:
    """For whoever may see the employee (404 otherwise)."""
    plan, employee = await plan_access.readable_plan(session, principal, plan_id)
    return await view(session, plan, employee, version)


async def mine(session: AsyncSession, principal: Principal) -> PlanOut:
    """The caller's current plan: the open plan of their latest period (404 without one)."""
    plan_id = (
        await plan_repository.current_plan_id(session, principal.org_id, principal.employee_id)
        if principal.employee_id is not None
        else None
    )
    if plan_id is None:
        raise NotFound(_("You have no current development plan"))
    return await read(session, principal, plan_id, None)


async def update(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    body: PlanPatch,
    clock: Clock,
    *,
    if_match: str | None,
) -> PlanOut:
    """A co-editor's change as the next version: title, goals and actions of a draft or
    returned plan; only the actions' statuses of an active one, which `status: closed` ends.
    A submitted, rejected or closed plan is 409."""
    plan, employee, _approval, status = await for_change(
        session, principal, plan_id, if_match=if_match, body_version=body.version
    )
    if status not in (*EDITABLE, "active"):
        raise Conflict(_("The plan is {status} and cannot be changed", status=label(status)))
    if body.status == "closed" and status != "active":
        raise Conflict(
            _("Only an active plan is closed; this one is {status}", status=label(status))
        )
    before = content(plan)
    changed = await _apply(session, plan, employee, body, status)
    if changed:
        plan.version += 1
        _keep_version(session, plan, principal)
        audit.record(
            session,
            principal,
            "development_plan.updated",
            SUBJECT,
            plan.id,
            org_id=plan.org_id,
            before=before,
            after={"version": plan.version, **content(plan)},
        )
        await plan_notices.tell_co_editors(session, principal, plan, "edited", clock.now())
    if body.status == "closed":
        plan.status, plan.closed_at = "closed", clock.now()
        audit.record(
            session, principal, "development_plan.closed", SUBJECT, plan.id, org_id=plan.org_id
        )
    await session.flush()
    await session.refresh(plan)
    return await view(session, plan, employee)


async def _apply(
    session: AsyncSession,
    plan: DevelopmentPlan,
    employee: people.EmployeeInfo,
    body: PlanPatch,
    status: str,
) -> bool:
    """Apply the body's content to the plan; whether anything changed. An active plan keeps
    the content it was approved with but its actions' statuses (409)."""
    before = content(plan)
    title = body.title if body.title is not None else plan.title
    goals = (
        await plan_content.goals_content(session, plan.org_id, body.goals)
        if body.goals is not None
        else plan.goals
    )
    actions = (
        await plan_content.actions_content(
            session, plan.org_id, employee, body.actions, plan.actions
        )
        if body.actions is not None
        else plan.actions
    )
    if status == "active":
        plan_content.only_statuses_changed(
            before, {"title": title, "goals": goals, "actions": actions}
        )
    plan.title, plan.goals, plan.actions = title, goals, actions
    return content(plan) != before


async def profile_entry(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> people.DevelopmentPlanRecord | None:
    """The employee's current plan in brief, for people's panoramic profile (whose reader
    may see the employee): one statement, one more while it awaits its approval."""
    row = await plan_repository.current_plan(session, org_id, employee_id)
    if row is None:
        return None
    status = row["status"]
    if status == "submitted":
        found = await approvals.subject_statuses(session, org_id, PLAN_APPROVAL, [row["id"]])
        status = shown_status(status, found.get(row["id"]))
    return people.DevelopmentPlanRecord(
        row["id"],
        row["period"],
        row["title"],
        status,
        row["goals"],
        row["actions"],
        row["approved_at"],
    )
