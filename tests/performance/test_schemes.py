"""Performance schemes over HTTP: the seed's weighted indicators for a department subtree,
revisioned, with department variants; every refusal with its problem body in both
languages; readers; another organization invisible."""

from __future__ import annotations

import uuid

from httpx import AsyncClient, Response

from hrcore.core.runtime import Runtime
from tests.factories import make_org
from tests.people.conftest import count_statements
from tests.performance.conftest import API, ZH, World, api_key, ok, post_scheme, scheme
from tests.problems import assert_problem


def _message(response: Response, status: int) -> str:
    """The one field error's message of a refused body."""
    body = assert_problem(response, status, kind="validation-error", fields={"body"})
    return str(body["errors"][0]["message"])


async def test_hr_creates_the_seed_scheme_and_revises_it(client: AsyncClient, world: World) -> None:
    created = await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    assert [(i["key"], i["weight"], i["direction"]) for i in created["indicators"]] == [
        ("output", 30, "higher"),
        ("quality", 25, "higher"),
        ("customer_feedback", 20, "lower"),
        ("innovation_proposals", 15, "higher"),
        ("teamwork", 10, "higher"),
    ]
    assert (created["revision"], created["period"]) == (1, "month")
    url = f"{API}/performance-schemes/{created['id']}"
    revised = scheme(
        department_ids=[str(world.sales.id)],
        period="quarter",
        department_overrides=[
            {
                "department_id": str(world.sales_east.id),
                "weights": {"output": 40, "teamwork": 1},
            }
        ],
    )
    refused = await client.patch(url, json=revised, headers=world.hr.headers)
    assert "weights must sum to 100, not 101" in _message(refused, 422)
    revised["department_overrides"] = [
        {
            "department_id": str(world.sales_east.id),
            "weights": {"output": 35, "teamwork": 5},
            "targets": {"output": 80},
        }
    ]
    second = ok(await client.patch(url, json=revised, headers=world.hr.headers))
    assert (second["revision"], second["period"]) == (2, "quarter")
    first = ok(await client.get(f"{url}/revisions/1", headers=world.sales_head.headers))
    assert (first["period"], first["department_overrides"]) == ("month", [])
    assert ok(await client.get(url, headers=world.sales_head.headers))["revision"] == 2


async def test_weights_not_summing_to_100_are_refused_in_both_languages(
    client: AsyncClient, world: World
) -> None:
    body = scheme(department_ids=[str(world.sales.id)])
    body["indicators"][0]["weight"] = 35
    en = await client.post(f"{API}/performance-schemes", json=body, headers=world.hr.headers)
    assert "indicator weights must sum to 100, not 105" in _message(en, 422)
    zh = await client.post(f"{API}/performance-schemes", json=body, headers=world.hr.headers | ZH)
    assert "105" in _message(zh, 422)
    assert "indicator weights" not in _message(zh, 422)
    nobody = scheme()
    refused = await client.post(f"{API}/performance-schemes", json=nobody, headers=world.hr.headers)
    assert "a scheme names positions or departments" in _message(refused, 422)


async def test_unknown_targets_and_a_second_claim_are_refused(
    client: AsyncClient, world: World
) -> None:
    unknown = scheme(
        position_ids=[str(uuid.uuid4())], department_ids=[str(world.sales.id), str(uuid.uuid4())]
    )
    refused = await client.post(
        f"{API}/performance-schemes", json=unknown, headers=world.hr.headers | ZH
    )
    assert_problem(refused, 422, fields={"position_ids.0", "department_ids.1"})
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    clash = scheme(
        "Another", department_ids=[str(world.sales.id)], position_ids=[str(world.clerk.id)]
    )
    body = assert_problem(
        await client.post(f"{API}/performance-schemes", json=clash, headers=world.hr.headers),
        409,
        detail="Another performance scheme already applies to Sales",
    )
    assert "Sales clerk" not in body["detail"]
    zh = await client.post(f"{API}/performance-schemes", json=clash, headers=world.hr.headers | ZH)
    assert "Sales" in assert_problem(zh, 409)["detail"]
    assert "already applies" not in zh.json()["detail"]


async def test_readers_keys_and_other_organizations(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    created = await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    url = f"{API}/performance-schemes/{created['id']}"
    assert_problem(
        await client.get(url, headers=world.member_account.headers | ZH), 403, kind="forbidden"
    )
    assert_problem(
        await client.post(
            f"{API}/performance-schemes",
            json=scheme(department_ids=[str(world.engineering.id)]),
            headers=world.sales_head.headers,
        ),
        403,
    )
    key = await api_key(client, world.hr, "metrics:write")
    assert_problem(await client.get(url, headers=key), 403)
    other = await make_org(runtime, slug="other-org")
    assert_problem(await client.get(url, headers=other.headers), 404, kind="not-found")
    listed = ok(await client.get(f"{API}/performance-schemes", headers=other.headers))
    assert listed["items"] == []
    with count_statements(runtime) as counter:
        page = ok(await client.get(f"{API}/performance-schemes", headers=world.sales_head.headers))
    assert [item["name"] for item in page["items"]] == ["Sales value"]
    assert counter.count == 6, counter.statements
