"""Every completed stage, the participant's decision and a graduation by an appointment reach
webhook subscribers of the organization only."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.people.conftest import world
from tests.programs.test_programs import Setup, _complete, _participant, _post, _rate_all, setup
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered, nothing_for, subscribe, subscribe_another_org

__all__ = ["configure", "receiver", "setup", "world"]


@pytest.mark.commits
async def test_stage_completions_and_the_decision_are_published(
    client: AsyncClient,
    setup: Setup,
    runtime: Runtime,
    configure: Configure,
    receiver: Receiver,
) -> None:
    world = setup.world
    other = await subscribe_another_org(client, runtime, receiver)
    await subscribe(client, world.hr, receiver)
    run = await setup.run(client, [world.member.id])
    await _post(client, world.hr, f"/programs/{run['id']}/start")
    member = await _participant(client, world.hr, run["id"], "Member")
    for kind, text in (
        ("program.training", None),
        ("program.submission", "Done"),
        ("program.submission", "Done"),
    ):
        assert (await _complete(client, world.member_account, kind, text)).status_code == 200
    await _rate_all(client, runtime, world)
    await run_burst(runtime)
    assert (
        await _complete(client, world.lead_account, "program.evaluation", "Ready")
    ).status_code == 200
    await _post(
        client,
        world.lead_account,
        f"/programs/{run['id']}/participants/{member['id']}/decision",
        {"outcome": "appoint_when_open", "reason": "Ready for the next vacancy"},
    )
    await run_burst(runtime)

    events = delivered(receiver)
    who = {"run_id": run["id"], "participant_id": member["id"], "employee_id": str(world.member.id)}
    stages = [data for kind, data in events if kind == "program.stage_completed"]
    assert sorted(stage["stage"] for stage in stages) == sorted(
        ["training", "reflection", "customer_visit", "review", "evaluation", "decision"]
    )
    assert all({k: stage[k] for k in who} == who and stage["on_time"] for stage in stages)
    assert [data for kind, data in events if kind == "program.participant_decided"] == [
        who | {"outcome": "appoint_when_open", "readiness": "ready_now"}
    ], "the decision's reason stays in the dossier"
    assert {kind for kind, _ in events} == {
        "program.stage_completed",
        "program.participant_decided",
    }
    await nothing_for(client, other)


@pytest.mark.commits
async def test_an_appointment_publishes_the_graduation_and_the_rejected_nomination(
    client: AsyncClient,
    setup: Setup,
    runtime: Runtime,
    configure: Configure,
    receiver: Receiver,
) -> None:
    world = setup.world
    hr = world.hr
    other = await subscribe_another_org(client, runtime, receiver)
    await subscribe(client, hr, receiver)
    run = await setup.run(client, [world.member.id])
    await _post(client, hr, f"/programs/{run['id']}/start")
    member = await _participant(client, hr, run["id"], "Member")
    experts = await _post(client, hr, "/talent-pools", {"name": "Experts"})
    nominated = await _post(
        client,
        hr,
        f"/talent-pools/{experts['id']}/members",
        {"employee_id": str(world.member.id), "reason": "deep knowledge"},
    )
    vacancy = await _post(client, hr, "/vacancies", {"position_id": str(world.clerk.id)})
    appointment = {
        "employee_id": str(world.member.id),
        "effective_date": "2027-01-01",
        "reason": "Best candidate",
        "override_reason": "No pool for clerks",
    }
    await _post(client, hr, f"/vacancies/{vacancy['id']}/appoint", appointment)
    await run_burst(runtime)

    events = delivered(receiver)
    [graduated] = [data for kind, data in events if kind == "program.participant_graduated"]
    assert graduated.pop("graduated_at")
    assert graduated == {
        "run_id": run["id"],
        "participant_id": member["id"],
        "employee_id": str(world.member.id),
        "cause": "appointment",
    }, "the appointment's reason stays in hrcore"
    assert [data for kind, data in events if kind == "nomination.decided"] == [
        {
            "member_id": nominated["id"],
            "pool_id": experts["id"],
            "employee_id": str(world.member.id),
            "decision": "rejected",
            "readiness": None,
        }
    ]
    assert {kind for kind, _ in events} == {
        "program.participant_graduated",
        "nomination.decided",
        "vacancy.filled",
    }, "a graduation is not announced as a withdrawal nor as a decision"
    await nothing_for(client, other)
