"""A program stage of kind training that names courses: templates name courses of the
organization (422 otherwise); the stage has no task and completes, in the worker, once the
participant has completed every course and passed the exam of each that has a pass mark —
whether that happened before the stage opened or after, on training's events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training.events import emit_enrolment_completed
from hrcore.training.models import Course
from hrcore.worker import run_burst
from tests.competencies.conftest import create
from tests.factories import make_org
from tests.people.conftest import World, world
from tests.problems import assert_problem
from tests.programs.test_programs import API, _get, _post, add_active_member
from tests.training.exam_helpers import QUESTIONS
from tests.training.factory import make_course, make_enrolment

__all__ = ["world"]
DONE_AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
TRUE_FALSE = QUESTIONS[2]


def _stages(*course_ids: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {
            "key": "courses",
            "name": "Negotiation courses",
            "kind": "training",
            "duration_days": 30,
            "course_ids": [str(course_id) for course_id in course_ids],
        },
        {"key": "wrap_up", "name": "Wrap-up", "kind": "training", "duration_days": 7},
    ]


async def _started(client: AsyncClient, world: World, *course_ids: uuid.UUID) -> str:
    """A run with Member on the two stages, started: the path of Member's dossier."""
    hr = world.hr
    pool = await _post(client, hr, "/talent-pools", {"name": "Reserve", "rules": []})
    await add_active_member(client, hr, pool["id"], world.member.id)
    template = await _post(
        client, hr, "/program-templates", {"name": "Sales track", "stages": _stages(*course_ids)}
    )
    run = await _post(
        client,
        hr,
        "/programs",
        {
            "name": "2027 sales track",
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


async def _statuses(client: AsyncClient, world: World, dossier: str) -> dict[str, Any]:
    read = await _get(client, world.hr, dossier)
    return {stage["key"]: (stage["status"], len(stage["tasks"])) for stage in read["stages"]}


async def _completed(runtime: Runtime, world: World, course: Course) -> None:
    """Member completed the course, as the check-in or online progress announces it."""
    enrolment = await make_enrolment(
        runtime, world.hr.org_id, course, world.member.id, status="completed", completed_at=DONE_AT
    )
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        emit_enrolment_completed(session, world.hr.org_id, enrolment.id)


@pytest.mark.commits
async def test_the_stage_completes_once_every_course_is_done_and_its_exam_passed(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    negotiation = await create(client, world.hr, "Negotiation")
    attended = await make_course(runtime, org_id, name="Negotiation basics")
    examined = await make_course(
        runtime,
        org_id,
        name="Negotiation in practice",
        pass_mark=60,
        competency_ids=[uuid.UUID(negotiation["id"])],
    )
    question = await _post(client, world.hr, f"/courses/{examined.id}/questions", TRUE_FALSE)
    dossier = await _started(client, world, attended.id, examined.id)
    await run_burst(runtime)
    assert await _statuses(client, world, dossier) == {
        "courses": ("open", 0),
        "wrap_up": ("pending", 0),
    }, "no task: the courses complete it"

    await _completed(runtime, world, attended)
    await _completed(runtime, world, examined)
    await run_burst(runtime)
    assert (await _statuses(client, world, dossier))["courses"] == ("open", 0), "exam not passed"

    attempt = await _post(client, world.member_account, f"/courses/{examined.id}/exam-attempts")
    body = {"answers": [{"question_id": question["id"], "answer": TRUE_FALSE["answer"]}]}
    passed = await _post(
        client, world.member_account, f"/exam-attempts/{attempt['id']}/submit", body
    )
    assert passed["passed"] is True
    await run_burst(runtime)
    assert await _statuses(client, world, dossier) == {
        "courses": ("completed", 0),
        "wrap_up": ("open", 1),
    }
    await _completed(runtime, world, await make_course(runtime, org_id, name="Another course"))
    await run_burst(runtime)
    assert (await _statuses(client, world, dossier))["wrap_up"] == ("open", 1), (
        "a training stage without courses completes by its task only"
    )

    profile = await _get(client, world.hr, f"/employees/{world.member.id}/competency-profile")
    [figure] = profile["competencies"]
    assert (figure["competency_id"], figure["score"]) == (negotiation["id"], 10.0)
    [evidence] = figure["evidence"]
    assert evidence["source_kind"] == "training_exam"
    assert evidence["note"] == "Exam of Negotiation in practice: 100.0%"


@pytest.mark.commits
async def test_courses_done_before_the_stage_opens_complete_it_when_it_opens(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    attended = await make_course(runtime, world.hr.org_id, name="Negotiation basics")
    await make_enrolment(
        runtime,
        world.hr.org_id,
        attended,
        world.member.id,
        status="completed",
        completed_at=DONE_AT,
    )
    dossier = await _started(client, world, attended.id)
    await run_burst(runtime)
    assert await _statuses(client, world, dossier) == {
        "courses": ("completed", 0),
        "wrap_up": ("open", 1),
    }


async def test_a_template_names_courses_of_the_organization_on_training_stages_only(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    ours = await make_course(runtime, world.hr.org_id)
    outsider = await make_org(runtime)
    theirs = await make_course(runtime, outsider.org_id)
    url = f"{API}/program-templates"
    unknown = {"name": "Track", "stages": _stages(ours.id, theirs.id, uuid.uuid4())}
    response = await client.post(url, json=unknown, headers=world.hr.headers)
    assert_problem(response, 422, fields={"stages.0.course_ids.1", "stages.0.course_ids.2"})
    misplaced = _stages(ours.id)
    misplaced[0]["kind"] = "assignment"
    response = await client.post(
        url, json={"name": "Track", "stages": misplaced}, headers=world.hr.headers
    )
    problem = assert_problem(response, 422)
    assert "only training stages name course_ids" in str(problem["errors"]), problem
    created = await client.post(
        url, json={"name": "Track", "stages": _stages(ours.id)}, headers=world.hr.headers
    )
    assert created.status_code == 201, created.text
    assert created.json()["stages"][0]["course_ids"] == [str(ours.id)]
