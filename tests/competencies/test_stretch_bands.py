"""The database answers a ranking's band, not every assignment: of assignments developing the
same competencies from the same levels only the first `limit` by age may reach the page,
and a page cutting through such a run of ties (and an equal score from the same
competencies in another order) is still the head of the whole ranking, oldest first."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.competencies.conftest import API, World, ok
from tests.competencies.stretch_helpers import make_assignment
from tests.competencies.test_stretch_matching import _setting

ME = f"{API}/me/stretch-assignment-matches"


@pytest.mark.commits
async def test_a_page_cutting_through_identical_assignments_is_the_head_of_the_ranking(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team, customers = await _setting(client, world, runtime)
    made = []
    for n in range(6):
        made.append(
            await make_assignment(
                client, world.hr, world.sales.id, (team, 2), (customers, 1), title=f"Same {n}"
            )
        )
        made.append(
            await make_assignment(client, world.hr, world.sales.id, (team, 5), title=f"Far {n}")
        )
    reordered = await make_assignment(
        client, world.hr, world.sales.id, (customers, 1), (team, 2), title="Reordered"
    )
    everything = ok(await client.get(f"{ME}?limit=200", headers=world.lead_account.headers))
    ranked = [(item["assignment"]["name"], item["score"]) for item in everything["items"]]
    assert len(ranked) == 13
    same = [name for name, _score in ranked if name.startswith("Same")]
    assert same == [f"Same {n}" for n in range(6)], "identical scores keep their age"
    assert ranked[0][1] == dict(ranked)["Reordered"] == dict(ranked)["Same 0"]
    assert ranked[0][1] > dict(ranked)["Far 0"]
    for limit in range(1, 14):
        page = ok(await client.get(f"{ME}?limit={limit}", headers=world.lead_account.headers))
        assert page["items"] == everything["items"][:limit]
    assert reordered["id"] in {item["assignment_id"] for item in everything["items"]}
