"""The demo company: believable, idempotent, and its printed logins work."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.analytics import jobs as analytics_jobs
from hrcore.core.runtime import Runtime
from hrcore.seed import DEMO_SLUG, seed_demo
from hrcore.worker import run_burst


async def _counts(engine: AsyncEngine) -> dict[str, int]:
    tables = [
        "departments",
        "positions",
        "employees",
        "performance_ratings",
        "growth_profiles",
        "users",
        "competencies",
        "competency_profiles",
    ]
    async with engine.connect() as connection:
        return {
            table: (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
            for table in tables
        }


@pytest.mark.commits
async def test_seed_is_idempotent_and_believable(
    client: AsyncClient,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runtime.settings, "storage_dir", tmp_path)
    report = await seed_demo(runtime)
    first = await _counts(owner_engine)
    await seed_demo(runtime)
    assert await _counts(owner_engine) == first
    assert first["departments"] >= 10
    assert 55 <= first["employees"] <= 70
    assert first["performance_ratings"] >= 2 * first["employees"]
    assert first["growth_profiles"] >= 3
    assert first["competency_profiles"] >= 2 * 40, "two recomputes of everyone with a model"

    async with owner_engine.connect() as connection:
        managerless = (
            await connection.execute(
                select(func.count())
                .select_from(text("employees"))
                .where(text("manager_id IS NULL"))
            )
        ).scalar_one()
    assert managerless == 1, "only the general manager reports to nobody"

    logins = report.logins
    assert len(logins) == 4
    headers = {}
    for role, email, password in logins:
        response = await client.post(
            "/api/v1/auth/token", json={"org": DEMO_SLUG, "email": email, "password": password}
        )
        assert response.status_code == 200, email
        assert response.json()["must_change_password"] is False
        headers[role] = {"Authorization": f"Bearer {response.json()['access_token']}"}

    for role in ("employee", "manager"):
        tasks = (await client.get("/api/v1/me/tasks", headers=headers[role])).json()["items"]
        kinds = [task["kind"] for task in tasks]
        assert len(kinds) >= 3, role
        assert "review.rate" in kinds, f"the {role} has a 360 to give"
        inbox = (await client.get("/api/v1/me/notifications", headers=headers[role])).json()
        assert inbox["unread_count"] >= 1, f"the {role}'s demo inbox is not empty"

    await _demo_contracts(client, runtime, headers)
    await _demo_reviews_and_pool(client, headers)
    await _demo_program(client, headers)
    await _demo_talent_review(client, headers)
    await _demo_competencies(client, headers)
    await _demo_stretch_assignments(client, runtime, headers)
    await _demo_development_plan(client, headers)
    await _demo_performance(client, runtime, headers)
    await _demo_goals_and_feedback(client, headers)
    await _demo_mentoring(client, runtime, headers)
    await _demo_training(client, headers)
    await _demo_privacy(client, headers)
    await _demo_retention(client, runtime, headers)


async def _demo_contracts(
    client: AsyncClient, runtime: Runtime, headers: dict[str, dict[str, str]]
) -> None:
    """The demo employee has a pending amendment to confirm; HR sees an expiring contract."""
    [contract] = (await client.get("/api/v1/contracts", headers=headers["employee"])).json()[
        "items"
    ]
    amendments = await client.get(
        f"/api/v1/contracts/{contract['id']}/amendments", headers=headers["employee"]
    )
    [amendment] = amendments.json()["items"]
    assert amendment["status"] == "draft"
    await run_burst(runtime)
    document = await client.get(
        f"/api/v1/amendments/{amendment['id']}/document", headers=headers["employee"]
    )
    assert document.status_code == 200
    tasks = (await client.get("/api/v1/me/tasks", headers=headers["employee"])).json()["items"]
    assert "contract_amendment_confirmation" in [task["kind"] for task in tasks]
    expiring = await client.get("/api/v1/contracts/expiring", headers=headers["HR admin"])
    [soon] = expiring.json()["items"]
    assert soon["alert_task_id"] is not None


async def _demo_reviews_and_pool(client: AsyncClient, headers: dict[str, dict[str, str]]) -> None:
    """A published year-end result for the section chief, an open 360, a pool with members,
    an open vacancy on the pool's target post with its ranked candidate."""
    results = (await client.get("/api/v1/me/review-results", headers=headers["manager"])).json()
    [result] = results["items"]
    assert result["overall"] is not None
    assert result["status"] == "published"
    cycles = (await client.get("/api/v1/review-cycles", headers=headers["HR admin"])).json()
    assert sorted(c["status"] for c in cycles["items"]) == ["aggregated", "open"]
    for cycle in cycles["items"]:
        revision = await client.get(
            f"/api/v1/review-templates/{cycle['template_id']}/revisions/1",
            headers=headers["HR admin"],
        )
        assert revision.status_code == 200, "the seeded form's revision is stored"
    pools = (await client.get("/api/v1/talent-pools", headers=headers["HR admin"])).json()["items"]
    [pool] = [p for p in pools if p["name"].startswith("后备科长")]
    members = await client.get(
        f"/api/v1/talent-pools/{pool['id']}/members", headers=headers["HR admin"]
    )
    assert sorted(m["status"] for m in members.json()["items"]) == ["active", "nominated"]
    screen = await client.post(
        f"/api/v1/talent-pools/{pool['id']}/screen", json={}, headers=headers["HR admin"]
    )
    assert screen.status_code == 200
    assert screen.json()["evaluated"] >= 55
    vacancies = (
        await client.get(
            "/api/v1/vacancies", params={"status": "open"}, headers=headers["HR admin"]
        )
    ).json()["items"]
    competition, vacancy = vacancies
    assert (vacancy["status"], vacancy["position"]["id"]) == ("open", pool["target_position"]["id"])
    assert vacancy["competition"] is None
    assert competition["competition"]["rules"] == [{"kind": "tenure", "min_years": 2.0}]
    applications = await client.get(
        f"/api/v1/vacancies/{competition['id']}/applications", headers=headers["HR admin"]
    )
    assert [a["status"] for a in applications.json()["items"]] == ["applied", "applied"]
    ranked = await client.get(
        f"/api/v1/vacancies/{competition['id']}/candidates", headers=headers["HR admin"]
    )
    assert [c["application_id"] is not None for c in ranked.json()["items"]] == [True, True]
    candidates = await client.get(
        f"/api/v1/vacancies/{vacancy['id']}/candidates", headers=headers["HR admin"]
    )
    [candidate] = candidates.json()["items"]
    assert candidate["readiness"] == "one_to_two_years"


