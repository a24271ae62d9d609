"""The growth profile each employee keeps about themself."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_department, make_org, make_position
from tests.people.conftest import World

PATH = "/api/v1/me/growth-profile"


def _profile(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "skills": [{"name": "Negotiation", "level": 4, "evidence": "Closed the ACME deal"}],
        "certifications": [
            {
                "name": "PMP",
                "issuer": "PMI",
                "obtained_on": "2023-05-01",
                "expires_on": "2026-05-01",
            }
        ],
        "external_trainings": [
            {"title": "Lean basics", "provider": "TÜV", "completed_on": "2024-02-01", "hours": 16}
        ],
        "career_plan": {
            "aspiration": "management",
            "target_position_id": str(world.chief.id),
            "horizon_years": 2,
            "note": "Lead the east team",
        },
    }
    return body | overrides


async def test_empty_before_the_first_submission(client: AsyncClient, world: World) -> None:
    response = await client.get(PATH, headers=world.member_account.headers)
    assert response.status_code == 200
    assert response.headers["etag"].startswith('"0.')
    body = response.json()
    assert body["skills"] == []
    assert body["submitted_at"] is None
    assert body["employee_id"] == str(world.member.id)


async def test_submit_then_read_back(client: AsyncClient, world: World) -> None:
    headers = world.member_account.headers
    put = await client.put(PATH, json=_profile(world), headers=headers | {"If-Match": '"0"'})
    assert put.status_code == 200, put.text
    assert put.json()["submitted_at"] is not None
    got = await client.get(PATH, headers=headers)
    assert got.json()["career_plan"]["aspiration"] == "management"
    assert got.json()["certifications"][0]["name"] == "PMP"
    assert got.headers["etag"] == put.headers["etag"]
    assert got.headers["etag"].startswith('"1.')


async def test_stale_versions_are_refused(client: AsyncClient, world: World) -> None:
    headers = world.member_account.headers
    await client.put(PATH, json=_profile(world), headers=headers)
    stale_etag = await client.put(PATH, json=_profile(world), headers=headers | {"If-Match": '"0"'})
    assert stale_etag.status_code == 412
    stale_body = await client.put(PATH, json=_profile(world, version=0), headers=headers)
    assert stale_body.status_code == 409
    fresh = await client.put(
        PATH, json=_profile(world, skills=[]), headers=headers | {"If-Match": '"1"'}
    )
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 2
    assert fresh.json()["skills"] == []


async def test_input_is_bounded_and_validated(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other = await make_org(runtime)
    department = await make_department(runtime, other.org_id, "Elsewhere")
    foreign = await make_position(runtime, other.org_id, department, "Foreign")
    plan = _profile(world)["career_plan"]
    skill = {"name": "Skill", "level": 3}
    for overrides in (
        {"skills": [{"name": "X", "level": 6}]},
        {"skills": [skill, skill]},
        {"skills": [{"name": f"S{i}", "level": 1} for i in range(101)]},
        {"career_plan": plan | {"horizon_years": 11}},
        {"career_plan": plan | {"aspiration": "astronaut"}},
        {
            "certifications": [
                {"name": "PMP", "obtained_on": "2024-01-01", "expires_on": "2023-01-01"}
            ]
        },
        {"external_trainings": [{"title": "x" * 201}]},
    ):
        response = await client.put(
            PATH, json=_profile(world, **overrides), headers=world.member_account.headers
        )
        assert response.status_code == 422, overrides
    cross_org = await client.put(
        PATH,
        json=_profile(world, career_plan=plan | {"target_position_id": str(foreign.id)}),
        headers=world.member_account.headers,
    )
    assert cross_org.status_code == 422
    assert cross_org.json()["errors"][0]["field"] == "career_plan.target_position_id"


async def test_users_without_an_employee_get_404(client: AsyncClient, world: World) -> None:
    assert (await client.get(PATH, headers=world.sales_head.headers)).status_code == 404
    put = await client.put(PATH, json=_profile(world), headers=world.sales_head.headers)
    assert put.status_code == 404


async def test_submissions_are_audited(client: AsyncClient, world: World) -> None:
    await client.put(PATH, json=_profile(world), headers=world.member_account.headers)
    events = await client.get(
        "/api/v1/audit-events", params={"object_type": "growth_profile"}, headers=world.hr.headers
    )
    [recorded] = events.json()["items"]
    assert recorded["action"] == "growth_profile.submitted"
    assert recorded["after"]["skills"][0]["name"] == "Negotiation"
