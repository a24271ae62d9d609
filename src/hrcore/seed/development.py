"""The demo's competencies: a library, models for the demo posts, two rounds of assessments
(profiles with history), two stretch assignments and a draft development plan."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.competencies.models import (
    COMPETENCIES,
    Competency,
    CompetencyEvidence,
    CompetencyModel,
    DevelopmentPlan,
    DevelopmentPlanComment,
    DevelopmentPlanVersion,
    StretchAssignee,
    StretchAssignment,
    StretchOutcome,
)
from hrcore.core.clock import Clock
from hrcore.identity.models import Organization, User
from hrcore.org.models import Position
from hrcore.people.models import Employee
from hrcore.seed.company import DEMO_SLUG, Company
from hrcore.settings import Settings
from hrcore.workflow import api as workflow

LEVEL_NAMES = ("入门 Starter", "基础 Basic", "熟练 Practised", "精通 Advanced", "专家 Expert")
# name, category, description
LIBRARY = [
    ("团队管理 Team management", "management", "Builds, leads and grows a team to results."),
    (
        "客户资源整合 Customer resource integration",
        "professional",
        "Wins, keeps and connects key accounts.",
    ),
    ("产线优化 Line optimization", "professional", "Raises a line's output, quality and safety."),
    ("质量管控 Quality control", "professional", "Finds defects early and removes their causes."),
    ("技术架构 Technical architecture", "professional", "Designs systems that last and scale."),
    ("沟通协调 Communication", "general", "Gets people across units to agree and act."),
    ("问题解决 Problem solving", "general", "Breaks a problem down and fixes its root cause."),
    ("学习敏捷 Learning agility", "general", "Learns new fields fast and applies them."),
]
# position code → (competency index in LIBRARY, required level of 5, weight)
MODELS = {
    "SALES-CHIEF": [(0, 4, 40), (1, 4, 40), (5, 3, 20)],
    "SALES-REP": [(1, 3, 60), (5, 3, 40)],
    "PROD-CHIEF": [(0, 4, 40), (2, 4, 40), (3, 3, 20)],
    "PROD-OP": [(2, 3, 50), (3, 3, 50)],
    "RD-CHIEF": [(0, 4, 40), (4, 4, 40), (6, 3, 20)],
    "ENG": [(4, 3, 50), (6, 3, 50)],
    "SENIOR-ENG": [(4, 4, 60), (6, 4, 40)],
}
EARLIER_DAYS, LATER_DAYS = 180, 14
MANAGER_TEAM_MANAGEMENT = (6.2, 9.48)
"""The demo manager's two assessments: the profile reads 6.2, then 8.1 (recency-weighted)."""


async def add_competencies(session: AsyncSession, settings: Settings, clock: Clock) -> None:
    """A small library, models for the demo positions and two rounds of assessments of
    everyone who holds one, each followed by a recompute, so profiles have history."""
    org_id = await session.scalar(select(Organization.id).where(Organization.slug == DEMO_SLUG))
    assert org_id is not None
    library = [
        Competency(
            org_id=org_id,
            revision=1,
            name=name,
            category=category,
            description=description,
            levels=[
                {
                    "level": n,
                    "name": level,
                    "indicators": [f"{level.split()[1]} level of {name.split(' ', 1)[1].lower()}"],
                }
                for n, level in enumerate(LEVEL_NAMES, start=1)
            ],
        )
        for name, category, description in LIBRARY
    ]
    session.add_all(library)
    await session.flush()
    for competency in library:
        COMPETENCIES.keep_revision(session, competency)
    positions = {p.code: p.id for p in await session.scalars(select(Position))}
    for code, entries in MODELS.items():
        session.add(
            CompetencyModel(
                org_id=org_id,
                position_id=positions[code],
                department_id=None,
                version=1,
                entries=[
                    {"competency_id": str(library[i].id), "required_level": level, "weight": weight}
                    for i, level, weight in entries
                ],
            )
        )
    await _assess_everyone(session, settings, clock, org_id, library, positions)


