"""The seed's rule "≥ 2 former mentees with ≥ 20 % performance gain" (`former_mentees_gain`),
evaluated in SQL over the pairings' stored effectiveness and merged into the same checks as
the rules people's screening compiler evaluates: a mentor with two such former mentees
passes, one with a single one fails with the value found shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import make_user
from tests.mentoring.effectiveness_helpers import end_pairing, make_mentor, make_pairing, rate
from tests.mentoring.test_effectiveness import _recompute
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]
SEED_RULE = {"kind": "former_mentees_gain", "min_mentees": 2, "min_gain_percent": 20}


async def _mentored(
    runtime: Runtime, world: World, mentor_employee: Any, mentees: list[Any]
) -> Any:
    mentor = await make_mentor(runtime, world.hr.org_id, mentor_employee.id)
    for mentee in mentees:
        pairing = await make_pairing(
            runtime, mentor, mentee.id, starts_on=date(2025, 1, 10), ends_on=date(2025, 12, 20)
        )
        await end_pairing(runtime, pairing)
    return mentor


async def test_two_former_mentees_with_the_gain_pass_one_fails_with_the_value_shown(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    await rate(client, world.hr, world.junior.id, y2024=3.5, y2025=4.2)
    await rate(client, world.hr, world.engineer.id, y2024=3.0, y2025=4.0)
    await rate(client, world.hr, world.member.id, y2024=4.0, y2025=4.4)
    lead = await _mentored(runtime, world, world.lead, [world.junior, world.engineer])
    peer = await _mentored(runtime, world, world.peer, [world.member, world.junior])
    await _recompute(runtime, org_id, [lead.id, peer.id])
    program = await make_program(
        client,
        world.hr,
        rules=[{"kind": "former_mentees_gain"}, {"kind": "tenure", "min_months": 12}],
    )
    assert program["rules"][0] == SEED_RULE, "the seed's figures are the defaults"
    applied = await client.post(
        "/api/v1/mentor-applications",
        json={"program_id": program["id"]},
        headers=world.lead_account.headers,
    )
    assert applied.status_code == 201, applied.text
    assert applied.json()["eligible"] is True
    assert applied.json()["checks"][0] == {
        "kind": "former_mentees_gain",
        "value": 2.0,
        "passed": True,
    }
    assert applied.json()["checks"][1]["kind"] == "tenure"
    peer_account = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.peer.id)
    failed = await client.post(
        "/api/v1/mentor-applications",
        json={"program_id": program["id"]},
        headers=peer_account.headers,
    )
    assert failed.status_code == 201, failed.text
    assert failed.json()["eligible"] is False
    assert failed.json()["checks"][0] == {
        "kind": "former_mentees_gain",
        "value": 1.0,
        "passed": False,
    }, "Member gained 10 %: only Junior counts"
    refused = await client.post(
        f"/api/v1/mentor-applications/{failed.json()['id']}/approve",
        json={},
        headers=world.hr.headers,
    )
    body = assert_problem(refused, 422, fields={"checks[0]"})
    assert "former_mentees_gain" in body["errors"][0]["message"]
    assert "1.0" in body["errors"][0]["message"]


async def test_running_and_cancelled_pairings_are_not_former_mentees(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    await rate(client, world.hr, world.junior.id, y2024=3.5, y2025=4.2)
    await rate(client, world.hr, world.engineer.id, y2024=3.0, y2025=4.0)
    mentor = await make_mentor(runtime, org_id, world.lead.id)
    await make_pairing(
        runtime, mentor, world.junior.id, starts_on=date(2025, 1, 10), ends_on=date(2027, 1, 1)
    )
    cancelled = await make_pairing(
        runtime, mentor, world.engineer.id, starts_on=date(2025, 1, 10), ends_on=date(2027, 1, 1)
    )
    await end_pairing(runtime, cancelled, status="cancelled")
    await _recompute(runtime, org_id, [mentor.id])
    program = await make_program(client, world.hr, rules=[SEED_RULE])
    applied = await client.post(
        "/api/v1/mentor-applications",
        json={"program_id": program["id"]},
        headers=world.lead_account.headers,
    )
    assert applied.json()["checks"] == [
        {"kind": "former_mentees_gain", "value": 0.0, "passed": False}
    ]
