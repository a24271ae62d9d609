"""Evidence and profiles: manual assessments within reach, the service call other domains
use (idempotent per source event), profiles recomputed in the worker, explained, with
history."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.competencies import profiles
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.errors import Unprocessable
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.factories import Account, make_department, make_employee, make_org
from tests.problems import assert_problem

NOW = datetime.now(UTC)


async def _assess(
    client: AsyncClient,
    account: Account,
    employee: Employee,
    competency: dict[str, Any],
    value: float,
    headers: dict[str, str] | None = None,
    **more: Any,
) -> Response:
    return await client.post(
        f"{API}/competency-evidence",
        json={
            "employee_id": str(employee.id),
            "competency_id": competency["id"],
            "value": value,
            "note": "Led the east-region launch",
        }
        | more,
        headers=account.headers | (headers or {}),
    )


@pytest.mark.commits
async def test_a_manual_assessment_moves_the_profile_in_the_worker(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    recorded = ok(await _assess(client, world.hr, world.member, team, 6.2), 201)
    assert (recorded["source_kind"], recorded["employee"]["name"]) == ("manual", "Member")
    url = f"{API}/employees/{world.member.id}/competency-profile"
    before = ok(await client.get(url, headers=world.member_account.headers))
    assert (before["computed_at"], before["competencies"]) == (None, []), "only the worker computes"

    await run_burst(runtime)
    first = ok(
        await client.get(f"{API}/me/competency-profile", headers=world.member_account.headers)
    )
    assert [(f["competency"]["name"], f["score"], f["sources"]) for f in first["competencies"]] == [
        ("Team management", 6.2, 1)
    ]
    untouched = f"{API}/employees/{world.junior.id}/competency-profile"
    assert ok(await client.get(untouched, headers=world.hr.headers))["computed_at"] is None, (
        "only the employee whose evidence changed is recomputed"
    )
    ok(await _assess(client, world.lead_account, world.member, team, 8.1), 201)
    await run_burst(runtime)
    second = ok(await client.get(url, headers=world.lead_account.headers))
    figure = second["competencies"][0]
    assert figure["sources"] == 2
    assert 6.2 < figure["score"] < 8.1
    assert sorted(e["value"] for e in figure["evidence"]) == [6.2, 8.1]
    assert all(0 < e["weight"] <= 1 for e in figure["evidence"])
    assert [[s["score"] for s in point["scores"]] for point in second["history"]] == [
        [figure["score"]],
        [6.2],
    ]
    await run_burst(runtime)
    again = ok(await client.get(url, headers=world.lead_account.headers))
    assert len(again["history"]) == 2, "a recompute that changes nothing stores nothing"


@pytest.mark.commits
async def test_a_vanishingly_small_value_is_kept_as_zero_and_scores(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """A value of 1e-310 is inside 0–10, but PostgreSQL's float arithmetic refuses to
    underflow: kept as given, it failed the worker's recompute on every retry."""
    team = await create(client, world.hr, "Team management")
    recorded = ok(await _assess(client, world.hr, world.member, team, 1e-310), 201)
    assert recorded["value"] == 0
    await run_burst(runtime)
    figure = ok(
        await client.get(
            f"{API}/employees/{world.member.id}/competency-profile", headers=world.hr.headers
        )
    )["competencies"][0]
    assert (figure["score"], figure["sources"]) == (0, 1)


