"""The daily purge: every organization's enabled retention rules applied in batches, each
batch its own transaction with its own audit event (`retention.purged` on the rule: the
kind, the action, the cutoff, the count and the ids), so a purge stopped mid-way keeps what
it committed and the next run carries on. The due records are read a chunk of batches at a
time; the owners' purges re-check their condition, so nothing is purged twice; stored files
are deleted before their rows, so nothing is left orphaned. Employees under legal hold are
read again for every batch: a hold placed during a run applies to its next batch.

Audit events are never purged here: they are the record of processing PIPL Art. 56 keeps
at least three years, and the purge only adds to them."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from hrcore.core import audit
from hrcore.core.db import tenant_transaction
from hrcore.core.retention import DueItem
from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.privacy import holds_repository
from hrcore.privacy.retention_kinds import KINDS, SubjectKind
from hrcore.privacy.retention_rules import SUBJECT, cutoff, enabled_rules

logger = logging.getLogger(__name__)

PURGE_BATCH = 1000
CHUNK_BATCHES = 50
PURGED = "retention.purged"


async def apply_retention(runtime: Runtime) -> int:
    """Apply every organization's rules; one organization's failure is logged and does not
    stop the others. Returns how many records were purged."""
    async with runtime.sessionmaker() as session:
        org_ids = await identity.organization_ids(session)
    total = 0
    for org_id in org_ids:
        try:
            total += await apply_organization_rules(runtime, org_id)
        except Exception:
            logger.exception("the retention purge failed for organization %s", org_id)
    return total


async def apply_organization_rules(
    runtime: Runtime, org_id: uuid.UUID, *, batch_size: int = PURGE_BATCH
) -> int:
    now = runtime.clock.now()
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        rules = [
            (rule.id, SubjectKind(rule.subject_kind), cutoff(rule, now), rule.action)
            for rule in await enabled_rules(session, org_id)
        ]
    purged = 0
    for rule_id, kind, before, action in rules:
        purged += await _apply_rule(runtime, org_id, rule_id, kind, before, action, batch_size)
    return purged


async def _apply_rule(
    runtime: Runtime,
    org_id: uuid.UUID,
    rule_id: uuid.UUID,
    kind_key: SubjectKind,
    before: datetime,
    action: str,
    batch_size: int,
) -> int:
    """The rule's due records are read a chunk of `CHUNK_BATCHES` batches at a time (one
    scan of what is due per chunk, not per batch), then purged batch by batch."""
    kind = KINDS[kind_key]
    chunk_size = batch_size * CHUNK_BATCHES
    purged, after = 0, None
    while True:
        async with tenant_transaction(runtime.sessionmaker, org_id) as session:
            held = await holds_repository.held_employee_ids(session, org_id)
            chunk = await kind.due(session, org_id, before, held, after, chunk_size)
        for start in range(0, len(chunk), batch_size):
            purged += await _purge_batch(
                runtime,
                org_id,
                rule_id,
                kind_key,
                before,
                action,
                chunk[start : start + batch_size],
            )
        if len(chunk) < chunk_size:
            return purged
        after = chunk[-1][0]


async def _purge_batch(
    runtime: Runtime,
    org_id: uuid.UUID,
    rule_id: uuid.UUID,
    kind_key: SubjectKind,
    before: datetime,
    action: str,
    batch: Sequence[DueItem],
) -> int:
    """One transaction: the holds read again (a hold placed since the chunk was read
    spares its person), the owner's purge, one audit event."""
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        held = set(await holds_repository.held_employee_ids(session, org_id))
        due = [record_id for record_id, employee_id, _day in batch if employee_id not in held]
        ids = await KINDS[kind_key].purge(session, runtime.settings, org_id, due)
        if ids:
            audit.record(
                session,
                None,
                PURGED,
                SUBJECT,
                rule_id,
                org_id=org_id,
                after={
                    "subject_kind": kind_key.value,
                    "action": action,
                    "cutoff": before.isoformat(),
                    "count": len(ids),
                    "ids": [str(purged_id) for purged_id in ids],
                },
            )
    return len(ids)
