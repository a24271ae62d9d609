"""Team capability in a diagnosis's bundle: competency attainment as the heat map measures
it, tenure from hire dates, turnover over the streak's periods from exit events — each with
known data, in the JSON and the PDF's text; and the statements the diagnosis reads cost."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import update

from hrcore.competencies import api as competencies
from hrcore.core import i18n
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee, EmploymentEvent
from hrcore.performance import diagnoses, jobs
from hrcore.performance.diagnoses_schemas import DiagnosisOut
from hrcore.worker import run_burst
from tests.competencies.conftest import create
from tests.conftest import frozen_clock
from tests.factories import make_employee, make_user
from tests.people.conftest import count_statements
from tests.performance.conftest import API, World, api_key, observation, ok, post_scheme, scheme

TODAY = datetime(2026, 12, 7, 4, tzinfo=UTC)
AUTH = 2
"""Statements of authentication (tenant, user) before any route's own."""


async def _people(runtime: Runtime, world: World) -> None:
    """Sales East: Member (hired 2 years ago), Junior (half a year), Veteran (10 years),
    all clerks; Leaver, who left on 15 September; the engineer left on 20 September."""
    org_id = world.hr.org_id
    veteran = await make_employee(runtime, org_id, world.sales_east, "Veteran", manager=world.lead)
    leaver = await make_employee(runtime, org_id, world.sales_east, "Leaver", manager=world.lead)
    hired = {
        world.member.id: date(2024, 12, 7),
        world.junior.id: date(2026, 6, 7),
        veteran.id: date(2016, 12, 7),
        leaver.id: date(2020, 1, 1),
        world.engineer.id: date(2019, 1, 1),
    }
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        for employee_id, day in hired.items():
            await session.execute(
                update(Employee).where(Employee.id == employee_id).values(hire_date=day)
            )
        await session.execute(
            update(Employee)
            .where(Employee.id.in_([world.member.id, world.junior.id, veteran.id]))
            .values(position_id=world.clerk.id)
        )
        for employee_id, day in ((leaver.id, 15), (world.engineer.id, 20)):
            await session.execute(
                update(Employee).where(Employee.id == employee_id).values(status="exited")
            )
            session.add(
                EmploymentEvent(
                    org_id=org_id,
                    employee_id=employee_id,
                    kind="exit",
                    effective_date=date(2026, 9, day),
                    applied_at=datetime(2026, 9, day, tzinfo=UTC),
                )
            )


async def _profiles(client: AsyncClient, runtime: Runtime, world: World) -> None:
    """The clerks' model asks Negotiation at level 4 of 5 (8 on the profile's scale of 10): the
    member has 9, the junior 2, the veteran no profile."""
    negotiation = await create(client, world.hr, "Negotiation", levels=5)
    body = {"entries": [{"competency_id": negotiation["id"], "required_level": 4, "weight": 100}]}
    url = f"{API}/positions/{world.clerk.id}/competency-model"
    ok(await client.put(url, json=body, headers=world.hr.headers))
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        for employee, value in ((world.member, 9.0), (world.junior, 2.0)):
            await competencies.record_evidence(
                session,
                world.hr.org_id,
                employee_id=employee.id,
                competency_id=uuid.UUID(negotiation["id"]),
                value=value,
                source_kind="review",
                source_id=uuid.uuid4(),
                observed_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
    await run_burst(runtime)


async def _diagnosis(client: AsyncClient, runtime: Runtime, world: World) -> dict[str, Any]:
    """Sales East's quality below target August to October: one diagnosis."""
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    east = str(world.sales_east.id)
    items = [
        observation(
            None, "quality", v, datetime(2026, m, 12, tzinfo=UTC), f"q-{m}", department_id=east
        )
        for v, m in ((99, 7), (90, 8), (80, 9), (85, 10))
    ]
    ok(await client.post(f"{API}/metric-observations", json={"items": items}, headers=key))
    async with frozen_clock(runtime, TODAY):
        assert await jobs.open_diagnoses({"runtime": runtime}) == 1
    [found] = ok(await client.get(f"{API}/diagnoses", headers=world.hr.headers))["items"]
    return dict(found)


@pytest.mark.commits
async def test_the_bundle_holds_the_teams_capability(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await _people(runtime, world)
    await _profiles(client, runtime, world)
    found = await _diagnosis(client, runtime, world)
    capability = found["bundle"]["capability"]

    held = capability["competencies"]
    assert (held["members"], held["measured"], held["attained"]) == (3, 2, 1), (
        "Member, Junior and Veteran are active; the veteran has no profile; the member meets it"
    )
    heatmap = ok(
        await client.get(
            f"{API}/departments/{world.sales_east.id}/competency-heatmap",
            headers=world.hr.headers,
        )
    )
    matches = [row["match"] for row in heatmap["items"] if row["employee"]["name"] != "Veteran"]
    assert held["mean_match"] == round(sum(matches) / 2, 1), "the heat map's match, averaged"
    [column] = held["competencies"]
    assert (column["competency"]["name"], column["attained_percent"]) == ("Negotiation", 50.0)
    assert (column["people"], column["assessed"], column["average"]) == (2, 2, 5.5)
    assert held["mean_match"] == 62.5  # (100 + 25) / 2

    tenure = capability["tenure"]
    assert (tenure["members"], tenure["mean_years"]) == (3, 4.2)  # (2.0 + 0.5 + 10.0) / 3
    assert [
        (b["at_least_years"], b["below_years"], b["members"]) for b in tenure["distribution"]
    ] == [(0, 1, 1), (1, 3, 1), (3, 5, 0), (5, None, 1)]

    assert capability["turnover"] == [
        {"period": "2026-08", "headcount": 4, "leavers": 0, "rate": 0},
        {"period": "2026-09", "headcount": 4, "leavers": 1, "rate": 25},
        {"period": "2026-10", "headcount": 3, "leavers": 0, "rate": 0},
    ], "the leaver counted in September, the engineer (another department) nowhere"

    view = DiagnosisOut.model_validate(found)
    with i18n.using("en"):
        text = diagnoses.bundle_text(view)
    assert "Competencies: 1 of 2 members with a profile meet their position's model" in text
    assert "Tenure: 4.2 years on average over 3 members" in text
    assert "2026-09: 1 / 4 (25 %)" in text
    with i18n.using("zh_CN"):
        chinese = diagnoses.bundle_text(view)
    assert "团队能力" in chinese
    assert "司龄：3 名成员平均 4.2 年" in chinese
    document = await client.get(
        f"{API}/diagnoses/{found['id']}", headers=world.hr.headers | {"Accept": "application/pdf"}
    )
    assert (document.status_code, document.content[:4]) == (200, b"%PDF")


@pytest.mark.commits
async def test_reading_diagnoses_costs_fixed_statements(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    found = await _diagnosis(client, runtime, world)
    head = await make_user(
        runtime, world.hr.org_id, Role.DEPT_HEAD, department_scope_id=world.sales.id
    )
    url = f"{API}/diagnoses"
    for who, listing in ((world.hr, 2), (head, 3)):
        with count_statements(runtime) as counter:
            assert len(ok(await client.get(url, headers=who.headers))["items"]) == 1
        assert counter.count == AUTH + listing, "a page, the names (a head: the subtree)"
        with count_statements(runtime) as counter:
            ok(await client.get(f"{url}/{found['id']}", headers=who.headers))
        assert counter.count == AUTH + 3, "the diagnosis, the reader's paths, the name"