@pytest.mark.commits
async def test_older_evidence_counts_less(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    year_ago = (NOW - timedelta(days=365)).isoformat()
    ok(await _assess(client, world.hr, world.member, team, 4, observed_at=year_ago), 201)
    ok(await _assess(client, world.hr, world.member, team, 8), 201)
    await run_burst(runtime)
    figure = ok(
        await client.get(
            f"{API}/employees/{world.member.id}/competency-profile", headers=world.hr.headers
        )
    )["competencies"][0]
    weights = {e["value"]: e["weight"] for e in figure["evidence"]}
    assert weights[4.0] < weights[8.0] * 0.55
    assert figure["score"] > 6.5, "the recent 8 outweighs the year-old 4"


@pytest.mark.commits
async def test_a_source_event_recorded_twice_replaces_its_evidence(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    source = uuid.uuid4()
    for value in (5.0, 7.5):
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, world.hr.org_id)
            await competencies.record_evidence(
                session,
                world.hr.org_id,
                employee_id=world.junior.id,
                competency_id=uuid.UUID(team["id"]),
                value=value,
                source_kind="review",
                source_id=source,
                observed_at=NOW,
                source_weight=2.0,
            )
    await run_burst(runtime)
    figure = ok(
        await client.get(
            f"{API}/employees/{world.junior.id}/competency-profile", headers=world.hr.headers
        )
    )["competencies"][0]
    assert (figure["score"], figure["sources"], len(figure["evidence"])) == (7.5, 1, 1)
    assert figure["evidence"][0]["source_weight"] == 2.0


async def test_who_may_assess_whom(client: AsyncClient, world: World) -> None:
    team = await create(client, world.hr, "Team management")
    assert_problem(
        await _assess(client, world.junior_account, world.engineer, team, 5),
        404,
        detail="No such employee",
    )
    assert_problem(await _assess(client, world.sales_head, world.engineer, team, 5), 404)
    ok(await _assess(client, world.sales_head, world.junior, team, 5), 201)
    assert_problem(await _assess(client, world.member_account, world.member, team, 9), 403)
    chinese = await _assess(
        client, world.junior_account, world.engineer, team, 5, headers={"Accept-Language": "zh-CN"}
    )
    assert "employee" not in assert_problem(chinese, 404)["detail"]
    assert_problem(
        await client.get(
            f"{API}/employees/{world.engineer.id}/competency-profile",
            headers=world.junior_account.headers,
        ),
        404,
    )


async def test_bad_evidence_is_refused(client: AsyncClient, world: World, runtime: Runtime) -> None:
    other = await make_org(runtime)
    theirs = ok(
        await client.post(
            f"{API}/competencies",
            json={"name": "Theirs", "category": "general", "levels": [{"name": "L1"}]},
            headers=other.headers,
        ),
        201,
    )
    assert_problem(
        await _assess(client, world.hr, world.member, theirs, 5), 404, detail="No such competency"
    )
    team = await create(client, world.hr, "Team management")
    assert_problem(
        await _assess(client, world.hr, world.member, team, 10.5), 422, fields={"body.value"}
    )
    assert_problem(
        await _assess(client, world.hr, world.member, team, 5, note=" "), 422, fields={"body.note"}
    )
    tomorrow = NOW + timedelta(days=1)
    for future in (tomorrow.isoformat(), tomorrow.replace(tzinfo=None).isoformat()):
        assert_problem(
            await _assess(client, world.hr, world.member, team, 5, observed_at=future),
            422,
            fields={"observed_at"},
        )
    their_department = await make_department(runtime, other.org_id, "Theirs")
    stranger = await make_employee(runtime, other.org_id, their_department, "Stranger")
    async with runtime.sessionmaker() as session:
        await set_tenant(session, world.hr.org_id)
        with pytest.raises(Unprocessable):
            await competencies.record_evidence(
                session,
                world.hr.org_id,
                employee_id=stranger.id,
                competency_id=uuid.UUID(team["id"]),
                value=5,
                source_kind="review",
                source_id=uuid.uuid4(),
                observed_at=NOW,
            )
    async with runtime.sessionmaker() as session:
        await set_tenant(session, world.hr.org_id)
        count = await session.scalar(text("SELECT count(*) FROM competency_evidence"))
    assert count == 0


async def test_the_audit_trail_names_the_assessment(client: AsyncClient, world: World) -> None:
    team = await create(client, world.hr, "Team management")
    ok(await _assess(client, world.hr, world.member, team, 7), 201)
    audit = ok(
        await client.get(
            f"{API}/audit-events?object_type=employee&object_id={world.member.id}",
            headers=world.hr.headers,
        )
    )
    [event] = [e for e in audit["items"] if e["action"] == "competency_evidence.recorded"]
    assert (event["after"]["value"], event["after"]["note"]) == (7, "Led the east-region launch")


@pytest.mark.commits
async def test_two_recomputes_at_once_store_one_snapshot(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """Two workers may pick up two recompute jobs of the same employee at once."""
    team = await create(client, world.hr, "Team management")
    ok(await _assess(client, world.hr, world.member, team, 6), 201)
    org_id, employee_id = world.hr.org_id, world.member.id

    async def recompute(session: AsyncSession) -> bool:
        await set_tenant(session, org_id)
        return bool(await profiles.recompute(session, org_id, employee_id, runtime.settings, NOW))

    async with runtime.sessionmaker() as first, runtime.sessionmaker() as second:
        assert await recompute(first)
        racing = asyncio.create_task(recompute(second))
        await asyncio.sleep(0.3)
        assert not racing.done(), "the second waits for the first to end"
        await first.commit()
        assert await racing is False, "and then sees the snapshot the first stored"
        await second.commit()
    async with runtime.sessionmaker() as session:
        await set_tenant(session, org_id)
        count = await session.scalar(text("SELECT count(*) FROM competency_profiles"))
    assert count == 1
