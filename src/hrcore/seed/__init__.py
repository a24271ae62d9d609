"""Demo data for `make dev`: a believable company, created once (idempotent by slug).

Sales, production and R&D with sub-units, about 60 people with managers, positions including
section chiefs, three years of ratings, a few growth profiles, one login per role and the
sales rep's draft development plan.
Rows are written directly (with the tenant set, so row-level security applies) because the
seed must not depend on request-level permissions; the invariants the services keep
(department paths, hire events) are kept here too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import api as contracts
from hrcore.core.clock import Clock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.identity.models import Organization
from hrcore.seed.assessment import (
    DEMO_FORM,
    add_contracts,
    add_program,
    add_reviews,
    add_talent_pool,
)
from hrcore.seed.company import (
    DEMO_PASSWORD,
    DEMO_SLUG,
    Company,
    add_departments,
    add_people,
    add_positions,
    add_tasks,
    add_users,
)
from hrcore.seed.competition import add_competition
from hrcore.seed.development import (
    add_competencies,
    add_development_plan,
    add_stretch_assignments,
)
from hrcore.seed.exits import add_exits
from hrcore.seed.mentoring import add_mentoring
from hrcore.seed.performance import add_performance
from hrcore.seed.performance_goals import add_goals_and_feedback
from hrcore.seed.privacy import add_privacy
from hrcore.seed.privacy_records import add_privacy_records
from hrcore.seed.succession_history import add_succession_history
from hrcore.seed.talent_review import add_talent_review
from hrcore.seed.training import add_training
from hrcore.workflow import api as workflow

__all__ = ["DEMO_FORM", "DEMO_PASSWORD", "DEMO_SLUG", "SeedReport", "seed_demo"]


@dataclass
class SeedReport:
    """What `make dev` prints: the demo organization and its logins, by role."""

    org_slug: str = DEMO_SLUG
    logins: list[tuple[str, str, str]] = field(default_factory=list)


async def seed_demo(runtime: Runtime) -> SeedReport:
    """Create the demo organization unless it exists; always report the logins."""
    async with unit_of_work(runtime.sessionmaker) as session:
        existing = await session.scalar(select(Organization).where(Organization.slug == DEMO_SLUG))
        created = existing is None
        if created:
            company = await _create(
                session, runtime.clock, runtime.settings.review_anonymity_threshold
            )
            await add_competencies(session, runtime.settings, runtime.clock)
            assignment = await add_stretch_assignments(session, company, runtime.clock)
            today = runtime.clock.now().date()
            await add_development_plan(session, company, today, assignment)
            await add_performance(session, company, today, runtime.clock)
            await add_goals_and_feedback(session, company, runtime.clock)
            await add_mentoring(session, company, runtime.clock)
            await add_training(session, company, runtime.clock)
            await add_competition(session, company, runtime.clock)
            await add_succession_history(session, company, runtime.clock)
            await add_privacy(session, company, runtime.clock)
            await add_privacy_records(session, company, runtime.clock, runtime.settings)
            await add_exits(session, company, runtime.clock)
            await add_talent_review(session, company, runtime.clock)
    if created:
        await workflow.sweep(runtime.sessionmaker, runtime.clock)  # fill the inbox right away
        await contracts.watch_expiry(runtime.sessionmaker, runtime.clock, runtime.settings)
    return SeedReport(
        logins=[
            (role, f"{login}@demo.example", DEMO_PASSWORD)
            for role, login in (
                ("HR admin", "hr"),
                ("dept head", "sales.head"),
                ("manager", "manager"),
                ("employee", "employee"),
            )
        ]
    )


async def _create(session: AsyncSession, clock: Clock, anonymity_threshold: int) -> Company:
    today = clock.now().date()
    org = Organization(slug=DEMO_SLUG, name="演示制造有限公司 Demo Manufacturing Co.")
    session.add(org)
    await session.flush()
    await set_tenant(session, org.id)
    company = Company(org.id)
    add_departments(session, company)
    add_positions(session, company)
    await session.flush()
    add_people(session, company, random.Random(2026))  # noqa: S311 - demo data, not security
    await session.flush()
    add_users(session, company)
    await session.flush()
    await add_tasks(session, company, today)
    await add_contracts(session, company, clock)
    review_template = await add_reviews(session, company, clock, anonymity_threshold)
    pool = await add_talent_pool(session, company, clock)
    await add_program(session, company, review_template, pool, clock)
    return company
