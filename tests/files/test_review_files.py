"""Files as review evidence: a rater's files are the rater's and the review auditors', never
the reviewee's — who rated whom stays anonymous."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.reviews import aggregation
from tests.factories import Account, make_user
from tests.files.conftest import API, status_of, uploaded
from tests.problems import assert_problem
from tests.reviews.conftest import Setup, clock, post_ok, setup, world

__all__ = ["clock", "setup", "world"]


async def _assignment(client: AsyncClient, rater: Account, participant: str) -> dict[str, Any]:
    mine = await client.get(f"{API}/me/review-assignments", headers=rater.headers)
    [found] = [a for a in mine.json()["items"] if a["participant"]["name"] == participant]
    return found


async def _save(
    client: AsyncClient, rater: Account, assignment_id: str, attachments: list[str]
) -> Any:
    return await client.put(
        f"{API}/review-assignments/{assignment_id}",
        json={"answers": {"teamwork": {"score": 3}}, "attachments": attachments},
        headers=rater.headers,
    )


async def _everything_read(client: AsyncClient, account: Account, paths: list[str]) -> str:
    """The bodies of every read, one text to search."""
    bodies = []
    for path in paths:
        response = await client.get(f"{API}{path}", headers=account.headers)
        bodies.append(response.text)
    return "\n".join(bodies)


async def test_a_peers_evidence_never_reaches_the_reviewee(
    client: AsyncClient, setup: Setup, runtime: Runtime, clock: FrozenClock, storage_dir: Path
) -> None:
    world, peer = setup.world, setup.accounts["peer"]
    assignment = await _assignment(client, peer, "Lead")
    file_id = await uploaded(client, peer)
    saved = await _save(client, peer, assignment["id"], [file_id])
    assert saved.status_code == 200, saved.text
    assert saved.json()["attachments"] == [file_id]
    assert (await _assignment(client, peer, "Lead"))["attachments"] == [file_id]
    await post_ok(client, peer, f"/review-assignments/{assignment['id']}/submit")

    auditor = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, Role.REVIEW_AUDITOR)
    assert await status_of(client, peer, file_id) == (200, 200)
    assert await status_of(client, auditor, file_id) == (200, 200)
    hidden_from = {
        "the reviewee": world.lead_account,
        "the reviewee's manager": setup.accounts["boss"],
        "the head of their department": world.sales_head,
        "HR without the auditor role": world.hr,
    }
    for who, account in hidden_from.items():
        assert await status_of(client, account, file_id) == (404, 404), who

    cycle = setup.cycle["id"]
    await post_ok(client, world.hr, f"/review-cycles/{cycle}/close")
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        # What the worker's aggregation job runs (run directly: deterministic on the test's
        # one connection).
        await aggregation.aggregate_cycle(
            session,
            world.hr.org_id,
            uuid.UUID(cycle),
            threshold=runtime.settings.review_anonymity_threshold,
        )
    results = await client.get(f"{API}/review-cycles/{cycle}/results", headers=world.hr.headers)
    [lead] = [r for r in results.json()["items"] if r["employee"]["name"] == "Lead"]
    await post_ok(client, world.hr, f"/review-results/{lead['id']}/publish")
    reads = [
        "/me/review-assignments",
        "/me/tasks",
        "/me/notifications",
        f"/review-results/{lead['id']}",
        f"/review-cycles/{cycle}/results",
    ]
    for who, account in hidden_from.items():
        assert file_id not in await _everything_read(client, account, reads), who
    raw = await client.get(f"{API}/review-results/{lead['id']}/answers", headers=auditor.headers)
    attached = {a["assignment_id"]: a["attachments"] for a in raw.json()}
    assert attached.pop(assignment["id"]) == [file_id]
    assert attached, "the other raters' answers are there too"
    assert all(files == [] for files in attached.values())


async def test_a_self_assessment_takes_the_reviewees_own_files(
    client: AsyncClient, setup: Setup, runtime: Runtime, clock: FrozenClock, storage_dir: Path
) -> None:
    lead = setup.world.lead_account
    assignment = await _assignment(client, lead, "Lead")
    assert assignment["relationship"] == "self"
    own, peers = await uploaded(client, lead), await uploaded(client, setup.accounts["peer"])

    refused = await _save(client, lead, assignment["id"], [own, peers])
    assert_problem(refused, 422, fields={"attachments.1"}, detail="attachments")
    malformed = await _save(client, lead, assignment["id"], ["not-a-uuid"])
    assert_problem(malformed, 422, fields={"body.attachments.0"})
    assert (await _assignment(client, lead, "Lead"))["attachments"] == [], "nothing was written"

    assert (await _save(client, lead, assignment["id"], [own])).status_code == 200
    meta = await client.get(f"{API}/files/{own}", headers=lead.headers)
    assert meta.json()["attached"] is True
    emptied = await _save(client, lead, assignment["id"], [])
    assert emptied.json()["attachments"] == []
    meta = await client.get(f"{API}/files/{own}", headers=lead.headers)
    assert meta.json()["attached"] is False, "dropped from the draft: purged in time"
