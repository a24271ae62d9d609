"""Checking the audit chains (`hrcore audit verify`): each organization's events are read in
`seq` order, a batch per short transaction as the app role, and each event's hash is
recomputed in Python from its fields and the previous event's stored hash — the recipe of
`core.audit.link`, written independently of the database's trigger, so a row altered after
it was written (by anyone able to: the schema owner, a restore) no longer matches, and a row
removed leaves a gap in `seq`. The first broken event of each chain is named."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hrcore.core import audit
from hrcore.core.db import SessionMaker, fetch, tenant_transaction, unit_of_work
from hrcore.identity import api as identity

BATCH = 5_000
EVENTS = """
SELECT id, org_id, seq, hash, created_at, actor_kind, actor_id, action, object_type,
       object_id, before::text AS before, after::text AS after, request_id
FROM audit_events
WHERE org_id = $1 AND seq > $2
ORDER BY seq
LIMIT $3
"""


@dataclass(frozen=True)
class BrokenLink:
    """The first event whose chain does not hold, and why."""

    seq: int
    event_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class ChainCheck:
    org_slug: str
    events: int
    broken: BrokenLink | None


class UnknownOrganization(LookupError):
    """No organization has the slug asked for."""


async def verify(sessionmaker: SessionMaker, org_slug: str | None = None) -> list[ChainCheck]:
    """Every organization's chain (or the one named), in slug order."""
    async with unit_of_work(sessionmaker) as session:
        if org_slug is None:
            org_ids = await identity.organization_ids(session)
        else:
            found = await identity.org_id_by_slug(session, org_slug)
            if found is None:
                raise UnknownOrganization(org_slug)
            org_ids = [found]
        slugs = {
            org_id: await identity.org_slug(session, org_id) or str(org_id) for org_id in org_ids
        }
    checks = [await _verify_one(sessionmaker, org_id, slugs[org_id]) for org_id in org_ids]
    return sorted(checks, key=lambda check: check.org_slug)


async def _verify_one(sessionmaker: SessionMaker, org_id: uuid.UUID, slug: str) -> ChainCheck:
    previous, seq = audit.GENESIS, 0
    while True:
        async with tenant_transaction(sessionmaker, org_id) as session:
            rows = await fetch(session, EVENTS, org_id, seq, BATCH)
        for row in rows:
            event = dict(row)
            if event["seq"] != seq + 1:
                reason = f"seq {seq + 1} is missing: the next event found is seq {event['seq']}"
                return ChainCheck(slug, seq, BrokenLink(event["seq"], event["id"], reason))
            if audit.link(previous, event) != event["hash"]:
                reason = "its hash does not match its fields and the previous event's hash"
                return ChainCheck(slug, seq, BrokenLink(event["seq"], event["id"], reason))
            previous, seq = event["hash"], event["seq"]
        if len(rows) < BATCH:
            return ChainCheck(slug, seq, None)