async def _demo_talent_review(client: AsyncClient, headers: dict[str, dict[str, str]]) -> None:
    """An open talent review of sales, seen by its head, with one move kept."""
    [review] = (await client.get("/api/v1/talent-reviews", headers=headers["dept head"])).json()[
        "items"
    ]
    assert review["status"] == "open"
    seen = (
        await client.get(f"/api/v1/talent-reviews/{review['id']}", headers=headers["dept head"])
    ).json()
    assert seen["participants"] >= 5
    assert seen["moves"] == 1


async def _demo_program(client: AsyncClient, headers: dict[str, dict[str, str]]) -> None:
    """The default template and a running cohort of the pool's active members."""
    hr = headers["HR admin"]
    [template] = (await client.get("/api/v1/program-templates", headers=hr)).json()["items"]
    assert template["name"] == "Reserve section chief"
    assert [s["kind"] for s in template["stages"]] == [
        "training",
        "submission",
        "review",
        "evaluation",
        "decision",
    ]
    [run] = (await client.get("/api/v1/programs", headers=hr)).json()["items"]
    assert run["status"] == "running"
    revisions = f"/api/v1/program-templates/{template['id']}/revisions"
    kept = (await client.get(f"{revisions}/{run['template_revision']}", headers=hr)).json()
    assert kept["stages"] == template["stages"], "the run's revision is stored"
    assert run["participants"] == 1
    participants = await client.get(f"/api/v1/programs/{run['id']}/participants", headers=hr)
    [participant] = participants.json()["items"]
    assert participant["current_stage"] == "training"
    progress = (await client.get(f"/api/v1/programs/{run['id']}/progress", headers=hr)).json()
    assert progress["stages"][0]["participants"] == 1


