"""A mentor's effectiveness becomes evidence of the competency the setting names, through
the real worker: one row per mentor, replaced when the score moves; unset, nothing."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.competencies.models import Competency
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.mentoring.effectiveness_helpers import end_pairing, make_mentor, make_pairing, rate
from tests.people.conftest import World, world

__all__ = ["world"]
STARTS, ENDS = date(2025, 1, 10), date(2025, 12, 20)


async def _competency(runtime: Runtime, org_id: uuid.UUID, name: str) -> uuid.UUID:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        row = Competency(
            org_id=org_id,
            name=name,
            category="leadership",
            levels=[{"level": n, "name": f"L{n}"} for n in range(1, 6)],
        )
        session.add(row)
        await session.flush()
        return row.id


async def _score(client: AsyncClient, world: World, mentor: Any) -> float:
    found = await client.get(f"/api/v1/mentors/{mentor.id}/effectiveness", headers=world.hr.headers)
    score: float = found.json()["score"]
    return score


async def _profile(client: AsyncClient, world: World) -> list[dict[str, Any]]:
    found = await client.get(
        f"/api/v1/employees/{world.member.id}/competency-profile", headers=world.hr.headers
    )
    assert found.status_code == 200, found.text
    competencies: list[dict[str, Any]] = found.json()["competencies"]
    return competencies


@pytest.mark.commits
async def test_a_moving_score_replaces_the_mentors_one_piece_of_evidence(
    client: AsyncClient, runtime: Runtime, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    org_id = world.hr.org_id
    monkeypatch.setattr(runtime.settings, "mentoring_evidence_competency", "Coaching others")
    coaching = await _competency(runtime, org_id, "Coaching others")
    await rate(client, world.hr, world.junior.id, y2024=3.0, y2025=3.6)
    await rate(client, world.hr, world.peer.id, y2024=4.0, y2025=4.0)
    mentor = await make_mentor(runtime, org_id, world.member.id)
    junior = await make_pairing(
        runtime, mentor, world.junior.id, starts_on=STARTS, ends_on=ENDS, goals=[]
    )
    await end_pairing(runtime, junior)
    await run_burst(runtime)
    first = await _score(client, world, mentor)
    [figure] = await _profile(client, world)
    assert (figure["competency_id"], figure["score"]) == (str(coaching), round(first / 10, 2))
    [evidence] = figure["evidence"]
    assert (evidence["source_kind"], evidence["source_id"]) == (
        "mentoring_effectiveness",
        str(mentor.id),
    )
    assert evidence["note"] == (
        f"导师成效 {first}/100（1 段结对） / Mentor effectiveness {first}/100 over 1 pairing"
    ), "written by the worker, which has no reader: both languages"

    peer = await make_pairing(
        runtime, mentor, world.peer.id, starts_on=STARTS, ends_on=ENDS, goals=[]
    )
    await end_pairing(runtime, peer)
    await run_burst(runtime)
    second = await _score(client, world, mentor)
    assert second < first, "the peer gained nothing"
    [figure] = await _profile(client, world)
    [evidence] = figure["evidence"]
    assert (evidence["source_id"], figure["score"]) == (str(mentor.id), round(second / 10, 2))
    assert evidence["note"] == (
        f"导师成效 {second}/100（2 段结对） / Mentor effectiveness {second}/100 over 2 pairings"
    )


@pytest.mark.commits
async def test_no_setting_or_no_such_competency_records_nothing(
    client: AsyncClient, runtime: Runtime, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    org_id = world.hr.org_id
    await _competency(runtime, org_id, "Coaching others")
    await rate(client, world.hr, world.junior.id, y2024=3.0, y2025=3.6)
    mentor = await make_mentor(runtime, org_id, world.member.id)
    first = await make_pairing(
        runtime, mentor, world.junior.id, starts_on=STARTS, ends_on=ENDS, goals=[]
    )
    await end_pairing(runtime, first)
    await run_burst(runtime)
    assert await _profile(client, world) == []
    monkeypatch.setattr(runtime.settings, "mentoring_evidence_competency", "Not in the library")
    second = await make_pairing(
        runtime, mentor, world.peer.id, starts_on=STARTS, ends_on=ENDS, goals=[]
    )
    await end_pairing(runtime, second)
    await run_burst(runtime)
    assert await _profile(client, world) == []
