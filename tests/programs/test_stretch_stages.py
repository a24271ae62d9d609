"""A program stage that is a stretch assignment: the worker puts the participant on it when
the stage opens, a refusal goes to HR with its reason (done: tried again), the outcome
completes the stage; templates name an assignment of the organization."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import create
from tests.competencies.stretch_helpers import audited, make_assignment
from tests.factories import Account, make_org, make_tree, make_user
from tests.people.conftest import World, world
from tests.problems import assert_problem
from tests.programs.test_programs import API, _get, _ok, _post, add_active_member

__all__ = ["world"]
ZH = {"Accept-Language": "zh-CN"}


def _stages(assignment_id: str) -> list[dict[str, Any]]:
    return [
        {
            "key": "project",
            "name": "New-customer project",
            "kind": "stretch_assignment",
            "duration_days": 60,
            "stretch_assignment_id": assignment_id,
        },
        {"key": "wrap_up", "name": "Wrap-up", "kind": "training", "duration_days": 7},
    ]


@dataclass(frozen=True)
class Run:
    dossier: str
    assignment: dict[str, Any]
    team: dict[str, Any]


async def _started(client: AsyncClient, world: World, assignment: dict[str, Any]) -> str:
    """A run of a pool with Member on the two stages, started: the path of Member's dossier."""
    hr = world.hr
    pool = await _post(client, hr, "/talent-pools", {"name": "Reserve", "rules": []})
    await add_active_member(client, hr, pool["id"], world.member.id)
    body = {"name": "Chief track", "stages": _stages(assignment["id"])}
    template = await _post(client, hr, "/program-templates", body)
    run = await _post(
        client,
        hr,
        "/programs",
        {
            "name": "2027 chief track",
            "template_id": template["id"],
            "pool_id": pool["id"],
            "starts_on": "2027-01-04",
        },
    )
    await _post(
        client, hr, f"/programs/{run['id']}/participants", {"employee_ids": [str(world.member.id)]}
    )
    await _post(client, hr, f"/programs/{run['id']}/start")
    [participant] = (await _get(client, hr, f"/programs/{run['id']}/participants"))["items"]
    return f"/programs/{run['id']}/participants/{participant['id']}/dossier"


def _stage(dossier: dict[str, Any], key: str) -> dict[str, Any]:
    return next(stage for stage in dossier["stages"] if stage["key"] == key)


async def _record_outcome(
    client: AsyncClient, world: World, assignment: dict[str, Any], team: dict[str, Any]
) -> None:
    body = {
        "employee_id": str(world.member.id),
        "figures": [{"name": "Customers won", "value": 3}],
        "ratings": [{"competency_id": team["id"], "rating": 8}],
        "peer_feedback": [{"competency_id": team["id"], "ratings": [6, 7, 8]}],
    }
    await _post(
        client, world.lead_account, f"/stretch-assignments/{assignment['id']}/outcomes", body
    )


async def _open_tasks(client: AsyncClient, account: Account, kind: str) -> list[dict[str, Any]]:
    tasks = await _get(client, account, "/me/tasks?status=open")
    return [task for task in tasks["items"] if task["kind"] == kind]


@pytest.fixture
async def run(client: AsyncClient, world: World) -> Run:
    team = await create(client, world.hr, "Team management")
    assignment = await make_assignment(client, world.hr, world.sales.id, (team, 1), slots=1)
    return Run(await _started(client, world, assignment), assignment, team)


@pytest.mark.commits
async def test_the_stage_puts_the_participant_on_the_assignment_and_its_outcome_completes_it(
    client: AsyncClient, runtime: Runtime, world: World, run: Run
) -> None:
    await run_burst(runtime)

    read = await _get(client, world.hr, f"/stretch-assignments/{run.assignment['id']}")
    assert [a["employee"]["name"] for a in read["assignees"]] == ["Member"]
    assert [a["supervisor"]["name"] for a in read["assignees"]] == ["Lead"], "the manager"
    assert read["status"] == "assigned"
    kickoff = await _open_tasks(client, world.member_account, "stretch_assignment.kickoff")
    assert len(kickoff) == 1
    dossier = await _get(client, world.hr, run.dossier)
    project = _stage(dossier, "project")
    assert (project["kind"], project["status"], project["tasks"]) == (
        "stretch_assignment",
        "open",
        [],
    )
    assert project["stretch_problem"] is None
    [stretch] = dossier["stretch_assignments"]
    assert (stretch["title"], stretch["status"], stretch["department"]["name"]) == (
        "Lead the new-customer project",
        "active",
        "Sales",
    )
    events = await audited(client, world.hr, dossier["participant"]["id"])
    assert "program_stage.stretch_assigned" in [e["action"] for e in events]

    await _record_outcome(client, world, run.assignment, run.team)
    await run_burst(runtime)

    dossier = await _get(client, world.hr, run.dossier)
    assert _stage(dossier, "project")["status"] == "completed"
    assert _stage(dossier, "wrap_up")["status"] == "open"
    assert len(await _open_tasks(client, world.member_account, "program.training")) == 1
    [stretch] = dossier["stretch_assignments"]
    assert stretch["status"] == "completed"
    assert stretch["figures"] == [{"name": "Customers won", "value": 3.0, "unit": None}]
    [rating] = stretch["ratings"]
    assert (rating["competency"]["name"], rating["supervisor_rating"]) == ("Team management", 8)
    assert (rating["peer_mean"], rating["peer_count"]) == (7.0, 3), "the mean, never an answer"
    # A correction of the outcome finds the stage completed: nothing opens twice.
    await _record_outcome(client, world, run.assignment, run.team)
    await run_burst(runtime)
    again = await _get(client, world.hr, run.dossier)
    assert [s["status"] for s in again["stages"]] == ["completed", "open"]


