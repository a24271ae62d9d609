"""Rows the m4 tests need from elsewhere: published review results (a review cycle's
publication is reviews' own test matter), ratings, certificates through the growth profile,
and — until m1's pairing routes land — running pairings written through the models (the
lead switches `pair` to `POST /mentorships` after merging)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.mentoring.mentorship_models import MenteeTemplate, Mentorship
from hrcore.reviews import api as reviews
from hrcore.reviews.models import ReviewParticipant, ReviewResult, ReviewTemplate
from hrcore.seed import DEMO_FORM
from tests.factories import Account

SEED_RULES = [
    {"kind": "top_performance", "letter": "A", "periods": 3},
    {"kind": "certificate", "name": "Mentor course"},
    {"kind": "review_rating", "min_overall": 80},
]
"""The seed's "≥ 4.5/5 for 3 years" and "passed the mentor course", and the mentor's own
review at 80 or better."""


async def rate(client: AsyncClient, hr: Account, employee_id: Any, letters: str) -> None:
    """Yearly ratings ending with 2025, one letter per year."""
    first = 2026 - len(letters)
    for offset, letter in enumerate(letters):
        response = await client.post(
            f"/api/v1/employees/{employee_id}/performance-ratings",
            json={"period": str(first + offset), "letter": letter},
            headers=hr.headers,
        )
        assert response.status_code == 201, response.text


async def certify(client: AsyncClient, account: Account, *certifications: dict[str, Any]) -> None:
    """Replaces the account's employee's certificates (a PUT of the growth profile)."""
    mine = await client.get("/api/v1/me/growth-profile", headers=account.headers)
    response = await client.put(
        "/api/v1/me/growth-profile",
        json={"certifications": list(certifications), "version": mine.json()["version"]},
        headers=account.headers,
    )
    assert response.status_code == 200, response.text


async def publish_reviews(
    runtime: Runtime, org_id: uuid.UUID, overall: dict[uuid.UUID, float]
) -> None:
    """A published year-end result with this overall for each employee."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        template = ReviewTemplate(
            org_id=org_id,
            name=f"Annual {uuid.uuid4().hex[:6]}",
            indicators=DEMO_FORM,
            kind_weights={"quantitative": 60, "qualitative": 40},
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
            employee_ids=list(overall),
            clock=runtime.clock,
        )
        participants = await session.scalars(
            select(ReviewParticipant).where(ReviewParticipant.cycle_id == cycle_id)
        )
        for participant in participants:
            session.add(
                ReviewResult(
                    org_id=org_id,
                    cycle_id=cycle_id,
                    participant_id=participant.id,
                    employee_id=participant.employee_id,
                    overall=Decimal(str(overall[participant.employee_id])),
                    scores={},
                    status="published",
                    published_at=runtime.clock.now(),
                )
            )


async def pair(
    runtime: Runtime,
    org_id: uuid.UUID,
    program_id: uuid.UUID,
    mentor_id: uuid.UUID,
    mentor_employee_id: uuid.UUID,
    mentee_employee_id: uuid.UUID,
) -> uuid.UUID:
    """A running pairing (and a template for it), written as rows."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        template = await session.scalar(
            select(MenteeTemplate).where(MenteeTemplate.org_id == org_id)
        )
        if template is None:
            template = MenteeTemplate(
                org_id=org_id, name="New graduate", role="new_graduate", duration_months=12
            )
            session.add(template)
            await session.flush()
        pairing = Mentorship(
            org_id=org_id,
            program_id=program_id,
            mentor_id=mentor_id,
            mentor_employee_id=mentor_employee_id,
            mentee_employee_id=mentee_employee_id,
            template_id=template.id,
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 9, 1),
        )
        session.add(pairing)
        await session.flush()
        return pairing.id