async def _demo_competencies(client: AsyncClient, headers: dict[str, dict[str, str]]) -> None:
    """A library, models for the demo positions, profiles with history (the manager's team
    management 6.2 → 8.1) and a heat map of sales for its head."""
    hr = headers["HR admin"]
    library = (await client.get("/api/v1/competencies?limit=50", headers=hr)).json()["items"]
    assert len(library) == 8
    names = {item["id"]: item["name"] for item in library}
    positions = (await client.get("/api/v1/positions?limit=50", headers=hr)).json()["items"]
    modelled = 0
    for position in positions:
        model = await client.get(f"/api/v1/positions/{position['id']}/competency-model", headers=hr)
        modelled += model.status_code == 200
    assert modelled == 7
    profile = (await client.get("/api/v1/me/competency-profile", headers=headers["manager"])).json()
    team = next(f for f in profile["competencies"] if names[f["competency_id"]].startswith("团队"))
    history = [
        next(s["score"] for s in snapshot["scores"] if s["competency_id"] == team["competency_id"])
        for snapshot in profile["history"]
    ]
    assert history == [8.1, 6.2], "newest first"
    rep = await client.get("/api/v1/me/competency-profile", headers=headers["employee"])
    assert len(rep.json()["history"]) == 2
    head = headers["dept head"]
    sales = (await client.get("/api/v1/me", headers=head)).json()["department_scope"]["id"]
    heatmap = await client.get(
        f"/api/v1/departments/{sales}/competency-heatmap?include_subdepartments=true",
        headers=head,
    )
    assert heatmap.status_code == 200, heatmap.text
    body = heatmap.json()
    assert body["people"] >= 15
    assert {column["assessed"] > 0 for column in body["competencies"]} == {True}


async def _demo_stretch_assignments(
    client: AsyncClient, runtime: Runtime, headers: dict[str, dict[str, str]]
) -> None:
    """Two stretch assignments: the demo employee's under way (their kick-off task), a
    colleague's finished, whose outcome moved their competency profile."""
    listed = await client.get("/api/v1/stretch-assignments", headers=headers["HR admin"])
    assert len(listed.json()["items"]) == 2
    tasks = (await client.get("/api/v1/me/tasks", headers=headers["employee"])).json()["items"]
    assert "stretch_assignment.kickoff" in [task["kind"] for task in tasks]
    finished = next(item for item in listed.json()["items"] if "Key-account" in item["title"])
    read = await client.get(
        f"/api/v1/stretch-assignments/{finished['id']}", headers=headers["HR admin"]
    )
    [assignee] = read.json()["assignees"]
    assert (assignee["status"], assignee["outcome"]["recorded_times"]) == ("completed", 1)
    await run_burst(runtime)
    profile = await client.get(
        f"/api/v1/employees/{assignee['employee_id']}/competency-profile",
        headers=headers["HR admin"],
    )
    figures = {c["competency"]["name"]: c for c in profile.json()["competencies"]}
    customers = figures["客户资源整合 Customer resource integration"]["evidence"]
    assert (8.1, "stretch_assignment") in {(e["value"], e["source_kind"]) for e in customers}


async def _demo_development_plan(client: AsyncClient, headers: dict[str, dict[str, str]]) -> None:
    """The demo employee's draft plan aims at their post's competencies and names their
    stretch assignment."""
    plan = await client.get("/api/v1/me/development-plan", headers=headers["employee"])
    assert plan.status_code == 200, plan.text
    body = plan.json()
    assert [goal["target_level"] for goal in body["goals"]] == [4, 3]
    kinds = {action["kind"]: action for action in body["actions"]}
    assert kinds["stretch_assignment"]["title"].startswith("新客户开发项目")


