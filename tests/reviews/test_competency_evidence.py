"""Review results as competency evidence over HTTP and the real worker: a form's indicators
name competencies of the library (checked: 422 naming the field, another organization's
refused), publication records the aggregated scores as evidence and the profile moves and
says why, a republish changes nothing and an upheld appeal replaces the evidence."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import create
from tests.factories import Account, make_org, make_user
from tests.people.conftest import World, count_statements
from tests.problems import assert_problem
from tests.reviews.conftest import API, FORM, answer_as, competency_form, post_ok


async def _evidence_rows(runtime: Runtime, world: World) -> list[Any]:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        rows = await session.execute(
            text(
                "SELECT source_kind, source_id, value FROM competency_evidence"
                " WHERE employee_id = :employee ORDER BY value"
            ),
            {"employee": world.lead.id},
        )
        return list(rows)


def _table(statement: str) -> str:
    """The table a statement works on (after FROM, INTO or the DELETE's FROM)."""
    words = statement.replace("\n", " ").split()
    for keyword in ("INTO", "FROM"):
        if keyword in words:
            return words[words.index(keyword) + 1]
    return ""


async def _account(runtime: Runtime, world: World, name: str = "boss") -> Account:
    employee = {"boss": world.boss, "peer": world.peer}[name]
    return await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=employee.id)


