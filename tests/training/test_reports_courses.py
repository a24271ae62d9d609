"""Per-course figures, the training effect (performance and competency figures before →
after) and the cost against the performance change: what each counts, the reach of a
department head, refusals, exports and fixed statement counts."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from httpx import AsyncClient
from openpyxl import load_workbook

from hrcore.competencies.models import Competency, CompetencyProfile
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.performance.models import PerformanceScheme, PerformanceScore
from hrcore.training import reports_export
from hrcore.training.models import ActionPlan, Course, Enrolment
from tests.conftest import recorded_statements
from tests.factories import Account, make_department, make_employee, make_org
from tests.org.conftest import api_key
from tests.training.factory import make_course, make_enrolment, make_session
from tests.training.reports_world import API, World, make_world

FIRST_CLASS = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Courses:
    world: World
    negotiation: Course
    online: Course
    competency_id: uuid.UUID


async def _plan(
    runtime: Runtime, enrolment: Enrolment, score: str, *, adopted: bool = False
) -> None:
    async with tenant_transaction(runtime.sessionmaker, enrolment.org_id) as session:
        session.add(
            ActionPlan(
                org_id=enrolment.org_id,
                enrolment_id=enrolment.id,
                course_id=enrolment.course_id,
                employee_id=enrolment.employee_id,
                status="scored",
                hr_score=int(score),
                manager_score=int(score),
                score=Decimal(score),
                adopted_at=FIRST_CLASS if adopted else None,
            )
        )


async def _scores(runtime: Runtime, world: World, scores: dict[Any, dict[str, float]]) -> None:
    """Live scores by employee and month (`2026-10`: starts 1 October)."""
    org_id = world.hr.org_id
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        scheme = PerformanceScheme(org_id=org_id, name="Sales", period="month", indicators=[])
        session.add(scheme)
        await session.flush()
        for employee, months in scores.items():
            for month, overall in months.items():
                year, number = month.split("-")
                session.add(
                    PerformanceScore(
                        org_id=org_id,
                        employee_id=employee.id,
                        period=month,
                        starts_on=date(int(year), int(number), 1),
                        scheme_id=scheme.id,
                        scheme_revision=1,
                        overall=overall,
                        indicators=[],
                        computed_at=FIRST_CLASS,
                    )
                )


async def _profile(
    runtime: Runtime, org_id: uuid.UUID, employee: Any, at: datetime, scores: dict[Any, float]
) -> None:
    figures = [{"competency_id": str(key), "score": value} for key, value in scores.items()]
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        session.add(
            CompetencyProfile(
                org_id=org_id,
                employee_id=employee.id,
                computed_at=at,
                figures=figures,
                scores=figures,
            )
        )


async def _courses(runtime: Runtime) -> Courses:
    """Negotiation (offline, 1000 a head): a class (allowance 500) and a cancelled one; Li
    came late, Wang on time, Zhao enrolled and stayed away, one waitlisted and one
    cancelled. Li's plan scored 80 and adopted, Wang's 60. An online course nobody took."""
    world = await make_world(runtime)
    org_id = world.hr.org_id
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        competency = Competency(
            org_id=org_id, name="Negotiation", category="professional", levels=[]
        )
        session.add(competency)
    course = await make_course(
        runtime, org_id, name="Negotiation", fee=Decimal(1000), competency_ids=[competency.id]
    )
    online = await make_course(
        runtime, org_id, name="Online ethics", mode="online", fee=Decimal(200)
    )
    held = await make_session(
        runtime, org_id, course, starts_at=FIRST_CLASS, instructor_allowance=Decimal(500)
    )
    await make_session(
        runtime,
        org_id,
        course,
        starts_at=datetime(2026, 11, 1, 1, 0, tzinfo=UTC),
        instructor_allowance=Decimal(500),
        status="cancelled",
    )
    attended = {"status": "completed", "checked_in_at": FIRST_CLASS, "completed_at": FIRST_CLASS}
    li = await make_enrolment(runtime, org_id, course, world.li.id, held, late=True, **attended)
    wang = await make_enrolment(runtime, org_id, course, world.wang.id, held, **attended)
    await make_enrolment(runtime, org_id, course, world.zhao.id, held)
    extra = await make_employee(runtime, org_id, world.tree.sales, "Sun Li")
    await make_enrolment(runtime, org_id, course, extra.id, held, status="waitlisted")
    await make_enrolment(runtime, org_id, course, extra.id, held, status="cancelled")
    await _plan(runtime, li, "80", adopted=True)
    await _plan(runtime, wang, "60")
    return Courses(world, course, online, competency.id)


async def _get(client: AsyncClient, account: Account, path: str, **params: str) -> Any:
    response = await client.get(f"{API}{path}", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _figures(report: Any) -> dict[str, Any]:
    return {item["course"]["name"]: item for item in report["items"]}


async def test_course_figures_count_what_happened(client: AsyncClient, runtime: Runtime) -> None:
    setup = await _courses(runtime)
    figures = _figures(await _get(client, setup.world.hr, "/courses"))
    assert list(figures) == ["Negotiation", "Online ethics"]
    negotiation = figures["Negotiation"]
    assert negotiation["course"]["id"] == str(setup.negotiation.id)
    assert negotiation == negotiation | {
        "mode": "offline",
        "sessions": 1,
        "enrolled": 3,
        "attended": 2,
        "late": 1,
        "completed": 2,
        "completion_rate": 66.7,
        "action_plans": 2,
        "mean_plan_score": 70.0,
        "adopted_plans": 1,
    }
    assert figures["Online ethics"]["enrolled"] == 0
    assert figures["Online ethics"]["completion_rate"] is None
    assert figures["Online ethics"]["mean_plan_score"] is None
    sales = _figures(await _get(client, setup.world.sales_head, "/courses"))
    assert list(sales) == ["Negotiation"]  # nobody of sales took the online course
    assert sales["Negotiation"]["enrolled"] == 2
    assert sales["Negotiation"]["completion_rate"] == 100.0
    engineering = _figures(await _get(client, setup.world.engineering_head, "/courses"))
    assert engineering["Negotiation"]["attended"] == 0
    assert engineering["Negotiation"]["action_plans"] == 0
    response = await client.get(
        f"{API}/courses", params={"format": "xlsx"}, headers=setup.world.hr.headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == reports_export.XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0][:3] == ["Course", "Mode", "Sessions"]
    assert cells[1] == ["Negotiation", "offline", 1, 3, 2, 1, 2, 66.7, 2, 70, 1]
    assert cells[2][0] == "Online ethics"


async def test_the_training_effect_before_and_after(client: AsyncClient, runtime: Runtime) -> None:
    setup = await _courses(runtime)
    world = setup.world
    await _scores(
        runtime,
        world,
        {
            world.li: {"2026-10": 70, "2026-12": 80},
            world.wang: {"2026-09": 50, "2026-11": 60, "2027-01": 75},
            world.zhao: {"2026-10": 10, "2026-12": 90},  # enrolled, never came
        },
    )
    org_id = world.hr.org_id
    before, after = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)
    await _profile(runtime, org_id, world.li, before, {setup.competency_id: 5.0})
    await _profile(runtime, org_id, world.li, after, {setup.competency_id: 7.0, uuid.uuid4(): 1})
    await _profile(runtime, org_id, world.wang, after, {setup.competency_id: 9.0})
    effect = await _get(client, world.hr, f"/courses/{setup.negotiation.id}/effect")
    assert effect["course"] == {"id": str(setup.negotiation.id), "name": "Negotiation"}
    assert effect["first_session_at"] == "2026-11-10T01:00:00Z"
    assert effect["participants"] == 2
    assert effect["performance"] == {
        "n": 2,
        "mean_before": 65.0,  # Wang's November started before the class: it is "before"
        "mean_after": 77.5,
        "mean_change": 12.5,
    }
    assert effect["competencies"] == {
        "n": 1,
        "mean_before": 5.0,
        "mean_after": 7.0,
        "mean_change": 2.0,
    }
    east = await _get(
        client,
        world.sales_head,
        f"/courses/{setup.negotiation.id}/effect",
        department_id=str(world.tree.sales_east.id),
    )
    assert east["participants"] == 1
    assert east["performance"]["mean_change"] == 15.0
    nobody = await _get(client, world.hr, f"/courses/{setup.online.id}/effect")
    assert nobody["participants"] == 0
    assert nobody["performance"] == {
        "n": 0,
        "mean_before": None,
        "mean_after": None,
        "mean_change": None,
    }


async def test_cost_against_the_performance_change(client: AsyncClient, runtime: Runtime) -> None:
    setup = await _courses(runtime)
    world = setup.world
    await _scores(
        runtime,
        world,
        {world.li: {"2026-10": 70, "2026-12": 80}, world.wang: {"2026-11": 60, "2027-01": 75}},
    )
    report = await _get(client, world.hr, "/cost")
    costs = _figures(report)
    assert costs["Negotiation"] | {"performance": None} == {
        "course": {"id": str(setup.negotiation.id), "name": "Negotiation"},
        "fee": "1000.00",
        "participants": 3,
        "sessions": 1,
        "fees": "3000.00",
        "allowance": "500.00",
        "cost": "3500.00",
        "performance": None,
        "cost_per_performance_point": "140.00",
    }
    assert costs["Negotiation"]["performance"]["mean_change"] == 12.5
    assert costs["Online ethics"]["cost"] == "0.00"
    assert costs["Online ethics"]["cost_per_performance_point"] is None
    assert report["total"] == {
        "participants": 3,
        "cost": "3500.00",
        "performance": {"n": 2, "mean_before": 65.0, "mean_after": 77.5, "mean_change": 12.5},
        "cost_per_performance_point": "140.00",
    }
    sales = _figures(await _get(client, world.sales_head, "/cost"))
    assert list(sales) == ["Negotiation"]
    assert sales["Negotiation"]["fees"] == "2000.00"
    assert sales["Negotiation"]["allowance"] == "333.33"  # two of the three participants
    assert sales["Negotiation"]["cost"] == "2333.33"
    assert sales["Negotiation"]["cost_per_performance_point"] == "93.33"
    response = await client.get(f"{API}/cost", params={"format": "csv"}, headers=world.hr.headers)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Course"
    assert rows[1][:7] == ["Negotiation", "1000.00", "3", "1", "3000.00", "500.00", "3500.00"]
    assert rows[-1][0] == "Total"
    assert rows[-1][6] == "3500.00"


async def test_refusals_and_other_organizations(client: AsyncClient, runtime: Runtime) -> None:
    setup = await _courses(runtime)
    world = setup.world
    for path in ("/courses", "/cost", f"/courses/{setup.negotiation.id}/effect"):
        refused = await client.get(f"{API}{path}", headers=world.li_account.headers)
        assert refused.status_code == 403, path
        outside = await client.get(
            f"{API}{path}",
            params={"department_id": str(world.tree.engineering.id)},
            headers=world.sales_head.headers,
        )
        assert outside.status_code == 404, path
        assert outside.json()["detail"] == "No such department"
    key = await api_key(client, world.hr, "ratings:read", "profiles:read")
    for path in ("/courses", "/cost", "/points-by-category?period=2026"):
        refused = await client.get(f"{API}{path}", headers=key)
        assert refused.status_code == 403, path
        assert refused.json()["detail"] == "Integration keys cannot read this"
    unknown = await client.get(f"{API}/courses/{uuid.uuid4()}/effect", headers=world.hr.headers)
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No such course"
    other = await make_org(runtime)
    department = await make_department(runtime, other.org_id, "Sales")
    await make_employee(runtime, other.org_id, department, "Stranger")
    theirs = await client.get(f"{API}/courses/{setup.negotiation.id}/effect", headers=other.headers)
    assert theirs.status_code == 404
    assert (await _get(client, other, "/courses"))["items"] == []
    assert (await _get(client, other, "/cost"))["total"]["cost"] == "0.00"


async def test_statements_do_not_grow_with_courses(client: AsyncClient, runtime: Runtime) -> None:
    setup = await _courses(runtime)
    world = setup.world
    org_id = world.hr.org_id
    counts: dict[str, list[int]] = {"/courses": [], "/cost": [], "effect": []}
    for _round in range(2):
        for path in ("/courses", "/cost"):
            with recorded_statements(runtime) as statements:
                await _get(client, world.hr, path)
            counts[path].append(len(statements))
        with recorded_statements(runtime) as statements:
            await _get(client, world.hr, f"/courses/{setup.negotiation.id}/effect")
        counts["effect"].append(len(statements))
        for index in range(3):
            course = await make_course(runtime, org_id, fee=Decimal(100))
            held = await make_session(runtime, org_id, course, instructor_allowance=Decimal(500))
            person = await make_employee(runtime, org_id, world.tree.sales, f"P {index}")
            await make_enrolment(
                runtime,
                org_id,
                course,
                person.id,
                held,
                status="completed",
                completed_at=FIRST_CLASS,
            )
            await make_enrolment(
                runtime,
                org_id,
                setup.negotiation,
                person.id,
                status="completed",
                checked_in_at=FIRST_CLASS,
            )
    for path, (first, second) in counts.items():
        assert first == second, (path, first, second)