async def _assess_everyone(
    session: AsyncSession,
    settings: Settings,
    clock: Clock,
    org_id: uuid.UUID,
    library: list[Competency],
    positions: dict[str, uuid.UUID],
) -> None:
    rng = random.Random(21)  # noqa: S311 - demo data, not security
    code_of = {position_id: code for code, position_id in positions.items()}
    manager = await session.scalar(
        select(User.employee_id).where(User.email == "manager@demo.example")
    )
    now = clock.now()
    people = [
        (e, code_of[e.position_id])
        for e in await session.scalars(select(Employee).order_by(Employee.employee_number))
        if e.position_id is not None and code_of.get(e.position_id) in MODELS
    ]
    for round_index, days in enumerate((EARLIER_DAYS, LATER_DAYS)):
        observed = now - timedelta(days=days)
        for person, code in people:
            for index, _level, _weight in MODELS[code]:
                value = round(rng.uniform(4.0, 7.5) + round_index * rng.uniform(0.0, 2.0), 1)
                if person.id == manager and index == 0:
                    value = MANAGER_TEAM_MANAGEMENT[round_index]
                session.add(
                    CompetencyEvidence(
                        org_id=org_id,
                        employee_id=person.id,
                        competency_id=library[index].id,
                        value=value,
                        source_kind="manual",
                        source_id=uuid.uuid4(),
                        observed_at=observed,
                        source_weight=1.0,
                        note=f"演示评估 Demo assessment, {observed.date().isoformat()}",
                    )
                )
        await session.flush()
        for person, _code in people:
            await competencies.recompute_profile(session, org_id, person.id, settings, observed)


STRETCH_COMPETENCIES = ("客户资源整合 Customer resource integration", "团队管理 Team management")
"""The library's competencies (`LIBRARY`) the demo's stretch assignments develop."""


async def _stretch_competencies(session: AsyncSession, company: Company) -> list[Competency]:
    by_name = {
        row.name: row
        for row in await session.scalars(
            select(Competency).where(
                Competency.org_id == company.org_id, Competency.name.in_(STRETCH_COMPETENCIES)
            )
        )
    }
    return [by_name[name] for name in STRETCH_COMPETENCIES]


async def add_stretch_assignments(
    session: AsyncSession, company: Company, clock: Clock
) -> StretchAssignment:
    """Two stretch assignments 「部门内任务」 in the first sales section: one under way for the
    demo employee (their kick-off on the task list; returned, for their development plan),
    one finished by a colleague whose outcome is evidence in their competency profile."""
    today = clock.now().date()
    customers, team = await _stretch_competencies(session, company)
    developed = [
        {"competency_id": str(customers.id), "start_level": 2},
        {"competency_id": str(team.id), "start_level": 2},
    ]
    chief = next(
        e for e in company.employees if e.position_id == company.positions["SALES-CHIEF"].id
    )
    rep, colleague = [e for e in company.employees if e.manager_id == chief.id][:2]
    plans = [  # title, starts, ends, assignee
        ("新客户开发项目 Lead the new-customer project", -14, 60, rep),
        ("华东大客户攻坚 Key-account push", -120, -10, colleague),
    ]
    assignees, assignments = [], []
    for title, starts, ends, person in plans:
        assignment = StretchAssignment(
            org_id=company.org_id,
            title=title,
            description="带领3–5人小组 Lead a team of 3 to 5",
            department_id=chief.department_id,
            team_size=4,
            starts_on=today + timedelta(days=starts),
            ends_on=today + timedelta(days=ends),
            slots=1,
            competencies=developed,
            status="assigned",
        )
        session.add(assignment)
        await session.flush()
        assignments.append(assignment)
        assignee = StretchAssignee(
            org_id=company.org_id,
            assignment_id=assignment.id,
            employee_id=person.id,
            supervisor_id=chief.id,
            status="active",
            task_ids=[],
        )
        session.add(assignee)
        await session.flush()
        await competencies.open_stretch_tasks(session, company.org_id, assignee.id, clock)
        assignees.append(assignee)
    await _stretch_outcome(session, company, assignees[-1], (customers, team), clock)
    return assignments[0]


