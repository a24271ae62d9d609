"""The panoramic profile's `mentoring` section (mentoring's `people.api.MentoringProvider`):
the employee's pairings as mentee and as mentor with the program, the other person, dates,
status, plan status and sessions held — never what the mentee answered — and the employee's
effectiveness as a mentor for whom `/mentors/{id}/effectiveness` answers (HR admins, the
mentor, their direct manager); nothing of mentoring for integration keys. One statement."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import Account, make_department, make_employee, make_org
from tests.mentoring.effectiveness_helpers import (
    end_pairing,
    log_session,
    make_mentor,
    make_pairing,
)
from tests.people.conftest import World, count_statements, world
from tests.people.test_visibility import _api_key

__all__ = ["world"]
API = "/api/v1"
SECRET = "my mentor never listens"


async def _profile(client: AsyncClient, headers: dict[str, str], employee_id: uuid.UUID) -> Any:
    response = await client.get(f"{API}/employees/{employee_id}/profile", headers=headers)
    assert response.status_code == 200, response.text
    assert SECRET not in response.text
    return response.json()


async def _program_ref(client: AsyncClient, hr: Account, program_id: uuid.UUID) -> Any:
    response = await client.get(f"{API}/mentoring-programs/{program_id}", headers=hr.headers)
    assert response.status_code == 200, response.text
    return {"id": str(program_id), "name": response.json()["name"]}


@pytest.mark.commits
async def test_the_profile_shows_both_sides_and_the_score_to_who_reads_it(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    coach = await make_mentor(runtime, org_id, world.lead.id)
    mentored = await make_pairing(
        runtime, coach, world.member.id, starts_on=date(2026, 3, 1), ends_on=date(2027, 2, 28)
    )
    for held_on in (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)):
        await log_session(runtime, mentored, held_on)
    member_as_mentor = await make_mentor(runtime, org_id, world.member.id)
    mentoring = await make_pairing(
        runtime,
        member_as_mentor,
        world.junior.id,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 11, 30),
    )
    await log_session(runtime, mentoring, date(2026, 7, 1), score=70)
    await log_session(runtime, mentoring, date(2026, 10, 1), score=85)
    await end_pairing(runtime, mentoring)
    answered = await client.post(
        f"{API}/mentorships/{mentored.id}/surveys",
        json={"on_time": 5, "relevant": 4, "solved": 1, "comment": SECRET},
        headers=world.member_account.headers,
    )
    assert answered.status_code == 201, answered.text
    await run_burst(runtime)
    explained = await client.get(
        f"{API}/mentors/{member_as_mentor.id}/effectiveness", headers=world.hr.headers
    )
    stored = explained.json()
    assert stored["score"] is not None

    coach_program = await _program_ref(client, world.hr, coach.program_id)
    member_program = await _program_ref(client, world.hr, member_as_mentor.program_id)
    expected = [
        {
            "mentorship_id": str(mentored.id),
            "role": "mentee",
            "program": coach_program,
            "other": {"id": str(world.lead.id), "name": "Lead"},
            "status": "active",
            "starts_on": "2026-03-01",
            "ends_on": "2027-02-28",
            "ended_at": None,
            "plan_status": "approved",
            "sessions_held": 3,
        },
        {
            "mentorship_id": str(mentoring.id),
            "role": "mentor",
            "program": member_program,
            "other": {"id": str(world.junior.id), "name": "Junior"},
            "status": "completed",
            "starts_on": "2026-06-01",
            "ends_on": "2026-11-30",
            "plan_status": "approved",
            "sessions_held": 2,
        },
    ]
    scores = [
        {
            "mentor_id": str(member_as_mentor.id),
            "program": member_program,
            "score": stored["score"],
            "pairings": 1,
            "computed_at": stored["computed_at"],
        }
    ]
    for account in (world.hr, world.member_account, world.lead_account, world.sales_head):
        profile = await _profile(client, account.headers, world.member.id)
        shown = profile["mentoring"]
        assert shown[1].pop("ended_at") is not None
        assert shown == expected
        reads_score = account is not world.sales_head  # not the member's direct manager
        assert profile["mentor_effectiveness"] == (scores if reads_score else None)
    lead = await _profile(client, world.lead_account.headers, world.lead.id)
    assert [(m["role"], m["other"]["name"]) for m in lead["mentoring"]] == [("mentor", "Member")]
    [own] = lead["mentor_effectiveness"]
    assert own["mentor_id"] == str(coach.id)
    junior = await _profile(client, world.junior_account.headers, world.junior.id)
    assert [(m["role"], m["status"]) for m in junior["mentoring"]] == [("mentee", "completed")]
    assert junior["mentor_effectiveness"] == []

    key = await _api_key(client, world.hr, "profiles:read")
    keyed = await _profile(client, key, world.member.id)
    assert keyed["mentoring"] is None
    assert keyed["mentor_effectiveness"] is None


async def test_the_section_is_one_statement_and_only_the_organization_s(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    other = await make_org(runtime)
    department = await make_department(runtime, other.org_id, "Sales")
    stranger = await make_employee(runtime, other.org_id, department, "Stranger")
    theirs = await make_mentor(runtime, other.org_id, stranger.id)
    outsider = await make_employee(runtime, other.org_id, department, "Outsider")
    await make_pairing(
        runtime, theirs, outsider.id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    with count_statements(runtime) as none:
        empty = await _profile(client, world.hr.headers, world.member.id)
    assert (empty["mentoring"], empty["mentor_effectiveness"]) == ([], [])
    coach = await make_mentor(runtime, org_id, world.lead.id)
    mentored = await make_pairing(
        runtime, coach, world.member.id, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    await log_session(runtime, mentored, date(2026, 2, 1))
    mentor = await make_mentor(runtime, org_id, world.member.id)
    for mentee in (world.junior, world.peer, world.engineer):
        await make_pairing(
            runtime, mentor, mentee.id, starts_on=date(2026, 2, 1), ends_on=date(2026, 12, 31)
        )
    with count_statements(runtime) as many:
        full = await _profile(client, world.hr.headers, world.member.id)
    assert [m["role"] for m in full["mentoring"]] == ["mentee", "mentor", "mentor", "mentor"]
    assert [s["mentor_id"] for s in full["mentor_effectiveness"]] == [str(mentor.id)]
    assert many.count == none.count
