"""A whole review cycle over HTTP and the real worker: form, cycle, raters, answers, close,
aggregation, anonymity, calibration, publication, recommendation."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.outbox import OutboxMessage
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import Account
from tests.people.conftest import World
from tests.reviews.conftest import API, FORM, TEAMWORK, Setup, answer_as, post_ok


async def test_opening_gives_every_rater_an_assignment_and_a_task(
    client: AsyncClient, setup: Setup
) -> None:
    world = setup.world
    boss = await client.get(f"{API}/me/review-assignments", headers=setup.accounts["boss"].headers)
    assert [(a["participant"]["name"], a["relationship"]) for a in boss.json()["items"]] == [
        ("Lead", "supervisor")
    ]
    member = await client.get(f"{API}/me/review-assignments", headers=world.member_account.headers)
    assert sorted(
        (a["participant"]["name"], a["relationship"]) for a in member.json()["items"]
    ) == [
        ("Lead", "subordinate"),
        ("Member", "self"),
    ]
    tasks = await client.get(f"{API}/me/tasks", headers=world.member_account.headers)
    assert sorted(t["title"] for t in tasks.json()["items"]) == [
        "2026 year-end: review Lead (subordinate)",
        "2026 year-end: your self-assessment",
    ]
    [task] = [t for t in tasks.json()["items"] if "Lead" in t["title"]]
    direct = await client.post(
        f"{API}/tasks/{task['id']}/complete", json={}, headers=world.member_account.headers
    )
    assert direct.status_code == 422, "the task closes by submitting the review"


async def test_bad_answers_are_refused(client: AsyncClient, setup: Setup, runtime: Runtime) -> None:
    world = setup.world
    mine = await client.get(f"{API}/me/review-assignments", headers=world.member_account.headers)
    [own] = [a for a in mine.json()["items"] if a["relationship"] == "self"]
    url = f"{API}/review-assignments/{own['id']}"
    for answers, field in (
        ({"teamwork": {"score": 6}}, "answers.teamwork.score"),
        ({"sales": {"score": 3}}, "answers.sales.actual"),
        ({"charm": {"score": 3}}, "answers.charm"),
    ):
        response = await client.put(
            url, json={"answers": answers}, headers=world.member_account.headers
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    others = await client.get(url, headers=world.junior_account.headers)
    assert others.status_code == 404, "another rater's assignment does not exist for them"
    hr_try = await client.put(url, json={"answers": {}}, headers=world.hr.headers)
    assert hr_try.status_code == 404
    empty = await client.post(f"{url}/submit", headers=world.member_account.headers)
    assert empty.status_code == 422
    await client.put(
        url, json={"answers": {"teamwork": {"score": 4}}}, headers=world.member_account.headers
    )
    assert (
        await client.post(f"{url}/submit", headers=world.member_account.headers)
    ).status_code == 200
    again = await client.put(url, json={"answers": {}}, headers=world.member_account.headers)
    assert again.status_code == 409


async def test_weights_must_sum_to_100(client: AsyncClient, world: World) -> None:
    bad_kinds = {**FORM, "kind_weights": {"quantitative": 60, "qualitative": 30}}
    bad_items = {**FORM, "indicators": [TEAMWORK | {"weight": 90}]}
    for form in (bad_kinds, bad_items):
        response = await client.post(f"{API}/review-templates", json=form, headers=world.hr.headers)
        assert response.status_code == 422, response.text


@pytest.mark.commits
async def test_a_cycle_runs_to_a_published_anonymous_result(
    client: AsyncClient, setup: Setup, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    world, accounts, cycle = setup.world, setup.accounts, setup.cycle
    await answer_as(
        client,
        accounts["boss"],
        "Lead",
        {"sales": {"actual": 80}, "teamwork": {"score": 4}, "leadership": {"score": 5}},
        "Delivers.",
    )
    await answer_as(
        client, accounts["peer"], "Lead", {"teamwork": {"score": 3}}, "Could listen more."
    )
    await answer_as(client, accounts["engineer"], "Lead", {"teamwork": {"score": 5}}, "Great help.")
    await answer_as(client, accounts["peer2"], "Lead", {"teamwork": {"score": 4}})
    await answer_as(
        client,
        world.member_account,
        "Lead",
        {"teamwork": {"score": 4}, "leadership": {"score": 4}},
        "Secret view.",
    )
    await answer_as(client, world.lead_account, "Lead", {"teamwork": {"score": 5}})

    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/close")
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/close")
    late = await client.put(
        f"{API}/review-assignments/{(await _first(client, world.junior_account))}",
        json={"answers": {}},
        headers=world.junior_account.headers,
    )
    assert late.status_code == 409
    async with owner_engine.connect() as connection:
        jobs = await connection.scalar(
            select(func.count()).where(OutboxMessage.job == "reviews.aggregate")
        )
    assert jobs == 1, "closing twice aggregates once"
    await run_burst(runtime)

    results = await client.get(
        f"{API}/review-cycles/{cycle['id']}/results", headers=world.hr.headers
    )
    by_name = {r["employee"]["name"]: r for r in results.json()["items"]}
    lead = by_name["Lead"]
    scores = {i["key"]: i for i in lead["indicators"]}
    assert scores["sales"]["score"] == 80
    assert scores["teamwork"]["score"] == 75
    assert scores["leadership"]["score"] == 100, "the one subordinate's 75 is left out"
    assert scores["leadership"]["raters"] == 1
    assert lead["withheld_groups"] == ["subordinate"]
    expected = (80 * 70 + 75 * 18 + scores["leadership"]["score"] * 12) / 100
    assert lead["overall"] == pytest.approx(expected, abs=0.01), "sales weights (70/30) applied"
    groups = {g["relationship"]: g["raters"] for g in scores["teamwork"]["groups"]}
    assert groups == {"supervisor": 1, "peer": 3}, "one subordinate is too few to be shown"
    assert lead["comments"] == sorted(["Delivers.", "Could listen more.", "Great help."])
    assert "Secret view." not in results.text

    head = await client.get(f"{API}/review-results/{lead['id']}", headers=world.sales_head.headers)
    assert head.status_code == 200
    assert "Secret view." not in head.text
    own = await client.get(f"{API}/review-results/{lead['id']}", headers=world.lead_account.headers)
    assert own.status_code == 200
    assert lead["cycle"] == {"id": cycle["id"], "name": "2026 year-end"}
    pending = {
        "id": lead["id"],
        "cycle_id": cycle["id"],
        "cycle": lead["cycle"],
        "employee": lead["employee"],
    }
    assert own.json() == {**pending, "status": "pending"}, "nothing computed before publishing"
    listed = await client.get(f"{API}/me/review-results", headers=world.lead_account.headers)
    assert listed.json()["items"] == [own.json()]
    colleague = await client.get(
        f"{API}/review-results/{lead['id']}", headers=world.junior_account.headers
    )
    assert colleague.status_code == 404, "another employee's result stays unknown"

    no_reason = await client.post(
        f"{API}/review-results/{lead['id']}/calibrate",
        json={"overall": 85},
        headers=world.hr.headers,
    )
    assert no_reason.status_code == 422
    calibrated = await post_ok(
        client,
        world.hr,
        f"/review-results/{lead['id']}/calibrate",
        {"overall": 85, "reason": "Calibration committee: led the new market entry"},
    )
    assert calibrated["overall"] == 85
    assert calibrated["computed_overall"] == pytest.approx(expected, abs=0.01)
    assert calibrated["adjustments"][0]["reason"].startswith("Calibration committee")
    hr_user = (await client.get(f"{API}/users/{world.hr.user_id}", headers=world.hr.headers)).json()
    assert calibrated["adjustments"][0]["by_user"] == {
        "id": str(world.hr.user_id),
        "name": hr_user["display_name"],
    }, "HR's adjustment names who made it"
    await post_ok(client, world.hr, f"/review-results/{lead['id']}/publish")

    mine = (await client.get(f"{API}/me/review-results", headers=world.lead_account.headers)).json()
    [published] = mine["items"]
    assert published["status"] == "published"
    assert published["overall"] == 85
    assert published["adjustments"] == [], "calibration notes stay with HR"
    assert "Secret view." not in str(mine)
    inbox = await client.get(f"{API}/me/notifications", headers=world.lead_account.headers)
    assert "Your review result is published" in [n["title"] for n in inbox.json()["items"]]
    late_calibration = await client.post(
        f"{API}/review-results/{lead['id']}/calibrate",
        json={"overall": 90, "reason": "Again"},
        headers=world.hr.headers,
    )
    assert late_calibration.status_code == 409

    self_made = await client.post(
        f"{API}/review-results/{lead['id']}/recommendation",
        json={"recommendation": "promote"},
        headers=world.lead_account.headers,
    )
    assert self_made.status_code == 403
    recommended = await post_ok(
        client,
        world.sales_head,
        f"/review-results/{lead['id']}/recommendation",
        {"recommendation": "promote"},
    )
    assert recommended["recommendation"] == "promote"
    assert recommended["recommendation_reason"] is None, "a reason stays optional"
    blank = await client.post(
        f"{API}/review-results/{lead['id']}/recommendation",
        json={"recommendation": "promote", "reason": "   "},
        headers=world.sales_head.headers,
    )
    assert blank.status_code == 422
    reasoned = await post_ok(
        client,
        world.sales_head,
        f"/review-results/{lead['id']}/recommendation",
        {"recommendation": "continue_development", "reason": "Needs a year leading the team"},
    )
    assert reasoned["recommendation"] == "continue_development"
    assert reasoned["recommendation_reason"] == "Needs a year leading the team"
    mine = (await client.get(f"{API}/me/review-results", headers=world.lead_account.headers)).json()
    assert mine["items"][0]["recommendation_reason"] == "Needs a year leading the team"


async def _first(client: AsyncClient, account: Account) -> str:
    mine = await client.get(f"{API}/me/review-assignments", headers=account.headers)
    return str(mine.json()["items"][0]["id"])


async def test_a_template_change_does_not_reach_a_running_cycle(
    client: AsyncClient, setup: Setup
) -> None:
    world = setup.world
    template_id = setup.cycle["template_id"]
    current = (
        await client.get(f"{API}/review-templates/{template_id}", headers=world.hr.headers)
    ).json()
    changed = {
        **FORM,
        "name": "Annual review",
        "indicators": [TEAMWORK | {"weight": 100}],
        "version": current["version"],
    }
    response = await client.patch(
        f"{API}/review-templates/{template_id}", json=changed, headers=world.hr.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["revision"] == 2
    mine = await client.get(f"{API}/me/review-assignments", headers=world.lead_account.headers)
    keys = [i["key"] for i in mine.json()["items"][0]["indicators"]]
    assert keys == ["sales", "teamwork", "leadership"]


async def test_form_names_are_unique_and_edits_need_the_current_version(
    client: AsyncClient, world: World
) -> None:
    url, hr = f"{API}/review-templates", world.hr.headers
    await post_ok(client, world.hr, "/review-templates", FORM)
    other = await post_ok(client, world.hr, "/review-templates", {**FORM, "name": "Mid-year"})
    taken = await client.post(url, json=FORM, headers=hr)
    assert taken.status_code == 409
    assert taken.json()["detail"] == "A review template named 'Annual review' exists"
    # The name is checked before the departments: an unknown one still answers 409.
    unknown = {
        "department_id": str(uuid.uuid4()),
        "kind_weights": {"quantitative": 70, "qualitative": 30},
    }
    renamed = await client.patch(
        f"{url}/{other['id']}",
        json={**FORM, "department_overrides": [unknown], "version": other["version"]},
        headers=hr,
    )
    assert renamed.status_code == 409
    assert renamed.json()["detail"] == "A review template named 'Annual review' exists"
    own_name = {**FORM, "name": "Mid-year"}
    stale_etag = await client.patch(
        f"{url}/{other['id']}", json=own_name, headers=hr | {"If-Match": '"9"'}
    )
    assert stale_etag.status_code == 412
    stale_body = await client.patch(
        f"{url}/{other['id']}", json=own_name | {"version": 9}, headers=hr
    )
    assert stale_body.status_code == 409
    assert stale_body.json()["detail"] == "The object is at version 1, not 9; reload and retry"
    saved = await client.patch(
        f"{url}/{other['id']}", json=own_name, headers=hr | {"If-Match": '"1"'}
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["revision"] == 2
    assert saved.headers["ETag"].startswith('"2.')


async def test_participants_need_someone_and_only_before_opening(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world, cycle = setup.world, setup.cycle
    url = f"{API}/review-cycles/{cycle['id']}/participants"
    late = await client.post(
        url, json={"employee_ids": [str(world.peer.id)]}, headers=world.hr.headers
    )
    assert late.status_code == 409
    draft = await post_ok(
        client,
        world.hr,
        "/review-cycles",
        {
            "name": "Another",
            "kind": "campaign_360",
            "template_id": cycle["template_id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
        },
    )
    url = f"{API}/review-cycles/{draft['id']}/participants"
    nobody = await client.post(url, json={"department_id": None}, headers=world.hr.headers)
    assert nobody.status_code == 422
    subtree = await post_ok(
        client,
        world.hr,
        f"/review-cycles/{draft['id']}/participants",
        {"department_id": str(world.sales.id)},
    )
    assert subtree["added"] == 5, "Lead, Member, Junior, Peer and Peer Two work in sales"
    by_query = await post_ok(
        client,
        world.hr,
        f"/review-cycles/{draft['id']}/participants",
        {"query": {"q": "Engineer"}},
    )
    assert by_query == {"added": 1, "participants": 6}
    audited = await client.get(
        f"{API}/audit-events",
        params={"object_id": draft["id"], "action": "review_cycle.participants_added"},
        headers=world.hr.headers,
    )
    assert [e["after"]["added"] for e in audited.json()["items"]] == [1, 5]
    chiefs = await post_ok(
        client,
        world.hr,
        f"/review-cycles/{draft['id']}/participants",
        {"query": {"position_id": str(world.chief.id)}},
    )
    assert chiefs == {"added": 0, "participants": 6}, "Lead, the only chief, is in already"
    unfiltered = await client.post(url, json={"query": {}}, headers=world.hr.headers)
    assert unfiltered.status_code == 422
    empty_open = await client.post(
        f"{API}/review-cycles/{draft['id']}/open", headers=world.sales_head.headers
    )
    assert empty_open.status_code == 403