async def _stretch_outcome(
    session: AsyncSession,
    company: Company,
    assignee: StretchAssignee,
    rated: tuple[Competency, Competency],
    clock: Clock,
) -> None:
    """The finished assignment's outcome: figures, the chief's ratings as evidence, its tasks
    done."""
    values = {rated[0].id: 8.1, rated[1].id: 7.4}
    session.add(
        StretchOutcome(
            org_id=company.org_id,
            assignee_id=assignee.id,
            figures=[
                {"name": "回款 Revenue delivered", "value": 1_200_000, "unit": "CNY"},
                {"name": "新客户 Customers won", "value": 3, "unit": None},
            ],
            competencies=[
                {
                    "competency_id": str(competency_id),
                    "supervisor_rating": value,
                    "peer_mean": None,
                    "peer_count": None,
                    "evidence": value,
                }
                for competency_id, value in values.items()
            ],
            note="三家新客户签约 Three new accounts signed",
            recorded_times=1,
        )
    )
    assignee.status = "completed"
    await session.flush()
    for competency_id, value in values.items():
        await competencies.record_evidence(
            session,
            company.org_id,
            employee_id=assignee.employee_id,
            competency_id=competency_id,
            value=value,
            source_kind="stretch_assignment",
            source_id=assignee.id,
            observed_at=clock.now(),
            note="华东大客户攻坚 Key-account push",
        )
    for task_id in assignee.task_ids:
        await workflow.complete_task(session, org_id=company.org_id, task_id=task_id, clock=clock)


async def add_development_plan(
    session: AsyncSession, company: Company, today: date, assignment: StretchAssignment
) -> None:
    """The sales rep's draft development plan for this year — two goals on their post's
    competencies, their stretch assignment and a mentoring action — with a comment of their
    manager's, so the plan screens are not empty."""
    rows = await session.execute(select(User.email, User.id).where(User.org_id == company.org_id))
    users = {row.email: row.id for row in rows}
    rep = await session.scalar(
        select(User.employee_id).where(User.id == users["employee@demo.example"])
    )
    assert rep is not None
    content: dict[str, Any] = {
        "title": "Towards section chief 成为科长",
        "goals": [
            {"competency_id": str(competency.id), "target_level": level, "note": None}
            for competency, level in zip(
                await _stretch_competencies(session, company), (4, 3), strict=True
            )
        ],
        "actions": [
            {
                "id": str(uuid.uuid4()),
                "kind": "stretch_assignment",
                "reference_id": str(assignment.id),
                "title": assignment.title,
                "due_on": assignment.ends_on.isoformat(),
                "status": "in_progress",
            },
            {
                "id": str(uuid.uuid4()),
                "kind": "mentoring",
                "reference_id": None,
                "title": "Monthly one-to-one with the section chief",
                "due_on": date(today.year, 12, 31).isoformat(),
                "status": "in_progress",
            },
        ],
    }
    plan = DevelopmentPlan(
        org_id=company.org_id,
        employee_id=rep,
        period=str(today.year),
        status="draft",
        version=1,
        **content,
    )
    session.add(plan)
    await session.flush()
    session.add(
        DevelopmentPlanVersion(
            org_id=company.org_id,
            plan_id=plan.id,
            version=1,
            edited_by=users["employee@demo.example"],
            **content,
        )
    )
    session.add(
        DevelopmentPlanComment(
            org_id=company.org_id,
            plan_id=plan.id,
            author_id=users["manager@demo.example"],
            body="Add a customer-visit target to the new-customer project, please.",
        )
    )
