"""A demo-like sales department for the needs analysis: a sales rep's model asking for
negotiation and product knowledge, profiles from evidence, published review results whose
negotiation item most people scored under 70 (the seeds' 65/100), a career plan, and
courses tagged with the competencies — some already passed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from hrcore.competencies import api as competencies
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.reviews import api as reviews
from hrcore.reviews.models import ReviewParticipant, ReviewResult, ReviewTemplate
from hrcore.training.models import Course
from tests.factories import (
    Account,
    Tree,
    make_employee,
    make_org,
    make_position,
    make_tree,
    make_user,
)
from tests.training.factory import make_course, make_enrolment

API = "/api/v1"


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def competency(client: AsyncClient, hr: Account, name: str) -> uuid.UUID:
    body = {
        "name": name,
        "category": "professional",
        "levels": [{"name": f"L{n}", "indicators": [f"{name} {n}"]} for n in range(1, 6)],
    }
    return uuid.UUID(
        ok(await client.post(f"{API}/competencies", json=body, headers=hr.headers), 201)["id"]
    )


async def model(
    client: AsyncClient, hr: Account, position_id: uuid.UUID, *entries: tuple[uuid.UUID, int, int]
) -> None:
    body = {
        "entries": [
            {"competency_id": str(c), "required_level": level, "weight": weight}
            for c, level, weight in entries
        ]
    }
    url = f"{API}/positions/{position_id}/competency-model"
    ok(await client.put(url, json=body, headers=hr.headers))


async def profile(
    runtime: Runtime, org_id: uuid.UUID, employee_id: uuid.UUID, scores: dict[uuid.UUID, float]
) -> None:
    """The employee's competency profile with these scores (0–10): one piece of evidence
    each, recomputed."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        for competency_id, value in scores.items():
            await competencies.record_evidence(
                session,
                org_id,
                employee_id=employee_id,
                competency_id=competency_id,
                value=value,
                source_kind="review",
                source_id=uuid.uuid4(),
                observed_at=runtime.clock.now() - timedelta(days=1),
            )
        await competencies.recompute_profile(
            session, org_id, employee_id, runtime.settings, runtime.clock.now()
        )


async def review_results(
    runtime: Runtime,
    org_id: uuid.UUID,
    negotiation: uuid.UUID,
    scores: dict[uuid.UUID, float],
    *,
    status: str = "published",
    days_ago: int = 1,
) -> None:
    """A review cycle whose form's `negotiation` item names the competency, with a result per
    employee holding that item's aggregated figure (and a teamwork item naming none, scored
    low: it is no training need)."""
    form = [
        {
            "key": "negotiation",
            "name": "Negotiation",
            "section": "Skills",
            "kind": "qualitative",
            "weight": 50,
            "competency_id": str(negotiation),
        },
        {
            "key": "teamwork",
            "name": "Teamwork",
            "section": "Skills",
            "kind": "qualitative",
            "weight": 50,
        },
    ]
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        template = ReviewTemplate(
            org_id=org_id,
            name=f"Annual {uuid.uuid4().hex[:6]}",
            indicators=form,
            kind_weights={"quantitative": 0, "qualitative": 100},
            department_overrides=[],
            revision=1,
        )
        session.add(template)
        await session.flush()
        cycle_id = await reviews.start_cycle(
            session,
            org_id=org_id,
            template_id=template.id,
            name=f"Year-end {template.name}",
            kind="year_end",
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 1, 31),
            employee_ids=list(scores),
            clock=runtime.clock,
        )
        participants = await session.scalars(
            select(ReviewParticipant).where(ReviewParticipant.cycle_id == cycle_id)
        )
        for participant in participants:
            score = scores[participant.employee_id]
            figure = {
                "score": score,
                "raters": 4,
                "groups": {"supervisor": {"score": score, "raters": 1}},
            }
            session.add(
                ReviewResult(
                    org_id=org_id,
                    cycle_id=cycle_id,
                    participant_id=participant.id,
                    employee_id=participant.employee_id,
                    overall=Decimal(str(score)),
                    scores={
                        "indicators": {"negotiation": figure, "teamwork": dict(figure, score=10.0)}
                    },
                    status=status,
                    published_at=runtime.clock.now() - timedelta(days=days_ago)
                    if status == "published"
                    else None,
                )
            )


