"""The panoramic profile: everything about one employee in a fixed number of statements,
and the dates it is computed in (today where the organization is, tenure)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope
from hrcore.core.clock import Clock
from hrcore.core.schemas import Ref
from hrcore.identity import api as identity
from hrcore.people import access, repository
from hrcore.people.employees import employee_view
from hrcore.people.growth import growth_view
from hrcore.people.models import Employee
from hrcore.people.schemas import (
    CurrentPost,
    EmploymentEventOut,
    PanoramicProfile,
    PerformanceRatingOut,
    PositionRef,
    ProfileBasics,
)

TREND_YEARS = 3
"""Full calendar years in the performance trend, before the current (partial) one."""


def tenure_years(hire_date: date, today: date) -> float:
    """Years since hire, to one decimal; never negative for a future hire date."""
    return max(0.0, round((today - hire_date).days / 365.25, 1))


async def org_today(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> date:
    """Today's date where the organization is, not where the server is."""
    timezone = await identity.org_timezone(session, org_id)
    return clock.now().astimezone(ZoneInfo(timezone)).date()


async def panoramic_profile(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, clock: Clock
) -> PanoramicProfile:
    """Everything about one employee in a fixed number of statements, whatever its history.
    An integration key needs `profiles:read`, and `ratings:read` for the performance trend."""
    employee = await access.ensure_can_view(
        session, principal, employee_id, key_scope=Scope.PROFILES_READ
    )
    today = await org_today(session, principal.org_id, clock)
    refs = await repository.post_refs(session, employee)
    history = await repository.history(session, principal.org_id, employee.id)
    ratings = (
        await repository.ratings_since(
            session, principal.org_id, employee.id, today.year - TREND_YEARS
        )
        if principal.kind != "api_key" or principal.has_scope(Scope.RATINGS_READ)
        else []
    )
    growth = await repository.growth_profile(session, principal.org_id, employee.id)
    events = [EmploymentEventOut.model_validate(event) for event, _ in history]
    return PanoramicProfile(
        basics=_basics(employee, refs, principal, today),
        current_post=_current_post(employee, refs, events, today),
        employment_history=events,
        management_experience=sum(1 for _, management in history if management),
        performance_trend=[PerformanceRatingOut.model_validate(rating) for rating in ratings],
        growth_profile=growth_view(employee.id, growth) if growth else None,
        trainings=[],
        projects=[],
        peer_feedback=[],
        points=[],
        program_participation=[],
        mentoring=[],
        contracts=[] if principal.is_hr_admin else None,
    )


def _position_ref(employee: Employee, refs: Any) -> PositionRef | None:
    if employee.position_id is None:
        return None
    return PositionRef(
        id=employee.position_id,
        name=refs.position_title,
        is_management=refs.position_is_management,
    )


def _basics(employee: Employee, refs: Any, principal: Principal, today: date) -> ProfileBasics:
    view = employee_view(employee, principal)
    manager = Ref(id=employee.manager_id, name=refs.manager_name) if employee.manager_id else None
    return ProfileBasics(
        id=employee.id,
        employee_number=employee.employee_number,
        full_name=employee.full_name,
        department=Ref(id=employee.department_id, name=refs.department_name),
        position=_position_ref(employee, refs),
        manager=manager,
        hire_date=employee.hire_date,
        status=view.status,
        tenure_years=tenure_years(employee.hire_date, today),
        email=view.email,
        phone=view.phone,
    )


def _current_post(
    employee: Employee, refs: Any, events: list[EmploymentEventOut], today: date
) -> CurrentPost:
    running = [
        event
        for event in events
        if event.kind == "temporary_post"
        and event.effective_date <= today
        and (event.end_date is None or event.end_date >= today)
    ]
    return CurrentPost(
        department=Ref(id=employee.department_id, name=refs.department_name),
        position=_position_ref(employee, refs),
        temporary_posts=running,
    )
