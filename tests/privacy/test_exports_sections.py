"""The own-data export's sections declared by competencies, mentoring, performance
(feedback) and training, over HTTP and the real worker: the person's competency profile with
its evidence, their pairings and sessions (never a survey answer nor who gave it), the
feedback they received (not what they gave) and their enrolments and action plans — and
nothing of anyone else's."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient, Response
from pypdf import PdfReader

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import create
from tests.contracts.conftest import storage_dir
from tests.mentoring.effectiveness_helpers import org_today
from tests.mentoring.m4_helpers import pair
from tests.mentoring.schedule_helpers import make_mentor
from tests.people.conftest import World, world
from tests.training.action_plan_helpers import completed_enrolment, make_plan
from tests.training.factory import make_course, make_enrolment

__all__ = ["storage_dir", "world"]
API = "/api/v1"
SURVEY = {"on_time": 4, "relevant": 5, "solved": 3, "comment": "Slow to answer my questions"}


def _ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _evidence(
    client: AsyncClient, world: World, employee: Any, competency: Any, value: float, note: str
) -> None:
    body = {
        "employee_id": str(employee.id),
        "competency_id": competency["id"],
        "value": value,
        "note": note,
    }
    _ok(await client.post(f"{API}/competency-evidence", json=body, headers=world.hr.headers), 201)


async def _feedback(client: AsyncClient, giver: Any, receiver: Any, text: str, **more: Any) -> None:
    body = {"receiver_id": str(receiver.id), "kind": "praise", "text": text} | more
    _ok(await client.post(f"{API}/feedback", json=body, headers=giver.headers), 201)


async def _mentoring(client: AsyncClient, runtime: Runtime, world: World) -> None:
    """Member mentors Junior; Member logs a 1:1 and Junior answers its survey."""
    today = await org_today(runtime, world.hr.org_id)
    mentor = await make_mentor(client, world.hr, world.member)
    pairing = await pair(client, world.hr, *mentor, world.junior.id, today - timedelta(days=60))
    session = {
        "kind": "one_on_one",
        "held_on": (today - timedelta(days=1)).isoformat(),
        "notes": "Walked through the first client visit",
    }
    logged = _ok(
        await client.post(
            f"{API}/mentorships/{pairing}/sessions",
            json=session,
            headers=world.member_account.headers,
        ),
        201,
    )
    await run_burst(runtime)
    _ok(
        await client.post(
            f"{API}/mentorships/{pairing}/surveys",
            json=SURVEY | {"session_id": logged["id"]},
            headers=world.junior_account.headers,
        ),
        201,
    )


async def _export(
    client: AsyncClient, runtime: Runtime, account: Any
) -> tuple[dict[str, Any], str]:
    """The person's export as JSON, and the text of its PDF (asked for in Chinese)."""
    started = _ok(
        await client.post(
            f"{API}/me/data-exports", headers=account.headers | {"Accept-Language": "zh-CN"}
        ),
        202,
    )
    await run_burst(runtime)
    one = f"{API}/me/data-exports/{started['id']}"
    assert _ok(await client.get(one, headers=account.headers))["status"] == "ready"
    data = await client.get(f"{one}/download", headers=account.headers)
    assert data.status_code == 200, data.text
    document = await client.get(f"{one}/download?format=pdf", headers=account.headers)
    assert document.status_code == 200, document.text
    pages = PdfReader(io.BytesIO(document.content)).pages
    return json.loads(data.content), "\n".join(page.extract_text() for page in pages)


@pytest.mark.commits
async def test_my_export_holds_my_competencies_mentoring_feedback_and_training_only(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    team = await create(client, world.hr, "Team management")
    await _evidence(client, world, world.member, team, 6.2, "Led the east-region launch")
    await _evidence(client, world, world.junior, team, 3.1, "Junior's first quarter")
    await _mentoring(client, runtime, world)
    await _feedback(
        client, world.lead_account, world.member, "Great launch plan", visibility="private"
    )
    await _feedback(client, world.member_account, world.junior, "Thanks!", visibility="public")
    negotiation = await make_course(runtime, world.hr.org_id, name="Negotiation")
    excel = await make_course(runtime, world.hr.org_id, name="Excel")
    finished = await completed_enrolment(runtime, world.hr.org_id, negotiation, world.member.id)
    await make_plan(client, world.hr, finished)
    await make_enrolment(
        runtime, world.hr.org_id, excel, world.member.id, progress_percent=40, source="self"
    )
    others = await completed_enrolment(runtime, world.hr.org_id, excel, world.junior.id)
    await make_plan(client, world.hr, others)

    content, words = await _export(client, runtime, world.member_account)
    sections = content["sections"]
    profile = sections["competency_profile"]
    [figure] = profile["competencies"]
    assert (figure["competency"], figure["score"], figure["sources"]) == ("Team management", 6.2, 1)
    assert [(e["source_kind"], e["value"], e["note"]) for e in figure["evidence"]] == [
        ("manual", 6.2, "Led the east-region launch")
    ]
    assert [point["scores"] for point in profile["history"]] == [{"Team management": 6.2}]

    [pairing] = sections["mentorships"]
    assert (pairing["role"], pairing["mentee"], pairing["status"]) == ("mentor", "Junior", "active")
    assert [(s["kind"], s["notes"]) for s in pairing["sessions"]] == [
        ("one_on_one", "Walked through the first client visit")
    ]

    [received] = sections["feedback_received"]
    assert (received["giver"], received["text"], received["visibility"]) == (
        "Lead",
        "Great launch plan",
        "private",
    )
    assert sorted((e["course"], e["status"]) for e in sections["training_enrolments"]) == [
        ("Excel", "enrolled"),
        ("Negotiation", "completed"),
    ]
    assert [(p["course"], p["status"]) for p in sections["action_plans"]] == [
        ("Negotiation", "open")
    ]

    for title in ("能力画像", "导师结对与辅导记录", "收到的反馈", "课程报名", "培训后行动计划"):
        assert title in words, title
    whole = json.dumps(content, ensure_ascii=False)
    for elsewhere in ("Junior's first quarter", "Slow to answer", "Thanks!", '": 3.1'):
        assert elsewhere not in whole, elsewhere

    mentee = (await _export(client, runtime, world.junior_account))[0]["sections"]
    [as_mentee] = mentee["mentorships"]
    assert (as_mentee["role"], as_mentee["mentor"]) == ("mentee", "Member")
    assert "Slow to answer" not in json.dumps(mentee, ensure_ascii=False), "not even their own"
    assert [f["text"] for f in mentee["feedback_received"]] == ["Thanks!"]
    assert [e["course"] for e in mentee["training_enrolments"]] == ["Excel"]
