"""Competency models per position: weights and levels checked, each save a new version,
department variants, nothing across organizations."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.competencies.conftest import API, World, create, ok
from tests.factories import make_org
from tests.problems import assert_problem


def _entries(*pairs: tuple[dict[str, Any], int, int]) -> dict[str, Any]:
    return {
        "entries": [
            {"competency_id": c["id"], "required_level": level, "weight": weight}
            for c, level, weight in pairs
        ]
    }


async def test_each_save_is_a_version_and_every_version_stays_readable(
    client: AsyncClient, world: World
) -> None:
    team = await create(client, world.hr, "Team management")
    customers = await create(client, world.hr, "Customer resource integration", levels=4)
    url = f"{API}/positions/{world.chief.id}/competency-model"
    first = ok(
        await client.put(
            url, json=_entries((team, 4, 60), (customers, 3, 40)), headers=world.hr.headers
        )
    )
    assert first["version"] == 1
    assert first["position"] == {"id": str(world.chief.id), "name": "Sales chief"}
    assert first["department_id"] is None
    assert [
        (e["competency"]["name"], e["required_level"], e["weight"], e["levels"])
        for e in first["entries"]
    ] == [
        ("Team management", 4, 60, 5),
        ("Customer resource integration", 3, 40, 4),
    ]
    second = ok(
        await client.put(
            url,
            json=_entries((team, 5, 100)),
            headers=world.hr.headers | {"If-Match": '"1"'},
        )
    )
    assert second["version"] == 2
    stale = await client.put(
        url, json=_entries((team, 3, 100)), headers=world.hr.headers | {"If-Match": '"1"'}
    )
    assert_problem(stale, 412)

    current = await client.get(url, headers=world.junior_account.headers)
    assert ok(current) == second
    assert current.headers["etag"].strip('"').startswith("2")
    assert ok(await client.get(f"{url}?version=1", headers=world.junior_account.headers)) == first
    assert_problem(await client.get(f"{url}?version=3", headers=world.hr.headers), 404)

    audit = ok(
        await client.get(
            f"{API}/audit-events?object_type=position&object_id={world.chief.id}",
            headers=world.hr.headers,
        )
    )
    assert [
        e["after"]["version"] for e in audit["items"] if e["action"] == "competency_model.versioned"
    ] == [2, 1]


async def test_a_department_variant_and_the_general_model_beside_it(
    client: AsyncClient, world: World
) -> None:
    team = await create(client, world.hr, "Team management")
    url = f"{API}/positions/{world.chief.id}/competency-model"
    ok(await client.put(url, json=_entries((team, 3, 100)), headers=world.hr.headers))
    fallback = ok(
        await client.get(f"{url}?department_id={world.engineering.id}", headers=world.hr.headers)
    )
    assert (fallback["department_id"], fallback["entries"][0]["required_level"]) == (None, 3)
    variant = ok(
        await client.put(
            f"{url}?department_id={world.sales_east.id}",
            json=_entries((team, 5, 100)),
            headers=world.hr.headers,
        )
    )
    assert (variant["version"], variant["department"]["name"]) == (1, "Sales East")
    read = ok(
        await client.get(f"{url}?department_id={world.sales_east.id}", headers=world.hr.headers)
    )
    assert read == variant
    general = ok(await client.get(url, headers=world.hr.headers))
    assert general["entries"][0]["required_level"] == 3


async def test_bad_weights_and_levels_are_422_naming_the_field(
    client: AsyncClient, world: World
) -> None:
    team = await create(client, world.hr, "Team management", levels=5)
    customers = await create(client, world.hr, "Customer resource integration", levels=3)
    url = f"{API}/positions/{world.chief.id}/competency-model"
    uneven = await client.put(
        url, json=_entries((team, 3, 60), (customers, 2, 30)), headers=world.hr.headers
    )
    assert_problem(uneven, 422, fields={"entries"})
    assert "sum to 90" in uneven.json()["errors"][0]["message"]
    too_high = await client.put(
        url,
        json=_entries((team, 3, 50), (customers, 4, 50)),
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    body = assert_problem(too_high, 422, fields={"entries.1.required_level"})
    assert "levels 1 to" not in body["errors"][0]["message"]
    twice = await client.put(
        url, json=_entries((team, 3, 50), (team, 2, 50)), headers=world.hr.headers
    )
    assert_problem(twice, 422, fields={"entries.1.competency_id"})
    assert_problem(
        await client.get(url, headers=world.hr.headers), 404, detail="No competency model"
    )


async def test_only_hr_admins_save_a_model(client: AsyncClient, world: World) -> None:
    team = await create(client, world.hr, "Team management")
    refused = await client.put(
        f"{API}/positions/{world.chief.id}/competency-model",
        json=_entries((team, 3, 100)),
        headers=world.sales_head.headers,
    )
    assert_problem(refused, 403)


async def test_another_organizations_position_or_competency_is_404(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    other = await make_org(runtime)
    theirs = ok(
        await client.post(
            f"{API}/competencies",
            json={"name": "Theirs", "category": "general", "levels": [{"name": "L1"}]},
            headers=other.headers,
        ),
        201,
    )
    url = f"{API}/positions/{world.chief.id}/competency-model"
    ok(await client.put(url, json=_entries((team, 3, 100)), headers=world.hr.headers))
    assert_problem(await client.get(url, headers=other.headers), 404, detail="No such position")
    assert_problem(
        await client.put(url, json=_entries((team, 3, 100)), headers=other.headers),
        404,
        detail="No such position",
    )
    assert_problem(
        await client.put(url, json=_entries((theirs, 1, 100)), headers=world.hr.headers),
        404,
        detail="No such competency",
    )
