"""Incentives over HTTP: evaluating an ended quarter and year into incentives with their
reasons, who sees which, the owed report, granting once, and the payroll export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.conftest import frozen_clock, recorded_statements
from tests.factories import make_employee, make_tree
from tests.problems import assert_problem
from tests.training.incentive_helpers import World, award, evaluate_now, make_world

URL = "/api/v1/incentives"
EVALUATE = "/api/v1/incentives/evaluations"
DECEMBER = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


async def _evaluated(client: AsyncClient, runtime: Runtime, world: World, period: str) -> None:
    response = await client.post(EVALUATE, json={"period": period}, headers=world.hr.headers)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    await evaluate_now(runtime, world.org_id, response.json()["id"])


async def _all(client: AsyncClient, headers: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    response = await client.get(URL, params={"limit": 200, **query}, headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _by_kind(items: list[dict[str, Any]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for item in items:
        found.setdefault(item["kind"], set()).add(item["employee"]["name"])
    return found


async def test_a_quarter_and_a_year_evaluate_into_incentives_with_reasons(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await make_world(runtime)
    async with frozen_clock(runtime, DECEMBER):
        await _evaluated(client, runtime, world, "2026-Q3")
    items = await _all(client, world.hr.headers, period="2026-Q3")
    assert _by_kind(items) == {
        "bonus_coefficient": {"Promoted"},
        "bonus_percent": {"Promoted", "Unplanned", "Steady", "Middling", "Low", "Engineer"},
        "competition_eligible": {"Promoted", "Unplanned", "Steady"},
        "benefits_eligible": {"Promoted", "Unplanned", "Steady", "Middling"},
        "promotion_eligible": {"Promoted"},
    }
    [top] = [item for item in items if item["kind"] == "bonus_coefficient"]
    assert top["amount"] == "0.10"
    assert top["status"] == "owed"
    assert top["reasons"] == {
        "points": 130,
        "threshold": "20.00",
        "rank": 1,
        "ranked": 6,
        "top_percent": "16.67",
        "plans_scored": None,
        "plans_due": None,
        "plan_completion_percent": None,
        "plan_threshold_percent": None,
    }
    percents = {i["employee"]["name"]: i["amount"] for i in items if i["kind"] == "bonus_percent"}
    assert percents == {
        "Promoted": "5.00",
        "Unplanned": "5.00",
        "Steady": "5.00",
        "Middling": "5.00",
        "Low": "5.00",
        "Engineer": "1.00",
    }
    [promotion] = [item for item in items if item["kind"] == "promotion_eligible"]
    assert promotion["reasons"]["points"] == 130
    assert promotion["reasons"]["plans_scored"] == 4
    assert promotion["reasons"]["plans_due"] == 5
    assert promotion["reasons"]["plan_completion_percent"] == "80.00"

    async with frozen_clock(runtime, datetime(2026, 12, 31, 16, 0, tzinfo=UTC)):
        await _evaluated(client, runtime, world, "2026")
    year = await _all(client, world.hr.headers, period="2026")
    met = {i["employee"]["name"]: (i["eligible"], i["status"]) for i in year}
    assert met == {
        "Promoted": (True, "owed"),
        "Unplanned": (True, "owed"),
        "Steady": (True, "owed"),
        "Middling": (True, "owed"),
        "Low": (False, "not_met"),
        "Engineer": (False, "not_met"),
    }


async def test_evaluation_refuses_open_periods_repeats_and_non_hr(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await make_world(runtime)
    async with frozen_clock(runtime, datetime(2026, 12, 31, 15, 59, tzinfo=UTC)):
        open_year = await client.post(EVALUATE, json={"period": "2026"}, headers=world.hr.headers)
        assert_problem(open_year, 422, fields={"body.period"})
        for bad in ("2026-Q5", "26", "2026-q1", "0000", "9999-Q4"):
            malformed = await client.post(EVALUATE, json={"period": bad}, headers=world.hr.headers)
            assert_problem(malformed, 422, fields={"body.period"})
        member = await client.post(
            EVALUATE, json={"period": "2026-Q3"}, headers=world.member.headers
        )
        assert_problem(member, 403)
        first = await client.post(EVALUATE, json={"period": "2026-Q3"}, headers=world.hr.headers)
        assert first.status_code == 202, first.text
        again = await client.post(EVALUATE, json={"period": "2026-Q3"}, headers=world.hr.headers)
        assert_problem(again, 409, detail="2026-Q3")
        elsewhere = await client.post(
            EVALUATE, json={"period": "2026-Q3"}, headers=world.outsider.headers
        )
        assert elsewhere.status_code == 202, "each organization evaluates its own periods"
    await evaluate_now(runtime, world.org_id, first.json()["id"])
    await evaluate_now(runtime, world.org_id, first.json()["id"])
    assert len(await _all(client, world.hr.headers)) == 15, "a second run writes nothing"


async def test_who_sees_which_incentives_and_the_statements_of_a_page(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await make_world(runtime)
    async with frozen_clock(runtime, DECEMBER):
        await _evaluated(client, runtime, world, "2026-Q3")
    everyone = await _all(client, world.hr.headers)
    assert len(everyone) == 15
    heads = await _all(client, world.head.headers)
    assert {item["employee"]["name"] for item in heads} == {
        "Promoted",
        "Unplanned",
        "Steady",
        "Middling",
        "Low",
    }
    own = await _all(client, world.member.headers)
    assert {item["employee"]["name"] for item in own} == {"Steady"}
    assert await _all(client, world.member.headers, employee_id=str(world.promoted)) == []
    assert await _all(client, world.outsider.headers) == []
    filtered = await _all(client, world.hr.headers, kind="competition_eligible", status="owed")
    assert {item["employee"]["name"] for item in filtered} == {"Promoted", "Unplanned", "Steady"}

    pages: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        response = await client.get(URL, params=params, headers=world.head.headers)
        assert response.status_code == 200, response.text
        pages.extend(response.json()["items"])
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert [item["id"] for item in pages] == [item["id"] for item in heads]

    async def statements_for(limit: int) -> int:
        with recorded_statements(runtime) as statements:
            response = await client.get(URL, params={"limit": limit}, headers=world.head.headers)
        assert response.status_code == 200, response.text
        assert len(response.json()["items"]) == min(limit, 14)
        return len(statements)

    assert await statements_for(1) == await statements_for(200)

    bad_cursor = await client.get(URL, params={"cursor": "bm9wZQ"}, headers=world.hr.headers)
    assert_problem(bad_cursor, 400, kind="invalid-cursor")
    unknown = await client.get(URL, params={"state": "owed"}, headers=world.hr.headers)
    assert_problem(unknown, 400, kind="unknown-query-parameter")
    bad_status = await client.get(URL, params={"status": "paid"}, headers=world.hr.headers)
    assert_problem(bad_status, 422, fields={"query.status"})


async def test_hr_grants_an_owed_incentive_once(client: AsyncClient, runtime: Runtime) -> None:
    world = await make_world(runtime)
    async with frozen_clock(runtime, DECEMBER):
        await _evaluated(client, runtime, world, "2026-Q3")
    async with frozen_clock(runtime, datetime(2027, 1, 2, tzinfo=UTC)):
        await _evaluated(client, runtime, world, "2026")
    [top] = await _all(client, world.hr.headers, kind="bonus_coefficient")
    grant = f"{URL}/{top['id']}/grant"
    assert_problem(await client.post(grant, headers=world.head.headers), 403)
    assert_problem(await client.post(grant, headers=world.outsider.headers), 404)
    granted = await client.post(grant, headers=world.hr.headers)
    assert granted.status_code == 200, granted.text
    body = granted.json()
    assert body["status"] == "granted"
    assert body["granted_by_user"]["id"] == str(world.hr.user_id)
    assert body["granted_at"] is not None
    assert_problem(await client.post(grant, headers=world.hr.headers), 409)
    [not_met, *_] = await _all(client, world.hr.headers, status="not_met")
    refused = await client.post(f"{URL}/{not_met['id']}/grant", headers=world.hr.headers)
    assert_problem(refused, 409)
    owed = await _all(client, world.hr.headers, status="owed")
    assert top["id"] not in {item["id"] for item in owed}
    assert len(owed) == 15 + 4 - 1, "the owed report: all but the one granted"
    audit = await client.get(
        "/api/v1/audit-events", params={"object_id": top["id"]}, headers=world.hr.headers
    )
    assert audit.status_code == 200, audit.text
    assert [event["action"] for event in audit.json()["items"]] == ["incentive.granted"]


async def test_the_export_for_payroll(client: AsyncClient, runtime: Runtime) -> None:
    world = await make_world(runtime)
    async with frozen_clock(runtime, DECEMBER):
        await _evaluated(client, runtime, world, "2026-Q3")
    response = await client.get(
        f"{URL}/export", params={"kind": "bonus_percent"}, headers=world.hr.headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["period", "kind", "employee_id", "employee"]
    assert sorted((row[3], row[4], row[7]) for row in rows[1:]) == [
        ("Engineer", "1.00", "10"),
        ("Low", "5.00", "50"),
        ("Middling", "5.00", "90"),
        ("Promoted", "5.00", "130"),
        ("Steady", "5.00", "110"),
        ("Unplanned", "5.00", "125"),
    ]
    sheet = await client.get(
        f"{URL}/export", params={"format": "xlsx", "status": "owed"}, headers=world.member.headers
    )
    assert sheet.status_code == 200, sheet.text
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    names = {row[3] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert names == {"Steady"}, "the export keeps the caller's reach"
    bad = await client.get(f"{URL}/export", params={"format": "pdf"}, headers=world.hr.headers)
    assert_problem(bad, 422, fields={"query.format"})


async def test_the_export_quotes_what_a_spreadsheet_would_run(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await make_world(runtime)
    tree = await make_tree(runtime, world.org_id)
    formula = await make_employee(runtime, world.org_id, tree.sales, "=HYPERLINK(1)")
    await award(runtime, world.org_id, formula.id, 20)
    async with frozen_clock(runtime, DECEMBER):
        await _evaluated(client, runtime, world, "2026-Q3")
    response = await client.get(
        f"{URL}/export", params={"employee_id": str(formula.id)}, headers=world.hr.headers
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["'=HYPERLINK(1)"]
