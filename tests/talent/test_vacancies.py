"""Succession over HTTP: vacancies, ranked candidates, appointment, own ranking, measures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.reviews import api as reviews
from hrcore.reviews.models import ReviewParticipant, ReviewResult, ReviewTemplate
from hrcore.seed import DEMO_FORM
from hrcore.talent import ranking
from hrcore.worker import run_burst
from tests.contracts.conftest import make_contract, storage_dir
from tests.factories import (
    Account,
    make_department,
    make_employee,
    make_org,
    make_position,
    make_user,
)
from tests.people.conftest import World, count_statements, world
from tests.workflow.conftest import clock

__all__ = ["clock", "count_statements", "storage_dir", "world"]
VACANCIES = "/api/v1/vacancies"
POOLS = "/api/v1/talent-pools"


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _publish_reviews(
    runtime: Runtime, org_id: uuid.UUID, results: dict[uuid.UUID, tuple[int, str]]
) -> None:
    """A published year-end result (overall score, recommendation) for each employee."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        template = ReviewTemplate(
            org_id=org_id,
            name="Annual",
            indicators=DEMO_FORM,
            kind_weights={"quantitative": 60, "qualitative": 40},
            department_overrides=[],
            revision=1,
        )
        session.add(template)
        await session.flush()
        cycle_id = await reviews.start_cycle(
            session,
            org_id=org_id,
            template_id=template.id,
            name="Year-end",
            kind="year_end",
            starts_on=date(2027, 1, 1),
            due_on=date(2027, 1, 31),
            employee_ids=list(results),
            clock=runtime.clock,
        )
        participants = await session.scalars(
            select(ReviewParticipant).where(ReviewParticipant.cycle_id == cycle_id)
        )
        for participant in participants:
            score, recommendation = results[participant.employee_id]
            session.add(
                ReviewResult(
                    org_id=org_id,
                    cycle_id=cycle_id,
                    participant_id=participant.id,
                    employee_id=participant.employee_id,
                    overall=Decimal(score),
                    scores={},
                    status="published",
                    published_at=runtime.clock.now(),
                    recommendation=recommendation,
                )
            )


async def _member(
    client: AsyncClient, hr: Account, pool_id: str, employee_id: uuid.UUID, **patch: Any
) -> Any:
    nominated = await _ok(
        await client.post(
            f"{POOLS}/{pool_id}/members",
            json={"employee_id": str(employee_id), "reason": "Strong results"},
            headers=hr.headers,
        ),
        201,
    )
    return await _ok(
        await client.patch(
            f"{POOLS}/{pool_id}/members/{nominated['id']}",
            json={"status": "active", "reason": "Approved"} | patch,
            headers=hr.headers,
        )
    )


@dataclass(frozen=True)
class Succession:
    pool: Any
    vacancy: Any
    members: dict[str, Any]


async def _open(client: AsyncClient, hr: Account, position_id: uuid.UUID, **body: Any) -> Any:
    response = await client.post(
        VACANCIES, json={"position_id": str(position_id)} | body, headers=hr.headers
    )
    return await _ok(response, 201)


