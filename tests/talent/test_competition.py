"""Internal competition 「岗位竞聘」 over HTTP: HR opens a vacancy for it with rules (training
points among them), employees who meet them see it and apply, a failing rule is named in the
reader's language, the deadline closes applications, applicants are ranked with the pool's
members in the one ranking, the appointment closes the other applications with a notice,
and another organization sees nothing."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from tests.factories import (
    Account,
    make_department,
    make_employee,
    make_org,
    make_position,
    make_user,
)
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.workflow.conftest import clock

__all__ = ["clock", "world"]
API = "/api/v1"
VACANCIES = f"{API}/vacancies"
OPEN_FOR_ME = f"{API}/me/open-vacancies"
RULES = [
    {"kind": "training_points", "min_points": 100},
    {"kind": "tenure", "min_years": 5},
]
"""100 points in the last 12 months unlock the competition; everyone was hired in 2020."""


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _award(client: AsyncClient, hr: Account, employee_id: uuid.UUID, times: int) -> None:
    """`times` × 50 points: action plans adopted by the company, awarded by HR."""
    for _ in range(times):
        body = {"employee_id": str(employee_id), "code": "adopted", "source_id": str(uuid.uuid4())}
        await _ok(await client.post(f"{API}/points/ledger", json=body, headers=hr.headers), 201)


@dataclass(frozen=True)
class Competition:
    world: World
    vacancy: dict[str, Any]
    closes_at: str


async def _open_competition(
    client: AsyncClient, hr: Account, position_id: uuid.UUID, closes_at: str, rules: Any = RULES
) -> Any:
    vacancy = await _ok(
        await client.post(VACANCIES, json={"position_id": str(position_id)}, headers=hr.headers),
        201,
    )
    return await _ok(
        await client.post(
            f"{VACANCIES}/{vacancy['id']}/competition",
            json={"rules": rules, "closes_at": closes_at},
            headers=hr.headers,
        )
    )


@pytest.fixture
async def competition(client: AsyncClient, world: World, clock: FrozenClock) -> Competition:
    """The sales chief's seat open for competition for a week."""
    closes_at = (clock.now() + timedelta(days=7)).isoformat()
    vacancy = await _open_competition(client, world.hr, world.chief.id, closes_at)
    return Competition(world, vacancy, closes_at)


async def _apply(client: AsyncClient, account: Account, vacancy_id: str, **body: Any) -> Any:
    return await client.post(
        f"{VACANCIES}/{vacancy_id}/applications", json=body, headers=account.headers
    )


async def _audit(client: AsyncClient, hr: Account, object_id: str) -> list[tuple[str, Any]]:
    page = await _ok(
        await client.get(f"{API}/audit-events", params={"object_id": object_id}, headers=hr.headers)
    )
    return [(event["action"], event["after"]) for event in page["items"]]


async def test_hr_opens_a_competition_once_audited(
    client: AsyncClient, competition: Competition
) -> None:
    world, vacancy = competition.world, competition.vacancy
    assert vacancy["competition"]["rules"] == [
        {"kind": "training_points", "min_points": 100, "min_plan_completion_percent": None},
        {"kind": "tenure", "min_years": 5.0},
    ]
    assert vacancy["competition"]["closes_at"] == "2027-03-08T02:00:00Z"
    assert vacancy["competition"]["opened_at"] == "2027-03-01T02:00:00Z"
    read = await _ok(await client.get(f"{VACANCIES}/{vacancy['id']}", headers=world.hr.headers))
    assert read["competition"] == vacancy["competition"]
    opened = [
        a
        for a in await _audit(client, world.hr, vacancy["id"])
        if a[0].endswith("competition_opened")
    ]
    assert opened == [
        (
            "vacancy.competition_opened",
            {
                "rules": vacancy["competition"]["rules"],
                "closes_at": "2027-03-08T02:00:00+00:00",
            },
        )
    ]

    again = await client.post(
        f"{VACANCIES}/{vacancy['id']}/competition",
        json={"rules": RULES, "closes_at": competition.closes_at},
        headers=world.hr.headers,
    )
    assert_problem(again, 409, detail="open for internal competition already")


