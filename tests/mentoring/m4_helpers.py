"""What the rule-kind, suggestion and relation tests need: published review results written
as rows (a review cycle's publication is reviews' own test matter and the API cannot publish
a past year's), ratings and certificates over HTTP, and running pairings over HTTP."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
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
    client: AsyncClient,
    hr: Account,
    program_id: str,
    mentor_id: str,
    mentee_id: uuid.UUID,
    starts_on: date = date(2026, 9, 1),
) -> str:
    """Over HTTP: a new-graduate template and a running pairing from it; the pairing's id."""
    template = await client.post(
        "/api/v1/mentee-templates",
        json={
            "name": f"New graduate {uuid.uuid4().hex[:6]}",
            "role": "new_graduate",
            "duration_months": 12,
            "goals": [{"kind": "skill_test_score", "key": "test", "title": "Test", "target": 80}],
        },
        headers=hr.headers,
    )
    assert template.status_code == 201, template.text
    paired = await client.post(
        "/api/v1/mentorships",
        json={
            "program_id": program_id,
            "mentor_id": mentor_id,
            "mentee_id": str(mentee_id),
            "template_id": template.json()["id"],
            "starts_on": starts_on.isoformat(),
        },
        headers=hr.headers,
    )
    assert paired.status_code == 201, paired.text
    result: str = paired.json()["id"]
    return result