async def _profile(client: AsyncClient, world: World) -> dict[str, Any]:
    response = await client.get(
        f"{API}/employees/{world.lead.id}/competency-profile", headers=world.hr.headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.commits
async def test_a_published_review_moves_the_profile_and_an_upheld_appeal_replaces_it(
    client: AsyncClient, world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    team = await create(client, world.hr, "Team management")
    drive = await create(client, world.hr, "Sales drive")
    template = await post_ok(
        client, world.hr, "/review-templates", competency_form(team["id"], drive["id"])
    )
    assert {i["key"]: i["competency_id"] for i in template["indicators"]} == {
        "sales": drive["id"],
        "teamwork": team["id"],
        "leadership": team["id"],
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
    await post_ok(
        client,
        world.hr,
        f"/review-cycles/{cycle['id']}/participants",
        {"employee_ids": [str(world.lead.id)]},
    )
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/open")
    boss = await _account(runtime, world)
    await answer_as(
        client,
        boss,
        "Lead",
        {"sales": {"actual": 70}, "teamwork": {"score": 5}, "leadership": {"score": 3}},
    )
    # one peer alone is below the anonymity threshold: the evidence never holds their 1
    peer = await _account(runtime, world, "peer")
    await answer_as(client, peer, "Lead", {"teamwork": {"score": 1}, "leadership": {"score": 1}})
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/close")
    await run_burst(runtime)
    [result] = (
        await client.get(f"{API}/review-cycles/{cycle['id']}/results", headers=world.hr.headers)
    ).json()["items"]
    assert await _evidence_rows(runtime, world) == [], "a computed result is no evidence yet"

    with count_statements(runtime) as counter:
        await post_ok(client, world.hr, f"/review-results/{result['id']}/publish")
    evidence_statements = [
        s.split()[0] + " " + _table(s)
        for s in counter.statements
        if "competenc" in s or "program_participant_stages" in s
    ]
    assert sorted(evidence_statements) == [
        "DELETE competency_evidence",
        "INSERT competency_evidence",
        "INSERT competency_evidence",
        "SELECT competencies",
        "SELECT program_participant_stages",
    ], "one statement per competency named, three for the result, one asking its kind"
    await run_burst(runtime)
    profile = await _profile(client, world)
    figures = {f["competency"]["name"]: f for f in profile["competencies"]}
    # teamwork 100 and leadership 50 weigh 24 and 16 of the overall: (10×24 + 5×16) / 40
    assert (figures["Team management"]["score"], figures["Sales drive"]["score"]) == (8.0, 7.0)
    [evidence] = figures["Team management"]["evidence"]
    assert (evidence["source_kind"], evidence["source_id"]) == ("review", result["id"])
    assert evidence["note"] == "2026 year-end: Teamwork 10.0 (60%), Leadership 5.0 (40%)"
    assert figures["Sales drive"]["evidence"][0]["note"] == "2026 year-end: Team sales 7.0 (100%)"

    again = await client.post(
        f"{API}/review-results/{result['id']}/publish", headers=world.hr.headers
    )
    assert again.status_code == 200, again.text
    await run_burst(runtime)
    assert len(await _evidence_rows(runtime, world)) == 2, "one row per result and competency"
    assert len((await _profile(client, world))["history"]) == 1, "republishing changes nothing"

    appeal = await post_ok(
        client,
        world.lead_account,
        f"/review-results/{result['id']}/appeals",
        {"indicator_key": "leadership", "reason": "The spring hiring round was mine"},
    )
    await post_ok(
        client,
        world.hr,
        f"/appeals/{appeal['id']}/resolve",
        {"outcome": "upheld", "resolution": "It was", "score": 90},
    )
    await run_burst(runtime)
    rows = await _evidence_rows(runtime, world)
    assert [(r.source_kind, str(r.source_id), r.value) for r in rows] == [
        ("review", result["id"], 7.0),
        ("review", result["id"], 9.6),
    ], "the correction replaced the evidence: (10×24 + 9×16) / 40"
    corrected = await _profile(client, world)
    [figure] = [
        f for f in corrected["competencies"] if f["competency"]["name"] == "Team management"
    ]
    assert figure["sources"] == 1
    assert figure["evidence"][0]["note"].endswith("Teamwork 10.0 (60%), Leadership 9.0 (40%)")
    scores = [
        [s["score"] for s in point["scores"] if s["competency_id"] == team["id"]]
        for point in corrected["history"]
    ]
    assert scores == [[9.6], [8.0]], "the profile moved and keeps where it was"
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        audited = await session.scalar(
            text(
                "SELECT after FROM audit_events WHERE action = 'review_appeal.upheld'"
                " AND object_id = :appeal"
            ),
            {"appeal": uuid.UUID(appeal["id"])},
        )
    assert audited["competency_evidence"]["source_kind"] == "review"
    assert {e["value"] for e in audited["competency_evidence"]["values"]} == {7.0, 9.6}


async def test_an_indicator_names_a_competency_of_the_library(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    other = await make_org(runtime)
    foreign = await create(client, other, "Their management")
    for wrong in (str(uuid.uuid4()), foreign["id"]):
        for language, message in (("en", "no such competency"), ("zh-CN", "能力项不存在")):
            refused = await client.post(
                f"{API}/review-templates",
                json=competency_form(team["id"], wrong),
                headers=world.hr.headers | {"Accept-Language": language},
            )
            body = assert_problem(refused, 422, fields={"indicators.0.competency_id"})
            assert body["errors"][0]["message"] == message
            assert body["detail"] == {"en": "Unknown competency", "zh-CN": "未知能力项"}[language]
    created = await post_ok(
        client, world.hr, "/review-templates", competency_form(team["id"], team["id"])
    )
    url = f"{API}/review-templates/{created['id']}"
    bad_patch = await client.patch(
        url,
        json=competency_form(team["id"], foreign["id"]) | {"version": created["version"]},
        headers=world.hr.headers,
    )
    assert_problem(bad_patch, 422, fields={"indicators.0.competency_id"})
    patched = await client.patch(
        url,
        json={**FORM, "name": created["name"], "version": created["version"]},
        headers=world.hr.headers,
    )
    assert patched.status_code == 200, patched.text
    assert [i["competency_id"] for i in patched.json()["indicators"]] == [None, None, None], (
        "the whole form is patched back: an indicator left without a competency names none"
    )
    misspelt = {
        **FORM,
        "name": "Misspelt",
        "indicators": [FORM["indicators"][0] | {"competency": team["id"]}],
    }
    assert_problem(
        await client.post(f"{API}/review-templates", json=misspelt, headers=world.hr.headers),
        422,
    )
