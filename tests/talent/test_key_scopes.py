"""Integration keys read talent pool definitions (`org:read`) and nothing else of talent,
succession or programs: no scope names who is in a pool, vacancies, rankings, programs or
dossiers, so even a key holding every read scope is refused (403)."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient

from tests.people.conftest import World, world
from tests.people.test_visibility import _api_key
from tests.talent.test_pools import POOLS, _nominate, _pool

__all__ = ["world"]
EVERY_READ = ("org:read", "profiles:read", "ratings:read", "reviews:read")
SOME = uuid.UUID(int=1)
CLOSED = [
    f"{POOLS}/{{pool}}/members",
    f"{POOLS}/{{pool}}/members?sort=readiness",
    f"{POOLS}/{{pool}}/members/{SOME}/history",
    f"{POOLS}/{{pool}}/nine-box",
    f"{POOLS}/measures",
    "/api/v1/vacancies",
    f"/api/v1/vacancies/{SOME}",
    f"/api/v1/vacancies/{SOME}/candidates",
    "/api/v1/program-templates",
    f"/api/v1/program-templates/{SOME}",
    "/api/v1/programs",
    f"/api/v1/programs/{SOME}",
    f"/api/v1/programs/{SOME}/participants",
    f"/api/v1/programs/{SOME}/progress",
    f"/api/v1/programs/{SOME}/participants/{SOME}/dossier",
]


async def test_a_key_reads_pool_definitions_with_org_read(
    client: AsyncClient, world: World
) -> None:
    pool = await _pool(client, world.hr, [])
    reader = await _api_key(client, world.hr, "org:read")
    listed = await client.get(POOLS, headers=reader)
    assert [item["id"] for item in listed.json()["items"]] == [pool["id"]]
    assert (await client.get(f"{POOLS}/{pool['id']}", headers=reader)).status_code == 200
    other = await _api_key(client, world.hr, "ratings:read")
    refused = await client.get(POOLS, headers=other)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This integration key lacks the org:read scope"


@pytest.mark.parametrize("template", CLOSED, ids=CLOSED)
async def test_no_key_reads_members_succession_or_programs(
    client: AsyncClient, world: World, template: str
) -> None:
    pool = await _pool(client, world.hr, [])
    nominated = await _nominate(client, world.hr, pool["id"], world.member.id)
    assert nominated.status_code == 201
    path = template.format(pool=pool["id"])
    assert (await client.get(path, headers=world.hr.headers)).status_code in (200, 404)
    key = await _api_key(client, world.hr, *EVERY_READ)
    response = await client.get(path, headers=key)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "Member" not in response.text