@pytest.fixture
async def succession(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> Succession:
    """A pool for the sales chief post: Peer active for a year (1–2 years, reviewed 90,
    continue developing, high/medium); Member (ready now, reviewed 80, promote, high/high) and
    Engineer (3+ years, no review, unplaced) active since today. An open chief vacancy."""
    hr = world.hr
    pool = await _ok(
        await client.post(
            POOLS,
            json={"name": "Reserve chiefs", "target_position_id": str(world.chief.id)},
            headers=hr.headers,
        ),
        201,
    )
    members = {
        "Peer": await _member(
            client,
            hr,
            pool["id"],
            world.peer.id,
            readiness="one_to_two_years",
            nine_box={"performance": "high", "potential": "medium"},
        )
    }
    clock.advance(timedelta(days=365))
    members["Member"] = await _member(
        client,
        hr,
        pool["id"],
        world.member.id,
        readiness="ready_now",
        nine_box={"performance": "high", "potential": "high"},
    )
    members["Engineer"] = await _member(
        client, hr, pool["id"], world.engineer.id, readiness="three_plus_years"
    )
    await _publish_reviews(
        runtime,
        hr.org_id,
        {world.member.id: (80, "promote"), world.peer.id: (90, "continue_development")},
    )
    vacancy = await _open(client, hr, world.chief.id, note="Second chief seat")
    return Succession(pool=pool, vacancy=vacancy, members=members)


def _factors(candidate: Any) -> list[tuple[str, float, Any, float, float]]:
    return [
        (f["factor"], f["weight"], f["value"], f["points"], f["contribution"])
        for f in candidate["factors"]
    ]


async def _candidates(client: AsyncClient, account: Account, vacancy_id: str) -> Any:
    response = await client.get(f"{VACANCIES}/{vacancy_id}/candidates", headers=account.headers)
    return (await _ok(response))["items"]


async def test_candidates_are_ranked_with_every_factor_explained(
    client: AsyncClient, world: World, succession: Succession
) -> None:
    ranked = await _candidates(client, world.hr, succession.vacancy["id"])

    assert [(c["rank"], c["employee"]["name"], c["score"], c["eligible"]) for c in ranked] == [
        (1, "Member", 76.0, True),
        (2, "Peer", 58.5, False),
        (3, "Engineer", 6.0, False),
    ]
    member, peer, engineer = ranked
    assert _factors(member) == [
        ("readiness", 30.0, "ready_now", 100.0, 30.0),
        ("review_score", 20.0, 80.0, 80.0, 16.0),
        ("review_recommendation", 10.0, "promote", 100.0, 10.0),
        ("nine_box", 20.0, "high performance, high potential", 100.0, 20.0),
        ("time_in_pool", 5.0, 0.0, 0.0, 0.0),
        ("program_completion", 15.0, None, 0.0, 0.0),
        ("competency_match", 0.0, None, None, 0.0),
    ]
    assert _factors(peer) == [
        ("readiness", 30.0, "one_to_two_years", 60.0, 18.0),
        ("review_score", 20.0, 90.0, 90.0, 18.0),
        ("review_recommendation", 10.0, "continue_development", 50.0, 5.0),
        ("nine_box", 20.0, "high performance, medium potential", 75.0, 15.0),
        ("time_in_pool", 5.0, 365.0, 50.0, 2.5),
        ("program_completion", 15.0, None, 0.0, 0.0),
        ("competency_match", 0.0, None, None, 0.0),
    ]
    assert [f["explanation"] for f in engineer["factors"]] == [
        "readiness three plus years",
        "no published review result",
        "no recommendation on the latest published review",
        "not placed on the 9-box",
        "0 days as an active pool member",
        "no development program of this pool started",
        "not counted: no competency model for the position; the other factors' weights are "
        "scaled to sum to 100",
    ]
    assert member["pool"]["id"] == succession.pool["id"]
    assert member["member_id"] == succession.members["Member"]["id"]


async def test_a_completed_program_lifts_a_candidate(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession, clock: FrozenClock
) -> None:
    """Aaron and Engineer tie (3+ years, nothing else) and Aaron comes first by name, until
    Engineer completes a program of the pool."""
    hr = world.hr
    aaron = await make_employee(runtime, hr.org_id, world.sales, "Aaron")
    await _member(client, hr, succession.pool["id"], aaron.id, readiness="three_plus_years")
    names = [c["employee"]["name"] for c in await _candidates(client, hr, succession.vacancy["id"])]
    assert names[2:] == ["Aaron", "Engineer"]

    stage = {"key": "training", "name": "Training", "kind": "training", "duration_days": 30}
    template = await _ok(
        await client.post(
            "/api/v1/program-templates", json={"name": "T", "stages": [stage]}, headers=hr.headers
        ),
        201,
    )
    run = await _ok(
        await client.post(
            "/api/v1/programs",
            json={
                "name": "Chiefs 2028",
                "template_id": template["id"],
                "pool_id": succession.pool["id"],
                "starts_on": clock.now().date().isoformat(),
            },
            headers=hr.headers,
        ),
        201,
    )
    added = await client.post(
        f"/api/v1/programs/{run['id']}/participants",
        json={"employee_ids": [str(world.engineer.id)]},
        headers=hr.headers,
    )
    await _ok(added)
    await _ok(await client.post(f"/api/v1/programs/{run['id']}/start", headers=hr.headers))
    engineer = await make_user(runtime, hr.org_id, employee_id=world.engineer.id)
    mine = await client.get(
        "/api/v1/me/tasks", params={"kind": "program.training"}, headers=engineer.headers
    )
    [task] = (await _ok(mine))["items"]
    done = await client.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"submission": {"text": "Done"}},
        headers=engineer.headers,
    )
    await _ok(done)

    ranked = await _candidates(client, hr, succession.vacancy["id"])
    assert [(c["employee"]["name"], c["score"]) for c in ranked[2:]] == [
        ("Engineer", 21.0),
        ("Aaron", 6.0),
    ]
    [completion] = [f for f in ranked[2]["factors"] if f["factor"] == "program_completion"]
    assert (completion["value"], completion["points"], completion["explanation"]) == (
        "1 of 1 stages",
        100.0,
        "completed the program Chiefs 2028",
    )