@pytest.mark.commits
async def test_a_refusal_goes_to_hr_with_its_reason_and_hr_tries_again(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    original = runtime.settings
    runtime.settings = original.model_copy(update={"stretch_max_concurrent_assignments": 1})
    try:
        team = await create(client, world.hr, "Team management")
        busy = await make_assignment(client, world.hr, world.sales.id, (team, 1), title="Busy")
        await _post(
            client,
            world.hr,
            f"/stretch-assignments/{busy['id']}/assign",
            {"employee_id": str(world.member.id)},
        )
        assignment = await make_assignment(client, world.hr, world.sales.id, (team, 1))
        path = await _started(client, world, assignment)
        # An HR admin linked to an employee record gets HR's tasks (after the pool approval,
        # which the boss, as HR, could not decide about their own report's report).
        hr_employee = await make_user(
            runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id
        )
        await run_burst(runtime)

        problem = _stage(await _get(client, world.hr, path), "project")["stretch_problem"]
        assert problem.startswith("Member is at capacity: already on 1 open")
        [task] = await _open_tasks(client, hr_employee, "program.stretch_assignment")
        assert task["title"].startswith("Put Member on the stretch assignment of 2027 chief track")
        assert "at capacity" in task["title"]
        read = await _get(client, world.hr, f"/stretch-assignments/{assignment['id']}")
        assert read["assignees"] == [], "nothing written by the refused assigning"

        # Done while Member is still at capacity: tried again, refused again, a new task.
        done = await client.post(
            f"{API}/tasks/{task['id']}/complete", json={}, headers=hr_employee.headers
        )
        await _ok(done)
        await run_burst(runtime)
        [again] = await _open_tasks(client, hr_employee, "program.stretch_assignment")
        assert again["id"] != task["id"]

        # HR ends the other assignment and puts Member on this one by hand, then marks the
        # task done: the stage takes that place as its own.
        closed = await client.patch(
            f"{API}/stretch-assignments/{busy['id']}",
            json={"status": "closed"},
            headers=world.hr.headers,
        )
        await _ok(closed)
        await _post(
            client,
            world.hr,
            f"/stretch-assignments/{assignment['id']}/assign",
            {"employee_id": str(world.member.id)},
        )
        done = await client.post(
            f"{API}/tasks/{again['id']}/complete", json={}, headers=hr_employee.headers
        )
        await _ok(done)
        await run_burst(runtime)
    finally:
        runtime.settings = original

    dossier = await _get(client, world.hr, path)
    assert _stage(dossier, "project")["stretch_problem"] is None
    assert [s["title"] for s in dossier["stretch_assignments"]] == [
        "Busy",
        "Lead the new-customer project",
    ]
    actions = [e["action"] for e in await audited(client, world.hr, dossier["participant"]["id"])]
    assert actions.count("program_stage.stretch_refused") == 2
    assert actions[-1] == "program_stage.stretch_assigned"
    read = await _get(client, world.hr, f"/stretch-assignments/{assignment['id']}")
    assert [a["employee"]["name"] for a in read["assignees"]] == ["Member"], "one place"
    await _record_outcome(client, world, assignment, team)
    await run_burst(runtime)
    finished = await _get(client, world.hr, path)
    assert [s["status"] for s in finished["stages"]] == ["completed", "open"]


async def test_a_template_names_a_stretch_assignment_of_the_organization(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    hr = world.hr
    stranger = await make_org(runtime)
    skill = await create(client, stranger, "Team management")
    tree = await make_tree(runtime, stranger.org_id)
    theirs = await make_assignment(client, stranger, tree.sales.id, (skill, 1))
    url = f"{API}/program-templates"

    foreign = {"name": "Chief track", "stages": _stages(theirs["id"])}
    refused = await client.post(url, json=foreign, headers=hr.headers)
    body = assert_problem(refused, 422, fields={"stages.0.stretch_assignment_id"})
    assert body["detail"] == "Unknown stretch assignment"
    chinese = await client.post(url, json=foreign, headers=hr.headers | ZH)
    assert assert_problem(chinese, 422)["errors"][0]["message"] == "没有这个部门内任务"

    unnamed = {
        "name": "Chief track",
        "stages": [_stages(theirs["id"])[0] | {"stretch_assignment_id": None}],
    }
    missing = await client.post(url, json=unnamed, headers=hr.headers | ZH)
    assert "stretch_assignment_id" in str(assert_problem(missing, 422)["errors"])
    training = _stages(theirs["id"])[1] | {"stretch_assignment_id": theirs["id"]}
    misplaced = await client.post(url, json={"name": "T", "stages": [training]}, headers=hr.headers)
    assert_problem(misplaced, 422)
    listed = await _get(client, hr, "/program-templates")
    assert listed["items"] == [], "nothing was saved"


@pytest.mark.commits
async def test_a_post_is_left_to_hr_with_the_reason(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """A stretch assignment that is a post changes the employment record: the worker does not
    assign it for a stage; the stage says why and HR gets the task to do it by hand."""
    team = await create(client, world.hr, "Team management")
    assignment = await make_assignment(
        client, world.hr, world.sales.id, (team, 1), post_title="Assistant to the chief"
    )
    path = await _started(client, world, assignment)
    hr_employee = await make_user(
        runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id
    )
    await run_burst(runtime)
    problem = _stage(await _get(client, world.hr, path), "project")["stretch_problem"]
    assert problem.startswith("Only an HR admin puts someone on a post")
    [task] = await _open_tasks(client, hr_employee, "program.stretch_assignment")
    assert "post" in task["title"]
    read = await _get(client, world.hr, f"/stretch-assignments/{assignment['id']}")
    assert read["assignees"] == [], "nothing written by the refused assigning"
