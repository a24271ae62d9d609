"""The growth profile an employee keeps of themself: skills, certifications, external
trainings and a career plan."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.people import repository
from hrcore.people.audit_trail import snapshot
from hrcore.people.models import GrowthProfile
from hrcore.people.references import require_position
from hrcore.people.schemas import GrowthProfileIn, GrowthProfileOut

GROWTH_SECTIONS = ("skills", "certifications", "external_trainings", "career_plan")


def growth_view(employee_id: uuid.UUID, profile: GrowthProfile | None) -> GrowthProfileOut:
    if profile is None:
        return GrowthProfileOut(
            employee_id=employee_id,
            skills=[],
            certifications=[],
            external_trainings=[],
            career_plan=None,
            submitted_at=None,
            version=0,
        )
    return GrowthProfileOut.model_validate(
        snapshot(profile, GROWTH_SECTIONS)
        | {
            "employee_id": employee_id,
            "submitted_at": profile.submitted_at,
            "version": profile.version,
        }
    )


async def get_growth_profile(session: AsyncSession, principal: Principal) -> GrowthProfileOut:
    """The caller's own profile; version 0 and empty sections before the first submission."""
    employee_id = own_employee_id(principal)
    profile = await repository.growth_profile(session, principal.org_id, employee_id)
    return growth_view(employee_id, profile)


async def submit_growth_profile(
    session: AsyncSession,
    principal: Principal,
    clock: Clock,
    body: GrowthProfileIn,
    *,
    if_match: str | None,
) -> GrowthProfileOut:
    """Replace the caller's profile and stamp `submitted_at`; version 0 creates it."""
    employee_id = own_employee_id(principal)
    profile = await repository.growth_profile(session, principal.org_id, employee_id)
    check_version(profile.version if profile else 0, if_match=if_match, body_version=body.version)
    if body.career_plan is not None:
        await require_position(
            session,
            principal.org_id,
            body.career_plan.target_position_id,
            field="career_plan.target_position_id",
        )
    before = snapshot(profile, GROWTH_SECTIONS) if profile else {}
    if profile is None:
        profile = GrowthProfile(org_id=principal.org_id, employee_id=employee_id)
        session.add(profile)
    for name, value in body.model_dump(mode="json", exclude={"version"}).items():
        setattr(profile, name, value)
    profile.submitted_at = clock.now()
    await session.flush()
    changed_before, changed_after = audit.changes(before, snapshot(profile, GROWTH_SECTIONS))
    audit.record(
        session,
        principal,
        "growth_profile.submitted",
        "growth_profile",
        profile.id,
        org_id=principal.org_id,
        before=changed_before,
        after=changed_after,
    )
    return growth_view(employee_id, profile)
