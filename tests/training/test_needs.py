"""`GET /training-needs` 「培训需求分析」: needs from competency gaps, low published review
items and career plans; common needs of a department before individual ones; the courses
that address them, never one the person passed; who may read it; a fixed number of
statements whatever the department's size."""

from __future__ import annotations

import json
import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from tests.factories import make_employee, make_org, make_position, make_tree
from tests.people.conftest import count_statements
from tests.problems import assert_problem
from tests.training.factory import make_course
from tests.training.needs_world import API, Sales, model, ok, profile, review_results, sales


def _url(query: str) -> str:
    return f"{API}/training-needs?{query}"


def _people(need: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {person["employee"]["name"]: person for person in need["people"]}


def _evidence(need: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            line["source"],
            line["people"],
            line["value"],
            line["threshold"],
            (line["position"] or line["review_cycle"] or {}).get("name", "")[:9],
            line["item"],
        )
        for line in need["evidence"]
    ]


async def test_a_sales_department_shares_negotiation(client: AsyncClient, runtime: Runtime) -> None:
    world = await sales(client, runtime)
    body = ok(
        await client.get(_url(f"department_id={world.tree.sales.id}"), headers=world.hr.headers)
    )
    assert (body["department"]["name"], body["people"], body["review_threshold"]) == (
        "Sales",
        6,
        70,
    )
    assert body["employee"] is None
    assert [
        (need["kind"], need["competency"]["name"], need["count"]) for need in body["items"]
    ] == [
        ("common", "Negotiation", 4),
        ("individual", "Leadership", 1),
        ("individual", "Product knowledge", 1),
    ]
    negotiation, leadership, product = body["items"]

    # The seeds' figure: negotiation averaged 65/100 (An 60, Bo 65, Du 65 from the review;
    # Chen's item was 70, not under the threshold, and her profile's 7.0 says it).
    assert negotiation["competency_id"] == str(world.negotiation)
    assert negotiation["average_score"] == 65.0
    people = _people(negotiation)
    assert list(people) == ["An", "Bo", "Chen", "Du"]
    assert {name: person["score"] for name, person in people.items()} == {
        "An": 60.0,
        "Bo": 65.0,
        "Chen": 70.0,
        "Du": 65.0,
    }
    assert people["Du"]["department"]["name"] == "Sales"
    assert _evidence(negotiation) == [
        ("position_model", 4, 65.0, 80.0, "Sales rep", None),
        ("review", 3, 63.3, 70.0, "Year-end ", "Negotiation"),
    ]

    # Active courses tagged negotiation; Du passed both, Chen only completed the exam course.
    ids = {name: str(course.id) for name, course in world.courses.items()}
    assert [(c["course"]["name"], c["mode"], c["proposed_to"]) for c in negotiation["courses"]] == [
        ("Negotiation", "offline", 3),
        ("Negotiation exam", "online", 3),
    ]
    assert people["An"]["course_ids"] == [ids["Negotiation"], ids["Negotiation exam"]]
    assert people["Chen"]["course_ids"] == [ids["Negotiation"], ids["Negotiation exam"]]
    assert people["Du"]["course_ids"] == []

    # Bo's career plan: the sales manager's leadership, with no score yet.
    assert [p["employee"]["name"] for p in leadership["people"]] == ["Bo"]
    assert leadership["average_score"] is None
    assert _evidence(leadership) == [("career_plan", 1, None, 80.0, "Sales man", None)]
    assert leadership["courses"] == []
    # Eve (sales east, in the subtree) lacks product knowledge: the Products course.
    assert _evidence(product) == [("position_model", 1, 40.0, 60.0, "Sales rep", None)]
    assert [(c["course"]["name"], c["points"], c["hours"]) for c in product["courses"]] == [
        ("Products", 8, 3.0)
    ]
    assert _people(product)["Eve"]["course_ids"] == [ids["Products"]]

    # Paged over the needs; the thresholds are the query's.
    first = ok(
        await client.get(
            _url(f"department_id={world.tree.sales.id}&limit=2"), headers=world.hr.headers
        )
    )
    assert [need["competency"]["name"] for need in first["items"]] == ["Negotiation", "Leadership"]
    rest = ok(
        await client.get(
            _url(f"department_id={world.tree.sales.id}&limit=2&cursor={first['next_cursor']}"),
            headers=world.hr.headers,
        )
    )
    assert [need["competency"]["name"] for need in rest["items"]] == ["Product knowledge"]
    assert rest["next_cursor"] is None
    strict = ok(
        await client.get(
            _url(f"department_id={world.tree.sales.id}&common_min_people=5&common_min_percent=80"),
            headers=world.hr.headers,
        )
    )
    assert [(n["kind"], n["competency"]["name"]) for n in strict["items"]][:4] == [
        ("individual", "Leadership"),
        ("individual", "Negotiation"),
        ("individual", "Negotiation"),
        ("individual", "Negotiation"),
    ]
    lenient = ok(
        await client.get(
            _url(f"department_id={world.tree.sales.id}&review_threshold=61"),
            headers=world.hr.headers,
        )
    )
    assert _evidence(lenient["items"][0])[1] == (
        "review",
        1,
        60.0,
        61.0,
        "Year-end ",
        "Negotiation",
    )


