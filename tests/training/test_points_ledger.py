"""The ledger over HTTP: HR's manual awards (one per source) and corrections (a reason, an
entry that exists), audited; reading entries within one's reach with filters, newest first,
in a fixed number of statements; another organization's entries invisible."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from hrcore.core.audit import AuditEvent
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from tests.factories import make_org
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.training.points_helpers import LEDGER, NOVEMBER, give

__all__ = ["world"]
MARCH = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


async def _entries(
    client: AsyncClient, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(LEDGER, params=params | {"limit": 200}, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _points(entries: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(entry["employee"]["name"], entry["points"]) for entry in entries]


async def test_hr_awards_once_per_source_audited(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    source = str(uuid.uuid4())
    body = {
        "employee_id": str(world.peer.id),
        "code": "article",
        "source_type": "article",
        "source_id": source,
        "occurred_at": NOVEMBER.isoformat(),
    }
    awarded = await client.post(LEDGER, json=body, headers=world.hr.headers)
    assert awarded.status_code == 201, awarded.text
    entry = awarded.json()
    assert entry["employee"] == {"id": str(world.peer.id), "name": "Peer"}
    assert (entry["code"], entry["category"], entry["points"]) == ("article", "sharing", 15)
    assert (entry["source_type"], entry["source_id"]) == ("article", source)
    assert entry["rule"]["name"] == "Published an article"
    assert entry["corrects_id"] is None
    assert entry["occurred_at"] == "2026-11-03T02:00:00Z"

    again = await client.post(LEDGER, json=body, headers=world.hr.headers)
    assert_problem(again, 409)
    assert _points(await _entries(client, world.hr.headers)) == [("Peer", 15)]
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        audited = await session.scalar(
            select(AuditEvent).where(AuditEvent.object_id == uuid.UUID(entry["id"]))
        )
    assert audited is not None
    assert (audited.action, audited.after) == (
        "points.awarded",
        {
            "employee_id": str(world.peer.id),
            "code": "article",
            "points": 15,
            "source_type": "article",
            "source_id": source,
        },
    )


async def test_bad_awards_write_nothing(client: AsyncClient, world: World) -> None:
    good = {"employee_id": str(world.peer.id), "code": "article", "source_id": str(uuid.uuid4())}
    cases: list[tuple[dict[str, Any], int, set[str]]] = [
        ({"code": "article"}, 422, {"employee_id", "source_id"}),
        (good | {"code": "no_such_rule"}, 422, {"code"}),
        (good | {"employee_id": str(uuid.uuid4())}, 422, {"employee_id"}),
        (good | {"points": 99, "reason": "generous"}, 422, {"points", "reason"}),
        (good | {"occurred_at": "2026-11-03T10:00:00"}, 422, {"body.occurred_at"}),
    ]
    for body, status, fields in cases:
        assert_problem(
            await client.post(LEDGER, json=body, headers=world.hr.headers), status, fields=fields
        )
    refused = await client.post(LEDGER, json=good, headers=world.lead_account.headers)
    assert_problem(refused, 403)
    assert await _entries(client, world.hr.headers) == []


async def test_a_correction_compensates_with_a_reason(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    entry_id = await give(runtime, world.hr.org_id, world.member.id, "adopted", NOVEMBER)
    without_reason = {"corrects_id": str(entry_id), "points": -50}
    assert_problem(
        await client.post(LEDGER, json=without_reason, headers=world.hr.headers),
        422,
        fields={"reason"},
    )
    blank = await client.post(
        LEDGER, json=without_reason | {"reason": "  "}, headers=world.hr.headers
    )
    assert_problem(blank, 422, fields={"body.reason"})
    unknown = {"corrects_id": str(uuid.uuid4()), "points": -5, "reason": "Typo"}
    assert_problem(await client.post(LEDGER, json=unknown, headers=world.hr.headers), 404)
    mixed = without_reason | {"reason": "Copied", "code": "article"}
    assert_problem(
        await client.post(LEDGER, json=mixed, headers=world.hr.headers), 422, fields={"code"}
    )
    assert len(await _entries(client, world.hr.headers)) == 1

    corrected = await client.post(
        LEDGER,
        json=without_reason | {"reason": "The plan was copied"},
        headers=world.hr.headers,
    )
    assert corrected.status_code == 201, corrected.text
    correction = corrected.json()
    assert (correction["corrects_id"], correction["reason"]) == (
        str(entry_id),
        "The plan was copied",
    )
    assert (correction["points"], correction["category"], correction["rule"]) == (
        -50,
        "outcome",
        None,
    )
    assert correction["recorded_by_user"] == {"id": str(world.hr.user_id), "name": "hr"}
    assert correction["occurred_at"] == "2026-11-03T02:00:00Z"
    entries = await _entries(client, world.hr.headers, period="2026-Q4")
    assert sum(entry["points"] for entry in entries) == 0
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        action = await session.scalar(
            select(AuditEvent.action).where(AuditEvent.object_id == uuid.UUID(correction["id"]))
        )
    assert action == "points.corrected"


async def test_everyone_reads_the_entries_in_their_reach(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    for employee in (world.boss, world.lead, world.member, world.junior, world.engineer):
        await give(runtime, world.hr.org_id, employee.id, "attendance")
    names = {entry["employee"]["name"] for entry in await _entries(client, world.hr.headers)}
    assert names == {"Boss", "Lead", "Member", "Junior", "Engineer"}
    head = await _entries(client, world.sales_head.headers)
    assert {entry["employee"]["name"] for entry in head} == {"Lead", "Member", "Junior"}
    manager = await _entries(client, world.member_account.headers)
    assert {entry["employee"]["name"] for entry in manager} == {"Member", "Junior"}
    own = await _entries(client, world.junior_account.headers)
    assert [entry["employee"]["name"] for entry in own] == ["Junior"]
    outside = await client.get(
        LEDGER, params={"employee_id": str(world.boss.id)}, headers=world.junior_account.headers
    )
    assert_problem(outside, 404)
    mine = await _entries(client, world.junior_account.headers, employee_id=str(world.junior.id))
    assert len(mine) == 1

    other = await make_org(runtime)
    assert await _entries(client, other.headers) == []
    hidden = await client.get(
        LEDGER, params={"employee_id": str(world.junior.id)}, headers=other.headers
    )
    assert_problem(hidden, 404)


async def test_filters_and_pages_newest_first(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id, member = world.hr.org_id, world.member.id
    await give(runtime, org_id, member, "attendance", NOVEMBER)
    await give(runtime, org_id, member, "teaching", datetime(2026, 12, 31, 15, 0, tzinfo=UTC))
    # 2026-12-31 17:00 UTC is 2027-01-01 01:00 in Shanghai: the next year's
    await give(runtime, org_id, member, "article", datetime(2026, 12, 31, 17, 0, tzinfo=UTC))
    await give(runtime, org_id, world.peer.id, "late", MARCH)
    headers = world.hr.headers
    newest = [entry["code"] for entry in await _entries(client, headers)]
    assert newest == ["late", "article", "teaching", "attendance"]
    assert [e["code"] for e in await _entries(client, headers, period="2026")] == [
        "teaching",
        "attendance",
    ]
    assert [e["code"] for e in await _entries(client, headers, period="2027-01")] == ["article"]
    assert [e["code"] for e in await _entries(client, headers, period="2027-Q1")] == [
        "late",
        "article",
    ]
    sharing = await _entries(client, headers, category="sharing", employee_id=str(member))
    assert [e["code"] for e in sharing] == ["article", "teaching"]
    assert [e["code"] for e in await _entries(client, headers, code="late")] == ["late"]
    for bad in ({"period": "2026-Q5"}, {"period": "26"}, {"category": "fun"}):
        assert_problem(await client.get(LEDGER, params=bad, headers=headers), 422)
    assert_problem(await client.get(LEDGER, params={"cursor": "nope"}, headers=headers), 400)

    pages: list[str] = []
    counts: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        with count_statements(runtime) as counter:
            response = await client.get(LEDGER, params=params, headers=world.sales_head.headers)
        counts.append(counter.count)
        pages += [entry["code"] for entry in response.json()["items"]]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert pages == ["late", "article", "teaching", "attendance"]
    # the tests' savepoint, its tenant reset and release; the tenant, the caller, the head's
    # subtree, its people, the page
    assert counts == [8] * 4
    with count_statements(runtime) as counter:
        await client.get(LEDGER, params={"limit": 50}, headers=world.sales_head.headers)
    assert counter.count == counts[0]
