"""The panoramic profile: everything about one employee in a fixed number of statements,
and the dates it is computed in (today where the organization is, tenure)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope
from hrcore.core.clock import Clock
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.identity import api as identity
from hrcore.people import access, profile_queries, profile_sections
from hrcore.people.exit_reasons import label
from hrcore.people.profile_schemas import PanoramicProfile
from hrcore.people.ratings import rating_out

TREND_YEARS = 3
"""Full calendar years in the performance trend, before the current (partial) one."""


def tenure_years(hire_date: date, today: date) -> float:
    """Years since hire, to one decimal; never negative for a future hire date."""
    return max(0.0, round((today - hire_date).days / 365.25, 1))


async def org_today(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> date:
    """Today's date where the organization is, not where the server is."""
    timezone = await identity.org_timezone(session, org_id)
    return _today_in(timezone, clock)


def _today_in(timezone: str, clock: Clock) -> date:
    return clock.now().astimezone(ZoneInfo(timezone)).date()


async def panoramic_profile(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, clock: Clock
) -> PanoramicProfile:
    """Everything about one employee in a fixed number of statements, whatever its history.
    An integration key needs `profiles:read`, and `ratings:read` for the performance trend.

    Rows go straight from the driver into the response: HR (and keys) read the employee
    with its post's names and the organization's time zone in one statement; anyone else is
    first checked for reach (404 outside it), as every read of an employee is. Programs,
    contracts, competencies and training (trainings, points) answer their sections
    (`profile_sections`), one statement each; contracts only for whom its rule allows (HR,
    the employee), else `null` without a query; the development plan one more when it awaits
    its approval (returned or not); mentoring (pairings and mentor scores) one, one more
    while a pairing's plan awaits its approval, `null` for integration keys.
    """
    if principal.kind == "api_key" or principal.is_hr_admin:
        principal.require_key_scope(Scope.PROFILES_READ)
    else:
        await access.ensure_can_view(session, principal, employee_id)
    org_id = principal.org_id
    head = await profile_queries.profile_head(session, org_id, employee_id)
    if head is None:
        raise NotFound(_("No such employee"))
    today = _today_in(head["timezone"], clock)
    history = await profile_queries.profile_history(session, org_id, employee_id)
    ratings = (
        await profile_queries.profile_ratings(
            session, org_id, employee_id, today.year - TREND_YEARS
        )
        if principal.kind != "api_key" or principal.has_scope(Scope.RATINGS_READ)
        else []
    )
    growth = await profile_queries.profile_growth(session, org_id, employee_id)
    participations = await profile_sections.program_participation(session, org_id, employee_id)
    contracts = await profile_sections.contracts(session, principal, employee_id)
    plan = await profile_sections.development_plan(session, org_id, employee_id)
    trainings = await profile_sections.trainings(session, org_id, employee_id, head["timezone"])
    points = await profile_sections.points(session, org_id, employee_id)
    mentoring = await profile_sections.mentoring(
        session, principal, employee_id, head["manager_id"]
    )
    note_read(principal, employee_id, DataClass.EVALUATION, "profile")
    events = [
        {**dict(event), **named_moves(event), "exit_reason_label": label(event["exit_reason"])}
        for event in history
    ]
    applied = [event for event in events if event["applied_at"] is not None]
    department = {"id": head["department_id"], "name": head["department_name"]}
    position = (
        {
            "id": head["position_id"],
            "name": head["position_title"],
            "is_management": head["position_is_management"],
        }
        if head["position_id"] is not None
        else None
    )
    return PanoramicProfile.model_validate(
        {
            "basics": {
                "id": head["id"],
                "employee_number": head["employee_number"],
                "full_name": head["full_name"],
                "department": department,
                "position": position,
                "manager": {"id": head["manager_id"], "name": head["manager_name"]}
                if head["manager_id"] is not None
                else None,
                "hire_date": head["hire_date"],
                "status": head["status"],
                "tenure_years": tenure_years(head["hire_date"], today),
                "email": head["email"],
                "phone": head["phone"],
                "personal_phone": head["personal_phone"],
                "id_number": head["id_number"],
            },
            "current_post": {
                "department": department,
                "position": position,
                "temporary_posts": [event for event in applied if _running(event, today)],
                "pending_changes": [
                    pending_change(event)
                    for event in events
                    if event["applied_at"] is None and event["withdrawn_at"] is None
                ],
            },
            "employment_history": events,
            "management_experience": sum(1 for event in applied if event["management"]),
            "performance_trend": [rating_out(rating) for rating in ratings],
            "growth_profile": {"employee_id": employee_id, **dict(growth)} if growth else None,
            "trainings": [asdict(training) for training in trainings],
            "points": [asdict(entry) for entry in points],
            "program_participation": [
                {
                    "program": participation.run,
                    "status": participation.status,
                    "current_stage": participation.current_stage,
                    "started_on": participation.started_on,
                    "ended_at": participation.ended_at,
                }
                for participation in participations
            ],
            "contracts": [_contract_entry(contract) for contract in contracts]
            if contracts is not None
            else None,
            "development_plan": asdict(plan) if plan is not None else None,
            "mentoring": [asdict(pairing) for pairing in mentoring.pairings]
            if mentoring is not None
            else None,
            "mentor_effectiveness": [asdict(score) for score in mentoring.scores]
            if mentoring is not None and mentoring.scores is not None
            else None,
        }
    )


def named_moves(row: Any) -> dict[str, dict[str, Any] | None]:
    """What an event row (read with the names of what it moves to) moves to, as links."""

    def ref(id_field: str, name_field: str) -> dict[str, Any] | None:
        return {"id": row[id_field], "name": row[name_field]} if row[id_field] else None

    return {
        "department": ref("department_id", "department_name"),
        "position": ref("position_id", "position_title"),
        "manager": ref("manager_id", "manager_name"),
    }


def pending_change(row: Any) -> dict[str, Any]:
    """A pending event's row (with the names of what it changes to) as a `PendingChange`."""
    return {
        "event_id": row["id"],
        "kind": row["kind"],
        "effective_date": row["effective_date"],
        **named_moves(row),
    }


def _contract_entry(contract: profile_sections.ContractRecord) -> dict[str, Any]:
    return {
        "id": contract.id,
        "type": contract.kind,
        "status": contract.status,
        "starts_on": contract.start_date,
        "ends_on": contract.end_date,
        "grade": contract.grade,
        "allowance": contract.allowance,
        "work_location": contract.work_location,
        "pay_terms_ref": contract.pay_terms_ref,
    }


def _running(event: dict[str, Any], today: date) -> bool:
    """A temporary post held today."""
    return (
        event["kind"] == "temporary_post"
        and event["effective_date"] <= today
        and (event["end_date"] is None or event["end_date"] >= today)
    )