@dataclass(frozen=True)
class Sales:
    """Sales (⊃ Sales East) of one organization.

    Reps An, Bo, Chen and Du (sales) and Eve (sales east) against the rep's model: negotiation
    level 4 (8.0) and product knowledge level 3 (6.0); Wang heads sales (no position) and
    manages An. Negotiation: An 60 and Bo 65 and Du 65 in the newest published review, Chen 70
    (not under 70: her profile's 7.0 says it); Eve meets it. Eve lacks product knowledge
    (4.0). Bo's career plan aims at sales manager (leadership level 4; no score yet).
    Courses: "Negotiation" (no exam; Du completed it), "Negotiation exam" (pass mark; Du
    passed, Chen completed without passing), an inactive negotiation course, and "Products".
    """

    hr: Account
    tree: Tree
    negotiation: uuid.UUID
    product: uuid.UUID
    leadership: uuid.UUID
    people: dict[str, Employee]
    courses: dict[str, Course]
    head: Account
    an: Account
    wang: Account


async def sales(client: AsyncClient, runtime: Runtime) -> Sales:
    hr = await make_org(runtime)
    org_id = hr.org_id
    tree = await make_tree(runtime, org_id)
    rep = await make_position(runtime, org_id, tree.sales, "Sales rep")
    lead = await make_position(runtime, org_id, tree.sales, "Sales manager", management=True)
    negotiation = await competency(client, hr, "Negotiation")
    product = await competency(client, hr, "Product knowledge")
    leadership = await competency(client, hr, "Leadership")
    await model(client, hr, rep.id, (negotiation, 4, 60), (product, 3, 40))
    await model(client, hr, lead.id, (leadership, 4, 100))
    wang = await make_employee(runtime, org_id, tree.sales, "Wang")
    people = {"Wang": wang}
    for name in ("An", "Bo", "Chen", "Du"):
        manager = wang if name == "An" else None
        people[name] = await make_employee(
            runtime, org_id, tree.sales, name, manager=manager, position=rep
        )
    people["Eve"] = await make_employee(runtime, org_id, tree.sales_east, "Eve", position=rep)
    profiles = {"An": 6.0, "Bo": 6.5, "Chen": 7.0, "Du": 6.5, "Eve": 9.0}
    for name, value in profiles.items():
        knows = 4.0 if name == "Eve" else 7.0
        await profile(runtime, org_id, people[name].id, {negotiation: value, product: knows})
    await review_results(runtime, org_id, negotiation, {people["An"].id: 30.0}, days_ago=200)
    newest = {"An": 60.0, "Bo": 65.0, "Chen": 70.0, "Du": 65.0, "Eve": 85.0}
    await review_results(
        runtime, org_id, negotiation, {people[name].id: score for name, score in newest.items()}
    )
    await review_results(runtime, org_id, negotiation, {people["Eve"].id: 20.0}, status="computed")
    bo = await make_user(runtime, org_id, employee_id=people["Bo"].id)
    ok(
        await client.put(
            f"{API}/me/growth-profile",
            json={
                "career_plan": {
                    "aspiration": "management",
                    "target_position_id": str(lead.id),
                    "horizon_years": 2,
                },
                "version": 0,
            },
            headers=bo.headers,
        )
    )
    courses = {
        "Negotiation": await make_course(
            runtime, org_id, name="Negotiation", competency_ids=[negotiation]
        ),
        "Negotiation exam": await make_course(
            runtime,
            org_id,
            name="Negotiation exam",
            competency_ids=[negotiation],
            pass_mark=60,
            mode="online",
        ),
        "Old negotiation": await make_course(
            runtime, org_id, name="Old negotiation", competency_ids=[negotiation], active=False
        ),
        "Products": await make_course(
            runtime, org_id, name="Products", competency_ids=[product], points=8
        ),
    }
    completed: dict[str, Any] = {"status": "completed", "completed_at": runtime.clock.now()}
    await make_enrolment(runtime, org_id, courses["Negotiation"], people["Du"].id, **completed)
    await make_enrolment(runtime, org_id, courses["Negotiation"], people["An"].id)
    exam = courses["Negotiation exam"]
    await make_enrolment(runtime, org_id, exam, people["Chen"].id, **completed)
    await make_enrolment(
        runtime, org_id, exam, people["Du"].id, passed_at=runtime.clock.now(), **completed
    )
    return Sales(
        hr=hr,
        tree=tree,
        negotiation=negotiation,
        product=product,
        leadership=leadership,
        people=people,
        courses=courses,
        head=await make_user(runtime, org_id, Role.DEPT_HEAD, department_scope_id=tree.sales.id),
        an=await make_user(runtime, org_id, employee_id=people["An"].id),
        wang=await make_user(runtime, org_id, employee_id=wang.id),
    )
