"""A mentor's effectiveness over HTTP, recomputed by the real worker when sessions are
logged and pairings end: per pairing the performance gain (3.5 → 4.2 = 20 %), the skill-test
gain (70 → 85 = 21.43 %), goals reached, promotion; per mentor the weighted score with each
part explained; `mentor.effectiveness_updated` published; who may read it; the recompute
is set-based (the same statements for one mentor and for several)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.competencies.models import Competency, CompetencyCurrentScores, CompetencyProfile
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.mentoring import effectiveness, jobs_effectiveness
from hrcore.mentoring.models import Mentor
from hrcore.worker import run_burst
from tests.factories import make_org, make_user
from tests.mentoring.effectiveness_helpers import (
    end_pairing,
    log_session,
    make_mentor,
    make_pairing,
    promote,
    rate,
)
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered

__all__ = ["configure", "receiver", "world"]
STARTS, ENDS = date(2025, 1, 10), date(2025, 12, 20)
ZH = {"Accept-Language": "zh-CN"}


def url(mentor: Mentor) -> str:
    return f"/api/v1/mentors/{mentor.id}/effectiveness"


async def _history(client: AsyncClient, runtime: Runtime, world: World) -> Mentor:
    """Member mentored Junior (3.5 → 4.2, skill tests 70 → 85, promoted, one goal of two)
    and Peer (4.0 → 4.0, no test, no goal reached); both pairings completed."""
    org_id = world.hr.org_id
    await rate(client, world.hr, world.junior.id, y2024=3.5, y2025=4.2)
    await rate(client, world.hr, world.peer.id, y2024=4.0, y2025=4.0)
    await promote(runtime, org_id, world.junior.id, date(2025, 10, 1))
    mentor = await make_mentor(runtime, org_id, world.member.id)
    junior = await make_pairing(runtime, mentor, world.junior.id, starts_on=STARTS, ends_on=ENDS)
    peer = await make_pairing(runtime, mentor, world.peer.id, starts_on=STARTS, ends_on=ENDS)
    await log_session(runtime, junior, date(2025, 3, 1), score=70)
    await log_session(runtime, junior, date(2025, 6, 1))
    await log_session(runtime, junior, date(2025, 9, 1), score=85)
    await end_pairing(runtime, junior)
    await end_pairing(runtime, peer)
    return mentor


EXPECTED_PARTS = [
    ("performance_gain", 10.0, 50.0, 30.0, 17.65, 2, 2),
    ("skill_gain", 21.43, 100.0, 20.0, 23.53, 1, 2),
    ("goals", 25.0, 25.0, 20.0, 5.88, 1, 4),
    ("survey", None, None, 15.0, None, 0, 3),
    ("promotion", 50.0, 50.0, 10.0, 5.88, 2, 2),
    ("high_performers", 0.0, 0.0, 5.0, 0.0, 2, 2),
]


@pytest.mark.commits
async def test_the_worker_scores_a_mentor_explained_and_publishes_the_move(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    configure: Configure,
    receiver: Receiver,
) -> None:
    other = await make_org(runtime)
    for account in (other, world.hr):
        hook = await client.post(
            "/api/v1/webhooks",
            json={"url": receiver.url, "event_types": ["mentor.effectiveness_updated"]},
            headers=account.headers,
        )
        assert hook.status_code == 201, hook.text
        receiver.secret = hook.json()["secret"]
    mentor = await _history(client, runtime, world)
    await run_burst(runtime)
    read = await client.get(url(mentor), headers=world.member_account.headers)
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["score"] == 52.94, "4500 / 85: the survey is left out, the weights renormalised"
    found = [
        (p["part"], p["value"], p["score"], p["weight"], p["contribution"], p["counted"], p["of"])
        for p in body["parts"]
    ]
    assert found == EXPECTED_PARTS
    assert round(sum(p["contribution"] or 0 for p in body["parts"]), 1) == 52.9
    assert body["parts"][0]["explanation"] == (
        "Mean gain of the mentees' performance rating, over 2 of 2 pairings rated before and since"
    )
    assert body["parts"][3]["explanation"] == "Fewer than 3 mentees answered surveys: left out"
    pairings = {p["mentee"]["id"]: p for p in body["pairings"]}
    junior = pairings[str(world.junior.id)]
    assert (junior["performance_gain"], junior["skill_first"], junior["skill_last"]) == (
        20.0,
        70.0,
        85.0,
    )
    assert (junior["skill_gain"], junior["goals_reached"], junior["goals_total"]) == (21.43, 1, 2)
    assert (junior["promoted"], junior["status"]) == (True, "completed")
    assert junior["goals"] == [
        {"kind": "skill_test_score", "target": 80.0, "found": 85.0, "reached": True},
        {"kind": "performance_score", "target": 4.5, "found": 4.2, "reached": False},
    ]
    assert junior["high_performer"] is None, "the mentor is not told who rates high"
    hr = (await client.get(url(mentor), headers=world.hr.headers | ZH)).json()
    assert hr["pairings"][0]["high_performer"] is False
    assert hr["parts"][0]["explanation"].startswith("学员绩效评级的平均提升")
    manager = await client.get(url(mentor), headers=world.lead_account.headers)
    assert manager.json()["score"] == 52.94
    [(kind, data)] = delivered(receiver)
    assert (kind, data["mentor_id"], data["score"], data["previous_score"]) == (
        "mentor.effectiveness_updated",
        str(mentor.id),
        52.94,
        None,
    )
    assert (data["employee_id"], data["pairings"]) == (str(world.member.id), 2)


async def test_only_the_mentor_their_manager_and_hr_read_it(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    mentor = await make_mentor(runtime, world.hr.org_id, world.member.id)
    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    for account in (world.junior_account, engineer, world.sales_head):
        assert_problem(await client.get(url(mentor), headers=account.headers), 404)
    other = await make_org(runtime)
    assert_problem(await client.get(url(mentor), headers=other.headers), 404)
    fresh = (await client.get(url(mentor), headers=world.hr.headers)).json()
    assert (fresh["score"], fresh["computed_at"], fresh["parts"], fresh["pairings"]) == (
        None,
        None,
        [],
        [],
    )


async def _recompute(runtime: Runtime, org_id: Any, mentor_ids: list[Any]) -> int:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        return await effectiveness.recompute(
            session, org_id, runtime.settings, runtime.clock.now(), mentor_ids
        )


async def test_the_recompute_is_set_based_and_feeds_effectiveness_of(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    await rate(client, world.hr, world.junior.id, y2024=3.0, y2025=3.6)
    mentors = []
    for employee in (world.member, world.lead, world.boss):
        mentor = await make_mentor(runtime, org_id, employee.id)
        await make_pairing(
            runtime, mentor, world.junior.id, starts_on=STARTS, ends_on=ENDS, goals=[]
        )
        mentors.append(mentor)
    with count_statements(runtime) as one:
        assert await _recompute(runtime, org_id, [mentors[0].id]) == 1
    with count_statements(runtime) as three:
        assert await _recompute(runtime, org_id, [m.id for m in mentors]) == 2
    assert one.count == three.count
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        scores = await effectiveness.effectiveness_of(session, org_id, [m.id for m in mentors])
    assert scores == {m.id: 100.0 for m in mentors}, "a 20 % gain on the one part scored"


async def test_a_competency_goal_is_read_from_the_mentees_current_profile(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """Level 3 of 5 is 6.0 on the profile's scale: 7.0 reads as level 3.5 (goal reached),
    a competency the profile has no figure for is not reached and says so (found null)."""
    org_id = world.hr.org_id
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        competencies = [
            Competency(
                org_id=org_id,
                name=name,
                category="professional",
                levels=[{"level": n, "name": f"L{n}"} for n in range(1, 6)],
            )
            for name in ("Negotiation", "Forecasting")
        ]
        session.add_all(competencies)
        await session.flush()
        figures = [{"competency_id": str(competencies[0].id), "score": 7.0}]
        profile = CompetencyProfile(
            org_id=org_id,
            employee_id=world.junior.id,
            computed_at=runtime.clock.now(),
            figures=figures,
            scores=figures,
        )
        session.add(profile)
        await session.flush()
        session.add(  # what the recompute writes beside its snapshot
            CompetencyCurrentScores(
                org_id=org_id,
                employee_id=world.junior.id,
                profile_id=profile.id,
                computed_at=profile.computed_at,
                competency_ids=[competencies[0].id],
                scores=[7.0],
            )
        )
    goals = [
        {"kind": "competency_level", "competency_id": str(competencies[0].id), "target": 3},
        {"kind": "competency_level", "competency_id": str(competencies[1].id), "target": 2},
    ]
    mentor = await make_mentor(runtime, org_id, world.member.id)
    await make_pairing(
        runtime, mentor, world.junior.id, starts_on=STARTS, ends_on=ENDS, goals=goals
    )
    await _recompute(runtime, org_id, [mentor.id])
    [pairing] = (await client.get(url(mentor), headers=world.hr.headers)).json()["pairings"]
    assert pairing["goals"] == [
        {"kind": "competency_level", "target": 3.0, "found": 3.5, "reached": True},
        {"kind": "competency_level", "target": 2.0, "found": None, "reached": None},
    ]
    assert (pairing["goals_reached"], pairing["goals_total"]) == (1, 2)


async def test_integration_keys_read_neither_surveys_nor_effectiveness(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    mentor = await make_mentor(runtime, world.hr.org_id, world.member.id)
    pairing = await make_pairing(runtime, mentor, world.junior.id, starts_on=STARTS, ends_on=ENDS)
    created = await client.post(
        "/api/v1/api-keys",
        json={"name": "CRM", "scopes": ["org:read"]},
        headers=world.hr.headers,
    )
    assert created.status_code == 201, created.text
    key = {"Authorization": f"Bearer {created.json()['key']}"}
    surveys = f"/api/v1/mentorships/{pairing.id}/surveys"
    assert_problem(await client.get(url(mentor), headers=key), 403)
    assert_problem(await client.get(surveys, headers=key), 403)
    answer = {"on_time": 3, "relevant": 3, "solved": 3}
    assert_problem(await client.post(surveys, json=answer, headers=key), 403)


async def test_the_nightly_cron_scores_every_mentor_of_every_organization(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    await rate(client, world.hr, world.junior.id, y2024=3.0, y2025=3.6)
    first = await make_mentor(runtime, org_id, world.member.id)
    second = await make_mentor(runtime, org_id, world.lead.id)
    await make_pairing(runtime, first, world.junior.id, starts_on=STARTS, ends_on=ENDS, goals=[])
    moved = await jobs_effectiveness.recompute_all({"runtime": runtime})
    assert moved == 1, "the mentor without a pairing has no score: none to move"
    assert await jobs_effectiveness.recompute_all({"runtime": runtime}) == 0, "nothing moved"
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        scores = await effectiveness.effectiveness_of(session, org_id, [first.id, second.id])
    assert scores == {first.id: 100.0}, "a mentor with no pairing has no score"


async def test_a_mentors_survey_part_below_the_threshold_does_not_depend_on_the_answers(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """The anonymity comparison for effectiveness: two mentors whose one mentee each answered
    differently read alike (the survey part is left out until 3 mentees answered)."""
    org_id = world.hr.org_id
    peer = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.peer.id)
    reads = []
    for mentor_employee, mentee, account, value in (
        (world.member, world.junior, world.junior_account, 1),
        (world.lead, world.peer, peer, 5),
    ):
        mentor = await make_mentor(runtime, org_id, mentor_employee.id)
        pairing = await make_pairing(
            runtime, mentor, mentee.id, starts_on=STARTS, ends_on=ENDS, goals=[]
        )
        for _ in range(3):
            answered = await client.post(
                f"/api/v1/mentorships/{pairing.id}/surveys",
                json={"on_time": value, "relevant": value, "solved": value},
                headers=account.headers,
            )
            assert answered.status_code == 201, answered.text
        await _recompute(runtime, org_id, [mentor.id])
        read = (await client.get(url(mentor), headers=world.hr.headers)).json()
        reads.append([part for part in read["parts"] if part["part"] == "survey"])
    assert reads[0] == reads[1]
    assert reads[0][0]["value"] is None