def test_a_program_in_progress_scores_its_share_of_stages() -> None:
    facts = ranking.CandidateFacts(
        readiness=None,
        review_score=None,
        recommendation=None,
        performance=None,
        potential=None,
        days_in_pool=0,
        program=ranking.ProgramProgress("Chiefs", completed=False, stages=5, completed_stages=2),
    )
    [completion] = [f for f in ranking.explain(facts) if f.factor == "program_completion"]
    assert (completion.value, completion.points, completion.contribution) == (
        "2 of 5 stages",
        40.0,
        6.0,
    )
    assert completion.explanation.render("en") == "2 of 5 stages done in the program Chiefs"


async def test_candidate_list_pages_and_costs_constant_queries(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> None:
    url = f"{VACANCIES}/{succession.vacancy['id']}/candidates"
    with count_statements(runtime) as few:
        first = await _ok(await client.get(url, params={"limit": 1}, headers=world.hr.headers))
    assert [c["employee"]["name"] for c in first["items"]] == ["Member"]
    rest = await _ok(
        await client.get(
            url, params={"limit": 5, "cursor": first["next_cursor"]}, headers=world.hr.headers
        )
    )
    assert [c["rank"] for c in rest["items"]] == [2, 3]
    assert rest["next_cursor"] is None
    bad = await client.get(url, params={"cursor": "garbage"}, headers=world.hr.headers)
    assert bad.status_code == 400

    extra = await make_employee(runtime, world.hr.org_id, world.sales, "Extra")
    await _member(client, world.hr, succession.pool["id"], extra.id)
    with count_statements(runtime) as more:
        await client.get(url, headers=world.hr.headers)
    assert more.count == few.count


async def test_a_candidate_sees_only_their_own_explanation(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> None:
    mine = await _ok(
        await client.get("/api/v1/me/vacancy-rankings", headers=world.member_account.headers)
    )
    [ranking] = mine["items"]
    assert ranking["vacancy_id"] == succession.vacancy["id"]
    assert ranking["position"]["name"] == "Sales chief"
    assert (ranking["score"], ranking["eligible"]) == (76.0, True)
    assert ranking["factors"][0]["factor"] == "readiness"
    text = str(mine)
    assert "Peer" not in text
    assert "Engineer" not in text
    assert "rank" not in ranking

    outsider = await client.get("/api/v1/me/vacancy-rankings", headers=world.junior_account.headers)
    assert (await _ok(outsider))["items"] == []
    candidates = await client.get(
        f"{VACANCIES}/{succession.vacancy['id']}/candidates", headers=world.member_account.headers
    )
    assert candidates.status_code == 404
    vacancy = await client.get(
        f"{VACANCIES}/{succession.vacancy['id']}", headers=world.member_account.headers
    )
    assert vacancy.status_code == 404
    listing = await client.get(VACANCIES, headers=world.member_account.headers)
    assert listing.status_code == 403


async def test_a_pool_for_a_job_family_ranks_for_that_familys_vacancies(
    client: AsyncClient, world: World, succession: Succession
) -> None:
    hr = world.hr
    chief = await _ok(await client.get(f"/api/v1/positions/{world.chief.id}", headers=hr.headers))
    assert chief["family"] is None
    patched = await _ok(
        await client.patch(
            f"/api/v1/positions/{world.chief.id}",
            json={"family": " Sales management ", "version": chief["version"]},
            headers=hr.headers,
        )
    )
    assert patched["family"] == "Sales management"

    async def pool(name: str, family: str) -> str:
        body = {"name": name, "target_family": family}
        created = await _ok(await client.post(POOLS, json=body, headers=hr.headers), 201)
        return str(created["id"])

    sales = await pool("Sales leaders", "Sales management")
    await _member(client, hr, sales, world.junior.id, readiness="ready_now")
    engineering = await pool("Engineering leaders", "Engineering management")
    await _member(client, hr, engineering, world.lead.id, readiness="ready_now")

    ranked = await _candidates(client, hr, succession.vacancy["id"])

    pools = {c["employee"]["name"]: c["pool"]["name"] for c in ranked}
    assert pools == {
        "Member": "Reserve chiefs",
        "Peer": "Reserve chiefs",
        "Engineer": "Reserve chiefs",
        "Junior": "Sales leaders",
    }
    mine = await client.get("/api/v1/me/vacancy-rankings", headers=world.junior_account.headers)
    [ranking] = (await _ok(mine))["items"]
    assert (ranking["vacancy_id"], ranking["pool"]["name"]) == (
        succession.vacancy["id"],
        "Sales leaders",
    )
    lead = await client.get("/api/v1/me/vacancy-rankings", headers=world.lead_account.headers)
    assert (await _ok(lead))["items"] == [], "another family's pool ranks for nothing here"


async def test_hr_cancels_an_open_vacancy_with_a_reason(
    client: AsyncClient, world: World, succession: Succession
) -> None:
    hr, vacancy = world.hr, succession.vacancy
    url = f"{VACANCIES}/{vacancy['id']}/cancel"
    for body in ({}, {"reason": "   "}, {"reason": "x", "colour": "red"}):
        refused = await client.post(url, json=body, headers=hr.headers)
        assert refused.status_code == 422, body
    by_head = await client.post(url, json={"reason": "no"}, headers=world.sales_head.headers)
    assert by_head.status_code == 403
    stale = await client.post(url, json={"reason": "x", "version": 99}, headers=hr.headers)
    assert stale.status_code == 409

    cancelled = await _ok(
        await client.post(url, json={"reason": " Post merged into sales east "}, headers=hr.headers)
    )

    assert (cancelled["status"], cancelled["cancel_reason"]) == (
        "cancelled",
        "Post merged into sales east",
    )
    assert cancelled["closed_at"] is not None
    again = await client.post(url, json={"reason": "twice"}, headers=hr.headers)
    assert again.status_code == 409
    appoint = await client.post(
        f"{VACANCIES}/{vacancy['id']}/appoint",
        json={"employee_id": str(world.member.id), "effective_date": "2027-01-01", "reason": "x"},
        headers=hr.headers,
    )
    assert appoint.status_code == 409
    mine = await client.get("/api/v1/me/vacancy-rankings", headers=world.member_account.headers)
    assert (await _ok(mine))["items"] == [], "a cancelled vacancy ranks nobody"
    reopened = await _open(client, hr, world.chief.id)
    assert reopened["status"] == "open", "the position can get a new vacancy"
    audit = await client.get(
        "/api/v1/audit-events", params={"action": "vacancy.cancelled"}, headers=hr.headers
    )
    [event] = (await _ok(audit))["items"]
    assert event["after"] == {"status": "cancelled", "reason": "Post merged into sales east"}


async def test_a_department_head_sees_their_subtree_only(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> None:
    head = world.sales_head
    ranked = await _candidates(client, head, succession.vacancy["id"])
    assert [(c["rank"], c["employee"]["name"]) for c in ranked] == [(1, "Member"), (2, "Peer")]

    lab = await make_department(runtime, world.hr.org_id, "Lab", world.engineering)
    tester = await make_position(runtime, world.hr.org_id, lab, "Test lead", management=True)
    elsewhere = await _open(client, world.hr, tester.id)
    listing = await _ok(await client.get(VACANCIES, headers=head.headers))
    assert [v["id"] for v in listing["items"]] == [succession.vacancy["id"]]
    hidden = await client.get(f"{VACANCIES}/{elsewhere['id']}", headers=head.headers)
    assert hidden.status_code == 404
    everyone = await _ok(await client.get(VACANCIES, headers=world.hr.headers))
    assert [v["id"] for v in everyone["items"]] == [elsewhere["id"], succession.vacancy["id"]]
    refused = await client.post(
        VACANCIES, json={"position_id": str(tester.id)}, headers=head.headers
    )
    assert refused.status_code == 403


async def test_opening_by_hand_checks_its_input(
    client: AsyncClient, world: World, succession: Succession
) -> None:
    hr = world.hr
    vacancy = succession.vacancy
    assert (vacancy["status"], vacancy["reason"], vacancy["note"]) == (
        "open",
        "manual",
        "Second chief seat",
    )
    assert vacancy["department_id"] == str(world.sales.id)
    again = await client.post(
        VACANCIES, json={"position_id": str(world.chief.id)}, headers=hr.headers
    )
    assert again.status_code == 409
    for body in (
        {"position_id": str(uuid.uuid4())},
        {"position_id": str(world.clerk.id), "department_id": str(uuid.uuid4())},
        {"position_id": "nope"},
        {"position_id": str(world.clerk.id), "extra": 1},
        {},
    ):
        response = await client.post(VACANCIES, json=body, headers=hr.headers)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    missing = await client.get(f"{VACANCIES}/{uuid.uuid4()}", headers=hr.headers)
    assert missing.status_code == 404
    audit = await _ok(
        await client.get(
            "/api/v1/audit-events", params={"object_id": vacancy["id"]}, headers=hr.headers
        )
    )
    assert [e["action"] for e in audit["items"]] == ["vacancy.opened"]


@pytest.mark.commits
async def test_appointing_promotes_fills_and_starts_the_amendment(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    succession: Succession,
    storage_dir: Path,
) -> None:
    hr = world.hr
    contract = await make_contract(client, hr, world.member.id)
    url = f"{VACANCIES}/{succession.vacancy['id']}/appoint"
    body = {
        "employee_id": str(world.member.id),
        "effective_date": "2027-04-01",
        "reason": "Best candidate",
    }

    filled = await _ok(await client.post(url, json=body, headers=hr.headers))

    assert filled["status"] == "filled"
    assert filled["closed_at"] is not None
    appointment = filled["appointment"]
    assert appointment["employee"]["name"] == "Member"
    assert appointment["override_reason"] is None
    assert appointment["member_id"] == succession.members["Member"]["id"]
    assert (appointment["ranking"]["rank"], appointment["ranking"]["score"]) == (1, 76.0)
    events = await _ok(
        await client.get(f"/api/v1/employees/{world.member.id}/events", headers=hr.headers)
    )
    [promotion] = [e for e in events["items"] if e["id"] == appointment["employment_event_id"]]
    assert (promotion["kind"], promotion["position_id"]) == ("promotion", str(world.chief.id))
    employee = await _ok(
        await client.get(f"/api/v1/employees/{world.member.id}", headers=hr.headers)
    )
    assert employee["position_id"] == str(world.chief.id)
    members = await _ok(
        await client.get(
            f"{POOLS}/{succession.pool['id']}/members",
            params={"status": "appointed"},
            headers=hr.headers,
        )
    )
    assert [m["employee"]["name"] for m in members["items"]] == ["Member"]

    await run_burst(runtime)
    amendments = await _ok(
        await client.get(f"/api/v1/contracts/{contract['id']}/amendments", headers=hr.headers)
    )
    [amendment] = amendments["items"]
    assert amendment["status"] == "draft"
    assert ("position", "Sales chief") in [
        (c["field"], c["after"]) for c in amendment["current"]["changes"]
    ]

    twice = await client.post(url, json=body, headers=hr.headers)
    assert twice.status_code == 409
    audit = await _ok(
        await client.get(
            "/api/v1/audit-events", params={"object_id": filled["id"]}, headers=hr.headers
        )
    )
    assert sorted(e["action"] for e in audit["items"]) == ["vacancy.filled", "vacancy.opened"]
    again = await _ok(await client.get(f"{VACANCIES}/{filled['id']}", headers=hr.headers))
    assert again["appointment"]["ranking"] == appointment["ranking"]


async def test_an_ineligible_appointee_needs_an_override_reason(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> None:
    hr = world.hr
    url = f"{VACANCIES}/{succession.vacancy['id']}/appoint"
    body = {
        "employee_id": str(world.peer.id),
        "effective_date": "2027-04-01",
        "reason": "Needed now",
    }

    refused = await client.post(url, json=body, headers=hr.headers)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "override_reason"
    assert "one_to_two_years" in error["message"]
    outsider = await client.post(
        url, json=body | {"employee_id": str(world.junior.id)}, headers=hr.headers
    )
    assert outsider.status_code == 422
    assert "not an active member" in outsider.json()["errors"][0]["message"]
    still = await _ok(
        await client.get(f"{VACANCIES}/{succession.vacancy['id']}", headers=hr.headers)
    )
    assert still["status"] == "open", "nothing half-written"
    events = await _ok(
        await client.get(f"/api/v1/employees/{world.peer.id}/events", headers=hr.headers)
    )
    assert events["items"] == []

    override = body | {"override_reason": "The only candidate who speaks the region's dialect"}
    filled = await _ok(await client.post(url, json=override, headers=hr.headers))
    appointment = filled["appointment"]
    assert appointment["override_reason"] == override["override_reason"]
    assert (appointment["ranking"]["rank"], appointment["ranking"]["eligible"]) == (2, False)


async def test_appointment_refuses_bad_input(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> None:
    hr = world.hr
    url = f"{VACANCIES}/{succession.vacancy['id']}/appoint"
    valid = {"employee_id": str(world.member.id), "effective_date": "2027-04-01", "reason": "Best"}
    other = await make_org(runtime)
    stranger_department = await make_department(runtime, other.org_id, "Elsewhere")
    stranger = await make_employee(runtime, other.org_id, stranger_department, "Stranger")
    foreign = await client.post(
        url, json=valid | {"employee_id": str(stranger.id)}, headers=hr.headers
    )
    assert foreign.status_code == 404
    unknown = await client.post(
        f"{VACANCIES}/{uuid.uuid4()}/appoint", json=valid, headers=hr.headers
    )
    assert unknown.status_code == 404
    by_head = await client.post(url, json=valid, headers=world.sales_head.headers)
    assert by_head.status_code == 403
    for broken in ({"reason": ""}, {"effective_date": "soon"}, {"employee_id": None}, {"x": 1}):
        response = await client.post(url, json=valid | broken, headers=hr.headers)
        assert response.status_code == 422, broken
    before_hire = await client.post(
        url, json=valid | {"effective_date": "2010-01-01"}, headers=hr.headers
    )
    assert before_hire.status_code == 422
    still = await _ok(
        await client.get(f"{VACANCIES}/{succession.vacancy['id']}", headers=hr.headers)
    )
    assert still["status"] == "open"
    members = await _ok(
        await client.get(
            f"{POOLS}/{succession.pool['id']}/members",
            params={"status": "active"},
            headers=hr.headers,
        )
    )
    assert len(members["items"]) == 3


@pytest.mark.commits
async def test_a_management_post_left_opens_its_vacancy_once(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    exit_event = {"kind": "exit", "effective_date": "2027-03-01"}
    await _ok(
        await client.post(
            f"/api/v1/employees/{world.lead.id}/events", json=exit_event, headers=hr.headers
        ),
        201,
    )
    clerk = await make_employee(runtime, hr.org_id, world.sales, "Clerk", position=world.clerk)
    await _ok(
        await client.post(
            f"/api/v1/employees/{clerk.id}/events", json=exit_event, headers=hr.headers
        ),
        201,
    )
    await run_burst(runtime)
    await run_burst(runtime)

    listing = await _ok(await client.get(VACANCIES, headers=hr.headers))
    [vacancy] = listing["items"]
    assert (vacancy["position"]["id"], vacancy["reason"], vacancy["status"]) == (
        str(world.chief.id),
        "holder_left",
        "open",
    )
    assert vacancy["vacated_by"] == str(world.lead.id)
    assert vacancy["vacated_by_employee"] == {"id": str(world.lead.id), "name": "Lead"}
    assert vacancy["department_id"] == str(world.sales.id)
    audit = await _ok(
        await client.get(
            "/api/v1/audit-events", params={"object_id": vacancy["id"]}, headers=hr.headers
        )
    )
    [opened] = audit["items"]
    assert (opened["action"], opened["actor_kind"]) == ("vacancy.opened", "system")


@pytest.mark.commits
async def test_a_holder_promoted_away_opens_a_vacancy_unless_one_is_open(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    director = await _ok(
        await client.post(
            "/api/v1/positions",
            json={
                "code": "DIR",
                "title": "Director",
                "department_id": str(world.head_office.id),
                "grade": "G9",
                "is_management": True,
            },
            headers=hr.headers,
        ),
        201,
    )
    hired = {
        "employee_number": "C-1",
        "full_name": "Chief Two",
        "department_id": str(world.sales_east.id),
        "position_id": str(world.chief.id),
        "hire_date": "2024-01-01",
    }
    chief = await _ok(await client.post("/api/v1/employees", json=hired, headers=hr.headers), 201)
    second = await _ok(
        await client.post(
            "/api/v1/employees",
            json=hired | {"employee_number": "C-2", "full_name": "Chief Three"},
            headers=hr.headers,
        ),
        201,
    )
    await run_burst(runtime)
    promotion = {"kind": "promotion", "effective_date": "2027-03-01", "position_id": director["id"]}
    await _ok(
        await client.post(
            f"/api/v1/employees/{chief['id']}/events", json=promotion, headers=hr.headers
        ),
        201,
    )
    await run_burst(runtime)
    [vacancy] = (await _ok(await client.get(VACANCIES, headers=hr.headers)))["items"]
    assert (vacancy["reason"], vacancy["vacated_by"]) == ("holder_promoted", chief["id"])
    assert vacancy["department_id"] == str(world.sales_east.id)

    await _ok(
        await client.post(
            f"/api/v1/employees/{second['id']}/events", json=promotion, headers=hr.headers
        ),
        201,
    )
    await run_burst(runtime)
    listing = await _ok(await client.get(VACANCIES, params={"status": "open"}, headers=hr.headers))
    assert [v["id"] for v in listing["items"]] == [vacancy["id"]], "one open vacancy per post"


@pytest.mark.commits
async def test_measures_are_exact(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession, clock: FrozenClock
) -> None:
    hr = world.hr
    clerks = await _open(client, hr, world.clerk.id)
    clock.advance(timedelta(days=10))
    appoint = {"effective_date": "2028-03-10", "reason": "Filled"}
    await _ok(
        await client.post(
            f"{VACANCIES}/{succession.vacancy['id']}/appoint",
            json=appoint | {"employee_id": str(world.member.id)},
            headers=hr.headers,
        )
    )
    clock.advance(timedelta(days=10))
    await _ok(
        await client.post(
            f"{VACANCIES}/{clerks['id']}/appoint",
            json=appoint
            | {"employee_id": str(world.junior.id), "override_reason": "No pool for clerks"},
            headers=hr.headers,
        )
    )
    exit_event = {"kind": "exit", "effective_date": "2028-03-20"}
    await _ok(
        await client.post(
            f"/api/v1/employees/{world.engineer.id}/events", json=exit_event, headers=hr.headers
        ),
        201,
    )
    await run_burst(runtime)

    overall = await _ok(await client.get(f"{POOLS}/measures", headers=hr.headers))
    assert {k: v for k, v in overall.items() if k not in ("period_from", "period_to")} == {
        "pool_id": None,
        "pool": None,
        "members": 3,
        "appointed": 1,
        "left": 1,
        "promotion_rate": 0.3333,
        "attrition_rate": 0.3333,
        "vacancies_filled": 2,
        "filled_from_pools": 1,
        "filled_from_pools_share": 0.5,
        "median_days_to_fill": 15.0,
    }
    pool = await _ok(
        await client.get(
            f"{POOLS}/measures", params={"pool_id": succession.pool["id"]}, headers=hr.headers
        )
    )
    assert (
        pool["vacancies_filled"],
        pool["filled_from_pools_share"],
        pool["median_days_to_fill"],
    ) == (1, 1.0, 10.0)
    earlier = await _ok(
        await client.get(
            f"{POOLS}/measures",
            params={"from": "2020-01-01", "to": "2020-12-31"},
            headers=hr.headers,
        )
    )
    assert (earlier["members"], earlier["promotion_rate"], earlier["median_days_to_fill"]) == (
        0,
        None,
        None,
    )

    backwards = await client.get(
        f"{POOLS}/measures", params={"from": "2028-01-02", "to": "2028-01-01"}, headers=hr.headers
    )
    assert backwards.status_code == 422
    unknown = await client.get(
        f"{POOLS}/measures", params={"pool_id": str(uuid.uuid4())}, headers=hr.headers
    )
    assert unknown.status_code == 404
    refused = await client.get(f"{POOLS}/measures", headers=world.sales_head.headers)
    assert refused.status_code == 403