async def test_one_person_never_proposed_a_course_they_passed(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await sales(client, runtime)
    du = world.people["Du"]
    body = ok(await client.get(_url(f"employee_id={du.id}"), headers=world.hr.headers))
    assert (body["employee"]["name"], body["department"], body["people"]) == ("Du", None, 1)
    [need] = body["items"]
    assert (need["kind"], need["competency"]["name"], need["average_score"]) == (
        "individual",
        "Negotiation",
        65.0,
    )
    assert _evidence(need) == [
        ("position_model", 1, 65.0, 80.0, "Sales rep", None),
        ("review", 1, 65.0, 70.0, "Year-end ", "Negotiation"),
    ]
    assert need["courses"] == []
    an = ok(
        await client.get(_url(f"employee_id={world.people['An'].id}"), headers=world.an.headers)
    )
    assert [c["course"]["name"] for c in an["items"][0]["courses"]] == [
        "Negotiation",
        "Negotiation exam",
    ]
    # Only the newest published result counts (An's older 30 is not there).
    assert _evidence(an["items"][0])[1][2] == 60.0


async def test_who_may_read_it(client: AsyncClient, runtime: Runtime) -> None:
    world = await sales(client, runtime)
    an, bo = world.people["An"], world.people["Bo"]
    # A department head: their subtree, not beyond.
    east = ok(
        await client.get(
            _url(f"department_id={world.tree.sales_east.id}"), headers=world.head.headers
        )
    )
    assert [need["competency"]["name"] for need in east["items"]] == ["Product knowledge"]
    assert (
        ok(
            await client.get(
                _url(f"department_id={world.tree.sales.id}"), headers=world.head.headers
            )
        )["people"]
        == 6
    )
    for department in (world.tree.engineering, world.tree.head_office):
        response = await client.get(
            _url(f"department_id={department.id}"), headers=world.head.headers
        )
        assert_problem(response, 404, kind="not-found", detail="No such department")
    # An employee or a manager: no department, 403.
    response = await client.get(
        _url(f"department_id={world.tree.sales.id}"), headers=world.wang.headers
    )
    assert_problem(response, 403, detail="department heads")
    # A person: themself, their manager, HR; nobody else.
    assert (
        ok(await client.get(_url(f"employee_id={an.id}"), headers=world.wang.headers))["employee"][
            "name"
        ]
        == "An"
    )
    response = await client.get(_url(f"employee_id={bo.id}"), headers=world.an.headers)
    assert_problem(response, 404, kind="not-found", detail="No such employee")
    response = await client.get(_url(f"employee_id={bo.id}"), headers=world.wang.headers)
    assert_problem(response, 404, kind="not-found")
    # The department head: people of their subtree, nobody beyond.
    eve = ok(
        await client.get(_url(f"employee_id={world.people['Eve'].id}"), headers=world.head.headers)
    )
    assert [need["competency"]["name"] for need in eve["items"]] == ["Product knowledge"]
    engineer = await make_employee(runtime, world.hr.org_id, world.tree.engineering, "Engineer")
    response = await client.get(_url(f"employee_id={engineer.id}"), headers=world.head.headers)
    assert_problem(response, 404, kind="not-found", detail="No such employee")
    # Unknown department.
    response = await client.get(_url(f"department_id={uuid.uuid4()}"), headers=world.hr.headers)
    assert_problem(response, 404, detail="No such department")


async def test_bad_queries(client: AsyncClient, runtime: Runtime) -> None:
    world = await sales(client, runtime)
    both = f"department_id={world.tree.sales.id}&employee_id={world.people['An'].id}"
    for query in (both, ""):
        response = await client.get(_url(query), headers=world.hr.headers)
        assert_problem(response, 422, fields={"department_id", "employee_id"})
    sales_id = world.tree.sales.id
    for query in (
        "review_threshold=0",
        "review_threshold=101",
        "common_min_people=1",
        "common_min_percent=0",
    ):
        response = await client.get(
            _url(f"department_id={sales_id}&{query}"), headers=world.hr.headers
        )
        assert_problem(response, 422, fields={"query." + query.split("=")[0]})
    response = await client.get(
        _url(f"department_id={sales_id}&cursor=nonsense"), headers=world.hr.headers
    )
    assert_problem(response, 400)


async def test_another_organization_is_invisible(client: AsyncClient, runtime: Runtime) -> None:
    world = await sales(client, runtime)
    other = await make_org(runtime)
    tree = await make_tree(runtime, other.org_id)
    stranger = await make_employee(runtime, other.org_id, tree.sales, "Stranger")
    await make_course(
        runtime, other.org_id, name="Their negotiation", competency_ids=[world.negotiation]
    )
    for query in (f"department_id={tree.sales.id}", f"employee_id={stranger.id}"):
        response = await client.get(_url(query), headers=world.hr.headers)
        assert_problem(response, 404, kind="not-found")
    mine = ok(
        await client.get(_url(f"department_id={world.tree.sales.id}"), headers=world.hr.headers)
    )
    assert "Their negotiation" not in {
        c["course"]["name"] for n in mine["items"] for c in n["courses"]
    }
    theirs = ok(await client.get(_url(f"department_id={tree.sales.id}"), headers=other.headers))
    assert (theirs["people"], theirs["items"]) == (1, [])
    response = await client.get(_url(f"department_id={world.tree.sales.id}"), headers=other.headers)
    assert_problem(response, 404)


async def _grow(client: AsyncClient, runtime: Runtime, world: Sales) -> None:
    """Five more reps under sales with profiles and review results, a position of its own
    with a model, and another course."""
    org_id = world.hr.org_id
    senior = await make_position(runtime, org_id, world.tree.sales, "Senior rep")
    await model(client, world.hr, senior.id, (world.negotiation, 5, 50), (world.leadership, 2, 50))
    added = []
    for number in range(5):
        person = await make_employee(
            runtime, org_id, world.tree.sales_east, f"Rep {number}", position=senior
        )
        await profile(runtime, org_id, person.id, {world.negotiation: 5.0 + number / 2})
        added.append(person.id)
    await review_results(runtime, org_id, world.negotiation, dict.fromkeys(added, 50.0))
    await make_course(runtime, org_id, name="Leading", competency_ids=[world.leadership])


async def test_a_fixed_number_of_statements(client: AsyncClient, runtime: Runtime) -> None:
    world = await sales(client, runtime)
    url = _url(f"department_id={world.tree.sales.id}")
    with count_statements(runtime) as small:
        ok(await client.get(url, headers=world.head.headers))
    await _grow(client, runtime, world)
    with count_statements(runtime) as large:
        body = ok(await client.get(url, headers=world.head.headers))
    assert body["people"] == 11
    assert [(n["competency"]["name"], n["count"]) for n in body["items"][:2]] == [
        ("Negotiation", 9),
        ("Leadership", 6),
    ]
    assert small.count == large.count, large.statements
    # Savepoint and its release, authentication (3), the department, the head's scope, the
    # subtree, the head's reach (2), the people, career plans, models, levels, scores, review
    # items, competency names, position names, courses.
    assert large.count == 19, large.statements
    with count_statements(runtime) as one:
        ok(await client.get(_url(f"employee_id={world.people['An'].id}"), headers=world.hr.headers))
    # One person: the employee and their department instead of the department's queries.
    assert one.count == 15, one.statements


async def test_raters_answers_never_show(client: AsyncClient, runtime: Runtime) -> None:
    """The anonymity rule: the same published results with different raw answers behind them
    read the same; only the stored figure counts."""
    world = await sales(client, runtime)
    url = _url(f"department_id={world.tree.sales.id}")
    reads = []
    for score in (1, 5):
        async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
            changed = await session.execute(
                text(
                    "UPDATE review_assignments"
                    " SET status = 'submitted', answers = CAST(:answers AS jsonb)"
                ),
                {"answers": json.dumps({"negotiation": {"score": score}})},
            )
            assert changed.rowcount > 0  # type: ignore[attr-defined]
        reads.append(ok(await client.get(url, headers=world.hr.headers)))
    assert reads[0] == reads[1]
    assert reads[0]["items"][0]["average_score"] == 65.0