async def test_bad_competitions_are_refused_and_write_nothing(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    vacancy = await _ok(
        await client.post(VACANCIES, json={"position_id": str(world.chief.id)}, headers=hr.headers),
        201,
    )
    url = f"{VACANCIES}/{vacancy['id']}/competition"
    later = (clock.now() + timedelta(days=3)).isoformat()
    past = await client.post(
        url,
        json={"rules": RULES, "closes_at": (clock.now() - timedelta(hours=1)).isoformat()},
        headers=hr.headers | {"Accept-Language": "zh-CN"},
    )
    body = assert_problem(past, 422, fields={"closes_at"})
    assert body["errors"][0]["message"] == "必须晚于现在"
    naive = await client.post(
        url, json={"rules": RULES, "closes_at": "2027-03-05T10:00:00"}, headers=hr.headers
    )
    assert_problem(naive, 422, fields={"closes_at"})
    for rules in ([], [{"kind": "astrology"}], [{"kind": "training_points", "min_points": 0}]):
        refused = await client.post(
            url, json={"rules": rules, "closes_at": later}, headers=hr.headers
        )
        assert_problem(refused, 422)
    head = await client.post(
        url, json={"rules": RULES, "closes_at": later}, headers=world.sales_head.headers
    )
    assert_problem(head, 403)
    employee = await client.post(
        url, json={"rules": RULES, "closes_at": later}, headers=world.member_account.headers
    )
    assert_problem(employee, 403)
    unread = await _ok(await client.get(f"{VACANCIES}/{vacancy['id']}", headers=hr.headers))
    assert unread["competition"] is None

    await _ok(
        await client.post(
            f"{VACANCIES}/{vacancy['id']}/cancel", json={"reason": "Abolished"}, headers=hr.headers
        )
    )
    cancelled = await client.post(
        url, json={"rules": RULES, "closes_at": later}, headers=hr.headers
    )
    assert_problem(cancelled, 409, detail="cancelled")


async def test_who_meets_the_rules_sees_the_competition_and_applies(
    client: AsyncClient, competition: Competition
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    member = world.member_account
    nothing = await _ok(await client.get(OPEN_FOR_ME, headers=member.headers))
    assert nothing == {"items": [], "next_cursor": None}

    refused = await _apply(client, member, vacancy_id, statement="I grew the east region")
    body = assert_problem(refused, 422, fields={"rules.0.training_points"})
    assert body["errors"][0]["message"] == (
        "training points in the last 12 months: 0 found; 100 needed"
    )
    in_chinese = await client.post(
        f"{VACANCIES}/{vacancy_id}/applications",
        json={},
        headers=member.headers | {"Accept-Language": "zh-CN"},
    )
    assert assert_problem(in_chinese, 422)["errors"][0]["message"] == (
        "近 12 个月培训积分：0 分；需要 100 分"
    )
    listed = await _ok(
        await client.get(f"{VACANCIES}/{vacancy_id}/applications", headers=world.hr.headers)
    )
    assert listed["items"] == []

    await _award(client, world.hr, world.member.id, 2)
    [seen] = (await _ok(await client.get(OPEN_FOR_ME, headers=member.headers)))["items"]
    assert (seen["vacancy_id"], seen["position"]["name"], seen["department"]["name"]) == (
        vacancy_id,
        "Sales chief",
        "Sales",
    )
    assert [(r["kind"], r["value"], r["passed"], r["explanation"]) for r in seen["rules"]] == [
        (
            "training_points",
            100.0,
            True,
            "training points in the last 12 months: 100 found; 100 needed",
        ),
        ("tenure", 7.2, True, "tenure: 7.2 years found; 5 needed"),
    ]
    assert (seen["application_id"], seen["application_status"]) == (None, None)

    application = await _ok(
        await _apply(client, member, vacancy_id, statement="I grew the east region"), 201
    )
    assert (application["employee"]["name"], application["status"]) == ("Member", "applied")
    assert application["department"]["name"] == "Sales East"
    assert application["criteria"] == [
        {"kind": "training_points", "value": 100.0, "passed": True},
        {"kind": "tenure", "value": 7.2, "passed": True},
    ]
    [seen] = (await _ok(await client.get(OPEN_FOR_ME, headers=member.headers)))["items"]
    assert (seen["application_id"], seen["application_status"]) == (application["id"], "applied")
    assert_problem(await _apply(client, member, vacancy_id), 409, detail="applied")

    listed = await _ok(
        await client.get(f"{VACANCIES}/{vacancy_id}/applications", headers=world.hr.headers)
    )
    assert [a["id"] for a in listed["items"]] == [application["id"]]
    assert [a[0] for a in await _audit(client, world.hr, application["id"])] == [
        "vacancy_application.submitted"
    ]


async def test_every_failing_rule_is_named(
    client: AsyncClient, world: World, clock: FrozenClock
) -> None:
    closes_at = (clock.now() + timedelta(days=2)).isoformat()
    rules = [{"kind": "training_points", "min_points": 100}, {"kind": "tenure", "min_years": 10}]
    vacancy = await _open_competition(client, world.hr, world.clerk.id, closes_at, rules)
    await _award(client, world.hr, world.junior.id, 1)
    refused = await _apply(client, world.junior_account, vacancy["id"])
    body = assert_problem(refused, 422, fields={"rules.0.training_points", "rules.1.tenure"})
    assert [e["message"] for e in body["errors"]] == [
        "training points in the last 12 months: 50 found; 100 needed",
        "tenure: 7.2 years found; 10 needed",
    ]
    assert (await _ok(await client.get(OPEN_FOR_ME, headers=world.junior_account.headers)))[
        "items"
    ] == []


async def test_withdrawing_and_applying_again(
    client: AsyncClient, competition: Competition
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    member = world.member_account
    await _award(client, world.hr, world.member.id, 2)
    application = await _ok(await _apply(client, member, vacancy_id), 201)
    url = f"{VACANCIES}/{vacancy_id}/applications/{application['id']}/withdraw"

    assert_problem(await client.post(url, headers=world.junior_account.headers), 404)
    assert_problem(await client.post(url, headers=world.hr.headers), 403)
    withdrawn = await _ok(await client.post(url, headers=member.headers))
    assert (withdrawn["status"], withdrawn["withdrawn_at"]) == ("withdrawn", "2027-03-01T02:00:00Z")
    assert_problem(await client.post(url, headers=member.headers), 409, detail="withdrawn")
    assert (
        await _ok(
            await client.get(
                f"{VACANCIES}/{vacancy_id}/applications",
                params={"status": "applied"},
                headers=world.hr.headers,
            )
        )
    )["items"] == []

    again = await _ok(await _apply(client, member, vacancy_id, statement="Ready now"), 201)
    assert (again["id"], again["status"], again["statement"], again["withdrawn_at"]) == (
        application["id"],
        "applied",
        "Ready now",
        None,
    )
    assert [a[0] for a in await _audit(client, world.hr, application["id"])] == [
        "vacancy_application.submitted",
        "vacancy_application.withdrawn",
        "vacancy_application.submitted",
    ]


async def test_the_deadline_closes_applications(
    client: AsyncClient, competition: Competition, clock: FrozenClock
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    await _award(client, world.hr, world.member.id, 2)
    clock.advance(timedelta(days=7))
    late = await _apply(client, world.member_account, vacancy_id)
    assert_problem(late, 409, detail="Applications closed at 8 Mar 2027, 10:00")
    seen = await _ok(await client.get(OPEN_FOR_ME, headers=world.member_account.headers))
    assert seen["items"] == []


async def test_applications_need_an_employee_and_a_competition(
    client: AsyncClient, runtime: Runtime, competition: Competition
) -> None:
    world = competition.world
    assert_problem(await _apply(client, world.hr, competition.vacancy["id"]), 403)
    plain = await _ok(
        await client.post(
            VACANCIES, json={"position_id": str(world.clerk.id)}, headers=world.hr.headers
        ),
        201,
    )
    assert_problem(await _apply(client, world.member_account, plain["id"]), 404)
    assert_problem(await _apply(client, world.member_account, str(uuid.uuid4())), 404)
    listed = await client.get(
        f"{VACANCIES}/{competition.vacancy['id']}/applications",
        headers=world.member_account.headers,
    )
    assert_problem(listed, 404)


async def test_applicants_are_ranked_with_the_pool_members(
    client: AsyncClient, competition: Competition
) -> None:
    """Peer is a ready-now pool member; Member applies from outside the pools and is ranked
    in the same list with the same factors, eligible because the rules were met."""
    world, vacancy_id = competition.world, competition.vacancy["id"]
    hr = world.hr
    pool = await _ok(
        await client.post(
            f"{API}/talent-pools",
            json={"name": "Reserve chiefs", "target_position_id": str(world.chief.id)},
            headers=hr.headers,
        ),
        201,
    )
    nominated = await _ok(
        await client.post(
            f"{API}/talent-pools/{pool['id']}/members",
            json={"employee_id": str(world.peer.id), "reason": "Strong"},
            headers=hr.headers,
        ),
        201,
    )
    await _ok(
        await client.patch(
            f"{API}/talent-pools/{pool['id']}/members/{nominated['id']}",
            json={"status": "active", "reason": "Approved", "readiness": "ready_now"},
            headers=hr.headers,
        )
    )
    await _award(client, hr, world.member.id, 2)
    application = await _ok(await _apply(client, world.member_account, vacancy_id), 201)

    ranked = await _ok(await client.get(f"{VACANCIES}/{vacancy_id}/candidates", headers=hr.headers))
    peer, member = ranked["items"]
    assert (peer["employee"]["name"], peer["pool"]["id"], peer["application_id"]) == (
        "Peer",
        pool["id"],
        None,
    )
    assert (member["rank"], member["employee"]["name"], member["member_id"], member["pool"]) == (
        2,
        "Member",
        None,
        None,
    )
    assert (member["application_id"], member["eligible"], member["score"]) == (
        application["id"],
        True,
        0.0,
    )
    assert [f["factor"] for f in member["factors"]] == [f["factor"] for f in peer["factors"]]
    assert member["factors"][0]["explanation"] == "readiness not assessed yet"

    mine = await _ok(
        await client.get(f"{API}/me/vacancy-rankings", headers=world.member_account.headers)
    )
    [own] = mine["items"]
    assert (own["vacancy_id"], own["application_id"], own["pool"], own["eligible"]) == (
        vacancy_id,
        application["id"],
        None,
        True,
    )


async def _inbox(client: AsyncClient, account: Account) -> list[tuple[str, str]]:
    """The applicant's closing notices, each named after the post and about the applicant."""
    page = await _ok(await client.get(f"{API}/me/notifications", headers=account.headers))
    notices = [n for n in page["items"] if n["kind"] == "talent.application_closed"]
    for notice in notices:
        assert notice["subject"]["type"] == "vacancy_application"
        assert notice["subject"]["name"] == "Sales chief"
        assert notice["employee"]["name"] == "Junior"
    return [(n["title"], n["body"]) for n in notices]


async def test_appointing_an_applicant_closes_the_others_with_a_notice(
    client: AsyncClient, runtime: Runtime, competition: Competition
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    hr = world.hr
    for employee in (world.member, world.junior):
        await _award(client, hr, employee.id, 2)
    chosen = await _ok(await _apply(client, world.member_account, vacancy_id), 201)
    other = await _ok(await _apply(client, world.junior_account, vacancy_id), 201)

    filled = await _ok(
        await client.post(
            f"{VACANCIES}/{vacancy_id}/appoint",
            json={
                "employee_id": str(world.member.id),
                "effective_date": "2027-03-01",
                "reason": "Won the competition",
            },
            headers=hr.headers,
        )
    )
    assert filled["status"] == "filled"
    assert filled["appointment"]["ranking"]["application_id"] == chosen["id"]
    assert filled["appointment"]["override_reason"] is None

    listed = await _ok(
        await client.get(f"{VACANCIES}/{vacancy_id}/applications", headers=hr.headers)
    )
    assert [(a["employee"]["name"], a["status"], a["closed_reason"]) for a in listed["items"]] == [
        ("Member", "appointed", None),
        ("Junior", "closed", "Won the competition"),
    ]
    assert await _inbox(client, world.junior_account) == [
        (
            "Your application for Sales chief is closed",
            "The post was filled by another candidate. Thank you for applying: your points and "
            "development count towards the next competition.",
        )
    ]
    assert await _inbox(client, world.member_account) == []
    assert sorted(a[0] for a in await _audit(client, hr, other["id"])) == [
        "vacancy_application.closed",
        "vacancy_application.submitted",
    ]
    assert sorted(a[0] for a in await _audit(client, hr, chosen["id"])) == [
        "vacancy_application.appointed",
        "vacancy_application.submitted",
    ]
    assert_problem(await _apply(client, world.junior_account, vacancy_id), 409, detail="filled")


async def test_cancelling_the_vacancy_closes_its_applications(
    client: AsyncClient, competition: Competition
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    await _award(client, world.hr, world.junior.id, 2)
    await _ok(await _apply(client, world.junior_account, vacancy_id), 201)
    await _ok(
        await client.post(
            f"{VACANCIES}/{vacancy_id}/cancel", json={"reason": "Merged"}, headers=world.hr.headers
        )
    )
    listed = await _ok(
        await client.get(f"{VACANCIES}/{vacancy_id}/applications", headers=world.hr.headers)
    )
    assert [(a["status"], a["closed_reason"]) for a in listed["items"]] == [("closed", "Merged")]
    assert await _inbox(client, world.junior_account) == [
        (
            "Your application for Sales chief is closed",
            "The vacancy was cancelled, so the competition for it ended.",
        )
    ]


async def test_a_department_head_lists_the_applicants_in_reach(
    client: AsyncClient, runtime: Runtime, competition: Competition
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    outsider = await make_employee(runtime, world.hr.org_id, world.engineering, "Outsider")
    outsider_account = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=outsider.id
    )
    for employee in (world.member, outsider):
        await _award(client, world.hr, employee.id, 2)
    await _ok(await _apply(client, world.member_account, vacancy_id), 201)
    await _ok(await _apply(client, outsider_account, vacancy_id), 201)
    listed = await _ok(
        await client.get(f"{VACANCIES}/{vacancy_id}/applications", headers=world.sales_head.headers)
    )
    assert [a["employee"]["name"] for a in listed["items"]] == ["Member"]


async def test_another_organization_sees_nothing(
    client: AsyncClient, runtime: Runtime, competition: Competition
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    await _award(client, world.hr, world.member.id, 2)
    application = await _ok(await _apply(client, world.member_account, vacancy_id), 201)
    other_hr = await make_org(runtime)
    department = await make_department(runtime, other_hr.org_id, "Other")
    stranger = await make_employee(runtime, other_hr.org_id, department, "Stranger")
    stranger_account = await make_user(
        runtime, other_hr.org_id, Role.EMPLOYEE, employee_id=stranger.id
    )

    assert_problem(
        await client.get(f"{VACANCIES}/{vacancy_id}/applications", headers=other_hr.headers), 404
    )
    assert_problem(await _apply(client, stranger_account, vacancy_id), 404)
    withdraw = f"{VACANCIES}/{vacancy_id}/applications/{application['id']}/withdraw"
    assert_problem(await client.post(withdraw, headers=stranger_account.headers), 404)
    seen = await _ok(await client.get(OPEN_FOR_ME, headers=stranger_account.headers))
    assert seen["items"] == []


async def test_the_lists_cost_a_fixed_number_of_statements(
    client: AsyncClient, runtime: Runtime, competition: Competition, clock: FrozenClock
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    applications = f"{VACANCIES}/{vacancy_id}/applications"
    candidates = f"{VACANCIES}/{vacancy_id}/candidates"
    await _award(client, world.hr, world.member.id, 2)
    await _ok(await _apply(client, world.member_account, vacancy_id), 201)
    closes_at = (clock.now() + timedelta(days=3)).isoformat()
    await _open_competition(client, world.hr, world.clerk.id, closes_at)
    with count_statements(runtime) as few:
        listed = await _ok(await client.get(applications, headers=world.hr.headers))
    with count_statements(runtime) as few_open:
        seen = await _ok(await client.get(OPEN_FOR_ME, headers=world.member_account.headers))
    with count_statements(runtime) as few_ranked:
        ranked = await _ok(await client.get(candidates, headers=world.hr.headers))
    assert len(ranked["items"]) == 1
    assert len(listed["items"]) == 1
    assert len(seen["items"]) == 2

    for employee, account in (
        (world.junior, world.junior_account),
        (world.lead, world.lead_account),
    ):
        await _award(client, world.hr, employee.id, 2)
        await _ok(await _apply(client, account, vacancy_id), 201)
    for title in ("Clerk A", "Clerk B"):
        extra = await make_position(runtime, world.hr.org_id, world.sales, title)
        await _open_competition(client, world.hr, extra.id, closes_at)
    with count_statements(runtime) as more:
        listed = await _ok(await client.get(applications, headers=world.hr.headers))
    with count_statements(runtime) as more_open:
        seen = await _ok(await client.get(OPEN_FOR_ME, headers=world.member_account.headers))
    with count_statements(runtime) as more_ranked:
        ranked = await _ok(await client.get(candidates, headers=world.hr.headers))
    assert len(ranked["items"]) == 3
    assert more_ranked.count == few_ranked.count
    assert len(listed["items"]) == 3
    assert len(seen["items"]) == 4
    assert more.count == few.count
    assert more_open.count == few_open.count


@pytest.mark.commits
async def test_two_applications_at_once_store_one(
    client: AsyncClient, competition: Competition
) -> None:
    world, vacancy_id = competition.world, competition.vacancy["id"]
    await _award(client, world.hr, world.member.id, 2)
    both = await asyncio.gather(
        _apply(client, world.member_account, vacancy_id),
        _apply(client, world.member_account, vacancy_id),
    )
    assert sorted(response.status_code for response in both) == [201, 409]
    listed = await _ok(
        await client.get(f"{VACANCIES}/{vacancy_id}/applications", headers=world.hr.headers)
    )
    assert len(listed["items"]) == 1