async def _demo_performance(
    client: AsyncClient, runtime: Runtime, headers: dict[str, dict[str, str]]
) -> None:
    """A year of monthly scores for the sales representatives, scored by the worker, on the
    scheme with the seed articles' five weights."""
    await run_burst(runtime)
    hr = headers["HR admin"]
    [scheme] = (await client.get("/api/v1/performance-schemes", headers=hr)).json()["items"]
    assert [i["weight"] for i in scheme["indicators"]] == [30, 25, 20, 15, 10]
    mine = await client.get("/api/v1/me/performance", headers=headers["employee"])
    assert mine.status_code == 200, mine.text
    assert len(mine.json()["periods"]) == 12
    alerts = (await client.get("/api/v1/performance-alerts", headers=hr)).json()["items"]
    assert [(a["indicator"], a["value"], a["average"]) for a in alerts] == [
        ("customer_feedback", 3, 1.5)
    ], "the declining response time, and nothing else"
    [diagnosis] = (await client.get("/api/v1/diagnoses", headers=hr)).json()["items"]
    assert (diagnosis["indicator"], diagnosis["periods"], diagnosis["status"]) == (
        "quality",
        3,
        "open",
    )
    tasks = (await client.get("/api/v1/me/tasks", headers=headers["dept head"])).json()["items"]
    assert diagnosis["task_id"] in [task["id"] for task in tasks]


async def _demo_goals_and_feedback(client: AsyncClient, headers: dict[str, dict[str, str]]) -> None:
    """The quarter's cascade down to the demo employee, whose dashboard shows their goals
    with progress from the data and from check-ins; their 1:1s and feedback."""
    me = headers["employee"]
    dashboard = (await client.get("/api/v1/me/dashboard", headers=me)).json()
    goals = {goal["title"]: goal for goal in dashboard["goals"]}
    assert len(goals) == 2, dashboard["goals"]
    quarter = next(g for g in goals.values() if "Q" in g["period"])
    output, visits = quarter["key_results"]
    assert output["current"] is not None, "from the live scores"
    assert output["current"] > 0
    assert visits["current"] == 17, "the newest check-in"
    assert quarter["progress"] > 0
    tree = await client.get(
        "/api/v1/goals/tree", params={"period": quarter["period"]}, headers=headers["HR admin"]
    )
    roots = {goal["level"]: goal for goal in tree.json()["goals"]}
    assert sorted(roots) == ["organization", "person"], "the month's goal stands alone"
    root = roots["organization"]
    levels = []
    node = root
    while node["children"]:
        levels.append(node["level"])
        node = node["children"][0]
    levels.append(node["level"])
    assert levels == ["organization", "department", "department", "person"]
    assert len(root["children"][0]["children"][0]["children"]) >= 5, "every rep of the section"
    check_ins = (await client.get("/api/v1/check-ins", headers=me)).json()["items"]
    assert sorted(c["status"] for c in check_ins) == ["held", "scheduled"]
    received = (await client.get("/api/v1/feedback", headers=me)).json()["items"]
    assert sorted(f["kind"] for f in received) == ["praise", "suggestion"]
    given = (await client.get("/api/v1/feedback", params={"given": "true"}, headers=me)).json()
    assert len(given["items"]) == 1


async def _demo_mentoring(
    client: AsyncClient, runtime: Runtime, headers: dict[str, dict[str, str]]
) -> None:
    """A running program with qualified mentors, the demo employee's pairing with its plan
    approved and history (a 1:1, a skill test, a survey), and a pairing completed last year;
    the worker plans the schedule and scores the mentor."""
    hr, me = headers["HR admin"], headers["employee"]
    [program] = (await client.get("/api/v1/mentoring-programs", headers=hr)).json()["items"]
    mentors = (await client.get("/api/v1/mentors", headers=hr)).json()["items"]
    assert len(mentors) == 2
    assert all(m["program"]["id"] == program["id"] for m in mentors)
    [mine] = (await client.get("/api/v1/me/mentorships", headers=me)).json()["items"]
    assert mine["role"] == "mentee"
    assert mine["status"] == "active"
    assert mine["plan_status"] == "approved"
    assert mine["mentor_contact"] is not None
    pairing = (await client.get(f"/api/v1/mentorships/{mine['id']}", headers=hr)).json()
    sessions = (await client.get(f"/api/v1/mentorships/{mine['id']}/sessions", headers=me)).json()[
        "items"
    ]
    assert {s["kind"] for s in sessions} == {"one_on_one", "skill_test"}
    await run_burst(runtime)
    history = (
        await client.get("/api/v1/mentorships", params={"status": "completed"}, headers=hr)
    ).json()["items"]
    assert len(history) == 1
    effectiveness = (
        await client.get(f"/api/v1/mentors/{pairing['mentor']['id']}/effectiveness", headers=hr)
    ).json()
    assert effectiveness["parts"], effectiveness
    scheduled = [
        task
        for task in (await client.get("/api/v1/tasks", headers=hr)).json()["items"]
        if task["kind"].startswith("mentoring_")
    ]
    assert scheduled, "the approved plan's schedule as tasks"


