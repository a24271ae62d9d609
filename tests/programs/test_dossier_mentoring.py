"""The dossier shows the participant's mentoring — pairings as mentee and as mentor, with
the program, the other person, the plan's status and sessions held — to those who may read
the dossier, and nobody else's pairings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import storage_dir
from tests.mentoring.effectiveness_helpers import (
    end_pairing,
    log_session,
    make_mentor,
    make_pairing,
)
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.programs.test_dossier_competencies import Dossier, dossier
from tests.programs.test_dossier_pdf import _generated, _text
from tests.programs.test_programs import API, _get

__all__ = ["dossier", "storage_dir", "world"]


def _flat(text: str) -> str:
    """The PDF's text with its line wrapping and spacing undone."""
    return " ".join(text.split())


@pytest.mark.commits
async def test_the_dossier_shows_the_participants_pairings_both_ways(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier
) -> None:
    org_id = world.hr.org_id
    coach = await make_mentor(runtime, org_id, world.member.id)
    mentored = await make_pairing(
        runtime, coach, dossier.zhang.id, starts_on=date(2026, 3, 1), ends_on=date(2027, 2, 28)
    )
    await log_session(runtime, mentored, date(2026, 4, 1))
    await log_session(runtime, mentored, date(2026, 5, 1), score=80)
    zhang = await make_mentor(runtime, org_id, dossier.zhang.id)
    mentoring = await make_pairing(
        runtime, zhang, world.junior.id, starts_on=date(2026, 6, 1), ends_on=date(2026, 11, 30)
    )
    await end_pairing(runtime, mentoring)
    await make_pairing(
        runtime, coach, world.peer.id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )

    read = await _get(client, world.hr, dossier.path.removeprefix(API))
    found = [
        (
            m["mentorship_id"],
            m["role"],
            m["other"]["id"],
            m["status"],
            m["starts_on"],
            m["plan_status"],
            m["sessions_held"],
        )
        for m in read["mentoring"]
    ]
    assert found == [
        (str(mentored.id), "mentee", str(world.member.id), "active", "2026-03-01", "approved", 2),
        (
            str(mentoring.id),
            "mentor",
            str(world.junior.id),
            "completed",
            "2026-06-01",
            "approved",
            0,
        ),
    ], "oldest first; the coach's other mentee is not the participant's"
    assert read["mentoring"][0]["program"]["id"] == str(coach.program_id)
    assert read["mentoring"][1]["ended_at"] is not None
    own = await _get(client, dossier.account, dossier.path.removeprefix(API))
    assert own["mentoring"] == read["mentoring"], "the participant reads the same section"
    outside = await client.get(dossier.path, headers=world.junior_account.headers)
    assert_problem(outside, 404)


@pytest.mark.commits
async def test_the_section_costs_the_same_however_many_pairings(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier
) -> None:
    org_id = world.hr.org_id
    coach = await make_mentor(runtime, org_id, world.member.id)
    first = await make_pairing(
        runtime, coach, dossier.zhang.id, starts_on=date(2026, 3, 1), ends_on=date(2027, 2, 28)
    )
    await log_session(runtime, first, date(2026, 4, 1))
    with count_statements(runtime) as one:
        await _get(client, world.hr, dossier.path.removeprefix(API))
    zhang = await make_mentor(runtime, org_id, dossier.zhang.id)
    for mentee in (world.junior, world.peer):
        pairing = await make_pairing(
            runtime, zhang, mentee.id, starts_on=date(2026, 6, 1), ends_on=date(2026, 11, 30)
        )
        await log_session(runtime, pairing, date(2026, 7, 1))
    with count_statements(runtime) as three:
        read = await _get(client, world.hr, dossier.path.removeprefix(API))
    assert len(read["mentoring"]) == 3
    assert three.count == one.count


@pytest.mark.commits
async def test_the_pdf_shows_the_pairings_in_the_readers_language(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier, storage_dir: Path
) -> None:
    org_id = world.hr.org_id
    coach = await make_mentor(runtime, org_id, world.member.id)
    pairing = await make_pairing(
        runtime, coach, dossier.zhang.id, starts_on=date(2026, 3, 1), ends_on=date(2027, 2, 28)
    )
    await log_session(runtime, pairing, date(2026, 4, 1))
    await log_session(runtime, pairing, date(2026, 5, 1))
    await run_burst(runtime)
    program = (await _get(client, world.hr, dossier.path.removeprefix(API)))["mentoring"][0][
        "program"
    ]["name"]

    chinese_reader = replace(world.hr, headers=world.hr.headers | {"Accept-Language": "zh-CN"})
    chinese = _flat(_text(await _generated(client, runtime, chinese_reader, dossier.path)))
    english = _flat(_text(await _generated(client, runtime, world.hr, dossier.path)))

    assert "导师辅导" in chinese
    assert f"导师：Member（{program}）· 2026年3月1日 至 2027年2月28日 · 有效" in chinese
    assert "计划：已批准 · 已进行 2 次辅导" in chinese
    assert "Mentoring" in english
    assert f"Mentored by Member ({program}) · 1 Mar 2026 – 28 Feb 2027 · active" in english
    assert "Plan: approved · 2 sessions held" in english
