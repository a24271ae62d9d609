"""Raw review answers under a retention rule: the period after an aggregated cycle closed
over, each rater's scores, comment, evidence and attached files go while the results stay
exactly as computed; answers about a person under legal hold stay."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.files import jobs as files_jobs
from hrcore.privacy import retention_jobs
from hrcore.reviews import aggregation
from tests.factories import Account, make_user
from tests.files.conftest import API, status_of, storage_dir, stored_files, uploaded
from tests.reviews.conftest import Setup, answer_as, clock, post_ok, setup, world

__all__ = ["clock", "setup", "storage_dir", "world"]
RULE = {
    "subject_kind": "review_raw_answers",
    "period": {"amount": 6, "unit": "months"},
    "action": "delete",
}


async def _raw(client: AsyncClient, auditor: Account, result_id: str) -> list[Any]:
    response = await client.get(
        f"{API}/review-results/{result_id}/answers", headers=auditor.headers
    )
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_raw_answers_go_results_stay_and_a_held_person_keeps_theirs(
    client: AsyncClient, setup: Setup, runtime: Runtime, clock: FrozenClock, storage_dir: Path
) -> None:
    world, accounts, cycle = setup.world, setup.accounts, setup.cycle["id"]
    peer = accounts["peer"]
    mine = await client.get(f"{API}/me/review-assignments", headers=peer.headers)
    [assignment] = [a for a in mine.json()["items"] if a["participant"]["name"] == "Lead"]
    file_id = await uploaded(client, peer)
    saved = await client.put(
        f"{API}/review-assignments/{assignment['id']}",
        json={"answers": {"teamwork": {"score": 3}}, "attachments": [file_id]},
        headers=peer.headers,
    )
    assert saved.status_code == 200, saved.text
    await post_ok(client, peer, f"/review-assignments/{assignment['id']}/submit")
    boss_answers = {"sales": {"actual": 80}, "teamwork": {"score": 4}, "leadership": {"score": 5}}
    await answer_as(client, accounts["boss"], "Lead", boss_answers, "Delivers.")
    await answer_as(client, world.lead_account, "Member", {"teamwork": {"score": 2}}, "Slow.")
    hold = await client.post(
        f"{API}/legal-holds",
        json={"employee_id": str(world.member.id), "reason": "Grievance under review"},
        headers=world.hr.headers,
    )
    assert hold.status_code == 201, hold.text

    await post_ok(client, world.hr, f"/review-cycles/{cycle}/close")
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        await aggregation.aggregate_cycle(
            session,
            world.hr.org_id,
            uuid.UUID(cycle),
            threshold=runtime.settings.review_anonymity_threshold,
        )
    results_path = f"{API}/review-cycles/{cycle}/results"
    before = (await client.get(results_path, headers=world.hr.headers)).json()
    by_name = {r["employee"]["name"]: r["id"] for r in before["items"]}
    auditor = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, Role.REVIEW_AUDITOR)
    created = await client.post(f"{API}/retention-rules", json=RULE, headers=world.hr.headers)
    assert created.status_code == 201, created.text

    clock.advance(timedelta(days=150))
    assert await retention_jobs.apply_retention({"runtime": runtime}) == 0, "not six months yet"
    clock.advance(timedelta(days=40))
    dry = await client.post(f"{API}/retention-rules/dry-run", json={}, headers=world.hr.headers)
    [rule] = dry.json()["rules"]
    assert rule["count"] == 2
    assert {item["employee"]["name"] for item in rule["sample"]["items"]} == {"Lead"}
    assert "Boss" not in dry.text, "the sample never names a rater"

    assert await retention_jobs.apply_retention({"runtime": runtime}) == 2

    assert (await client.get(results_path, headers=world.hr.headers)).json() == before
    lead_answers = await _raw(client, auditor, by_name["Lead"])
    assert {a["rater"]["name"] for a in lead_answers if a["status"] == "submitted"} == {
        "Boss",
        "Peer",
    }, "who rated (and the counts) stay"
    assert all(a["answers"] == {} and a["comment"] is None for a in lead_answers)
    assert all(a["attachments"] == [] for a in lead_answers)
    [member_answer] = [a for a in await _raw(client, auditor, by_name["Member"]) if a["answers"]]
    assert member_answer["comment"] == "Slow.", "Member is under legal hold"

    meta = await client.get(f"{API}/files/{file_id}", headers=peer.headers)
    assert meta.json()["attached"] is False
    assert await files_jobs.purge_unreferenced({"runtime": runtime}) == 1
    assert await status_of(client, peer, file_id) == (404, 404)
    assert stored_files(storage_dir) == {}, "the attached file's bytes are gone too"
    assert await retention_jobs.apply_retention({"runtime": runtime}) == 0
