"""Development programs over HTTP and the real worker: templates, runs, stage progression,
withdrawal, progress figures, decisions and dossiers."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.programs import stages as program_stages
from hrcore.programs.models import ParticipantStage
from hrcore.worker import run_burst
from tests.factories import Account, make_department, make_employee, make_org, make_user
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.reviews.conftest import FORM

__all__ = ["count_statements", "world"]
API = "/api/v1"


def _stages(review_template_id: str) -> list[dict[str, Any]]:
    return [
        {"key": "training", "name": "Training", "kind": "training", "duration_days": 30},
        {"key": "reflection", "name": "Reflection", "kind": "submission", "duration_days": 7},
        {
            "key": "review",
            "name": "360 review",
            "kind": "review",
            "duration_days": 14,
            "review_template_id": review_template_id,
        },
        {"key": "evaluation", "name": "Evaluation", "kind": "evaluation", "duration_days": 7},
        {"key": "decision", "name": "Decision", "kind": "decision", "duration_days": 14},
    ]


async def _ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _post(client: AsyncClient, account: Account, path: str, body: Any = None) -> Any:
    response = await client.post(f"{API}{path}", json=body, headers=account.headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _get(client: AsyncClient, account: Account, path: str) -> Any:
    return await _ok(await client.get(f"{API}{path}", headers=account.headers))


class Setup:
    def __init__(
        self, world: World, template: dict[str, Any], pool: dict[str, Any], review: str
    ) -> None:
        self.world, self.template, self.pool, self.review = world, template, pool, review

    async def run(
        self, client: AsyncClient, employees: list[uuid.UUID], starts_on: date | None = None
    ) -> dict[str, Any]:
        hr = self.world.hr
        run = await _post(
            client,
            hr,
            "/programs",
            {
                "name": "2027 H1 reserve section chiefs",
                "template_id": self.template["id"],
                "pool_id": self.pool["id"],
                "starts_on": (starts_on or date.today()).isoformat(),
            },
        )
        if employees:
            body = {"employee_ids": [str(e) for e in employees]}
            await _post(client, hr, f"/programs/{run['id']}/participants", body)
        return dict(run)


@pytest.fixture
async def setup(client: AsyncClient, world: World) -> Setup:
    hr = world.hr
    review = await _post(client, hr, "/review-templates", FORM)
    template = await _post(
        client,
        hr,
        "/program-templates",
        {
            "name": "Reserve section chief",
            "stages": _stages(review["id"]),
            "department_variants": [
                {
                    "department_id": str(world.sales.id),
                    "insert": [
                        {
                            "after": "reflection",
                            "stage": {
                                "key": "customer_visit",
                                "name": "Customer-visit report",
                                "kind": "submission",
                                "duration_days": 7,
                            },
                        }
                    ],
                }
            ],
        },
    )
    pool = await _post(client, hr, "/talent-pools", {"name": "Reserve chiefs", "rules": []})
    for employee in (world.lead, world.member, world.engineer, world.peer):
        await add_active_member(client, hr, pool["id"], employee.id)
    return Setup(world, template, pool, review["id"])


async def add_active_member(
    client: AsyncClient, hr: Account, pool_id: str, employee_id: uuid.UUID
) -> None:
    member = await _post(
        client,
        hr,
        f"/talent-pools/{pool_id}/members",
        {"employee_id": str(employee_id), "reason": "strong results"},
    )
    await _ok(
        await client.patch(
            f"{API}/talent-pools/{pool_id}/members/{member['id']}",
            json={"status": "active", "reason": "approved"},
            headers=hr.headers,
        )
    )


async def _my_open_tasks(client: AsyncClient, account: Account) -> list[dict[str, Any]]:
    tasks = await _get(client, account, "/me/tasks?status=open")
    return list(tasks["items"])


async def _participant(client: AsyncClient, hr: Account, run_id: str, name: str) -> Any:
    page = await _get(client, hr, f"/programs/{run_id}/participants")
    [found] = [p for p in page["items"] if p["employee"]["name"] == name]
    return found


# --- templates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"stages": []},
        {"stages": [_stages(str(uuid.uuid4()))[0]] * 2},
        {"stages": [{**_stages("x")[0], "duration_days": 0}]},
        {"stages": [{**_stages("x")[0], "duration_days": 400}]},
        {"stages": [{"key": "r", "name": "R", "kind": "review", "duration_days": 3}]},
        {
            "stages": [
                {
                    "key": "t",
                    "name": "T",
                    "kind": "training",
                    "duration_days": 3,
                    "review_template_id": str(uuid.uuid4()),
                }
            ]
        },
        {"stages": _stages(str(uuid.uuid4()))},
        {
            "department_variants": [
                {"department_id": str(uuid.uuid4()), "replace": [_stages("x")[0]]}
            ]
        },
        {
            "stages": [_stages("x")[0]],
            "department_variants": [
                {
                    "department_id": str(uuid.uuid4()),
                    "replace": [{**_stages("x")[1], "key": "unknown"}],
                }
            ],
        },
    ],
)
async def test_bad_templates_are_refused(
    client: AsyncClient, world: World, change: dict[str, Any]
) -> None:
    body = {"name": "Bad", "stages": [_stages("x")[0]], **change}
    response = await client.post(f"{API}/program-templates", json=body, headers=world.hr.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_templates_are_versioned_and_read_by_hr_and_heads(
    client: AsyncClient, setup: Setup
) -> None:
    world, template = setup.world, setup.template
    assert template["revision"] == 1
    assert [s["key"] for s in template["stages"]][:2] == ["training", "reflection"]
    changed = {"name": template["name"], "stages": _stages(setup.review)[:2]}
    updated = await _ok(
        await client.patch(
            f"{API}/program-templates/{template['id']}",
            json={**changed, "version": template["version"]},
            headers=world.hr.headers,
        )
    )
    assert updated["revision"] == 2
    listed = await _get(client, world.sales_head, "/program-templates")
    assert [t["id"] for t in listed["items"]] == [template["id"]]
    for response in (
        await client.get(f"{API}/program-templates", headers=world.member_account.headers),
        await client.post(
            f"{API}/program-templates", json=changed, headers=world.sales_head.headers
        ),
    ):
        assert response.status_code == 403


async def test_template_names_are_unique_and_edits_need_the_current_version(
    client: AsyncClient, setup: Setup
) -> None:
    world, template = setup.world, setup.template
    url, hr = f"{API}/program-templates", world.hr.headers
    body = {"name": template["name"], "stages": _stages(setup.review)}
    taken = await client.post(url, json=body, headers=hr)
    assert taken.status_code == 409
    assert taken.json()["detail"] == f"A program template named {template['name']!r} exists"
    other = await _post(client, world.hr, "/program-templates", body | {"name": "Other"})
    # The name is checked before the references: an unknown review form still answers 409.
    renamed = await client.patch(
        f"{url}/{other['id']}",
        json=body | {"stages": _stages(str(uuid.uuid4())), "version": other["version"]},
        headers=hr,
    )
    assert renamed.status_code == 409
    assert renamed.json()["detail"] == f"A program template named {template['name']!r} exists"
    own_name = body | {"name": "Other"}
    stale_etag = await client.patch(
        f"{url}/{other['id']}", json=own_name, headers=hr | {"If-Match": '"9"'}
    )
    assert stale_etag.status_code == 412
    stale_body = await client.patch(
        f"{url}/{other['id']}", json=own_name | {"version": 9}, headers=hr
    )
    assert stale_body.status_code == 409
    assert stale_body.json()["detail"] == "The object is at version 1, not 9; reload and retry"
    assert (await _get(client, world.hr, f"/program-templates/{other['id']}"))["revision"] == 1


async def test_template_revisions_are_kept_and_a_started_run_resolves_its_own(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world, template = setup.world, setup.template
    run = await setup.run(client, [world.member.id])
    started = await _post(client, world.hr, f"/programs/{run['id']}/start")
    path = f"{API}/program-templates/{template['id']}"
    second = await _ok(
        await client.patch(
            path,
            json={
                "name": template["name"],
                "stages": _stages(setup.review)[:2],
                "version": template["version"],
            },
            headers=world.hr.headers,
        )
    )
    await _ok(
        await client.patch(
            path,
            json={"name": "Renamed", "description": "Shorter", "stages": _stages(setup.review)[:1]},
            headers=world.hr.headers | {"If-Match": f'"{second["version"]}"'},
        )
    )
    url = f"/program-templates/{template['id']}/revisions"
    listed = await _get(client, world.sales_head, url)
    assert [
        (r["revision"], r["name"], r["description"], len(r["stages"])) for r in listed["items"]
    ] == [
        (1, template["name"], None, 5),
        (2, template["name"], None, 2),
        (3, "Renamed", "Shorter", 1),
    ]
    kept = await _get(client, world.hr, f"{url}/{started['template_revision']}")
    assert kept == listed["items"][0]
    assert (kept["stages"], kept["department_variants"]) == (
        template["stages"],
        template["department_variants"],
    )
    after = await _get(client, world.hr, f"/programs/{run['id']}")
    assert after["template_revision"] == 1
    assert [s["key"] for s in after["stages"]] == [s["key"] for s in kept["stages"]]

    unknown = await client.get(f"{API}{url}/4", headers=world.hr.headers)
    assert_problem(unknown, 404, kind="not-found", detail="No revision 4 of this program template")
    for target in (url, f"{url}/1"):
        refused = await client.get(f"{API}{target}", headers=world.member_account.headers)
        assert_problem(refused, 403, detail="Only HR admins and department heads")
    stranger = await make_org(runtime)
    for target in (url, f"{url}/1"):
        hidden = await client.get(f"{API}{target}", headers=stranger.headers)
        assert_problem(hidden, 404, detail="No such program template")


# --- runs ---------------------------------------------------------------------------------


async def test_starting_needs_participants_and_happens_once(
    client: AsyncClient, setup: Setup
) -> None:
    hr = setup.world.hr
    empty = await setup.run(client, [])
    response = await client.post(f"{API}/programs/{empty['id']}/start", headers=hr.headers)
    assert response.status_code == 422
    run = await setup.run(client, [setup.world.member.id])
    await _post(client, hr, f"/programs/{run['id']}/start")
    again = await client.post(f"{API}/programs/{run['id']}/start", headers=hr.headers)
    assert again.status_code == 409
    late = await client.post(
        f"{API}/programs/{run['id']}/participants",
        json={"employee_ids": [str(setup.world.lead.id)]},
        headers=hr.headers,
    )
    assert late.status_code == 409


async def test_starting_costs_one_statement_more_per_participant_at_most(
    client: AsyncClient, runtime: Runtime, setup: Setup
) -> None:
    """Stages, tasks, stage-task links and audit events go in together; what remains per
    participant is the versioned update of their own row."""
    world = setup.world
    one = await setup.run(client, [world.member.id])
    three = await setup.run(client, [world.lead.id, world.engineer.id, world.peer.id])

    costs = []
    for run in (one, three):
        with count_statements(runtime) as counter:
            await _post(client, world.hr, f"/programs/{run['id']}/start")
        costs.append(counter.count)

    assert costs[1] - costs[0] == 2, "two participants more, two row updates more"
    tasks = await _get(client, world.hr, "/tasks?kind=program.training")
    assert len(tasks["items"]) == 4, "every participant's first stage has its task"


async def test_participants_must_be_active_pool_members_of_this_organization(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world = setup.world
    run = await setup.run(client, [])
    path = f"{API}/programs/{run['id']}/participants"
    outsider = await client.post(
        path, json={"employee_ids": [str(world.junior.id)]}, headers=world.hr.headers
    )
    assert outsider.status_code == 422
    stranger = await make_org(runtime)
    elsewhere = await make_department(runtime, stranger.org_id, "Elsewhere")
    foreign = await make_employee(runtime, stranger.org_id, elsewhere, "Foreign")
    response = await client.post(
        path, json={"employee_ids": [str(foreign.id)]}, headers=world.hr.headers
    )
    assert response.status_code == 404
    added = await _post(
        client,
        world.hr,
        f"/programs/{run['id']}/participants",
        {"employee_ids": [str(world.member.id), str(world.member.id)]},
    )
    assert added == {"added": 1, "participants": 1}
    other_hr = await make_user(runtime, stranger.org_id, Role.HR_ADMIN)
    assert (
        await client.get(f"{API}/programs/{run['id']}", headers=other_hr.headers)
    ).status_code == 404


async def test_start_opens_first_stages_and_template_edits_never_touch_the_run(
    client: AsyncClient, setup: Setup, owner_engine: AsyncEngine
) -> None:
    world = setup.world
    run = await setup.run(client, [world.member.id, world.engineer.id])
    started = await _post(client, world.hr, f"/programs/{run['id']}/start")
    assert started["status"] == "running"
    assert started["template_revision"] == 1
    [task] = await _my_open_tasks(client, world.member_account)
    assert task["kind"] == "program.training"
    assert task["subject"]["type"] == "program_stage"
    today = date.today()
    assert task["due_at"].startswith((today + timedelta(days=29)).isoformat())
    async with owner_engine.connect() as connection:
        stage_due = await connection.scalar(
            select(ParticipantStage.due_at).where(
                ParticipantStage.id == uuid.UUID(task["subject"]["id"])
            )
        )
    assert stage_due == datetime.fromisoformat(task["due_at"]), "one due-moment rule for both"

    await _ok(
        await client.patch(
            f"{API}/program-templates/{setup.template['id']}",
            json={"name": "Reserve section chief", "stages": _stages(setup.review)[:1]},
            headers=world.hr.headers,
        )
    )
    after = await _get(client, world.hr, f"/programs/{run['id']}")
    assert [s["key"] for s in after["stages"]] == [s["key"] for s in setup.template["stages"]]
    assert after["template_revision"] == 1
    member = await _participant(client, world.hr, run["id"], "Member")
    dossier = await _get(
        client, world.hr, f"/programs/{run['id']}/participants/{member['id']}/dossier"
    )
    assert [s["key"] for s in dossier["stages"]] == [
        "training",
        "reflection",
        "customer_visit",
        "review",
        "evaluation",
        "decision",
    ]
    engineer = await _participant(client, world.hr, run["id"], "Engineer")
    other = await _get(
        client, world.hr, f"/programs/{run['id']}/participants/{engineer['id']}/dossier"
    )
    assert "customer_visit" not in [s["key"] for s in other["stages"]]


async def _complete(
    client: AsyncClient, account: Account, kind: str, text: str | None = "Done"
) -> Response:
    [task] = [t for t in await _my_open_tasks(client, account) if t["kind"] == kind]
    body = {"submission": {"text": text}} if text else {}
    return await client.post(
        f"{API}/tasks/{task['id']}/complete", json=body, headers=account.headers
    )


async def _rate_all(client: AsyncClient, runtime: Runtime, world: World) -> None:
    """Every rater of Member's 360 (self, the lead, the junior report) answers."""
    for account in (world.member_account, world.lead_account, world.junior_account):
        mine = await _get(client, account, "/me/review-assignments")
        for assignment in mine["items"]:
            saved = await client.put(
                f"{API}/review-assignments/{assignment['id']}",
                json={"answers": {"teamwork": {"score": 4}}},
                headers=account.headers,
            )
            assert saved.status_code == 200, saved.text
            await _post(client, account, f"/review-assignments/{assignment['id']}/submit")