async def _demo_training(client: AsyncClient, headers: dict[str, dict[str, str]]) -> None:
    """The class held 40 days ago: every seat checked in (one late), the instructor's
    teaching, two plans scored and one adopted, their points in the ledger; the Excel
    course two thirds done by the demo employee."""
    hr, me = headers["HR admin"], headers["employee"]
    ledger = (await client.get("/api/v1/points/ledger", params={"limit": 100}, headers=hr)).json()[
        "items"
    ]
    codes = sorted(entry["code"] for entry in ledger)
    assert codes.count("attendance") == 5
    assert (codes.count("late"), codes.count("teaching")) == (1, 1)
    assert (codes.count("action_plan"), codes.count("adopted")) == (2, 1)
    plans = (await client.get("/api/v1/action-plans", headers=hr)).json()["items"]
    assert sorted(plan["status"] for plan in plans) == [
        "open",
        "open",
        "scored",
        "scored",
        "submitted",
    ]
    assert [plan["score"] for plan in plans if plan["adopted_at"]] == [83.0]
    [excel] = (await client.get("/api/v1/me/course-progress", headers=me)).json()["items"]
    assert (excel["progress_percent"], excel["status"]) == (66, "enrolled")


async def _demo_privacy(client: AsyncClient, headers: dict[str, dict[str, str]]) -> None:
    """Every privacy list has something: two retention rules, a legal hold, HR's and the
    section chief's reads of the sales rep's data (in the DPO's view and the rep's own read
    log), and the rep's open objection to an automated evaluation with HR's review task."""
    hr, me = headers["HR admin"], headers["employee"]
    rules = (await client.get("/api/v1/retention-rules", headers=hr)).json()["items"]
    assert sorted(rule["subject_kind"] for rule in rules) == [
        "departed_employee_identity",
        "review_raw_answers",
    ]
    [hold] = (
        await client.get("/api/v1/legal-holds", params={"active": "true"}, headers=hr)
    ).json()["items"]
    assert hold["case_reference"]
    assert hold["released_at"] is None
    events = (await client.get("/api/v1/read-access-events", headers=hr)).json()["items"]
    mine = (await client.get("/api/v1/me/read-log", headers=me)).json()["items"]
    assert len(mine) == 4
    assert {entry["id"] for entry in mine} <= {event["id"] for event in events}
    readers = {entry["actor"]["name"].split(" (")[0] for entry in mine}
    assert readers == {"HR Admin", "Section Chief"}
    assert {entry["data_class"] for entry in mine} == {"evaluation", "sensitive"}
    [objection] = (
        await client.get(
            "/api/v1/automated-evaluation-objections", params={"status": "open"}, headers=hr
        )
    ).json()["items"]
    shown = (await client.get("/api/v1/me/automated-evaluations", headers=me)).json()["items"]
    objected = next(e for e in shown if e["id"] == objection["evaluation_id"])
    assert objected["objection"]["status"] == "open"
    tasks = (await client.get("/api/v1/me/tasks", headers=hr)).json()["items"]
    assert objection["task_id"] in {task["id"] for task in tasks}


async def _demo_retention(
    client: AsyncClient, runtime: Runtime, headers: dict[str, dict[str, str]]
) -> None:
    """After the worker's first refresh: the last year's new hires left for three reasons."""
    await analytics_jobs.mark_due({"runtime": runtime})
    await run_burst(runtime)
    figure = await client.get("/api/v1/analytics/retention", headers=headers["HR admin"])
    assert figure.status_code == 200, figure.text
    body = figure.json()
    assert body["overall"]["leavers"] == 3
    new_hires = {c["cohort"]: c for c in body["cohorts"]}["new_hires"]
    assert (new_hires["members"]["leavers"], new_hires["members"]["headcount_end"]) == (3, 1)
    reasons = {r["reason"]: r["leavers"] for r in body["by_reason"] if r["leavers"]}
    assert reasons == {"pay": 1, "development": 1, "personal": 1}
