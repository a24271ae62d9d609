"""The rule kinds beyond performance and tenure, checked in SQL by people's screening
compiler with the seed's numbers: a certificate (the mentor course) on the growth profile, not
expired, and the mentor's own latest published review overall; each rule's value and
pass/fail kept on the application."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.mentoring.m4_helpers import SEED_RULES, certify, publish_reviews, rate
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem

__all__ = ["world"]
APPLICATIONS = "/api/v1/mentor-applications"


async def _nominate(client: AsyncClient, world: World, program: Any, employee: Any) -> Any:
    response = await client.post(
        APPLICATIONS,
        json={"program_id": program["id"], "employee_id": str(employee.id)},
        headers=world.hr.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_certificate_and_review_rating_are_checked_with_the_seeds_numbers(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await rate(client, world.hr, world.lead.id, "AAA")
    await rate(client, world.hr, world.member.id, "BAA")
    await certify(
        client,
        world.lead_account,
        {"name": "PMP", "obtained_on": "2022-01-10"},
        {"name": "mentor COURSE", "issuer": "HR academy", "obtained_on": "2024-03-01"},
        {"name": "Mentor course", "obtained_on": "2025-06-30", "expires_on": "2030-01-01"},
    )
    await certify(
        client,
        world.member_account,
        {"name": "Mentor course", "obtained_on": "2020-01-01", "expires_on": "2024-12-31"},
    )
    await publish_reviews(runtime, world.hr.org_id, {world.lead.id: 86.5, world.member.id: 72})
    await publish_reviews(runtime, world.hr.org_id, {world.member.id: 80})
    program = await make_program(client, world.hr, rules=SEED_RULES)
    assert program["rules"] == SEED_RULES

    lead = await _nominate(client, world, program, world.lead)
    assert lead["eligible"]
    assert lead["checks"] == [
        {"kind": "top_performance", "value": 3.0, "passed": True},
        {"kind": "certificate", "value": "2025-06-30", "passed": True},
        {"kind": "review_rating", "value": 86.5, "passed": True},
    ]
    member = await _nominate(client, world, program, world.member)
    assert not member["eligible"]
    assert member["checks"] == [
        {"kind": "top_performance", "value": 2.0, "passed": False},
        {"kind": "certificate", "value": None, "passed": False},
        {"kind": "review_rating", "value": 80.0, "passed": True},
    ], "an expired certificate does not count; the latest published review does (80, not 72)"
    with count_statements(runtime) as counted:
        peer = await _nominate(client, world, program, world.peer)
    assert peer["checks"] == [
        {"kind": "top_performance", "value": 0, "passed": False},
        {"kind": "certificate", "value": None, "passed": False},
        {"kind": "review_rating", "value": None, "passed": False},
    ], "no ratings, no certificate, no published review"
    assert counted.count < 20


async def test_bad_rule_parameters_are_422(client: AsyncClient, world: World) -> None:
    for rule in (
        {"kind": "certificate"},
        {"kind": "certificate", "name": " "},
        {"kind": "review_rating", "min_overall": 101},
        {"kind": "review_rating", "min_overall": 80, "letter": "A"},
    ):
        refused = await client.post(
            "/api/v1/mentoring-programs",
            json={"name": "Bad rules", "rules": [rule]},
            headers=world.hr.headers,
        )
        assert_problem(refused, 422)