@pytest.mark.commits
async def test_a_participant_goes_through_every_stage_in_order(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world = setup.world
    run = await setup.run(client, [world.member.id])
    await _post(client, world.hr, f"/programs/{run['id']}/start")
    member = await _participant(client, world.hr, run["id"], "Member")
    decision_path = f"{API}/programs/{run['id']}/participants/{member['id']}/decision"
    early = await client.post(
        decision_path,
        json={"outcome": "appoint_when_open", "reason": "too soon"},
        headers=world.lead_account.headers,
    )
    assert early.status_code == 409

    assert (
        await _complete(client, world.member_account, "program.training", None)
    ).status_code == 200
    assert (
        await _complete(client, world.member_account, "program.submission", "  ")
    ).status_code == 422
    assert (await _complete(client, world.member_account, "program.submission")).status_code == 200
    assert (await _complete(client, world.member_account, "program.submission")).status_code == 200
    member = await _participant(client, world.hr, run["id"], "Member")
    assert member["current_stage"] == "review"

    await _rate_all(client, runtime, world)
    await run_burst(runtime)
    member = await _participant(client, world.hr, run["id"], "Member")
    assert member["current_stage"] == "evaluation"
    assert (
        await _complete(client, world.lead_account, "program.evaluation", "Ready")
    ).status_code == 200

    direct = await _complete(client, world.lead_account, "program.decision", "x")
    assert direct.status_code == 422
    peer_account = await make_user(runtime, world.hr.org_id, employee_id=world.peer.id)
    hidden = await client.post(
        decision_path, json={"outcome": "remove", "reason": "no"}, headers=peer_account.headers
    )
    assert hidden.status_code == 404
    decided = await _ok(
        await client.post(
            decision_path,
            json={"outcome": "appoint_when_open", "reason": "Ready for the next vacancy"},
            headers=world.lead_account.headers,
        )
    )
    assert decided["status"] == "completed"
    assert decided["outcome"] == "appoint_when_open"
    members = await _get(client, world.hr, f"/talent-pools/{setup.pool['id']}/members")
    [membership] = [m for m in members["items"] if m["employee"]["name"] == "Member"]
    assert membership["readiness"] == "ready_now"
    history = await _get(
        client,
        world.hr,
        f"/talent-pools/{setup.pool['id']}/members/{membership['id']}/history",
    )
    assert [(c["readiness"], c["source"], c["reason"]) for c in history["items"]][-1] == (
        "ready_now",
        "program",
        "Ready for the next vacancy",
    ), "the program's decision is in the member's history"

    dossier_path = f"/programs/{run['id']}/participants/{member['id']}/dossier"
    full = await _get(client, world.hr, dossier_path)
    stages = {s["key"]: s for s in full["stages"]}
    assert all(s["status"] == "completed" for s in full["stages"])
    assert stages["reflection"]["tasks"][0]["submission"]["text"] == "Done"
    assert stages["review"]["review_result"]["overall"] is not None
    assert stages["review"]["tasks"] == []
    assert stages["evaluation"]["tasks"][0]["submission"]["text"] == "Ready"
    assert stages["decision"]["decision"]["reason"] == "Ready for the next vacancy"
    own = await _get(client, world.member_account, dossier_path)
    own_stages = {s["key"]: s for s in own["stages"]}
    assert own_stages["evaluation"]["tasks"][0]["submission"] is None
    assert own_stages["decision"]["decision"]["reason"] is None
    assert own_stages["review"]["review_result"] is None  # not published yet
    peer = await client.get(f"{API}{dossier_path}", headers=peer_account.headers)
    assert peer.status_code == 404


@pytest.mark.commits
async def test_an_evaluation_stage_on_a_review_form_asks_only_the_supervisor(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world = setup.world
    template = await _post(
        client,
        world.hr,
        "/program-templates",
        {
            "name": "Evaluated on the form",
            "stages": [
                {
                    "key": "evaluation",
                    "name": "Supervisor evaluation",
                    "kind": "evaluation",
                    "duration_days": 7,
                    "review_template_id": setup.review,
                },
                {"key": "decision", "name": "Decision", "kind": "decision", "duration_days": 7},
            ],
        },
    )
    evaluated = Setup(world, template, setup.pool, setup.review)
    run = await evaluated.run(client, [world.member.id])
    await _post(client, world.hr, f"/programs/{run['id']}/start")
    mine = await _get(client, world.member_account, "/me/review-assignments")
    assert mine["items"] == [], "no self-assessment in a supervisor evaluation"
    lead_work = await _get(client, world.lead_account, "/me/review-assignments")
    [assignment] = lead_work["items"]
    assert (assignment["participant"]["name"], assignment["relationship"]) == (
        "Member",
        "supervisor",
    )
    url = f"{API}/review-assignments/{assignment['id']}"
    answers = {"teamwork": {"score": 4}, "leadership": {"score": 5}}
    saved = await client.put(url, json={"answers": answers}, headers=world.lead_account.headers)
    assert saved.status_code == 200, saved.text
    await _post(client, world.lead_account, f"/review-assignments/{assignment['id']}/submit")
    member = await _participant(client, world.hr, run["id"], "Member")
    assert member["current_stage"] == "decision"
    await run_burst(runtime)
    dossier = await _get(
        client, world.hr, f"/programs/{run['id']}/participants/{member['id']}/dossier"
    )
    evaluation = {s["key"]: s for s in dossier["stages"]}["evaluation"]
    assert evaluation["review_result"]["raters"] == 1


@pytest.mark.commits
async def test_a_review_stage_missing_answers_closes_after_its_grace_period(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world = setup.world
    review_stage = {**_stages(setup.review)[2], "duration_days": 1}
    decision = _stages(setup.review)[4]
    template = await _post(
        client,
        world.hr,
        "/program-templates",
        {"name": "Short 360", "stages": [review_stage, decision]},
    )
    late = Setup(world, template, setup.pool, setup.review)
    run = await late.run(client, [world.member.id], starts_on=date.today() - timedelta(days=5))
    await _post(client, world.hr, f"/programs/{run['id']}/start")
    patient = runtime.settings.model_copy(update={"program_review_grace_days": 30})
    closer = program_stages.close_overdue_reviewed_stages
    assert await closer(runtime.sessionmaker, runtime.clock, patient) == 0
    member = await _participant(client, world.hr, run["id"], "Member")
    assert member["current_stage"] == "review"

    assert await closer(runtime.sessionmaker, runtime.clock, runtime.settings) == 1
    assert await closer(runtime.sessionmaker, runtime.clock, runtime.settings) == 0
    member = await _participant(client, world.hr, run["id"], "Member")
    assert member["current_stage"] == "decision"
    assert not [
        t for t in await _my_open_tasks(client, world.lead_account) if t["kind"] == "review.rate"
    ], "the unanswered rater tasks are withdrawn"
    await run_burst(runtime)
    dossier = await _get(
        client, world.hr, f"/programs/{run['id']}/participants/{member['id']}/dossier"
    )
    review = {s["key"]: s for s in dossier["stages"]}["review"]
    assert review["on_time"] is False
    assert review["review_result"]["raters"] == 0


@pytest.mark.commits
async def test_leaving_the_company_withdraws_and_cancels_open_tasks(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world = setup.world
    run = await setup.run(client, [world.member.id, world.engineer.id])
    await _post(client, world.hr, f"/programs/{run['id']}/start")
    await _post(
        client,
        world.hr,
        f"/employees/{world.member.id}/events",
        {"kind": "exit", "effective_date": date.today().isoformat()},
    )
    await run_burst(runtime)
    member = await _participant(client, world.hr, run["id"], "Member")
    assert member["status"] == "withdrawn"
    assert member["current_stage"] is None
    tasks = await _get(client, world.hr, f"/tasks?assignee_employee_id={world.member.id}")
    assert [t["status"] for t in tasks["items"]] == ["cancelled"]
    engineer = await _participant(client, world.hr, run["id"], "Engineer")
    assert engineer["status"] == "active"


@pytest.mark.commits
async def test_removal_from_the_pool_withdraws(
    client: AsyncClient, setup: Setup, runtime: Runtime
) -> None:
    world = setup.world
    run = await setup.run(client, [world.engineer.id])
    await _post(client, world.hr, f"/programs/{run['id']}/start")
    members = await _get(client, world.hr, f"/talent-pools/{setup.pool['id']}/members")
    [engineer] = [m for m in members["items"] if m["employee"]["name"] == "Engineer"]
    await _ok(
        await client.patch(
            f"{API}/talent-pools/{setup.pool['id']}/members/{engineer['id']}",
            json={"status": "removed", "reason": "moved on"},
            headers=world.hr.headers,
        )
    )
    await run_burst(runtime)
    participant = await _participant(client, world.hr, run["id"], "Engineer")
    assert participant["status"] == "withdrawn"
    assert participant["withdrawn_reason"] == "removed from the talent pool"


async def test_progress_counts_by_stage_and_department_in_reach(
    client: AsyncClient, setup: Setup
) -> None:
    world = setup.world
    started = date.today() - timedelta(days=40)
    run = await setup.run(client, [world.lead.id, world.member.id, world.engineer.id], started)
    await _post(client, world.hr, f"/programs/{run['id']}/start")
    assert (
        await _complete(client, world.member_account, "program.training", None)
    ).status_code == 200

    progress = await _get(client, world.hr, f"/programs/{run['id']}/progress")
    stages = {s["key"]: s for s in progress["stages"]}
    assert list(stages) == [
        "training",
        "reflection",
        "customer_visit",
        "review",
        "evaluation",
        "decision",
    ]
    training = stages["training"]
    assert (training["participants"], training["completed"], training["overdue"]) == (3, 1, 2)
    assert training["completion_rate"] == pytest.approx(0.3333)
    assert training["on_time_rate"] == 0.0
    assert sorted(p["employee"]["name"] for p in training["late"]) == ["Engineer", "Lead"]
    by_department = {d["department_id"]: d for d in training["departments"]}
    assert by_department[str(world.sales_east.id)]["completed"] == 1
    assert by_department[str(world.sales.id)]["overdue"] == 1
    reflection = stages["reflection"]
    assert (reflection["participants"], reflection["completed"], reflection["overdue"]) == (3, 0, 3)
    assert reflection["completion_rate"] == 0.0
    assert reflection["on_time_rate"] is None
    assert stages["customer_visit"]["participants"] == 2

    scoped = await _get(client, world.sales_head, f"/programs/{run['id']}/progress")
    assert {s["key"]: s["participants"] for s in scoped["stages"]}["training"] == 2
    late = [p["employee"]["name"] for p in scoped["stages"][0]["late"]]
    assert late == ["Lead"]
    denied = await client.get(
        f"{API}/programs/{run['id']}/progress", headers=world.member_account.headers
    )
    assert denied.status_code == 403
