"""Peer ratings from published reviews as observations of a scheme's teamwork indicator, over
HTTP and the real worker: the mapping is checked (422 in the reader's language), publication
records the peers' mean once enough peers answered (below the threshold: nothing), the live
score moves and explains its source, and recording again is `unchanged`."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.performance import review_ratings
from hrcore.worker import run_burst
from tests.factories import make_employee, make_org, make_user
from tests.performance.conftest import API, ZH, World, ok, post_scheme, scheme
from tests.problems import assert_problem
from tests.reviews.conftest import FORM, answer_as, clock, post_ok

__all__ = ["clock"]


def _mapped(world: World, template_id: str, keys: list[str]) -> dict[str, Any]:
    """The seed's scheme over the whole organization with teamwork fed by the form's peer
    ratings (target 80 of 100)."""
    body = scheme(department_ids=[str(world.head_office.id)])
    teamwork = body["indicators"][4] | {
        "target": 80,
        "source": {
            "kind": "review_peer_rating",
            "review_template_id": template_id,
            "template_indicator_keys": keys,
        },
    }
    return body | {"indicators": [*body["indicators"][:4], teamwork]}


async def test_a_mapping_names_a_form_of_the_organization_and_its_indicators(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    template = await post_ok(client, world.hr, "/review-templates", FORM)
    unknown_key = await client.post(
        f"{API}/performance-schemes",
        json=_mapped(world, template["id"], ["teamwork", "nope"]),
        headers=world.hr.headers | ZH,
    )
    problem = assert_problem(
        unknown_key, 422, fields={"indicators.4.source.template_indicator_keys.1"}
    )
    assert problem["errors"][0]["message"] == "评估表没有指标 nope"
    other_hr = await make_org(runtime)
    theirs = await post_ok(client, other_hr, "/review-templates", FORM)
    for template_id in (theirs["id"], str(uuid.uuid4())):
        refused = await client.post(
            f"{API}/performance-schemes",
            json=_mapped(world, template_id, ["teamwork"]),
            headers=world.hr.headers,
        )
        assert_problem(refused, 422, fields={"indicators.4.source.review_template_id"})
    listed = ok(await client.get(f"{API}/performance-schemes", headers=world.hr.headers))
    assert listed["items"] == []


@pytest.mark.commits
async def test_published_peer_ratings_move_the_teamwork_score(
    client: AsyncClient, world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    org_id = world.hr.org_id
    template = await post_ok(client, world.hr, "/review-templates", FORM)
    await post_scheme(
        client,
        world.hr,
        _mapped(world, template["id"], ["teamwork", "leadership"]),
    )
    third = await make_employee(runtime, org_id, world.sales, "Third", manager=world.boss)
    raters = {
        name: await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=employee.id)
        for name, employee in (("peer", world.peer), ("engineer", world.engineer), ("third", third))
    }
    cycle = await post_ok(
        client,
        world.hr,
        "/review-cycles",
        {
            "name": "2026 year-end",
            "kind": "year_end",
            "template_id": template["id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
        },
    )
    participants = {"employee_ids": [str(world.lead.id), str(world.peer.id)]}
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/participants", participants)
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/open")
    # Lead: three peers (the threshold) rate teamwork 4, 5, 3 and leadership 5 each
    for name, teamwork in (("peer", 4), ("engineer", 5), ("third", 3)):
        answers = {"teamwork": {"score": teamwork}, "leadership": {"score": 5}}
        await answer_as(client, raters[name], "Lead", answers)
    # Peer: two peers only, below the threshold — their answers are never an observation
    for account in (world.lead_account, raters["engineer"]):
        await answer_as(client, account, "Peer", {"teamwork": {"score": 1}})
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/close")
    await run_burst(runtime)
    results = ok(
        await client.get(f"{API}/review-cycles/{cycle['id']}/results", headers=world.hr.headers)
    )["items"]
    by_name = {r["employee"]["name"]: r for r in results}
    published = {
        name: await post_ok(client, world.hr, f"/review-results/{r['id']}/publish")
        for name, r in by_name.items()
    }
    await run_burst(runtime)

    stored = ok(await client.get(f"{API}/metric-observations", headers=world.hr.headers))["items"]
    lead_result = by_name["Lead"]["id"]
    assert [
        (o["employee_id"], o["indicator"], o["value"], o["source"], o["external_id"])
        for o in stored
    ] == [(str(world.lead.id), "teamwork", 87.5, "review", f"{lead_result}:teamwork")]
    assert stored[0]["observed_at"] == published["Lead"]["published_at"]
    audited = ok(
        await client.get(
            f"{API}/audit-events",
            params={"object_type": "metric_observation_batch"},
            headers=world.hr.headers,
        )
    )["items"]
    assert [(e["action"], e["after"]["recorded"], e["actor_id"]) for e in audited] == [
        ("metric_observation_batch.recorded", [stored[0]["id"]], str(world.hr.user_id))
    ]

    lead = ok(
        await client.get(f"{API}/employees/{world.lead.id}/performance", headers=world.hr.headers)
    )
    (period,) = lead["periods"]
    teamwork = next(f for f in period["indicators"] if f["key"] == "teamwork")
    assert (teamwork["value"], teamwork["score"], period["overall"]) == (87.5, 100, 100)
    assert [(i["id"], i["source"]) for i in teamwork["inputs"]] == [(stored[0]["id"], "review")]
    peer = ok(
        await client.get(f"{API}/employees/{world.peer.id}/performance", headers=world.hr.headers)
    )
    assert peer["periods"] == []

    # publishing again queues nothing; recording the result again is `unchanged`
    await post_ok(client, world.hr, f"/review-results/{lead_result}/publish")
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        again = await review_ratings.record_peer_ratings(
            session,
            org_id,
            uuid.UUID(lead_result),
            world.hr.user_id,
            threshold=runtime.settings.review_anonymity_threshold,
        )
        # a threshold raised since the aggregation still keeps the three peers out
        stricter = await review_ratings.record_peer_ratings(
            session, org_id, uuid.UUID(lead_result), world.hr.user_id, threshold=4
        )
        below = await review_ratings.record_peer_ratings(
            session,
            org_id,
            uuid.UUID(by_name["Peer"]["id"]),
            world.hr.user_id,
            threshold=runtime.settings.review_anonymity_threshold,
        )
    assert again is not None
    assert (again.unchanged, again.recorded, again.corrected) == (1, 0, 0)
    assert below is None
    assert stricter is None
    # another organization's reading of the result finds nothing to record
    other_hr = await make_org(runtime)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, other_hr.org_id)
        elsewhere = await review_ratings.record_peer_ratings(
            session,
            other_hr.org_id,
            uuid.UUID(lead_result),
            other_hr.user_id,
            threshold=runtime.settings.review_anonymity_threshold,
        )
    assert elsewhere is None
