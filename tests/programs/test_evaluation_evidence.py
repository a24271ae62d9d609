"""A program's supervisor evaluation on a review form naming competencies becomes evidence
of kind `program_evaluation` when HR publishes it (before, the employee may not see its
figures, so their profile holds nothing of it), once; an upheld appeal replaces it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import create
from tests.people.conftest import World, world
from tests.programs.test_programs import add_active_member
from tests.reviews.conftest import API, competency_form, post_ok

__all__ = ["world"]


async def _evidence(runtime: Runtime, world: World) -> list[tuple[str, str, float]]:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        rows = await session.execute(
            text(
                "SELECT source_kind, source_id, value FROM competency_evidence"
                " WHERE employee_id = :employee ORDER BY value"
            ),
            {"employee": world.member.id},
        )
        return [(r.source_kind, str(r.source_id), r.value) for r in rows]


async def _evaluate(client: AsyncClient, world: World, review_template: dict[str, Any]) -> str:
    """Run a program whose only scored stage is the supervisor's evaluation of Member on the
    form; Lead rates teamwork 4 (75) and leadership 5 (100). The participant's id."""
    hr = world.hr
    template = await post_ok(
        client,
        hr,
        "/program-templates",
        {
            "name": "Evaluated on competencies",
            "stages": [
                {
                    "key": "evaluation",
                    "name": "Supervisor evaluation",
                    "kind": "evaluation",
                    "duration_days": 7,
                    "review_template_id": review_template["id"],
                },
                {"key": "decision", "name": "Decision", "kind": "decision", "duration_days": 7},
            ],
        },
    )
    pool = await post_ok(client, hr, "/talent-pools", {"name": "Reserve chiefs", "rules": []})
    await add_active_member(client, hr, pool["id"], world.member.id)
    run = await post_ok(
        client,
        hr,
        "/programs",
        {
            "name": "2027 H1 reserve",
            "template_id": template["id"],
            "pool_id": pool["id"],
            "starts_on": date.today().isoformat(),
        },
    )
    await post_ok(
        client, hr, f"/programs/{run['id']}/participants", {"employee_ids": [str(world.member.id)]}
    )
    await post_ok(client, hr, f"/programs/{run['id']}/start")
    mine = await client.get(f"{API}/me/review-assignments", headers=world.lead_account.headers)
    [assignment] = mine.json()["items"]
    answers = {"teamwork": {"score": 4}, "leadership": {"score": 5}}
    saved = await client.put(
        f"{API}/review-assignments/{assignment['id']}",
        json={"answers": answers},
        headers=world.lead_account.headers,
    )
    assert saved.status_code == 200, saved.text
    await post_ok(client, world.lead_account, f"/review-assignments/{assignment['id']}/submit")
    return str(assignment["cycle_id"])


@pytest.mark.commits
async def test_a_published_supervisor_evaluation_is_evidence_and_a_correction_replaces_it(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    drive = await create(client, world.hr, "Sales drive")
    form = await post_ok(
        client, world.hr, "/review-templates", competency_form(team["id"], drive["id"])
    )
    cycle_id = await _evaluate(client, world, form)
    await run_burst(runtime)
    [result] = (
        await client.get(f"{API}/review-cycles/{cycle_id}/results", headers=world.hr.headers)
    ).json()["items"]
    assert await _evidence(runtime, world) == [], "computed, the evaluation is not shown yet"

    await post_ok(client, world.hr, f"/review-results/{result['id']}/publish")
    await run_burst(runtime)
    # (7.5×24 + 10×16) / 40; nobody rated team sales, so sales drive has no evidence
    assert await _evidence(runtime, world) == [("program_evaluation", result["id"], 8.5)]
    profile = await client.get(f"{API}/me/competency-profile", headers=world.member_account.headers)
    [figure] = profile.json()["competencies"]
    assert (figure["competency"]["name"], figure["score"]) == ("Team management", 8.5)
    assert figure["evidence"][0]["note"].endswith("Teamwork 7.5 (60%), Leadership 10.0 (40%)")
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        audited = await session.scalar(
            text(
                "SELECT after FROM audit_events WHERE action = 'review_result.published'"
                " AND object_id = :result"
            ),
            {"result": result["id"]},
        )
    assert audited["competency_evidence"] == {
        "source_kind": "program_evaluation",
        "values": [{"competency_id": team["id"], "value": 8.5}],
    }
    appeal = await post_ok(
        client,
        world.member_account,
        f"/review-results/{result['id']}/appeals",
        {"indicator_key": "leadership", "reason": "Rated on last year's team"},
    )
    await post_ok(
        client,
        world.hr,
        f"/appeals/{appeal['id']}/resolve",
        {"outcome": "upheld", "resolution": "Re-rated", "score": 50},
    )
    await run_burst(runtime)
    assert await _evidence(runtime, world) == [("program_evaluation", result["id"], 6.5)], (
        "the correction replaced the evaluation's evidence: (7.5×24 + 5×16) / 40"
    )
